"""The outbox: one item per notification, claimed once, each channel sent once, retried with back-off, failed after
the last attempt, one bad message never blocking."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from icp import messages, notify
from icp.store import Put
from tests.outbox_helpers import stored_item as stored
from tests.store_fixtures import atomic_moto, aws_credentials, moto_server, table  # noqa: F401

NOW = datetime(2027, 1, 15, 0, 27, tzinfo=timezone.utc)
PARAMS = {"reference": "F123", "domain": "example.cn", "url": "https://beian.example.com/filings/F123"}
MOBILE = "13800138000"


class Ticker:
    """A clock that moves `step` forward each time it is read, so a run's time budget runs out without sleeping."""

    def __init__(self, step=timedelta(seconds=1)):
        self.now, self.step = NOW, step

    def __call__(self):
        self.now += self.step
        return self.now


class Recorder:
    """A sender that keeps the ids it sends (and the channels, in `by`) and fails for the addresses in `failing`."""

    def __init__(self, failing=()):
        self.sent, self.by, self.failing = [], [], set(failing)

    def send(self, item, subject, body):
        if item["to"] in self.failing:
            raise ConnectionError(f"no route to {item['to']}")
        self.sent.append(item["id"])
        self.by.append((item["id"], item["channel"]))


def queue(table, n=1, *, template="submitted", params=PARAMS, now=NOW, email="a@example.com", mobile=None):
    """Write n notifications to the outbox (e-mails, with a text message each given `mobile`) and return their
    ids, oldest first."""
    ids = []
    for k in range(n):
        [item] = notify.message_items(template=template, params=params, email=email, mobile=mobile,
                                      language="en", now=now + timedelta(seconds=k))
        table.write([Put(item)])
        ids.append(item["id"])
    return ids


def due(table, now):
    return [i["id"] for i in notify.pending_messages(table, upper_bound=notify.due_bound(now))]


def outbox_items(table):
    """Every outbox item, by partition."""
    return {pk: table.query(pk) for pk in (notify.PENDING, notify.SENT, notify.FAILED)}


def test_one_notification_is_one_item_holding_both_channels(table):
    items = notify.message_items(template="submitted", params=PARAMS, email="a@example.com", mobile=MOBILE,
                                 language="en", now=NOW)
    [item] = items
    assert (item["pk"], item["sk"]) == (notify.PENDING, f"{notify.stamp(NOW)}#{item['id']}")
    assert item["channels"] == {"email": {"to": "a@example.com", "attempts": 0},
                                "sms": {"to": MOBILE, "attempts": 0}}
    # in no index: queuing, claiming and sending it write no index entry
    from icp.store import INDEX_ATTRIBUTES

    assert not set(item) & INDEX_ATTRIBUTES
    table.write([Put(item)])
    assert [(m["channel"], m["to"], m["id"]) for m in notify.pending_messages(table)] == [
        ("email", "a@example.com", item["id"]), ("sms", MOBILE, item["id"])]
    sender = Recorder()
    assert notify.deliver(table, sender, now=NOW) == notify.Delivery(sent=2)
    assert sender.by == [(item["id"], "email"), (item["id"], "sms")]
    assert notify.message_items(template="submitted", params=PARAMS, email=None, mobile=None, language="en",
                                now=NOW) == []


def test_a_failed_text_message_is_retried_alone_and_the_email_is_not_sent_again(table):
    [message_id] = queue(table, mobile=MOBILE)
    sender = Recorder(failing={MOBILE})
    assert notify.deliver(table, sender, now=NOW) == notify.Delivery(sent=1, retried=1)
    item = stored(table, message_id)
    assert item["sk"] == f"{notify.stamp(NOW + notify.BACKOFF[0])}#{message_id}" and item["status"] == "pending"
    assert item["channels"]["email"]["sent_at"] == notify.stamp(NOW)
    assert item["channels"]["sms"]["attempts"] == 1 and "no route" in item["channels"]["sms"]["last_error"]
    # only the text message still waits
    assert [m["channel"] for m in notify.pending_messages(table)] == ["sms"]
    sender.failing.clear()
    later = NOW + notify.BACKOFF[0]
    assert notify.deliver(table, sender, now=later) == notify.Delivery(sent=1)
    assert sender.by == [(message_id, "email"), (message_id, "sms")]
    sent = stored(table, message_id)
    assert sent["status"] == "sent" and sent["channels"]["email"]["attempts"] == 1
    assert sent["channels"]["sms"]["sent_at"] == notify.stamp(later) and sent["channels"]["sms"]["attempts"] == 2


