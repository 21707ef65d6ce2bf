"""The one function that moves a filing: it reads the transition table and builds the whole change.

Every state change of a filing goes through `transition` (or `apply`, which also writes it). The transition's
declared effects decide the deadline, the service code, the locks and the applicant's notification; a use case
adds only what is its own (fields such as the reviewer's comments or the ICP number, and extra items such as
the registry's record), and everything is written in one atomic write conditioned on the filing's version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from icp import codes, deadlines, retention
from icp import filing as f
from icp.store import Delete, Put
from icp.workflow.common import changed, notify_applicant


@dataclass
class Change:
    """A transition ready to write: the filing as it will be, and every write of the one atomic operation."""

    filing: dict
    ops: list = field(default_factory=list)
    transition: f.Transition | None = None


def _code_ops(table, filing: dict, effect: str) -> list:
    """Release or consume the filing's bound service code (nothing when none is bound to this order)."""
    bound = (filing.get("service_code") or {}).get("code")
    if not bound:
        return []
    item = table.get(*codes.code_key(bound))
    if not item or item.get("filing_id") != filing["id"] or item["state"] != codes.BOUND:
        return []
    new = codes.released_code(item) if effect == "release" else codes.consumed_code(item)
    return [Put(new, expect_version=item["version"])]


def _lock_ops(filing: dict) -> list:
    verified = filing["verified"]
    return [Delete(*key) for key, _what in f.lock_keys(verified)]


def _with_deadline(updated: dict, effect: str, *, now: datetime) -> dict:
    """The filing with its deadline (and the deadline index's attributes) as the effect says."""
    result = {k: v for k, v in updated.items() if k not in ("due_key", "due_at", "due_action")}
    if effect == "stop":
        result.pop("deadline", None)
    elif effect == "advance" and result.get("deadline"):
        result["deadline"] = deadlines.advance(result["deadline"], now)
    elif effect.startswith("start:"):
        result["deadline"] = deadlines.start(result, effect.split(":", 1)[1], now=now)
        if result["deadline"]["name"] == "draft":
            result["discard_at"] = result["deadline"]["ends_at"]
    result.update(deadlines.index_fields(result.get("deadline")))
    result["glance"] = f.glance(result)  # the glance names the deadline's end: taken after the deadline moved
    return result


def transition(table, filing: dict, action: str, *, role: str, actor: str, now: datetime, note: str = "",
               fields: dict | None = None, params: dict | None = None, extra_ops: list | tuple = (),
               public_url: str = "") -> Change:
    """Build the change of `action` on `filing` by `role`; raises f.TransitionNotAllowed.

    `fields` are set on the filing, `params` go into the applicant's message, `extra_ops` join the write.
    """
    move = f.transition_for(filing, action, role)
    effects = move.effects
    kept = None
    if effects.retain:
        # the approved order is no longer the current record of a service of ours (f.is_closed): say since when,
        # why and until when its details are kept, for its status page and for the "erase" transition's route
        kept = retention.retention_item(filing["id"], effects.retain, now=now)
        fields = {**(fields or {}), "closed": {"as": effects.retain, "at": kept["ended_at"], "until": kept["due_at"]}}
    updated = changed(filing, now=now, status=move.target, **(fields or {}))
    if role == "system":
        # a reminder or a flag is not a change the applicant made: My filings keeps its order
        updated["updated_at"] = filing["updated_at"]
        updated.update(f.index_fields(updated))
    updated = _with_deadline(updated, effects.deadline, now=now)
    ops: list = [Put(updated, expect_version=filing["version"])]
    if effects.code:
        ops += _code_ops(table, filing, effects.code)
    if effects.locks:
        ops += _lock_ops(filing)
    if effects.notify:
        ops += notify_applicant(updated, effects.notify, now=now,
                                **{"url": f"{public_url}/filings/{filing['id']}", **(params or {})})
    ops.append(Put(f.event_item(filing["id"], now=now, actor=actor, action=action, status=move.target,
                                note=note, seq=updated["version"])))
    if retention.ends(filing["status"], move.target):
        # the order ended: its documents and personal answers are kept for its ending's period (icp.retention)
        ops.append(Put(retention.retention_item(filing["id"], action, now=now)))
    elif kept:
        # an approved order no longer the record of a service of ours: kept for its row's period, then erased
        ops.append(Put(kept))
    ops += list(extra_ops)
    return Change(updated, ops, move)


