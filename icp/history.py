"""An order's history as each reader sees it: staff keep every event (the audit); the applicant reads one line for
repeated staff views, with their count and the last time."""
from __future__ import annotations

# events that record a member of staff looking at the order, not changing it (icp.workflow.review)
STAFF_VIEWS = frozenset({"view_certificates"})


def for_applicant(events: list[dict]) -> list[dict]:
    """The history (oldest first) with each kind of staff view collapsed into one row where its last one
    happened, carrying `count`: six views of the certificate numbers read as one line, not six."""
    last = {}
    counts: dict[str, int] = {}
    for index, event in enumerate(events):
        if event.get("action") in STAFF_VIEWS:
            last[event["action"]] = index
            counts[event["action"]] = counts.get(event["action"], 0) + 1
    return [{**event, "count": counts[event["action"]]} if event.get("action") in STAFF_VIEWS else event
            for index, event in enumerate(events)
            if event.get("action") not in STAFF_VIEWS or last[event["action"]] == index]


def rows(events: list[dict], reader_role: str | None) -> list[dict]:
    """The history rows a reader sees, oldest first: every event for staff, staff views collapsed for the applicant."""
    return for_applicant(events) if reader_role == "applicant" else list(events)
