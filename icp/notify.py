"""Outbox of e-mails and text messages: queued in the same atomic write as the change they report, sent later.

An outbox item moves between partitions of the queue index. Pending (and being sent) items sort by the time
of their next attempt, so a run that reads up to `now` sees only what is due; a failed send pushes that time
out by its back-off. A claim leaves the item where it is and stamps it with the end of its lease (a run skips
an item whose lease still runs): moving an index key costs two index writes, so a message sent at the first
attempt moves once, from pending to sent, or leaves the index where nobody lists sent messages. Failed items
wait in their own partition for staff to retry them.

The queue index holds a message's keys only (icp.store.INDEX_PROJECTIONS): each page of it is read again by key
in one get_many, strongly consistent, so a claim (a new status, version and lease) rewrites no index entry, and
a run sees the message as it is, not as the index last saw it.
"""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from icp import logs, rules
from icp.messages import MESSAGES, SMS_ONLY, RenderError, render
from icp.store import Conflict, Put, read_all

log = logging.getLogger(__name__)

PENDING = "OUTBOX#PENDING"
FAILED = "OUTBOX#FAILED"
# sent messages stay in the index under this key, newest last, where the local outbox page lists what went out
# (the local backend); elsewhere nothing lists them and a sent message leaves the index (deliver's `list_sent`)
SENT = "OUTBOX#SENT"

# a run that stopped while sending leaves its claim; another run may take the message after this long
LEASE = timedelta(minutes=5)
# wait before the 2nd, 3rd, ... attempt; after the last one the message is failed and waits for staff
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# Zappa runs the job every minute with a 60-second timeout: stop taking new messages well before that
BUDGET = timedelta(seconds=40)
PAGE = 25
# the outbox is a delivery queue, not an archive (the order's history records what happened): DynamoDB's TTL
# deletes a sent message this long after it went out, with the addresses it holds
SENT_RETENTION = timedelta(days=30)
# what a sent verification code is replaced with, so the table never keeps a usable code in plain text
SCRUBBED_CODE = "******"

# what each state of a message is called on the outbox pages, shown with pgettext("message state", label):
# "Waiting" is also a review queue's column (time waited), "Failed" the failed list's column (when)
STATUS_LABELS = {
    "pending": rules._p("message state", "Waiting"),
    "sending": rules._p("message state", "Being sent"),
    "sent": rules._p("message state", "Sent"),
    "failed": rules._p("message state", "Failed"),
}
# the colour of each message state's tag on the local outbox page (a state not named here is still on its way)
STATUS_TONES = {"sent": "green", "failed": "red"}

class Delivery(NamedTuple):
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0  # failed to send, queued again after its back-off
    failed: int = 0   # given up: moved to the failed list for staff


def outbox_key(message_id: str) -> tuple[str, str]:
    """The (pk, sk) of one outbox message."""
    return f"OUTBOX#{message_id}", "META"


def stamp(when: datetime) -> str:
    """The stored form of a time: ISO in UTC, so stored times sort as text in time order."""
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


_queued_lock = threading.Lock()
_last_queued = 0


def queue_position() -> int:
    """A number that grows with every message this process queues: the wall clock's nanoseconds, made strictly
    increasing, so messages queued within one second (an e-mail and its text message, two changes of one
    request) keep the order they were queued in, where their random ids would sort at random."""
    global _last_queued
    with _queued_lock:
        _last_queued = max(_last_queued + 1, time.time_ns())
        return _last_queued


def message_items(*, template: str, params: dict, email: str | None, mobile: str | None, language: str,
                  now: datetime, channels: tuple[str, ...] = ("email", "sms")) -> list[dict]:
    """Outbox items for one notification, one per channel with an address; write them with the change itself."""
    if template not in MESSAGES:
        raise KeyError(template)
    if template in SMS_ONLY and "email" in channels:
        raise ValueError(f"{template} goes by text message only: pass channels=('sms',)")
    items = []
    for channel, address in (("email", email), ("sms", mobile)):
        if not address or channel not in channels:
            continue
        message_id = f"{now.astimezone(timezone.utc).strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
        pk, sk = outbox_key(message_id)
        items.append({
            "pk": pk, "sk": sk, "version": 1, "id": message_id,
            "channel": channel, "to": address, "template": template, "params": params,
            "language": language, "created_at": stamp(now), "queued": queue_position(), "status": "pending",
            "attempts": 0, "next_attempt_at": stamp(now), "queue": PENDING, "queue_sort": f"{stamp(now)}#{message_id}",
        })
    return items


