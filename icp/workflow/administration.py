"""The communications administration's decision (simulated): approve with the website's ICP number, or reject."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icp import filing as f
from icp import registry, workdays
from icp.store import Conflict
from icp.workflow import engine, filed_subject
from icp.workflow.common import load_filing, stamp

# two approvals of one subject's websites at once: the loser reads the new website count and tries again
_ATTEMPTS = 4


class DecisionRefused(Exception):
    """The order is no longer in the administration's review (someone decided it meanwhile)."""


@dataclass(frozen=True)
class Window:
    """The expected decision window: from the earliest to the latest day, counted in China workdays."""

    since: date
    earliest: date
    latest: date
    estimate: bool   # True when a day counted lies beyond the official holiday schedule
    overdue: bool
    high: int = 0    # the workdays the window lasts at most (the order's stamped policy)


def decision_window(filing: dict, today: date) -> Window | None:
    """When the administration is expected to decide, counted from the day the order reached it."""
    since = filing.get("administration_since")
    if not since:
        return None
    start = datetime.fromisoformat(since).astimezone(ZoneInfo("Asia/Shanghai")).date()
    low, high = f.policy_of(filing)["administration_review_workdays"]
    window = workdays.decision_window(start, low, high)
    return Window(start, window.earliest, window.latest, window.estimate, window.overdue(today), high)


def approve(table, filing: dict, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Approve: what the approval records (approval_records: a new number, the same number of a change, or a
    cancellation applied) joins the order's transition in one write; the code is consumed for good.

    Two approvals of one subject's services at once: the loser reads the subject's records again and tries again.
    """
    for attempt in range(_ATTEMPTS):
        if filing["status"] != f.ADMINISTRATION_REVIEW:
            raise DecisionRefused(filing["id"])
        number, ops = approval_records(table, filing, now=now)
        try:
            return engine.apply(table, filing, "approve", role="administration", actor=actor, now=now,
                                note=number, fields={"icp_number": number, "decided_at": stamp(now)},
                                params={"icp_number": number}, extra_ops=ops, public_url=public_url)
        except Conflict:
            if attempt == _ATTEMPTS - 1:
                raise
            filing = load_filing(table, filing["id"])
    raise AssertionError("unreachable")


def approval_records(table, filing: dict, *, now: datetime) -> tuple[str, list]:
    """(the number the approved order names, the registry's and our records' writes), by the order's type: a new
    website or app gets the subject's next serial with its type's suffix (-N, -NA); a change keeps the website's
    number (icp.workflow.change); an order after the number applies to the number it names
    (icp.workflow.after_number)."""
    from icp.order_types import order_type_of
    from icp.workflow import after_number, change

    if order_type_of(filing).flow != "filing":
        return after_number.approval_records(table, filing, now=now)
    if change.is_change(filing):
        return change.approval_records(table, filing, now=now)
    verified = filing["verified"]
    number, ops = registry.approval_ops(table, certificate_number=verified["certificate_number"],
                                        ascii_domain=verified.get("domain_ascii", ""),
                                        app_name=verified.get("app_name", ""))
    # the subject's answers as approved, to pre-fill this account's next order of the subject
    return number, ops + filed_subject.approval_ops(table, filing, icp_number=number, now=now)


def reject(table, filing: dict, reason: str, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Reject with a reason: the service code, the subject and the domain are free again."""
    return engine.apply(table, filing, "reject", role="administration", actor=actor, now=now, note=reason,
                        fields={"rejection_reason": reason, "decided_at": stamp(now)},
                        params={"reason": reason}, public_url=public_url)
