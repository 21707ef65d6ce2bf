"""Deleting an ended order's documents, photos and personal answers when its retention period passes.

The retention sweep drains the deadline index's ERASE partition like the deadline sweep drains DUE: it reads only
what is due, acts on each order alone (a failure is logged, counted and left due for the next run) and is
idempotent (files are deleted by folder, every version on S3; the tombstone is written under a version condition,
and with it the retention item goes). See icp.retention for what is kept.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Callable

from icp import filing as f
from icp import retention
from icp.store import MAX_OPS, Conflict, Delete, Put
from icp.workflow import engine
from icp.workflow.common import stamp
from icp.workflow.sweep import BUDGET_SECONDS, PAGE, drain

log = logging.getLogger(__name__)


def erase(table, blobs, filing: dict, *, now: datetime, role: str = "system", actor: str = "system",
          ending: str | None = None, detach: bool = False) -> dict:
    """Delete an ended order's files (every version) and personal items, then write its tombstone; returns counts.

    In this order, so that whatever fails half-way leaves the order due and whole enough to try again: the files,
    then the documents' and other items, the history's free-text notes, and last the tombstone with the retention
    item's deletion in one write under the order's version.
    """
    ending = ending or (table.get(*retention.retention_key(filing["id"])) or {}).get("ending", "")
    files = sum(blobs.delete_prefix(prefix) for prefix in retention.blob_prefixes(filing["id"]))
    items = table.query(f.filing_partition(filing["id"]))
    ops: list = [Delete(pk, sk) for pk, sk in retention.erasable_items(items)]
    # a history event's note may be a reason typed by a person about a person: the event stays, the note goes;
    # when the account goes (`detach`), its e-mail address goes from the events it acted in too
    ops += [Put(scrubbed) for event in items if f.is_event(event["sk"])
            for scrubbed in [_scrubbed(event, filing.get("owner") if detach else None)] if scrubbed != event]
    for start in range(0, len(ops), MAX_OPS):
        table.write(ops[start:start + MAX_OPS])
    change = engine.erased(filing, role=role, actor=actor, now=now, ending=ending, detach=detach)
    table.write(change.ops)
    return {"files": files, "items": sum(isinstance(op, Delete) for op in ops)}


def _scrubbed(event: dict, owner: str | None) -> dict:
    """A history event without its free-text note, and without `owner`'s address as its actor."""
    clean = {**event, "note": ""}
    if owner and clean.get("actor") == owner:
        clean["actor"] = DELETED_ACCOUNT
    return clean


# who a history event says acted, once the applicant's account (and its e-mail address) is deleted
DELETED_ACCOUNT = "deleted account"


def sweep(table, blobs, *, now: datetime, page: int = PAGE, budget_seconds: float = BUDGET_SECONDS,
          clock: Callable[[], float] = time.monotonic) -> dict:
    """Erase every ended order whose retention period has passed at `now`; returns counts: orders erased, files
    and items deleted, and those no longer due, in conflict or failed."""
    totals = {"files": 0, "items": 0}

    def act_on(item: dict) -> str:
        outcome, counts = _erase_due(table, blobs, item, now=now)
        for name, count in counts.items():
            totals[name] += count
        return outcome

    done = drain(table, retention.ERASE_KEY, now=now, act_on=act_on, page=page, budget_seconds=budget_seconds,
                 clock=clock)
    if done:
        done.update({f"{name}_deleted": count for name, count in totals.items()})
    return done


def backfill(table) -> dict:
    """Give every ended order that has neither a retention item nor a tombstone (it ended before retention existed)
    its retention item, counted from when it ended; returns counts. Safe to run again: an item already there stays.
    Reads the staff queues of the ended statuses (the queue index), so it costs in proportion to ended orders."""
    from icp.store import ABSENT

    counts = {"added": 0, "present": 0, "erased_already": 0}
    for status in sorted(retention.ended_statuses()):
        cursor = None
        while True:
            page = table.query_index("queue", f.queue_key(status), lower_bound=cursor, limit=PAGE)
            for entry in page:
                if entry.get("sk") != "META":
                    continue
                # a queue entry holds what the queues show (icp.store.INDEX_PROJECTIONS); its status is the queue's
                order = {**entry, "status": status}
                if retention.is_erased(order):
                    counts["erased_already"] += 1
                    continue
                ended_at = datetime.fromisoformat(order["status_since"])
                item = retention.retention_item(order["id"], _ending_of(table, order), now=ended_at)
                try:
                    table.write([Put(item, expect_version=ABSENT)])
                    counts["added"] += 1
                except Conflict:
                    counts["present"] += 1
            if len(page) < PAGE:
                break
            cursor = page[-1]["queue_sort"] + "\x00"
    return counts


def _ending_of(table, order: dict) -> str:
    """The action that ended an order, read from its latest history events (the status says it for most)."""
    from icp import rules

    for event in table.query(f.filing_partition(order["id"]), f.EVENT_PREFIX, limit=5, descending=True):
        if event["action"] in rules.RETENTION_BY_ENDING:
            return event["action"]
    return {f.DISCARDED: "discard", f.WITHDRAWN: "withdraw"}.get(order["status"], "reject")


def _erase_due(table, blobs, item: dict, *, now: datetime) -> tuple[str, dict]:
    """Erase one due order in isolation; returns what happened (for the counts) and what was deleted."""
    try:
        due = table.get(item["pk"], item["sk"])  # strongly consistent: the index may lag behind
        if due is None or due.get("due_at", "") > stamp(now):
            return "no_longer_due", {}
        filing = table.get(*f.filing_key(due["filing_id"]))
        if filing is None:
            table.write([Delete(item["pk"], item["sk"])])  # the order itself is gone: nothing left to keep
            return "no_longer_due", {}
        if retention.is_erased(filing):
            table.write([Delete(item["pk"], item["sk"])])
            return "no_longer_due", {}
        return "erased", erase(table, blobs, filing, now=now, ending=due["ending"])
    except Conflict:
        # the order changed at this very moment (another sweep): the next run sees the new state
        return "conflict", {}
    except Exception:  # one bad order must not stop the others; it stays due and is tried again next run
        log.exception("erasure of %s failed", item.get("pk"))
        return "failed", {}
