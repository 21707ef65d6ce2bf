"""Outbox of e-mails and text messages: queued in the same atomic write as the change they report, sent later.

One notification is one outbox item, whatever its channels: the e-mail and the text message of one change share
an item that holds each channel's address and its own delivery state (sent at, attempts, last error), so the
change's write carries one item more, not two, and the job claims and settles it once for both.

Items live in partitions of the table itself, not in an index (an index entry is written again each time an item
enters or leaves it): pending items under PENDING, sorted by `<next attempt>#<id>`, so the job reads what is due
with one strongly consistent query up to `now` and pages on by sort key. The job claims an item in place with a
version-checked write (its lease: a run skips an item whose lease still runs, and of two runs only one claim
holds), sends each channel not sent yet, and writes the result once:
- every channel sent: the item is deleted, or, where sent messages are listed (the local outbox page, deliver's
  `list_sent`), moved to SENT under its id, with a TTL (`expires_at`);
- a channel failed with attempts left: the item moves to its next attempt's place in PENDING (delete and put in
  one write), holding what went out, so only the failed channel is tried again;
- a channel failed its last attempt (or cannot be written): the item moves to FAILED under its id, where staff
  retry it; a retry sends only what did not go out.
A message sent at the first attempt thus costs its share of the change's transaction, a claim and a delete.
The result is written after the item's last channel is sent: a run that stops between two channels leaves its
claim, and the next run after the lease sends both again (as a message was sent again when its run stopped
after sending it and before writing so).

Pages, tests and senders read one *message* per channel (channel_messages): the item's fields with that
channel's `channel`, `to` and delivery state, and a `status` of its own.
"""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from icp import logs, rules
from icp.messages import MESSAGES, SMS_ONLY, RenderError, render
from icp.store import ABSENT, Conflict, Delete, Put

log = logging.getLogger(__name__)

# the outbox's partitions of the table: pending items by `<next attempt>#<id>`, failed and sent ones by id
PENDING = "OUTBOX#PENDING"
FAILED = "OUTBOX#FAILED"
# sent messages are kept here where the local outbox page lists what went out (the local backend); elsewhere
# nothing lists them and a sent item is deleted (deliver's `list_sent`)
SENT = "OUTBOX#SENT"
# the channels an item may hold, in the order they are sent and listed
CHANNELS = ("email", "sms")

# a run that stopped while sending leaves its claim; another run may take the message after this long
LEASE = timedelta(minutes=5)
# wait before the 2nd, 3rd, ... attempt; after the last one the message is failed and waits for staff
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# Zappa runs the job every minute with a 60-second timeout: stop taking new messages well before that
BUDGET = timedelta(seconds=40)
PAGE = 25
# the outbox is a delivery queue, not an archive (the order's history records what happened): a sent item kept
# under SENT (where sent messages are listed) carries a TTL (`expires_at`) this long after it went out
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
    """What one delivery run did, counted in messages (one channel of a notification each)."""

    sent: int = 0
    retried: int = 0  # failed to send, queued again after its back-off
    failed: int = 0   # given up: moved to the failed list for staff


def stamp(when: datetime) -> str:
    """The stored form of a time: ISO in UTC, so stored times sort as text in time order."""
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def pending_key(due: str, message_id: str) -> tuple[str, str]:
    """The (pk, sk) of an outbox item waiting for its attempt at `due` (a stamp)."""
    return PENDING, f"{due}#{message_id}"


def due_bound(now: datetime) -> str:
    """The highest pending sort key due at `now`: after every id of that second."""
    return f"{stamp(now)}#~"


_queued_lock = threading.Lock()
_last_queued = 0


def queue_position() -> int:
    """A number that grows with every message this process queues: the wall clock's nanoseconds, made strictly
    increasing, so messages queued within one second (two changes of one request) keep the order they were
    queued in, where their random ids would sort at random."""
    global _last_queued
    with _queued_lock:
        _last_queued = max(_last_queued + 1, time.time_ns())
        return _last_queued


def message_items(*, template: str, params: dict, email: str | None, mobile: str | None, language: str,
                  now: datetime, channels: tuple[str, ...] = ("email", "sms")) -> list[dict]:
    """The outbox item of one notification, holding each of `channels` that has an address (none without any);
    write it with the change itself."""
    if template not in MESSAGES:
        raise KeyError(template)
    if template in SMS_ONLY and "email" in channels:
        raise ValueError(f"{template} goes by text message only: pass channels=('sms',)")
    addresses = {"email": email, "sms": mobile}
    to = {channel: {"to": addresses[channel], "attempts": 0} for channel in CHANNELS
          if channel in channels and addresses[channel]}
    if not to:
        return []
    message_id = f"{now.astimezone(timezone.utc).strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
    pk, sk = pending_key(stamp(now), message_id)
    return [{
        "pk": pk, "sk": sk, "version": 1, "id": message_id, "template": template, "params": params,
        "language": language, "created_at": stamp(now), "queued": queue_position(), "status": "pending",
        "next_attempt_at": stamp(now), "channels": to,
    }]


