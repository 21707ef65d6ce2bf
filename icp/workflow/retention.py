"""Deleting an ended order's (or a closed approved order's) documents, photos and personal answers when its
retention period passes.

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
from icp.workflow.common import FilingNotFound, load_filing, stamp
from icp.workflow.sweep import BUDGET_SECONDS, PAGE, drain

log = logging.getLogger(__name__)


def erase(table, blobs, filing: dict, *, now: datetime, role: str = "system", actor: str = "system",
          ending: str | None = None, detach: bool = False) -> dict:
    """Delete an ended order's (or a closed approved order's: icp.retention.erasable) files (every version) and
    personal items, then write its tombstone; returns counts.

    In this order, so that whatever fails half-way leaves the order due and whole enough to try again: the files,
    then the documents' and other items, the mobile index's items the order justified (icp.mobiles), an approved
    order's pre-fill of its subject (filed_subject.erasure_ops), the history's free-text notes, and last the
    tombstone with the retention item's deletion in one write under the order's version.
    """
    ending = ending or (table.get(*retention.retention_key(filing["id"])) or {}).get("ending", "")
    files = sum(blobs.delete_prefix(prefix) for prefix in retention.blob_prefixes(filing["id"]))
    items = table.query(f.filing_partition(filing["id"]))
    ops: list = [Delete(pk, sk) for pk, sk in retention.erasable_items(items)]
    ops += _mobile_index_deletes(table, filing)
    if filing.get("status") == f.APPROVED:
        # an approved order's answers may also be its account's pre-fill of the subject (filed_subject)
        from icp.workflow import filed_subject

        ops += filed_subject.erasure_ops(table, filing)
    # a history event's note may be a reason typed by a person about a person: the event stays, the note goes;
    # when the account goes (`detach`), its e-mail address goes from the events it acted in too
    ops += [Put(scrubbed) for event in items if f.is_event(event["sk"])
            for scrubbed in [_scrubbed(event, filing.get("owner") if detach else None)] if scrubbed != event]
    for start in range(0, len(ops), MAX_OPS):
        table.write(ops[start:start + MAX_OPS])
    change = engine.erased(filing, role=role, actor=actor, now=now, ending=ending, detach=detach)
    table.write(change.ops)
    return {"files": files, "items": sum(isinstance(op, Delete) for op in ops)}


def _mobile_index_deletes(table, filing: dict) -> list[Delete]:
    """The mobile and person index items this order justified: its own (one per mobile and one per person), and
    the shared one-per-(mobile, subject) item an order wrote before orders had their own, when an order wrote it
    (never the registry's)."""
    from icp import mobiles

    from icp import certificate_index

    legacy = mobiles.legacy_keys(filing)
    shared = table.get_many(legacy) if legacy else {}
    return [Delete(*key) for key in (*mobiles.index_keys(filing), *certificate_index.index_keys(filing))] + [
        Delete(*key) for key in legacy if (shared.get(key) or {}).get("source") == "order"]


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
    """Erase every ended order (and closed approved order) whose retention period has passed at `now`; returns
    counts: orders erased, files and items deleted, and those no longer due, in conflict or failed."""
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


def _queued(table, status: str):
    """Every order in one status, whole: the staff queue (the queue index, which holds only what the queues show:
    icp.store.INDEX_PROJECTIONS) gives a page of keys, and one get_many reads those orders."""
    cursor = None
    while True:
        page = table.query_index("queue", f.queue_key(status), lower_bound=cursor, limit=PAGE)
        keys = [(entry["pk"], entry["sk"]) for entry in page if entry.get("sk") == "META"]
        found = table.get_many(keys) if keys else {}
        yield from (found[key] for key in keys if key in found)
        if len(page) < PAGE:
            return
        cursor = page[-1]["queue_sort"] + "\x00"


def backfill(table) -> dict:
    """Give every order kept from before a retention rule existed what it would have got; returns counts. Safe to
    run again: what is there already stays. Reads the staff queues (the queue index), so it costs in proportion to
    the orders kept:

    - an ended order with neither a retention item nor a tombstone gets its item, counted from when it ended
      (added, present, erased_already);
    - an approved order whose service's access or filing was cancelled, or which an approved change replaced, is
      closed along its transition, dated when that happened (closed: rules.RETENTION_AFTER_SERVICE);
    - every order submitted and not erased gets its own mobile index items, and the items orders shared before
      (one per mobile and subject) go (mobile_items, person_items, shared_mobile_items_deleted; icp.mobiles,
      icp.certificate_index).
    """
    from icp.store import ABSENT

    counts = {"added": 0, "present": 0, "erased_already": 0, "closed": 0, "mobile_items": 0, "person_items": 0,
              "shared_mobile_items_deleted": 0}
    for status in sorted(retention.ended_statuses()):
        for order in _queued(table, status):
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
    counts["closed"] = _backfill_closed(table)
    for status in sorted(set(f.STATUSES) - {f.DRAFT}):
        for order in _queued(table, status):
            if not retention.is_erased(order):
                for name, count in _backfill_mobile_items(table, order).items():
                    counts[name] += count
    return counts


def _backfill_closed(table) -> int:
    """Close the approved orders that stopped being the record of a service of ours before closing existed: each
    approved order of a number followed by a later approved order of it (a change supersedes it, a cancellation
    closes it as what it leaves the service) and each approved cancellation itself, dated when that happened."""
    from icp.order_types import order_type_of
    from icp.services import approval_order

    by_service: dict[tuple, list[dict]] = {}
    for order in _queued(table, f.APPROVED):
        if order.get("icp_number") and not retention.is_erased(order):
            by_service.setdefault((order.get("owner") or "", order["icp_number"]), []).append(order)
    closed = 0
    for history in by_service.values():
        history.sort(key=approval_order)
        for index, order in enumerate(history):
            if f.is_closed(order):
                continue
            own = order_type_of(order).leaves
            later = history[index + 1] if index + 1 < len(history) else None
            if own != "accessed":   # a cancellation: closed as what it left the service, from its approval
                why, at = own, order["status_since"]
            elif later is not None:  # replaced by a change, or its service cancelled: from the later approval
                leaves = order_type_of(later).leaves
                why, at = ("superseded" if leaves == "accessed" else leaves), later["status_since"]
            else:
                continue             # the standing filing
            try:
                table.write(engine.transition(table, order, f.CLOSE_ACTIONS[why], role="system", actor="system",
                                              now=datetime.fromisoformat(at), note="retention-backfill").ops)
                closed += 1
            except Conflict:  # it changed meanwhile: the next run sees it
                continue
    return closed


def _backfill_mobile_items(table, order: dict) -> dict:
    """The order's own mobile and person index items written (idempotent), and the shared mobile items orders wrote
    before deleted."""
    from icp import mobiles
    from icp.order_types import order_type_of

    if order_type_of(order).flow != "filing":  # only a new website's or app's, or a change's, submission writes them
        return {}
    from icp import certificate_index

    at = order.get("submitted_at") or order["status_since"]
    named = bool((order.get("verified") or {}).get("certificate_number"))
    phones = mobiles.index_ops(order, at=at) if named else []
    people = certificate_index.index_ops(order, at=at) if named else []
    own = [*phones, *people]
    legacy = mobiles.legacy_keys(order)
    shared = table.get_many(legacy) if legacy else {}
    gone = [Delete(*key) for key in legacy if (shared.get(key) or {}).get("source") == "order"]
    if own or gone:
        table.write([*own, *gone])
    return {"mobile_items": len(phones), "person_items": len(people), "shared_mobile_items_deleted": len(gone)}


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
        try:
            # read as every use case reads an order (its answers with it), since the erasure reads its mobiles
            filing = load_filing(table, due["filing_id"])
        except FilingNotFound:
            table.write([Delete(item["pk"], item["sk"])])  # the order itself is gone: nothing left to keep
            return "no_longer_due", {}
        if retention.is_erased(filing):
            table.write([Delete(item["pk"], item["sk"])])
            return "no_longer_due", {}
        if not retention.erasable(filing):
            # a standing filing (approved, still the record of a service of ours) is never erased; an item due for
            # one can only be a mistake: it goes, and the log says so
            log.warning("retention item of standing filing %s dropped", filing["id"])
            table.write([Delete(item["pk"], item["sk"])])
            return "no_longer_due", {}
        return "erased", erase(table, blobs, filing, now=now, ending=due["ending"])
    except Conflict:
        # the order changed at this very moment (another sweep): the next run sees the new state
        return "conflict", {}
    except Exception:  # one bad order must not stop the others; it stays due and is tried again next run
        log.exception("erasure of %s failed", item.get("pk"))
        return "failed", {}