class LogSender:
    """Local sender: writes each message to the log and to `outbox.log` in the data folder."""

    # nothing reaches a phone locally: testers read the simulated MIIT codes on the local outbox page
    keeps_codes = True

    def __init__(self, data_dir: str):
        self.path = Path(data_dir) / "outbox.log"

    def send(self, item: dict, subject: str, body: str) -> None:
        """Record the message instead of sending it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"channel": item["channel"], "to": item["to"], "subject": subject,
                                     "body": body}, ensure_ascii=False) + "\n")
        # outbox.log is the local stand-in for the phone and the mailbox; the process log gets no phone number
        log.info("%s to %s: %s", item["channel"], logs.mask_recipient(item["to"]), subject)


class AwsSender:
    """Production sender: e-mail through SES, text messages through SNS."""

    keeps_codes = False  # once texted, a code exists only on the phone and as a hash on the order

    def __init__(self, settings):
        self.settings = settings
        self._ses = self._sns = None

    def send(self, item: dict, subject: str, body: str) -> None:
        """Send one message; raises on failure so the item stays pending and is retried."""
        from icp.store.boto import boto_client

        if item["channel"] == "email":
            self._ses = self._ses or boto_client("ses", region=self.settings.aws_region)
            self._ses.send_email(
                Source=self.settings.mail_sender, Destination={"ToAddresses": [item["to"]]},
                Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                         "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}},
            )
        else:
            self._sns = self._sns or boto_client("sns", region=self.settings.aws_region)
            self._sns.publish(PhoneNumber=f"+86{item['to']}", Message=body)


def sender_for(settings):
    """The sender this configuration uses."""
    return AwsSender(settings) if settings.notify_channel == "aws" else LogSender(settings.data_dir)


def deliver(table, sender, *, now: datetime, clock: Callable[[], datetime] | None = None,
            budget: timedelta = BUDGET, page_size: int = PAGE, translations_dir: str | None = None,
            list_sent: bool = True) -> Delivery:
    """Send every message due at `now`, page by page, until none is left or `clock` says the budget is spent.

    Each message is claimed with a version-checked write before it is sent, so overlapping runs send it
    at most once; what fails is retried after its back-off and, after the last attempt, marked failed.
    `list_sent`: a sent message stays in the index, listed under SENT (the local outbox page reads it); without
    it, a sent message leaves the index (one index write instead of two) and waits for its TTL.
    """
    clock = clock or (lambda: datetime.now(timezone.utc))
    started = clock()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    # a message due at `now` sorts as "<now>#<id>": the bound must come after every id of that second
    upper, lower = f"{stamp(now)}#~", None
    while clock() - started < budget:
        page = table.query_index("queue", PENDING, upper_bound=upper, lower_bound=lower, limit=page_size)
        current = _read_by_key(table, page)
        for entry in page:
            if clock() - started >= budget:
                break
            item = current.get((entry["pk"], entry["sk"]))
            if not _due(item, upper) or _claimed(item, now):
                lower = f"{entry['queue_sort']} "
                continue
            outcome = _deliver_one(table, sender, item, now=now, translations_dir=translations_dir,
                                   list_sent=list_sent)
            if outcome:
                counts[outcome] += 1
            # the index may lag behind our own writes (DynamoDB's is eventually consistent): read on
            # strictly after this item instead of from the start again; ids have one length, so a space
            # appended sorts before every longer key that shares no prefix with it
            lower = f"{entry['queue_sort']} "
        if len(page) < page_size:
            break
    return Delivery(**counts)


def _read_by_key(table, entries: list[dict]) -> dict:
    """The messages of some queue index entries as they are stored, by key (absent ones left out), in one get_many
    for each hundred (the index holds their keys only)."""
    return read_all(table, [(entry["pk"], entry["sk"]) for entry in entries])


def _due(item: dict | None, upper: str) -> bool:
    """Whether a message read by key is still waiting and due (the index may lag behind a run that sent it or
    put it back after its back-off)."""
    return item is not None and item.get("queue") == PENDING and item.get("queue_sort", "") <= upper


def _listed(table, queue: str, *, limit: int) -> list[dict]:
    """The messages of one partition of the queue index, newest first, read whole by key."""
    return _still_in(table, queue, table.query_index("queue", queue, limit=limit, descending=True))


def _still_in(table, queue: str, entries: list[dict]) -> list[dict]:
    """The messages of some entries of the index's partition `queue`, read whole by key, in the entries' order;
    one that moved on since the index saw it is left out (it is listed where it is now)."""
    found = _read_by_key(table, entries)
    return [found[key] for key in ((e["pk"], e["sk"]) for e in entries) if key in found
            and found[key].get("queue") == queue]


def _claimed(item: dict, now: datetime) -> bool:
    """True while another run's claim on the message holds (it is sending it, or stopped less than a lease ago)."""
    return item.get("status") == "sending" and item.get("claimed_until", "") > stamp(now)