def channel_messages(item: dict) -> list[dict]:
    """One message per channel of an outbox item, in CHANNELS order: the item's fields with the channel's
    `channel`, `to`, `attempts`, `sent_at`, `last_error`, `failed_at`, and its own `status` (a channel sent
    while another waits for its retry is "sent")."""
    shared = {k: v for k, v in item.items() if k != "channels"}
    found = []
    for channel in CHANNELS:
        state = (item.get("channels") or {}).get(channel)
        if state is None:
            continue
        status = "sent" if state.get("sent_at") else "failed" if state.get("failed_at") else item["status"]
        found.append({**shared, "channel": channel, "attempts": 0, "last_error": None, "sent_at": None,
                      "failed_at": None, **state, "status": status})
    return found


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

    Each item is claimed with a version-checked write before its channels are sent, so overlapping runs send
    each channel at most once; a channel that fails is retried after its back-off and, after the last attempt,
    the item is failed. `list_sent`: a sent item is kept under SENT (the local outbox page lists it); without
    it, a sent item is deleted.
    """
    clock = clock or (lambda: datetime.now(timezone.utc))
    started = clock()
    from icp.notify_legacy import adopt_legacy

    adopt_legacy(table)  # messages queued before this layout, once per process
    counts: Counter = Counter()
    upper, lower = due_bound(now), None
    while clock() - started < budget:
        # strongly consistent: a run sees each item as it is, claimed or settled by another run a moment ago
        page = table.query(PENDING, lower_bound=lower, upper_bound=upper, limit=page_size)
        for item in page:
            if clock() - started >= budget:
                break
            # read on strictly after this item rather than from the start again: an item another run holds
            # stays where it is, and one put back after its back-off sorts after `upper`
            lower = item["sk"] + "\x00"
            if _claimed(item, now):
                continue
            counts.update(_deliver_one(table, sender, item, now=now, translations_dir=translations_dir,
                                       list_sent=list_sent))
        if len(page) < page_size:
            break
    return Delivery(**{field: counts[field] for field in Delivery._fields})


def _claimed(item: dict, now: datetime) -> bool:
    """True while another run's claim on the item holds (it is sending it, or stopped less than a lease ago)."""
    return item.get("status") == "sending" and item.get("claimed_until", "") > stamp(now)


def _unsent(item: dict) -> list[str]:
    """The channels of an item still to be sent (neither sent nor given up), in CHANNELS order."""
    states = item.get("channels") or {}
    return [c for c in CHANNELS if c in states and not states[c].get("sent_at") and not states[c].get("failed_at")]


def _deliver_one(table, sender, item: dict, *, now: datetime, translations_dir: str | None,
                 list_sent: bool = True) -> Counter:
    """Claim one item, send each of its channels not sent yet, and write the result; returns the messages
    "sent", "retried" and "failed" (nothing when another run has the item)."""
    to_send = _unsent(item)
    channels = {name: dict(state) for name, state in item["channels"].items()}
    for channel in to_send:
        channels[channel]["attempts"] = int(channels[channel].get("attempts", 0)) + 1
    # the claim keeps the item where it is: only the result moves it
    claimed = {**item, "status": "sending", "channels": channels, "version": item["version"] + 1,
               "claimed_until": stamp(now + LEASE)}
    try:
        table.write([Put(claimed, expect_version=item["version"])])
    except Conflict:
        return Counter()  # another run claimed it first: it sends it, not us
    outcome: Counter = Counter()

    def fail(channel: str, error: str, *, final: bool) -> None:
        state = channels[channel]
        state["last_error"] = error
        if final or state["attempts"] >= MAX_ATTEMPTS:
            state["failed_at"] = stamp(now)
            outcome["failed"] += 1
        else:
            outcome["retried"] += 1

    try:
        subject, body = render(item, translations_dir)
    except RenderError as error:
        # the same params will never render: retrying cannot help, staff must look
        log.error("outbox message %s cannot be written: %s", item["id"], error)
        for channel in to_send:
            fail(channel, str(error), final=True)
    else:
        for channel in to_send:
            if channels[channel]["attempts"] > MAX_ATTEMPTS:
                # its last claim ran out without a result (the run stopped mid-send): give up rather than loop
                fail(channel, "no result from the last attempt (the run stopped)", final=True)
                continue
            # the sender gets one message: the item's fields with this channel's address and state
            message = {**{k: v for k, v in item.items() if k != "channels"}, "channel": channel,
                       **channels[channel]}
            try:
                sender.send(message, subject, body)
            except Exception as error:  # any failure of one message must leave the others untouched
                log.exception("sending outbox message %s by %s failed (attempt %d)", item["id"], channel,
                              channels[channel]["attempts"])
                fail(channel, f"{type(error).__name__}: {error}"[:500], final=False)
            else:
                channels[channel]["sent_at"] = stamp(now)
                outcome["sent"] += 1
    return outcome if _settle(table, claimed, sender, now=now, list_sent=list_sent) else Counter()


