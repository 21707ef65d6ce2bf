"""The deadline sweep: reads only what is due from the sparse deadline index and acts on each item."""
from __future__ import annotations

import logging
from datetime import datetime

from icp import filing as f
from icp import rules
from icp.store import Conflict, Put
from icp.workflow.common import changed, notify_applicant, put_changed, stamp, with_deadline, without_deadline
from icp.workflow.drafting import release_locks
from icp.workflow.ending import release_code_ops

BATCH = 100
log = logging.getLogger(__name__)


def _draft_reminder(table, filing: dict, *, now: datetime, days: int, public_url: str) -> list:
    """Remind the applicant of an unsubmitted draft and schedule the next reminder or the discard."""
    policy = rules.deadline_policy()
    created = datetime.fromisoformat(filing["created_at"])
    later = sorted(d for d in policy.draft_reminders_after if d.days > days)
    if later:
        updated = with_deadline(changed(filing, now=now), created + later[0], f"remind_{later[0].days}")
    else:
        updated = with_deadline(changed(filing, now=now), created + policy.draft_discard_after, "discard")
    updated["updated_at"] = filing["updated_at"]  # a reminder is not a change the applicant made
    updated.update(f.index_fields(updated))
    messages = notify_applicant(filing, "draft_reminder", now=now, deadline=filing["discard_at"][:10],
                                url=f"{public_url}/filings/{filing['id']}")
    return [put_changed(filing, updated), *messages,
            Put(f.event_item(filing["id"], now=now, actor="system", action=f"remind_{days}",
                             status=filing["status"], seq=updated["version"]))]


def _discard(table, filing: dict, *, now: datetime) -> list:
    """Discard a draft never submitted within the policy's days, freeing its subject, domain and code."""
    target = f.next_status(filing["status"], "discard", "system")
    updated = without_deadline(changed(filing, now=now, status=target))
    return [put_changed(filing, updated), *release_locks(filing), *release_code_ops(table, filing),
            *notify_applicant(filing, "discarded", now=now),
            Put(f.event_item(filing["id"], now=now, actor="system", action="discard", status=target,
                             note="not submitted within the time allowed", seq=updated["version"]))]


def _handler(action: str, public_url: str = ""):
    """The function that acts on a due item; later phases add theirs (e.g. the SMS window) here."""
    if action.startswith("remind_"):
        days = int(action.split("_", 1)[1])
        return lambda table, filing, now: _draft_reminder(table, filing, now=now, days=days,
                                                          public_url=public_url)
    if action == "discard":
        return lambda table, filing, now: _discard(table, filing, now=now)
    raise LookupError(f"no handler for deadline action {action!r}")


def sweep(table, *, now: datetime, limit: int = BATCH, public_url: str = "") -> dict:
    """Act on every item whose deadline is at or before `now`; returns counts by action."""
    done: dict[str, int] = {}
    for item in table.query_index("deadline", "DUE", upper_bound=stamp(now), limit=limit):
        action = item["due_action"]
        try:
            table.write(_handler(action, public_url)(table, item, now))
        except LookupError:
            log.error("deadline action %r of %s has no handler", action, item["pk"])
            done["unknown"] = done.get("unknown", 0) + 1
            continue
        except Conflict:
            # the applicant changed the filing at this very moment: the next sweep sees the new state
            done["conflict"] = done.get("conflict", 0) + 1
            continue
        done[action] = done.get(action, 0) + 1
    return done
