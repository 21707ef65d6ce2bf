"""The applicant's own data: a copy of everything the service holds about them (PIPL art. 45), and deleting the
account (art. 47), with what a deletion must leave (an approved filing's record: rules.APPROVED_RETENTION).

Both act on the account's own orders only, found through the owner index; staff never reach either.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from icp import accounts, retention
from icp import filing as f
from icp.store import Put
from icp.workflow import engine, filed_subject
from icp.workflow import retention as erasure

# what an order item carries for the service's own bookkeeping (index keys, deadlines' index entries, the My
# filings glance): left out of the copy, which holds the answers, the dates and the history
_BOOKKEEPING = frozenset({"pk", "sk", "version", "queue", "queue_sort", "owner_sort", "due_key", "due_at", "due_action",
                          "glance"})
_ACCOUNT_FIELDS = ("email", "role", "mobile", "name", "created_at", "password_changed_at")


def owned_orders(table, email: str) -> list[dict]:
    """Every order of the account, whole (read by key after the owner index lists them), oldest first."""
    lower, upper = f.owner_sort_bounds()
    entries: dict[str, dict] = {}
    while True:
        page = table.query_index("owner", email, lower_bound=lower, upper_bound=upper, limit=1000)
        for entry in page:
            entries.setdefault(entry["pk"], entry)
        if len(page) < 1000:
            break
        lower = page[-1]["owner_sort"]  # the bound is inclusive: the last entry comes again, and is known
    entries = list(entries.values())
    orders = []
    for start in range(0, len(entries), 100):
        found = table.get_many([(e["pk"], e["sk"]) for e in entries[start:start + 100]])
        orders += [found[(e["pk"], e["sk"])] for e in entries[start:start + 100] if (e["pk"], e["sk"]) in found]
    return orders


# ---- Download my data ----


def _who(actor: str, owner: str) -> str:
    # the copy is the applicant's: staff members' addresses are theirs, not the applicant's, and stay out
    if actor == owner:
        return "you"
    return actor if actor in ("system", erasure.DELETED_ACCOUNT) else "staff"


def _extension(document: dict) -> str:
    return {"image/png": "png", "image/jpeg": "jpg"}.get(document.get("content_type", ""), "bin")


def export_data(table, email: str, *, now: datetime) -> tuple[dict, list[tuple[str, str]]]:
    """The JSON part of the copy (account, orders with their answers, documents listed, history) and the documents
    to put beside it as (name in the ZIP, storage key)."""
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
    from icp import rules

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


def export_zip(table, blobs, email: str, *, now: datetime) -> Iterator[bytes]:
    """The copy as a ZIP, produced piece by piece: `data.json`, then each document, read from storage one at a
    time (so at most one document is ever in memory). A document gone from storage is named in `missing.txt`."""
    import zipfile  # only this page needs it: kept out of the cold start

    data, files = export_data(table, email, now=now)
    pipe = _Pipe()
    missing = []
    # stored, not deflated: the documents are JPEG and PNG already; the JSON is small
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
        yield pipe.take()
        for name, key in files:
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


# ---- Delete my account ----


@dataclass(frozen=True)
class Blocker:
    """An order that keeps the account from being deleted now: it is with us or the administration."""

    filing: dict
    withdrawable: bool  # the applicant could withdraw it first; otherwise only the decision ends it


def _kind(order: dict) -> str:
    """"edit" (a draft or returned order), "ended" (or an approved order no longer the record of a service of
    ours: its data is kept for the applicant, who is leaving), "approved" or "running" (with us or the
    administration)."""
    status = order["status"]
    if status in f.EDITABLE:
        return "edit"
    if retention.erasable(order):
        return "ended"
    return "approved" if status == f.APPROVED else "running"


def deletion_blockers(table, email: str, orders: list[dict] | None = None) -> list[Blocker]:
    """The orders in our review, verification, the MIIT SMS check or the administration's review: while one runs,
    the account stays (deleting it would leave a filing nobody can answer for)."""
    orders = owned_orders(table, email) if orders is None else orders
    return [Blocker(o, "withdraw" in f.allowed_actions(o, "applicant"))
            for o in orders if _kind(o) == "running"]


class AccountInUse(Exception):
    """The account has orders running; `blockers` says which."""

    def __init__(self, blockers: list[Blocker]):
        super().__init__(f"{len(blockers)} orders are running")
        self.blockers = blockers


def delete_account(table, blobs, email: str, *, now: datetime) -> dict:
    """Delete the account: drafts are withdrawn and erased, ended orders and approved orders of services no longer
    ours erased at once (icp.retention), standing approved filings detached (their record stays), the account and
    every session gone. Raises AccountInUse while an order
    runs. Returns counts. Safe to run again after a failure half-way: each step finds what is left."""
    orders = owned_orders(table, email)
    blockers = deletion_blockers(table, email, orders)
    if blockers:
        raise AccountInUse(blockers)
    counts = {"erased": 0, "detached": 0, "files": 0}
    for order in orders:
        kind = _kind(order)
        if kind == "edit":
            order = engine.apply(table, order, "withdraw", role="applicant", actor=email, now=now,
                                 note="account deleted")
            kind = "ended"
        if kind == "ended":
            # an order erased before is erased again: the tombstone loses its owner, the history the address
            done = erasure.erase(table, blobs, order, now=now, role="applicant", actor=erasure.DELETED_ACCOUNT,
                                 detach=True, ending=(order.get("erased") or {}).get("ending"))
            counts["erased"] += 1
            counts["files"] += done["files"]
        elif kind == "approved":
            _detach(table, order, email, now=now)
            counts["detached"] += 1
    accounts.delete_account(table, email)
    return counts


def _detach(table, filing: dict, email: str, *, now: datetime) -> None:
    """An approved filing stays as the record Order 33 asks for, without its owner: the account's address goes from
    the order, its history and the subject's pre-fill entry (which only served this account's next order)."""
    for event in table.query(f.filing_partition(filing["id"]), f.EVENT_PREFIX):
        if event.get("actor") == email:
            table.write([Put({**event, "actor": erasure.DELETED_ACCOUNT})])
    change = engine.record(filing, "detach_account", role="applicant", actor=erasure.DELETED_ACCOUNT, now=now,
                           fields={"owner": None, "owner_mobile": ""})
    ops = list(change.ops)
    number = (filing.get("verified") or {}).get("certificate_number")
    record = table.get(*filed_subject.record_key(number)) if number else None
    if record and email in (record.get("by_owner") or {}):
        by_owner = {k: v for k, v in record["by_owner"].items() if k != email}
        ops.append(Put(filed_subject.record_item(number, by_owner, version=record["version"] + 1),
                       expect_version=record["version"]))
    table.write(ops)
