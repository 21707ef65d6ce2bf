"""The deadline sweep: reads only what is due from the sparse deadline index and acts on each item alone.

Each due filing is read again (the index may lag) and moved by the transition engine under a version
condition, so two sweeps at once give one transition and one message; an item that fails is logged,
counted and left due for the next run, and never stops the others.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Callable

from icp import deadlines
from icp import filing as f
from icp.store import Conflict
from icp.workflow import engine
from icp.workflow.common import stamp
from icp.workflow.drafting import OrderInFlight

PAGE = 100
# a sweep stops taking new pages after this long (Lambda's timeout is longer); the rest waits for the next run
BUDGET_SECONDS = 240.0
log = logging.getLogger(__name__)


def _params(filing: dict, action: str) -> dict:
    """What the applicant's message about this deadline says."""
    deadline = filing.get("deadline") or {}
    if action in ("remind_draft", "remind_sms"):
        return {"deadline_at": deadline.get("ends_at", "")}
    if action == "discard":
        return {"days": f.policy_of(filing)["draft_discard_days"]}
    return {}


def act(table, filing: dict, *, now: datetime, public_url: str = "") -> str:
    """Perform the due action of one filing; returns the action taken."""
    action = filing["due_action"]
    if deadlines.passed(filing.get("deadline"), now):
        # a sweep that did not run for a while acts on the end at once, without sending stale reminders
        action = filing["deadline"]["end_action"]
    if action == "end_access":  # a warned service not fixed in time: we cancel its access ourselves
        from icp.workflow import after_number

        after_number.end_access(table, filing, now=now, public_url=public_url)
        return action
    fields = {"overdue": True} if action == "flag_overdue" else None
    engine.apply(table, filing, action, role="system", actor="system", now=now, fields=fields,
                 params=_params(filing, action), public_url=public_url)
    return action


def sweep(table, *, now: datetime, public_url: str = "", page: int = PAGE, budget_seconds: float = BUDGET_SECONDS,
          clock: Callable[[], float] = time.monotonic) -> dict:
    """Act on every filing whose deadline is at or before `now`; returns counts by action (and failures)."""
    done: dict[str, int] = {}
    started, cursor, seen, size = clock(), None, set(), page
    upper = stamp(now)
    while clock() - started < budget_seconds:
        items = table.query_index("deadline", "DUE", lower_bound=cursor, upper_bound=upper, limit=size)
        fresh = [i for i in items if i["pk"] not in seen]
        if not fresh:
            if len(items) < size:
                break
            size *= 2  # a page full of items already seen, all due at one second: look further
            continue
        for item in fresh:
            seen.add(item["pk"])
            outcome = _act_on(table, item, now=now, public_url=public_url)
            done[outcome] = done.get(outcome, 0) + 1
        cursor = items[-1]["due_at"]
        if len(items) < size:
            break
    return done


def _act_on(table, item: dict, *, now: datetime, public_url: str) -> str:
    """Act on one due item in isolation; returns what happened, for the counts."""
    try:
        filing = table.get(item["pk"], item["sk"])  # strongly consistent: the index may lag behind
        if filing is None or not filing.get("due_at") or filing["due_at"] > stamp(now):
            return "no_longer_due"
        return act(table, filing, now=now, public_url=public_url)
    except OrderInFlight:
        # a warned service whose subject has an order running: its access is cancelled once that order ends
        return "busy"
    except Conflict:
        # changed at this very moment (the applicant, or another sweep): the next run sees the new state
        return "conflict"
    except Exception:  # one bad item must not stop the others; it stays due and is tried again next run
        log.exception("deadline action %r of %s failed", item.get("due_action"), item.get("pk"))
        return "failed"