def test_a_failed_text_message_goes_to_the_failed_list_alone_and_its_retry_sends_only_it(table):
    [message_id] = queue(table, mobile=MOBILE)
    sender, now = Recorder(failing={MOBILE}), NOW
    for wait in (timedelta(0), *notify.BACKOFF):
        now += wait
        notify.deliver(table, sender, now=now)
    assert sender.by == [(message_id, "email")]
    [failed] = notify.failed_messages(table)
    assert (failed["channel"], failed["attempts"], failed["failed_at"]) == ("sms", 5, notify.stamp(now))
    assert notify.retry_failed(table, message_id, now=now) is True
    sender.failing.clear()
    assert notify.deliver(table, sender, now=now) == notify.Delivery(sent=1)
    assert sender.by == [(message_id, "email"), (message_id, "sms")]


def test_two_overlapping_runs_send_each_channel_once(table):
    ids = queue(table, 3, mobile=MOBILE)
    sends, inner = [], Recorder()

    class Overlapping:
        def send(self, item, subject, body):
            sends.append((item["id"], item["channel"]))
            if len(sends) == 1:
                # a second run starts while the first is still sending item 1 (the first has read its page)
                notify.deliver(table, inner, now=NOW + timedelta(minutes=1))

    outer = notify.deliver(table, Overlapping(), now=NOW + timedelta(minutes=1))
    everything = sorted((i, c) for i in ids for c in ("email", "sms"))
    assert sorted(sends + inner.by) == everything  # each channel once, by one run or the other
    assert outer.sent == 2 and inner.by == everything[2:]
    assert all(stored(table, i)["status"] == "sent" for i in ids)


def test_a_stale_copy_cannot_claim_a_message_again(table):
    [message_id] = queue(table, mobile=MOBILE)
    [stale] = table.query(notify.PENDING)
    assert notify.deliver(table, Recorder(), now=NOW).sent == 2
    second = Recorder()
    # a run that read the item before it was sent: its claim's version check fails
    assert not notify._deliver_one(table, second, stale, now=NOW, translations_dir=None)
    assert second.sent == []


class Crash(BaseException):
    """The Lambda timing out mid-send: nothing after the send runs."""


def test_a_crashed_claim_is_taken_again_after_the_lease(table):
    [message_id] = queue(table)

    class Crashing:
        def send(self, item, subject, body):
            raise Crash

    with pytest.raises(Crash):
        notify.deliver(table, Crashing(), now=NOW)
    assert stored(table, message_id)["status"] == "sending"
    sender = Recorder()
    assert notify.deliver(table, sender, now=NOW + notify.LEASE - timedelta(seconds=1)).sent == 0
    assert notify.deliver(table, sender, now=NOW + notify.LEASE).sent == 1
    assert sender.sent == [message_id] and stored(table, message_id)["channels"]["email"]["attempts"] == 2


def test_a_failing_send_backs_off_then_fails_after_the_last_attempt(table):
    [message_id] = queue(table)
    sender, now = Recorder(failing={"a@example.com"}), NOW
    for wait in notify.BACKOFF:
        assert notify.deliver(table, sender, now=now) == notify.Delivery(retried=1)
        item = stored(table, message_id)
        assert item["next_attempt_at"] == notify.stamp(now + wait) and item["status"] == "pending"
        # invisible to runs until its next attempt
        assert due(table, now + wait - timedelta(seconds=1)) == []
        assert notify.deliver(table, sender, now=now + wait - timedelta(seconds=1)) == notify.Delivery()
        now += wait
    assert notify.deliver(table, sender, now=now) == notify.Delivery(failed=1)
    item = stored(table, message_id)
    assert (item["pk"], item["sk"], item["status"]) == (notify.FAILED, message_id, "failed")
    state = item["channels"]["email"]
    assert state["attempts"] == notify.MAX_ATTEMPTS == 5
    assert "no route to a@example.com" in state["last_error"] and state["failed_at"] == notify.stamp(now)
    assert due(table, now + timedelta(days=30)) == []
    assert [m["id"] for m in notify.failed_messages(table)] == [message_id]


def test_the_due_query_does_not_see_messages_not_yet_due(table):
    [now_due] = queue(table)
    [later] = queue(table, now=NOW + timedelta(minutes=10))
    assert due(table, NOW) == [now_due]
    assert [m["id"] for m in notify.pending_messages(table)] == [now_due, later]
    sender = Recorder()
    assert notify.deliver(table, sender, now=NOW + timedelta(minutes=9, seconds=59)).sent == 1
    assert sender.sent == [now_due] and due(table, NOW + timedelta(minutes=10)) == [later]


