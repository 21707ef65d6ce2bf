"""What every phase of the workflow shares: loading a filing and writing a change with its history event."""
from __future__ import annotations

from datetime import datetime

from icp.order_types import service_name
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
    items = table.query(f.filing_partition(filing_id))
    filing = next((i for i in items if i["sk"] == "META"), None)
    if filing is None or (owner is not None and filing["owner"] != owner):
        raise FilingNotFound(filing_id)
    documents = {i["kind"]: i for i in items if f.is_document(i["sk"])}
    events = [i for i in items if f.is_event(i["sk"])]
    return filing, documents, events


def filing_and_document_keys(filing_id: str, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """The keys of an order and of its documents of `kinds` (every kind it can have by default), to read by key
    (load_filing_with_documents)."""
    from icp import rules

    kinds = (*rules.DOCUMENT_KINDS, rules.ADMINISTRATOR_PHOTO.code) if kinds is None else kinds
    return [f.filing_key(filing_id), *(f.document_key(filing_id, kind) for kind in kinds)]


def load_filing_with_documents(table, filing_id: str, *, owner: str, kinds: tuple[str, ...] | None = None,
                               also: list[tuple[str, str]] = (), prefetched: dict | None = None) -> tuple[dict, dict, dict]:
    """Read a filing and its documents of `kinds` (all by default; by kind) by key in one get_many, with the items
    at `also`; returns (filing, documents, every item read by key, None where absent).

    Whatever `prefetched` holds (read ahead with the session in the same round trip) is not read again: with
    every key there, nothing is read here. Unlike load_filing_with_parts, the history is not read.
    """
    from icp.store import read_keys

    if not filing_id.isalnum():
        raise FilingNotFound(filing_id)
    keys = [*filing_and_document_keys(filing_id, kinds), *also]
    found = read_keys(table, keys, prefetched)
    filing = found[keys[0]]
    if filing is None or filing["owner"] != owner:
        raise FilingNotFound(filing_id)
    documents = {item["kind"]: item for key, item in found.items() if item and f.is_document(key[1])}
    return filing, documents, found


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
    """The outbox write telling the applicant by e-mail and text message (one item for both: icp.notify); write
    it with the change itself."""
    from icp import notify
    from icp.order import Order

    # the next action is the status table's, as the order's status page states it (icp.order), and the photo
    # is named by the order's method: the message says what the pages say
    order = Order(filing)
    following = order.next_action
    told = {"reference": filing["id"], "domain": service_name(filing), "method": order.method,
            "role": order.order_type.role,
            "next": {"text": following.text, "params": following.params}}
    if order.panel == "codes":
        text, rule_params = order.wrong_code_rule()
        told["rule"] = {"text": text, "params": rule_params}
    from icp.messages import MESSAGES
    from icp.order_types import order_type_of

    # an order after the number may word a message its own way ("cancel:sms_expired": no filing is rejected), by its
    # type first ("change_website:approved": the number stays), then by its flow
    order_type = order_type_of(filing)
    template = next((own for own in (f"{order_type.code}:{template}", f"{order_type.flow}:{template}")
                     if own in MESSAGES), template)
    messages = notify.message_items(
        template=template, email=filing["owner"], mobile=filing.get("owner_mobile"),
        language=filing.get("language", "en"), now=now, params={**told, **params})
    return [Put(message) for message in messages]


def put_changed(previous: dict, updated: dict) -> Put:
    """The conditional write of a changed filing: it fails with Conflict if someone changed it meanwhile."""
    return Put(updated, expect_version=previous["version"])
