"""Scheduled entry points `name(event, context)` for Zappa's events; `flask icp ...` and tests call the same code."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

log = logging.getLogger(__name__)

_RUNTIME: dict = {}


def _runtime():
    """Settings and table for a job, opened once per Lambda instance (no Flask app needed)."""
    if not _RUNTIME:
        from icp.settings import from_environment
        from icp.store import open_table

        settings = from_environment()
        _RUNTIME.update(settings=settings, table=open_table(settings))
    return _RUNTIME["settings"], _RUNTIME["table"]


def run_sweep(table, *, now: datetime, public_url: str = "") -> dict:
    """Act on every deadline that is due: reminders, discarded drafts, expired SMS windows."""
    from icp.workflow import sweep

    return sweep.sweep(table, now=now, public_url=public_url)


def run_outbox(table, settings, *, now: datetime):
    """Send the e-mails and text messages due in the outbox; returns notify.Delivery (sent, retried, failed)."""
    from icp import notify

    return notify.deliver(table, notify.sender_for(settings), now=now)


def sweep_deadlines(event, context):
    """Zappa event: every 15 minutes, act on due deadlines."""
    settings, table = _runtime()
    result = run_sweep(table, now=datetime.now(timezone.utc), public_url=settings.public_url)
    log.warning("deadline sweep: %s", result)
    return result


def deliver_outbox(event, context):
    """Zappa event: every minute, send pending notifications."""
    settings, table = _runtime()
    result = run_outbox(table, settings, now=datetime.now(timezone.utc))
    if result.failed:
        log.warning("outbox: %s", result)
    return result._asdict()
