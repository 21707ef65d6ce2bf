"""Download my data: a copy of everything the service holds about the applicant (PIPL art. 45), as a ZIP.

The ZIP holds `data.json` (the account, its orders with their answers, documents listed and history) and each document
beside it, read from storage one at a time, so at most one document is in memory while it is made. It reaches the
applicant one of two ways (`needs_link`): streamed as the response, or, on Lambda (whose buffered response holds at
most rules.EXPORT_STREAM_LIMIT) and whenever it is larger than that, written to storage under `exports/<random>/` and
handed out as a signed link that works for rules.EXPORT_LINK_MINUTES. One copy per account: a new one replaces the
last, the account's `EXPORT` item says which it is, and the item sits in the deadline index (key EXPORT) until the
link has expired, when the retention sweep deletes the copy (every version) and the item. S3's lifecycle rule on
`exports/` (icp.provision) deletes what a failed sweep would leave.
"""
from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from icp import accounts, retention, rules
from icp import filing as f
from icp.provision import EXPORTS_PREFIX  # the copies' storage folder, which has its own lifecycle rule
from icp.store import ABSENT, Conflict, Delete, Put
from icp.workflow.common import stamp

log = logging.getLogger(__name__)

# the deadline index's partition of copies to delete; the item sits beside the account
EXPORT_KEY = "EXPORT"
EXPORT_SK = "EXPORT"
CONTENT_TYPE = "application/zip"

# what an order item carries for the service's own bookkeeping (index keys, deadlines' index entries, the My
# filings glance): left out of the copy, which holds the answers, the dates and the history
_BOOKKEEPING = frozenset({"pk", "sk", "version", "queue", "queue_sort", "owner_sort", "due_key", "due_at", "due_action",
                          "glance"})
_ACCOUNT_FIELDS = ("email", "role", "mobile", "name", "created_at", "password_changed_at")
# a ZIP entry's own bytes beyond its name and content, at most: local header (30), data descriptor (24), central
# directory entry (46), zip64 extra fields (2 × 28); the end records add at most 98 (zip64) once
_ENTRY_OVERHEAD = 30 + 24 + 46 + 2 * 28
_END_OVERHEAD = 98


def _who(actor: str, owner: str) -> str:
    from icp.workflow.retention import DELETED_ACCOUNT

    # the copy is the applicant's: staff members' addresses are theirs, not the applicant's, and stay out
    if actor == owner:
        return "you"
    return actor if actor in ("system", DELETED_ACCOUNT) else "staff"


def _extension(document: dict) -> str:
    return {"image/png": "png", "image/jpeg": "jpg"}.get(document.get("content_type", ""), "bin")


def export_data(table, email: str, *, now: datetime) -> tuple[dict, list[tuple[str, str]]]:
    """The JSON part of the copy (account, orders with their answers, documents listed, history) and the documents
    to put beside it as (name in the ZIP, storage key)."""
    from icp.workflow.own_data import owned_orders

    item = table.get(*accounts.account_key(email)) or {}
    account = {key: item[key] for key in _ACCOUNT_FIELDS if key in item}
    orders, files = [], []
    for order in owned_orders(table, email):
        parts = table.query(f.filing_partition(order["id"]))
        documents = []
        for document in (p for p in parts if f.is_document(p["sk"])):
            name = f"documents/{order['id']}/{document['kind']}.{_extension(document)}"
            files.append((name, document["key"]))
            documents.append({"kind": document["kind"], "file": name, "uploaded_at": document.get("uploaded_at"),
                              "content_type": document.get("content_type"), "size": document.get("size")})
        history = [{"at": e["at"], "action": e["action"], "status": e["status"], "by": _who(e["actor"], email),
                    "note": e.get("note", "")} for e in parts if f.is_event(e["sk"])]
        kept = next((p for p in parts if p["sk"] == retention.RETENTION_SK), None)
        orders.append({**{k: v for k, v in order.items() if k not in _BOOKKEEPING},
                       "documents": documents, "history": history, "personal_data": _kept(order, kept)})
    data = {"exported_at": now.isoformat(timespec="seconds"), "account": account, "orders": orders,
            "retention_periods": retention_periods()}
    return data, files


def retention_periods() -> dict:
    """Every retention period in days, with its reason, as the privacy notice states them (rules.py): for each way
    an order ends, and for each way an approved order stops being the record of a service of ours."""

    def rows(table: dict) -> dict:
        return {key: {"days": row.days, "when": row.outcome, "why": row.why} for key, row in table.items()}

    return {"order_ended": rows(rules.RETENTION_BY_ENDING),
            "approved_filing_standing": rules.APPROVED_RETENTION,
            "approved_filing_no_longer_ours": rows(rules.RETENTION_AFTER_SERVICE)}


def _kept(order: dict, kept: dict | None) -> dict:
    """How long this order's documents and personal details are kept, as its retention item (or status) says."""
    if retention.is_erased(order):
        return {"state": "deleted", "deleted_at": order["erased"]["at"]}
    if kept:
        return {"state": "kept_until", "delete_after": kept["due_at"], "because": kept["ending"],
                "days": kept["days"]}
    if order.get("status") == f.APPROVED:
        return {"state": "kept_while_the_filing_stands"}
    return {"state": "kept_while_the_order_runs"}


@dataclass(frozen=True)
class Export:
    """What goes into one copy: the JSON, the documents as (name in the ZIP, storage key), and the ZIP's size at
    most (from the documents' recorded sizes), known before a byte of it is made."""

    data_json: bytes
    files: list[tuple[str, str]]
    size: int