def _deliver_one(table, sender, item: dict, *, now: datetime, translations_dir: str | None,
                 list_sent: bool = True) -> str | None:
    """Claim, render and send one message; returns "sent", "retried", "failed" or None (another run has it)."""
    attempts = int(item.get("attempts", 0)) + 1
    # the claim keeps the item's place in the index (its key): only the result moves it
    claimed = {**item, "status": "sending", "attempts": attempts, "version": item["version"] + 1,
               "claimed_until": stamp(now + LEASE)}
    try:
        table.write([Put(claimed, expect_version=item["version"])])
    except Conflict:
        return None  # another run claimed it first: it sends it, not us
    if item.get("status") == "sending" and attempts > MAX_ATTEMPTS:
        # its last claim ran out without a result (the run stopped mid-send): give up rather than loop
        return _give_up(table, claimed, now=now, error="no result from the last attempt (the run stopped)")
    try:
        subject, body = render(item, translations_dir)
    except RenderError as error:
        # the same params will never render: retrying cannot help, staff must look
        log.error("outbox message %s cannot be written: %s", item["id"], error)
        return _give_up(table, claimed, now=now, error=str(error))
    try:
        sender.send(item, subject, body)
    except Exception as error:  # any failure of one message must leave the others untouched
        log.exception("sending outbox message %s failed (attempt %d)", item["id"], attempts)
        text = f"{type(error).__name__}: {error}"[:500]
        if attempts >= MAX_ATTEMPTS:
            return _give_up(table, claimed, now=now, error=text)
        again = now + BACKOFF[attempts - 1]
        return _settle(table, claimed, "retried", status="pending", last_error=text, next_attempt_at=stamp(again),
                       queue_sort=f"{stamp(again)}#{item['id']}")
    # unlisted, a sent message has no queue key (None leaves the sparse index)
    return _settle(table, claimed, "sent", status="sent", sent_at=stamp(now), queue=SENT if list_sent else None,
                   queue_sort=f"{stamp(now)}#{item['id']}" if list_sent else None,
                   params=_kept_params(item, sender), expires_at=int((now + SENT_RETENTION).timestamp()))


def _kept_params(item: dict, sender) -> dict:
    """The params a sent message keeps: a verification code is scrubbed unless the sender is the local one."""
    if item["template"] in SMS_ONLY and not getattr(sender, "keeps_codes", False):
        return {**item["params"], "code": SCRUBBED_CODE}
    return item["params"]


def _give_up(table, claimed: dict, *, now: datetime, error: str) -> str | None:
    """Move a message to the failed list, recording why."""
    return _settle(table, claimed, "failed", status="failed", last_error=error, failed_at=stamp(now),
                   queue=FAILED, queue_sort=f"{stamp(now)}#{claimed['id']}")


def _settle(table, claimed: dict, outcome: str, **fields) -> str | None:
    """Write the result of a claimed message, unless its lease ran out and another run took it meanwhile."""
    done = {k: v for k, v in claimed.items() if k not in ("claimed_until", "next_attempt_at")}
    done.update(fields, version=claimed["version"] + 1)
    try:
        table.write([Put(done, expect_version=claimed["version"])])
    except Conflict:
        log.warning("outbox message %s was taken over by another run after its lease", claimed["id"])
        return None
    return outcome


def retry_failed(table, message_id: str, *, now: datetime) -> bool:
    """Put a failed message back in the queue, due now with fresh attempts; False if it is not failed (any more)."""
    item = table.get(*outbox_key(message_id)) if message_id.replace("-", "").isalnum() else None
    if item is None or item.get("status") != "failed":
        return False
    again = {k: v for k, v in item.items() if k != "failed_at"}
    again.update(status="pending", attempts=0, version=item["version"] + 1, queue=PENDING,
                 next_attempt_at=stamp(now), queue_sort=f"{stamp(now)}#{message_id}", retried_at=stamp(now))
    try:
        table.write([Put(again, expect_version=item["version"])])
    except Conflict:
        return False  # someone else retried it at the same moment
    return True


def pending_messages(table, *, upper_bound: str | None = None, limit: int = 100) -> list[dict]:
    """The messages waiting to be sent (or being sent), in the order they are due, read whole by key; with
    `upper_bound` (a queue_sort, e.g. f"{stamp(now)}#~"), only those due by then."""
    return _still_in(table, PENDING, table.query_index("queue", PENDING, upper_bound=upper_bound, limit=limit))


def failed_messages(table, *, limit: int = 100) -> list[dict]:
    """The failed messages, most recently failed first."""
    return _listed(table, FAILED, limit=limit)


def latest_messages(table, *, limit: int = 50) -> list[dict]:
    """The latest messages whatever their state (pending, sent or failed), newest first; messages of one second
    in the reverse of the order they were queued in (queue_position)."""
    items = [item for queue in (PENDING, SENT, FAILED) for item in _listed(table, queue, limit=limit)]
    return sorted(items, key=queued_order, reverse=True)[:limit]


def queued_order(item: dict) -> tuple:
    """The key that sorts messages in the order they were queued (messages queued before `queued` was kept come
    first within their second, then by id)."""
    return item["created_at"], int(item.get("queued", 0)), item["id"]