def record(filing: dict, action: str, *, role: str, actor: str, now: datetime, note: str = "",
           fields: dict | None = None) -> Change:
    """Build a same-status event (f.RECORDED_EVENTS): the order with `fields` set and a new version (unless the
    event leaves the order as it is), and its history event; raises f.TransitionNotAllowed.

    The caller adds its own writes (the document, the bound code) to `ops` and writes them in one operation.
    """
    event = f.RECORDED_EVENTS.get(action)
    if event is None or role not in event.roles or (event.statuses is not None
                                                     and filing["status"] not in event.statuses):
        raise f.TransitionNotAllowed(f"{role} may not {action} a filing in {filing['status']}")
    if not event.changes_order:
        return Change(filing, [Put(f.event_item(filing["id"], now=now, actor=actor, action=action,
                                                status=filing["status"], note=note, seq=filing["version"]))])
    updated = changed(filing, now=now, **(fields or {}))
    return Change(updated, [Put(updated, expect_version=filing["version"]),
                            Put(f.event_item(filing["id"], now=now, actor=actor, action=action,
                                             status=filing["status"], note=note, seq=updated["version"]))])


def erased(filing: dict, *, role: str, actor: str, now: datetime, ending: str, detach: bool = False) -> Change:
    """Build the "erase" event: the ended order (or the approved order no longer the record of a service of ours,
    f.is_closed) replaced by its tombstone (icp.retention) under a new version, its history event, and the
    retention item gone; raises f.TransitionNotAllowed. The caller deletes the files and the order's other items
    first, so a failure half-way leaves the erasure due. `detach` (the account is being deleted) leaves the
    tombstone without an owner."""
    if filing["status"] == f.APPROVED:
        f.transition_for(filing, "erase", role)  # the transition table's "closed" route: never a standing filing
    else:
        record(filing, "erase", role=role, actor=actor, now=now, fields={})  # checks the event is allowed here
    kept = {**retention.tombstone(filing, ending=ending, now=now), "version": filing["version"] + 1}
    if detach:
        kept.pop("owner", None)
    return Change(kept, [Put(kept, expect_version=filing["version"]),
                         Put(f.event_item(filing["id"], now=now, actor=actor, action="erase",
                                          status=filing["status"], seq=kept["version"])),
                         Delete(*retention.retention_key(filing["id"]))])


def started(filing: dict, *, actor: str, now: datetime, note: str = "") -> Change:
    """A new order as it is first written: its draft deadline started by the deadline effect every transition
    uses, and its "start" event; the caller conditions the order's write on its absence."""
    created = _with_deadline({**filing, **f.index_fields(filing)}, "start:draft", now=now)
    return Change(created, [Put(created),
                            Put(f.event_item(filing["id"], now=now, actor=actor, action="start", status=f.DRAFT,
                                             note=note, seq=created["version"]))])


def imported(filing: dict, history: list[tuple[str, str, datetime, str]], *, actor: str) -> Change:
    """An order recorded as it already stood (demo data, an import from another system): its item with the index
    attributes it needs and its history as given, (action, status after, when, note) each; nothing is checked
    against the transition table, because these moves happened elsewhere."""
    item = {**filing, **f.index_fields(filing)}
    return Change(item, [Put(item), *(Put(f.event_item(filing["id"], now=at, actor=actor, action=action, status=status,
                                                      note=note, seq=index))
                                      for index, (action, status, at, note) in enumerate(history, start=1))])


def apply(table, filing: dict, action: str, **kwargs) -> dict:
    """Build the change of `action` (see `transition`), write it atomically and return the new filing."""
    change = transition(table, filing, action, **kwargs)
    table.write(change.ops)
    return change.filing
