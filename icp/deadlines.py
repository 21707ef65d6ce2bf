"""The deadlines a filing runs against, computed from the policy stamped on it (never from configuration).

A filing carries at most one running deadline: its end, the reminders still to send before it, and what the
sweep does at each. The sparse deadline index holds the next due moment only, so a sweep reads what is due.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icp import filing as f
from icp import rules

# workdays are counted in China, where our reviewers and the administration work
CHINA = ZoneInfo("Asia/Shanghai")


def _iso(moment: datetime) -> str:
    # stored in UTC, so the deadline index's string order is time order
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def after_workdays(now: datetime, workdays: int) -> datetime:
    """The end (midnight China time) of the day that is `workdays` China workdays after `now`'s day."""
    from icp.workdays import add_workdays

    day = add_workdays(now.astimezone(CHINA).date(), workdays)
    return datetime.combine(day + timedelta(days=1), time(0), CHINA)


def start(filing: dict, name: str, *, now: datetime) -> dict:
    """The deadline `name` as it starts now for this filing: its end, reminders and actions."""
    stamp = f.policy_of(filing)
    reminders: list[datetime] = []
    reminder_action = ""
    if name == "draft":
        created = datetime.fromisoformat(filing["created_at"])
        ends, end_action = created + timedelta(days=stamp["draft_discard_days"]), "discard"
        reminders = [created + timedelta(days=d) for d in stamp["draft_reminder_days"]]
        reminder_action = "remind_draft"
    elif name == "sms":
        ends, end_action = now + timedelta(minutes=stamp["sms_window_minutes"]), "expire_sms"
        reminders = [ends - timedelta(minutes=m) for m in stamp["sms_reminders_before_minutes"]]
        reminder_action = "remind_sms"
    elif name == "provider_review":
        ends, end_action = after_workdays(now, stamp["provider_review_workdays"]), "flag_overdue"
    elif name == "photo_review":
        ends, end_action = after_workdays(now, stamp["photo_review_workdays"]), "flag_overdue"
    elif name == "access_warning":  # a filed service we warned: fixed by then, or we cancel its access
        ends, end_action = now + rules.ACCESS_WARNING_PERIOD, "end_access"
    elif name == "administration":
        ends, end_action = after_workdays(now, stamp["administration_review_workdays"][1]), "flag_overdue"
    else:
        raise KeyError(name)
    # a reminder whose moment has passed (an order returned on day 41) is not sent late
    upcoming = sorted(_iso(r) for r in reminders if now < r < ends)
    return {"name": name, "started_at": _iso(now), "ends_at": _iso(ends), "reminders": upcoming,
            "reminder_action": reminder_action, "end_action": end_action}


def advance(deadline: dict, now: datetime) -> dict:
    """The deadline once its next reminder has been sent (reminders already past are not sent late)."""
    return {**deadline, "reminders": [r for r in deadline["reminders"][1:] if r > _iso(now)]}


def due(deadline: dict) -> tuple[str, str]:
    """(when, action): the next moment the sweep acts on this deadline, and what it does then."""
    if deadline["reminders"]:
        return deadline["reminders"][0], deadline["reminder_action"]
    return deadline["ends_at"], deadline["end_action"]


def index_fields(deadline: dict | None) -> dict:
    """The sparse deadline index's attributes for a running deadline ({} when none runs)."""
    if not deadline:
        return {}
    at, action = due(deadline)
    return {"due_key": "DUE", "due_at": at, "due_action": action}


def passed(deadline: dict | None, now: datetime) -> bool:
    """True when the deadline has ended at `now`, whether or not a sweep has acted on it yet."""
    return bool(deadline) and datetime.fromisoformat(deadline["ends_at"]) <= now