def test_back_off_is_one_five_thirty_minutes_then_two_hours():
    assert notify.BACKOFF == (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def test_a_poisoned_message_never_blocks_the_others(table):
    [unknown] = queue(table)
    [item] = table.query(notify.PENDING)
    table.write([Put({**item, "template": "no_such_template", "version": 2})])  # written by an older release
    [missing] = queue(table, params={"reference": "F1", "domain": "example.cn"})  # no url
    [refused] = queue(table, email="bounce@example.com")
    good = queue(table, 2)
    sender = Recorder(failing={"bounce@example.com"})

    assert notify.deliver(table, sender, now=NOW + timedelta(minutes=1)) == notify.Delivery(sent=2, retried=1,
                                                                                              failed=2)
    assert sender.sent == good
    assert "no_such_template" in stored(table, unknown)["channels"]["email"]["last_error"]
    assert "url" in stored(table, missing)["channels"]["email"]["last_error"]
    assert stored(table, refused)["status"] == "pending"


def test_one_run_drains_several_pages_within_its_budget(table):
    ids = queue(table, 7)
    sender = Recorder()
    result = notify.deliver(table, sender, now=NOW + timedelta(minutes=1), clock=Ticker(), page_size=3)
    assert result.sent == 7 and sender.sent == ids


def test_a_run_pages_past_an_item_another_run_holds(table):
    ids = queue(table, 4)
    [held, *_rest] = table.query(notify.PENDING)
    table.write([Put({**held, "status": "sending", "claimed_until": notify.stamp(NOW + notify.LEASE),
                      "version": held["version"] + 1}, expect_version=held["version"])])
    sender = Recorder()
    assert notify.deliver(table, sender, now=NOW + timedelta(minutes=1), page_size=1).sent == 3
    assert sender.sent == ids[1:] and stored(table, ids[0])["status"] == "sending"


def test_a_run_stops_when_its_budget_is_spent_and_the_next_run_goes_on(table):
    ids = queue(table, 7)
    sender = Recorder()
    later = NOW + timedelta(minutes=1)
    first = notify.deliver(table, sender, now=later, clock=Ticker(timedelta(seconds=10)),
                           budget=timedelta(seconds=45), page_size=3)
    assert 0 < first.sent < 7
    assert notify.deliver(table, sender, now=later, clock=Ticker(), page_size=3).sent == 7 - first.sent
    assert sender.sent == ids


def test_retry_failed_queues_a_failed_message_again(table):
    [message_id] = queue(table, params={"reference": "F1", "domain": "example.cn"})  # no url: fails at once
    assert notify.deliver(table, Recorder(), now=NOW).failed == 1
    later = NOW + timedelta(hours=3)
    assert notify.retry_failed(table, message_id, now=later) is True
    item = stored(table, message_id)
    assert item["status"] == "pending" and item["channels"]["email"]["attempts"] == 0
    assert due(table, later) == [message_id] and outbox_items(table)[notify.FAILED] == []
    assert notify.failed_messages(table) == []
    assert notify.retry_failed(table, message_id, now=later) is False  # pending, not failed
    assert notify.retry_failed(table, "20270115002700-nothere", now=later) is False


def test_sent_messages_leave_the_pending_partition_and_are_listed_newest_first(table):
    ids = queue(table, 3)
    notify.deliver(table, Recorder(), now=NOW + timedelta(minutes=1))
    assert due(table, NOW + timedelta(days=1)) == [] and outbox_items(table)[notify.PENDING] == []
    assert [m["id"] for m in notify.latest_messages(table)] == ids[::-1]


def test_messages_of_one_second_are_listed_in_the_order_they_were_queued(table, monkeypatch):
    """Same-second messages used to sort by their random ids: now the newest queued is first, every time."""
    queued = []
    for reference in ("F1", "F2", "F3", "F4", "F5", "F6"):
        [item] = notify.message_items(template="submitted", params={**PARAMS, "reference": reference},
                                      email="a@example.com", mobile=MOBILE, language="en", now=NOW)
        table.write([Put(item)])
        queued += [(item["id"], "email"), (item["id"], "sms")]
    # ids whose random tails sort against the queue order; a text message above its e-mail
    assert [(m["id"], m["channel"]) for m in notify.latest_messages(table)] == queued[::-1]
    monkeypatch.setattr(notify.time, "time_ns", lambda: 1)  # a clock that stands still (or steps back)
    later = [notify.message_items(template="submitted", params=PARAMS, email="b@example.com", mobile=None,
                                  language="en", now=NOW)[0] for _ in range(3)]
    table.write([Put(item) for item in later])
    assert [m["id"] for m in notify.latest_messages(table)][:3] == [item["id"] for item in later][::-1]


# ---------------------------------------------------------------- what the messages say

def rendered(template, language="en", **params):
    return messages.render({"template": template, "params": {**PARAMS, **params}, "language": language})


@pytest.mark.parametrize("language, expected", [
    ("en", "15 January 2027, 08:27 China time"),
    ("zh", "2027年1月15日 08:27（北京时间）"),
])
def test_times_are_shown_in_china_time_in_the_messages_language(language, expected):
    _subject, body = rendered("sms_code_leader", language, code="123456", deadline_at="2027-01-15T00:27:00+00:00")
    assert expected in body


def test_a_time_given_with_another_offset_is_converted():
    _subject, body = rendered("sms_reminder", deadline_at="2027-01-15T09:27:00+09:00")
    assert "15 January 2027, 08:27 China time" in body


def test_a_time_without_offset_is_refused():
    with pytest.raises(messages.RenderError):
        rendered("sms_reminder", deadline_at="2027-01-15T08:27:00")


def test_discarded_says_the_days_it_is_given():
    assert "within 30 days" in rendered("discarded", days=30)[1]


def test_messages_queued_with_the_old_draft_reminder_params_still_render():
    [item] = notify.message_items(template="draft_reminder", params={**PARAMS, "deadline": "2027-01-11"},
                                  email="a@example.com", mobile=None, language="en", now=NOW)
    assert "submit it by 11 January 2027, or it is deleted." in messages.render(item)[1]


def test_simulated_miit_code_goes_by_text_message_only():
    params = {**PARAMS, "code": "482913", "deadline_at": "2027-01-16T00:27:00+00:00"}
    items = notify.message_items(template="sms_code_leader", params=params, email=None, mobile="13800138000",
                                 language="en", now=NOW, channels=("sms",))
    assert [(m["channel"], m["to"]) for i in items for m in notify.channel_messages(i)] == [("sms", "13800138000")]
    assert messages.render(items[0])[1].startswith(
        "[MIIT ICP filing, simulated] Order F123 (example.cn): your verification code as the subject leader is 482913")
    with pytest.raises(ValueError):
        notify.message_items(template="sms_code_administrator", params=params, email="a@example.com",
                             mobile="13800138000", language="en", now=NOW)


def test_channels_choose_which_addresses_get_the_message():
    items = notify.message_items(template="submitted", params=PARAMS, email="a@example.com",
                                 mobile="13800138000", language="en", now=NOW, channels=("email",))
    assert [m["channel"] for i in items for m in notify.channel_messages(i)] == ["email"]


ALL_PARAMS = {**PARAMS, "count": 3, "tracking": "SF1234567890", "reason": "The photo is blurred.",
              "low": 3, "high": 20, "deadline_at": "2027-01-16T00:27:00+00:00", "code": "482913",
              "icp_number": "京ICP备16059763号-2", "days": 45, "expires_at": "2027-01-16T00:37:00+00:00",
              "lifetime_minutes": 10}


@pytest.mark.parametrize("template", sorted(messages.MESSAGES))
def test_every_message_renders_in_chinese_without_english_left(template):
    subject, body = rendered(template, "zh", **ALL_PARAMS)
    english_subject, english_body = rendered(template, "en", **ALL_PARAMS)
    assert subject != english_subject and body != english_body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in subject) and "F123" in subject + body
    # full-width punctuation next to Chinese text (DOMAIN.md §10)
    assert not any(f"{ch}{mark}" in body for mark in ",:()" for ch in body if "\u4e00" <= ch <= "\u9fff")


