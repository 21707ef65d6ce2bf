"""The applicant's own data: the account's orders, and deleting the account (PIPL art. 47), with what a deletion must
leave (an approved filing's record: rules.APPROVED_RETENTION). The copy of it all (art. 45) is icp.workflow.data_export.

Both act on the account's own orders only, found through the owner index; staff never reach either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icp import accounts, retention
from icp import filing as f
from icp.store import Put
from icp.workflow import data_export, engine, filed_subject
from icp.workflow import retention as erasure


def owned_orders(table, email: str) -> list[dict]:
    """Every order of the account, whole (read by key after the owner index lists them), oldest first."""
    from icp.services import owner_entries
    from icp.store import read_all

    keys = [(e["pk"], e["sk"]) for e in owner_entries(table, email)]
    found = read_all(table, keys)
    return [found[key] for key in keys if key in found]


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
    ours erased at once (icp.retention), standing approved filings detached (their record stays), a copy made for
    download deleted, the account and every session gone. Raises AccountInUse while an order
    runs. Returns counts. Safe to run again after a failure half-way: each step finds what is left."""
    orders = owned_orders(table, email)
    blockers = deletion_blockers(table, email, orders)
    if blockers:
        raise AccountInUse(blockers)
    counts = {"erased": 0, "detached": 0, "files": 0}
    counts["files"] += data_export.discard(table, blobs, email)  # a copy made for download goes with the account
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
