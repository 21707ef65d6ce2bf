"""What an ended order keeps, and until when: the retention item its ending writes and the tombstone left after.

When an order ends (a transition into a status of the "ended" stage), the engine writes beside it a retention item
that sits in the deadline index under its own key, ERASE, until the period of its ending (rules.RETENTION_BY_ENDING)
passes; the retention sweep (icp.workflow.retention) then deletes the order's documents, photos and personal answers
and leaves a tombstone: the order's number, type, domain or app name, province, dates and outcome, so My filings and
the history still read. Approved filings are never ended orders: they keep their record while the filing stands
(rules.APPROVED_RETENTION). An approved order stops being that record when its service's access or filing is
cancelled, or an approved change replaces it: the transition that closes it (icp.filing.CLOSE_ACTIONS, or the
cancellation's own approval) writes the same retention item, for its row of rules.RETENTION_AFTER_SERVICE, and the
sweep erases it through the "erase" transition, keeping what the registry and "Filed with us" show (the number,
the domain or app, the dates and what the service became).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from icp import filing as f
from icp import rules

# the deadline index's partition of erasures due; the deadline sweep reads "DUE", never this
ERASE_KEY = "ERASE"
RETENTION_SK = "RETENTION"

# the storage folders that hold an order's files: confirmed documents and photos, and uploads not yet confirmed
# (icp.workflow.documents and icp.workflow.apk write nowhere else)
BLOB_PREFIXES = ("documents/{id}/", "pending/{id}/")

# what a tombstone keeps of the order item: its number, type, owner, status and dates, its stamped policy (for the
# status page's wording), its place in the indexes, and the service code it used (the cloud's, not the person's)
TOMBSTONE_FIELDS = (
    "pk", "sk", "version", "id", "owner", "language", "order_type", "status", "status_since", "created_at",
    "updated_at", "submitted_at", "first_submitted_at", "administration_since", "discard_at", "icp_number",
    "returns", "policy", "glance", "owner_sort", "queue", "queue_sort", "steps", "service_code", "overdue",
    # an approved order's: when it was decided, who started a cancellation of access (us after a warning, or the
    # applicant), and since when and why it is no longer the record of a service of ours
    "decided_at", "started_by", "closed",
)
# of the answers checked at step 1: where and what was filed, not who filed it (an individual's name and
# certificate number are personal; the blanks keep pages that read them working); an order after the number also
# names the service it acted on (its number and order), which "Filed with us" reads
TOMBSTONE_VERIFIED = ("province", "nature", "certificate_type", "filing_type", "domain", "domain_ascii", "app_name",
                      "domains", "subject_icp_number", "service_id", "service_number")
BLANKED_VERIFIED = ("certificate_number", "subject_name")


def erasable(filing: dict) -> bool:
    """Whether an order's personal data may be erased: it ended, or it is an approved order no longer the record of
    a service of ours (icp.filing.is_closed). A standing filing never is."""
    return filing.get("status") in ended_statuses() or f.is_closed(filing)


def ended_statuses() -> frozenset:
    """The statuses in which an order has ended without a number (the status table's "ended" stage)."""
    return frozenset(code for code, status in f.STATUSES.items() if status.stage == "ended")


def ends(source: str, target: str) -> bool:
    """Whether a move from `source` to `target` ends the order (so its retention period starts)."""
    ended = ended_statuses()
    return target in ended and source not in ended


def retention_key(filing_id: str) -> tuple[str, str]:
    """The (pk, sk) of an ended order's retention item."""
    return f.filing_partition(filing_id), RETENTION_SK


def retention_item(filing_id: str, ending: str, *, now: datetime) -> dict:
    """The item that makes the order's erasure due `rules.retention_for(ending)` days after `now`."""
    days = rules.retention_for(ending)
    erase_at = (now + timedelta(days=days)).isoformat(timespec="seconds")
    pk, sk = retention_key(filing_id)
    return {"pk": pk, "sk": sk, "version": 1, "filing_id": filing_id, "ending": ending,
            "ended_at": now.isoformat(timespec="seconds"), "days": days,
            "due_key": ERASE_KEY, "due_at": erase_at, "due_action": "erase"}


def blob_prefixes(filing_id: str) -> list[str]:
    """The storage folders of one order's files."""
    return [prefix.format(id=filing_id) for prefix in BLOB_PREFIXES]


def tombstone(filing: dict, *, ending: str, now: datetime) -> dict:
    """The order with only what the tombstone keeps, marked erased (its version is the caller's to move)."""
    kept = {key: filing[key] for key in TOMBSTONE_FIELDS if key in filing}
    verified = filing.get("verified") or {}
    kept["verified"] = {**{key: verified[key] for key in TOMBSTONE_VERIFIED if key in verified},
                        **{key: "" for key in BLANKED_VERIFIED}}
    kept["erased"] = {"at": now.isoformat(timespec="seconds"), "ending": ending}
    return kept


def is_erased(filing: dict) -> bool:
    """Whether the order's personal data has been deleted (only its tombstone is left)."""
    return bool(filing.get("erased"))


def erasable_items(items: list[dict]) -> list[tuple[str, str]]:
    """The keys of a partition's items that go at erasure: everything but the order, its history and the
    retention item (the last write removes that one, with the tombstone)."""
    return [(i["pk"], i["sk"]) for i in items
            if i["sk"] not in ("META", RETENTION_SK) and not f.is_event(i["sk"])]