def _settle(table, claimed: dict, sender, *, now: datetime, list_sent: bool) -> bool:
    """Write the result of a claimed item (its `channels` as the run left them) in one write, unless its lease
    ran out and another run took it meanwhile (False)."""
    done = {k: v for k, v in claimed.items() if k not in ("claimed_until", "next_attempt_at")}
    done["version"] = claimed["version"] + 1
    left = _unsent(claimed)
    states = claimed["channels"].values()
    if left:
        # the channels still to send wait for the back-off of their latest attempt; the sent ones are kept sent
        attempts = max(int(claimed["channels"][c]["attempts"]) for c in left)
        again = stamp(now + BACKOFF[min(attempts, len(BACKOFF)) - 1])
        pk, sk = pending_key(again, claimed["id"])
        moved = {**done, "pk": pk, "sk": sk, "status": "pending", "next_attempt_at": again}
    elif any(state.get("failed_at") for state in states):
        moved = {**done, "pk": FAILED, "sk": claimed["id"], "status": "failed"}
    elif list_sent:
        moved = {**done, "pk": SENT, "sk": claimed["id"], "status": "sent", "params": _kept_params(claimed, sender),
                 "expires_at": int((now + SENT_RETENTION).timestamp())}
    else:
        moved = None  # nobody lists sent messages here: the order's history records what was sent
    ops: list[Put | Delete] = [Delete(claimed["pk"], claimed["sk"], expect_version=claimed["version"])]
    if moved is not None:
        ops.append(Put(moved, expect_version=ABSENT))
    try:
        table.write(ops)
    except Conflict:
        log.warning("outbox message %s was taken over by another run after its lease", claimed["id"])
        return False
    return True


def _kept_params(item: dict, sender) -> dict:
    """The params a sent message keeps: a verification code is scrubbed unless the sender is the local one."""
    if item["template"] in SMS_ONLY and not getattr(sender, "keeps_codes", False):
        return {**item["params"], "code": SCRUBBED_CODE}
    return item["params"]


def retry_failed(table, message_id: str, *, now: datetime) -> bool:
    """Put a failed item back in the queue, due now, its unsent channels with fresh attempts (what went out is
    not sent again); False if it is not failed (any more)."""
    item = table.get(FAILED, message_id) if message_id.replace("-", "").isalnum() else None
    if item is None or item.get("status") != "failed":
        return False
    channels = {}
    for name, state in item["channels"].items():
        kept = {k: v for k, v in state.items() if k != "failed_at"}
        channels[name] = kept if state.get("sent_at") else {**kept, "attempts": 0}
    pk, sk = pending_key(stamp(now), message_id)
    again = {**item, "pk": pk, "sk": sk, "status": "pending", "channels": channels, "version": item["version"] + 1,
             "next_attempt_at": stamp(now), "retried_at": stamp(now)}
    try:
        table.write([Delete(FAILED, message_id, expect_version=item["version"]), Put(again, expect_version=ABSENT)])
    except Conflict:
        return False  # someone else retried it at the same moment
    return True


def pending_messages(table, *, upper_bound: str | None = None, limit: int = 100) -> list[dict]:
    """The messages waiting to be sent (or being sent), one per unsent channel, in the order they are due; with
    `upper_bound` (a pending sort key, e.g. due_bound(now)), only those due by then. `limit` counts items."""
    items = table.query(PENDING, upper_bound=upper_bound, limit=limit)
    return [m for item in items for m in channel_messages(item) if m["status"] in ("pending", "sending")]


def failed_messages(table, *, limit: int = 100) -> list[dict]:
    """The messages that failed, most recently failed first (of the `limit` newest failed items)."""
    found = [m for item in table.query(FAILED, limit=limit, descending=True) for m in channel_messages(item)
             if m["status"] == "failed"]
    return sorted(found, key=lambda m: (m["failed_at"], *queued_order(m)), reverse=True)


def latest_messages(table, *, limit: int = 50) -> list[dict]:
    """The latest messages whatever their state (pending, sent or failed), newest first; messages of one second
    in the reverse of the order they were queued in (queue_position), a text message above its e-mail."""
    items = [item for pk in (PENDING, SENT, FAILED) for item in table.query(pk, limit=limit, descending=True)]
    found = [m for item in items for m in channel_messages(item)]
    return sorted(found, key=queued_order, reverse=True)[:limit]


def queued_order(message: dict) -> tuple:
    """The key that sorts messages in the order they were queued (messages queued before `queued` was kept come
    first within their second, then by id, then by channel)."""
    channel = message.get("channel")
    return (message["created_at"], int(message.get("queued", 0)), message["id"],
            CHANNELS.index(channel) if channel in CHANNELS else 0)