def _code_message(table):
    params = {**PARAMS, "code": "482913", "deadline_at": "2027-01-16T00:27:00+00:00"}
    [item] = notify.message_items(template="sms_code_leader", params=params, email=None, mobile=MOBILE,
                                  language="en", now=NOW, channels=("sms",))
    table.write([Put(item)])
    return item["id"]


def test_a_texted_code_is_scrubbed_from_the_table_once_sent(table):
    message_id = _code_message(table)
    notify.deliver(table, Recorder(), now=NOW)
    sent = stored(table, message_id)
    assert sent["status"] == "sent" and sent["params"]["code"] == notify.SCRUBBED_CODE
    assert "482913" not in str(sent)


def test_the_local_sender_keeps_codes_for_the_local_outbox_page(table, tmp_path):
    message_id = _code_message(table)
    notify.deliver(table, notify.LogSender(str(tmp_path)), now=NOW)
    assert stored(table, message_id)["params"]["code"] == "482913"


def test_a_listed_sent_message_expires_after_the_retention_period(table):
    [message_id] = queue(table, mobile=MOBILE)
    notify.deliver(table, Recorder(), now=NOW)
    sent = stored(table, message_id)
    assert (sent["pk"], sent["sk"], sent["status"]) == (notify.SENT, message_id, "sent")
    assert sent["expires_at"] == int((NOW + notify.SENT_RETENTION).timestamp())
    assert [m["status"] for m in notify.latest_messages(table)] == ["sent", "sent"]


