"""Messages queued before one outbox item held a notification, moved into the outbox's partitions (icp.notify).

The earlier layout kept each channel as its own item at OUTBOX#<id>/META, listed in the queue index under
OUTBOX#PENDING (and OUTBOX#FAILED). Nothing writes that layout any more: the first delivery runs of a release
move what is left, one item each, and a process that found none asks no more.
"""
from __future__ import annotations

import weakref

from icp.notify import FAILED, PENDING, pending_key
from icp.store import ABSENT, Conflict, Delete, Put, read_all

# the tables this process found no message of the earlier layout in (nothing writes that layout any more)
_adopted: weakref.WeakSet = weakref.WeakSet()


def adopt_legacy(table, *, limit: int = 100) -> int:
    """Move messages of the earlier layout (one item per channel at OUTBOX#<id>/META, listed in the queue index
    under PENDING or FAILED) into the outbox's partitions, one item each, so a release finds every message queued
    before it; returns how many moved. Once a run finds none, this process asks no more for that table (two
    index queries)."""
    try:
        if table in _adopted:
            return 0
    except TypeError:  # a table that takes no weak reference is asked every run
        pass
    moved = 0
    for queue in (PENDING, FAILED):
        entries = table.query_index("queue", queue, limit=limit)
        for old in read_all(table, [(e["pk"], e["sk"]) for e in entries]).values():
            if old.get("sk") != "META" or old.get("queue") != queue:
                continue  # moved on since the index saw it
            try:
                table.write([Delete(old["pk"], old["sk"], expect_version=old["version"]),
                             Put(_from_legacy(old), expect_version=ABSENT)])
            except Conflict:
                continue  # another run moved it, or it changed: the next run looks again
            moved += 1
        if len(entries) == limit:
            return moved  # more to move: the next run goes on
    if not moved:
        try:
            _adopted.add(table)
        except TypeError:
            pass
    return moved


def _from_legacy(old: dict) -> dict:
    """The item of the current layout for a message of the earlier one (one channel, index keys dropped)."""
    state = {"to": old["to"], "attempts": int(old.get("attempts", 0)),
             **{k: old[k] for k in ("last_error", "sent_at") if old.get(k)}}
    failed = old.get("queue") == FAILED
    if failed:
        state["failed_at"] = old.get("failed_at") or old.get("created_at")
    kept = {k: v for k, v in old.items() if k not in ("channel", "to", "attempts", "last_error", "failed_at",
                                                      "sent_at", "queue", "queue_sort")}
    pk, sk = (FAILED, old["id"]) if failed else pending_key(old.get("next_attempt_at") or old["created_at"], old["id"])
    return {**kept, "pk": pk, "sk": sk, "version": old["version"] + 1, "channels": {old["channel"]: state}}
