"""What every phase of the workflow shares: loading a filing and writing a change with its history event."""
from __future__ import annotations

from datetime import datetime

from icp import filing as f
from icp.store import Put


class FilingNotFound(Exception):
    """No such filing, or not one this person may see (both answer 404)."""


def load_filing(table, filing_id: str, *, owner: str | None = None) -> dict:
    """Read a filing; with `owner`, only that applicant's filing is found."""
    item = table.get(*f.filing_key(filing_id)) if filing_id.isalnum() else None
    if item is None or (owner is not None and item["owner"] != owner):
        raise FilingNotFound(filing_id)
    return item


def load_filing_with_parts(table, filing_id: str, *, owner: str | None = None) -> tuple[dict, dict, list]:
    """Read a filing, its documents (by kind) and its history (oldest first) in one query."""
    if not filing_id.isalnum():
        raise FilingNotFound(filing_id)
    items = table.query(f"FILING#{filing_id}")
    filing = next((i for i in items if i["sk"] == "META"), None)
    if filing is None or (owner is not None and filing["owner"] != owner):
        raise FilingNotFound(filing_id)
    documents = {i["kind"]: i for i in items if i["sk"].startswith("DOC#")}
    events = [i for i in items if i["sk"].startswith("EVENT#")]
    return filing, documents, events


def stamp(now: datetime) -> str:
    """The ISO form times are stored in."""
    return now.isoformat(timespec="seconds")


def changed(filing: dict, *, now: datetime, status: str | None = None, **fields) -> dict:
    """A copy of `filing` with `fields` set, a new version, a new update time and its index attributes."""
    updated = {**filing, **fields, "version": filing["version"] + 1, "updated_at": stamp(now)}
    if status and status != filing["status"]:
        updated["status"] = status
        updated["status_since"] = stamp(now)
    updated.update(f.index_fields(updated))
    return updated


def notify_applicant(filing: dict, template: str, *, now: datetime, **params) -> list[Put]:
    """Outbox writes telling the applicant by e-mail and text message; write them with the change itself."""
    from icp import notify

    messages = notify.message_items(
        template=template, email=filing["owner"], mobile=filing.get("owner_mobile"),
        language=filing.get("language", "en"), now=now,
        params={"reference": filing["id"], "domain": filing["verified"]["domain"], **params})
    return [Put(message) for message in messages]


def put_changed(previous: dict, updated: dict) -> Put:
    """The conditional write of a changed filing: it fails with Conflict if someone changed it meanwhile."""
    return Put(updated, expect_version=previous["version"])
