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


def _blobs(settings):
    """The document store for a job, opened once per Lambda instance."""
    if "blobs" not in _RUNTIME:
        from dataclasses import replace

        from icp.store import open_blobs

        if settings.is_local and not settings.secret_key:
            # the local folder signs its URLs with the session key (a file in the data folder); S3 needs none
            from icp.secret_key import load_secret_key

            settings = replace(settings, secret_key=load_secret_key(settings))
        _RUNTIME["blobs"] = open_blobs(settings)
    return _RUNTIME["blobs"]


def run_sweep(table, *, now: datetime, public_url: str = "") -> dict:
    """Act on every deadline that is due: reminders, discarded drafts, expired SMS windows."""
    from icp.workflow import sweep

    return sweep.sweep(table, now=now, public_url=public_url)


def run_retention(table, blobs, *, now: datetime) -> dict:
    """Delete the documents and personal answers of every ended order whose retention period has passed, and every
    copy made by Download my data whose link has expired; returns counts (empty when nothing was due)."""
    from icp.workflow import data_export, retention

    done = retention.sweep(table, blobs, now=now)
    exports = data_export.sweep(table, blobs, now=now)
    if exports:
        done = {**done, **{f"exports_{name}": count for name, count in exports.items()}}
    return done


def run_outbox(table, settings, *, now: datetime):
    """Send the e-mails and text messages due in the outbox; returns notify.Delivery (sent, retried, failed)."""
    from icp import notify

    # sent messages stay listed only where the local outbox page lists them (the local backend)
    return notify.deliver(table, notify.sender_for(settings), now=now, list_sent=settings.is_local)


def sweep_deadlines(event, context):
    """Zappa event: every 15 minutes, act on due deadlines, then erase what has been kept long enough."""
    settings, table = _runtime()
    now = datetime.now(timezone.utc)
    result = run_sweep(table, now=now, public_url=settings.public_url)
    log.warning("deadline sweep: %s", result)
    # the same schedule serves the retention sweep: an idle run is one index query
    erased = run_retention(table, _blobs(settings), now=now)
    if erased:
        log.warning("retention sweep: %s", erased)
    return {**result, **{f"retention_{name}": count for name, count in erased.items()}}


def deliver_outbox(event, context):
    """Zappa event: every minute, send pending notifications."""
    settings, table = _runtime()
    result = run_outbox(table, settings, now=datetime.now(timezone.utc))
    if result.failed:
        log.warning("outbox: %s", result)
    return result._asdict()
