"""Ending an order early: the applicant withdraws it; what an ended order gives back."""
from __future__ import annotations

from datetime import datetime

from icp import codes
from icp import filing as f
from icp.store import Put
from icp.workflow.common import changed, notify_applicant, put_changed, without_deadline
from icp.workflow.drafting import release_locks


def release_code_ops(table, filing: dict) -> list:
    """The write that frees the filing's service code, if one is bound to it."""
    bound = filing.get("service_code") or {}
    if not bound.get("code"):
        return []
    item = table.get(*codes.code_key(bound["code"]))
    if not item or item.get("filing_id") != filing["id"] or item["state"] != codes.BOUND:
        return []
    return [Put(codes.released_code(item), expect_version=item["version"])]


def withdraw(table, filing: dict, *, actor: str, now: datetime, reason: str = "") -> dict:
    """Withdraw the order: frees its subject, domain and service code, in one write with its history event."""
    target = f.next_status(filing["status"], "withdraw", "applicant")
    updated = without_deadline(changed(filing, now=now, status=target))
    table.write([put_changed(filing, updated), *release_locks(filing), *release_code_ops(table, filing),
                 *notify_applicant(filing, "withdrawn", now=now),
                 Put(f.event_item(filing["id"], now=now, actor=actor, action="withdraw", status=target,
                                  note=reason, seq=updated["version"]))])
    return updated