def test_unlisted_a_sent_message_is_deleted(table):
    # on the aws backend nothing lists sent messages (the local outbox page is the local backend's)
    [message_id] = queue(table, mobile=MOBILE)
    assert notify.deliver(table, Recorder(), now=NOW, list_sent=False).sent == 2
    assert stored(table, message_id) is None
    assert outbox_items(table) == {notify.PENDING: [], notify.SENT: [], notify.FAILED: []}


def test_a_run_writes_a_claim_and_a_delete_for_a_message_sent_at_once(table):
    # the due query is strongly consistent: nothing is read twice, and no write is wasted on a sent item
    queue(table, mobile=MOBILE)

    class Counting:
        def __init__(self, inner):
            self.inner, self.writes = inner, []

        def write(self, ops):
            self.writes.append([type(op).__name__ for op in ops])
            return self.inner.write(ops)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    counting = Counting(table)
    assert notify.deliver(counting, Recorder(), now=NOW, list_sent=False).sent == 2
    assert counting.writes == [["Put"], ["Delete"]]
    assert notify.deliver(counting, Recorder(), now=NOW, list_sent=False) == notify.Delivery()
    assert len(counting.writes) == 2


@pytest.mark.parametrize("backend, listed", [("local", True), ("aws", False)])
def test_the_job_lists_sent_messages_only_on_the_local_backend(table, tmp_path, backend, listed):
    from types import SimpleNamespace

    from icp.jobs import run_outbox

    [message_id] = queue(table)
    settings = SimpleNamespace(backend=backend, is_local=backend == "local", notify_channel="log",
                               data_dir=str(tmp_path))
    assert run_outbox(table, settings, now=NOW).sent == 1
    assert [m["id"] for m in table.query(notify.SENT)] == ([message_id] if listed else [])
    assert table.query(notify.PENDING) == []


def test_messages_queued_in_the_earlier_layout_are_moved_in_and_sent(table):
    # before one item held a notification, each channel was an item OUTBOX#<id>/META listed in the queue index
    def legacy(message_id, channel, to, **fields):
        return {"pk": f"OUTBOX#{message_id}", "sk": "META", "version": 1, "id": message_id, "channel": channel,
                "to": to, "template": "submitted", "params": PARAMS, "language": "en",
                "created_at": notify.stamp(NOW), "queued": 1, "status": "pending", "attempts": 0,
                "next_attempt_at": notify.stamp(NOW), "queue": notify.PENDING,
                "queue_sort": f"{notify.stamp(NOW)}#{message_id}", **fields}

    waiting = legacy("20270115002700-0000000a", "sms", MOBILE)
    failed = legacy("20270115002700-0000000b", "email", "a@example.com", status="failed", attempts=5,
                    last_error="ConnectionError: down", failed_at=notify.stamp(NOW), queue=notify.FAILED)
    table.write([Put(waiting), Put(failed)])
    sender = Recorder()
    assert notify.deliver(table, sender, now=NOW) == notify.Delivery(sent=1)
    assert sender.by == [(waiting["id"], "sms")] and table.get(waiting["pk"], "META") is None
    [shown] = notify.failed_messages(table)
    assert (shown["id"], shown["channel"], shown["attempts"], shown["last_error"]) == (
        failed["id"], "email", 5, "ConnectionError: down")
    assert table.query_index("queue", notify.PENDING) == [] and table.query_index("queue", notify.FAILED) == []
    assert notify.retry_failed(table, failed["id"], now=NOW) is True
    assert notify.deliver(table, sender, now=NOW) == notify.Delivery(sent=1)
    assert sender.by[-1] == (failed["id"], "email")