def gather(table, blobs, email: str, *, now: datetime) -> Export:
    """Read what the copy holds (the table only; storage is asked for a size only where none was recorded)."""
    data, files = export_data(table, email, now=now)
    data_json = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()
    recorded = {d["file"]: d.get("size") for order in data["orders"] for d in order["documents"]}
    size = _ENTRY_OVERHEAD + 2 * len("data.json") + len(data_json) + _END_OVERHEAD
    missing = 0
    for name, key in files:
        content = recorded.get(name)
        if content is None:
            content = blobs.size(key) or 0
        size += _ENTRY_OVERHEAD + 2 * len(name.encode()) + content
        missing += _ENTRY_OVERHEAD + len(name.encode()) + 1
    # a document gone from storage is named in missing.txt instead
    return Export(data_json, files, size + _ENTRY_OVERHEAD + 2 * len("missing.txt") + missing)


def needs_link(backend: str, export: Export) -> bool:
    """Whether the copy goes through storage and a signed link rather than as the response itself: always on the aws
    backend (it runs on Lambda, whose buffered response is at most rules.EXPORT_STREAM_LIMIT, and one way for every
    size there means the way large accounts need is the one always used), and on any backend beyond that limit."""
    return backend == "aws" or export.size > rules.EXPORT_STREAM_LIMIT


class _Pipe:
    """A write-only file that hands on what was written: the ZIP goes out in pieces as it is made."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def zip_pieces(export: Export, blobs) -> Iterator[bytes]:
    """The copy as a ZIP, produced piece by piece: `data.json`, then each document, read from storage one at a
    time (so at most one document is ever in memory). A document gone from storage is named in `missing.txt`."""
    import zipfile  # only this page needs it: kept out of the cold start

    pipe = _Pipe()
    missing = []
    # stored, not deflated: the documents are JPEG and PNG already; the JSON is small
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("data.json", export.data_json)
        yield pipe.take()
        for name, key in export.files:
            try:
                content = blobs.read(key)
            except KeyError:
                missing.append(name)
                continue
            archive.writestr(name, content)
            del content
            yield pipe.take()
        if missing:
            archive.writestr("missing.txt", "\n".join(missing) + "\n")
    yield pipe.take()


def export_zip(table, blobs, email: str, *, now: datetime) -> Iterator[bytes]:
    """The account's copy as ZIP pieces (gather, then zip_pieces)."""
    return zip_pieces(gather(table, blobs, email, now=now), blobs)


def filename(now: datetime) -> str:
    """The copy's file name: the day it was made (UTC), not a date shown."""
    return f"icp-filing-my-data-{now.date().isoformat()}.zip"


# ---- the copy kept in storage behind a signed link ----


def export_key(email: str) -> tuple[str, str]:
    """The (pk, sk) of the item that records the account's copy in storage."""
    return accounts.account_key(email)[0], EXPORT_SK


def _folder(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/"


def store(table, blobs, email: str, export: Export, *, now: datetime) -> str:
    """Write the copy to storage under a folder nobody can guess (random, not derived from the account), replace the
    account's previous copy, and return a signed link to it that works for rules.EXPORT_LINK_MINUTES."""
    previous = table.get(*export_key(email))
    key = f"{EXPORTS_PREFIX}{secrets.token_hex(16)}/{filename(now)}"
    blobs.put_stream(key, zip_pieces(export, blobs), CONTENT_TYPE)
    life = timedelta(minutes=rules.EXPORT_LINK_MINUTES)
    pk, sk = export_key(email)
    item = {"pk": pk, "sk": sk, "version": (previous or {}).get("version", 0) + 1, "key": key,
            "made_at": stamp(now), "due_key": EXPORT_KEY, "due_at": stamp(now + life), "due_action": "delete_export"}
    try:
        table.write([Put(item, expect_version=previous["version"] if previous else ABSENT)])
    except Conflict:
        # another copy was made at this very moment (a second tab): that one is the account's, as fresh as this
        # one and whole (its item is written after its object), so this one goes and the link is to that one
        blobs.delete_prefix(_folder(key))
        key = table.get(*export_key(email))["key"]
    else:
        if previous:
            blobs.delete_prefix(_folder(previous["key"]))
    return blobs.download_url(key, now=now, expires_in=int(life.total_seconds()), filename=filename(now),
                              content_type=CONTENT_TYPE)


def discard(table, blobs, email: str) -> int:
    """Delete the account's copy in storage (every version) and its item; returns the files deleted."""
    item = table.get(*export_key(email))
    if item is None:
        return 0
    files = blobs.delete_prefix(_folder(item["key"]))
    table.write([Delete(item["pk"], item["sk"], expect_version=item["version"])])
    return files


def sweep(table, blobs, *, now: datetime) -> dict:
    """Delete every copy whose link has expired at `now` (the deadline index's EXPORT partition); returns counts
    (empty when nothing was due), each copy alone: one that fails is logged and stays due."""
    from icp.workflow.sweep import drain

    counts = {"files": 0}

    def act_on(entry: dict) -> str:
        try:
            item = table.get(entry["pk"], entry["sk"])  # strongly consistent: the index may lag behind
            if item is None or item["due_at"] > stamp(now):
                return "no_longer_due"
            counts["files"] += blobs.delete_prefix(_folder(item["key"]))
            table.write([Delete(item["pk"], item["sk"], expect_version=item["version"])])
            return "deleted"
        except Conflict:
            return "conflict"  # a new copy replaced it at this moment: that one has its own due time
        except Exception:  # one bad copy must not stop the others; it stays due and is tried again next run
            log.exception("deleting the export of %s failed", entry.get("pk"))
            return "failed"

    done = drain(table, EXPORT_KEY, now=now, act_on=act_on)
    if done:
        done["files_deleted"] = counts["files"]
    return done
