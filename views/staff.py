"""What both staff consoles share: finding any order, masking certificate numbers in lists, waiting times, what a
change of a filed website changes."""
from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l

from icp.workflow import FilingNotFound, load_filing_with_parts


def mask(number: str) -> str:
    """A certificate number as staff lists show it: the first 3 and last 2 characters."""
    number = number or ""
    return number[:3] + "*" * max(len(number) - 5, 0) + number[-2:] if len(number) > 5 else "*" * len(number)


def any_filing_with_parts(filing_id: str) -> tuple[dict, dict, list]:
    """Any order with its documents and history (staff only), or 404."""
    from views import table

    try:
        return load_filing_with_parts(table(), filing_id)
    except FilingNotFound:
        abort(404)


def hours_waiting(filing: dict, now: datetime) -> int:
    """Whole hours since the order entered its status."""
    return int((now - datetime.fromisoformat(filing["status_since"])).total_seconds() // 3600)


def past_target(filing: dict, now: datetime) -> bool:
    """True when the order has waited past its target (the running deadline of a review)."""
    deadline = filing.get("deadline") or {}
    if filing.get("overdue"):
        return True
    return deadline.get("end_action") == "flag_overdue" and datetime.fromisoformat(deadline["ends_at"]) <= now


def queue(status: str, limit: int = 200) -> list[dict]:
    """The orders in one status, oldest first (a resubmitted order keeps its first submission's place): each as
    the queue index holds it (icp.store.INDEX_PROJECTIONS: what the queue pages show), with its status."""
    from icp.filing import queue_key
    from views import table

    return [{**entry, "status": status} for entry in table().query_index("queue", queue_key(status), limit=limit)]


# what either console says when another member of staff moved the order between reading it and acting on it
TOO_LATE = _l("Another member of staff acted on this order first. Here is where it stands now; nothing you "
              "entered was applied.")


