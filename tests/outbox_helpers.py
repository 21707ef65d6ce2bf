"""Messages queued in an app's outbox, and one that failed its last attempt, for the outbox pages' tests."""
from __future__ import annotations

from datetime import timedelta

from icp import notify
from icp.store import Put


PARAMS = {"reference": "F123", "domain": "example.cn", "url": "http://127.0.0.1:5000/filings/F123"}


def stored_item(table, message_id: str) -> dict | None:
    """The outbox item of one notification wherever it is now (pending, failed or listed sent), or None."""
    for item in table.get_many([(notify.FAILED, message_id), (notify.SENT, message_id)]).values():
        return item
    return next((item for item in table.query(notify.PENDING) if item["id"] == message_id), None)


def queue(app, clock, template="submitted", language="en", channels=("email", "sms"), **params):
    """Queue one notification in the app's outbox, a second after the last one; returns its id in a list."""
    items = notify.message_items(template=template, params={**PARAMS, **params}, email="a@example.com",
                                 mobile="13800138000", language=language, now=clock.advance(seconds=1),
                                 channels=channels)
    app.extensions["icp_table"].write([Put(item) for item in items])
    return [item["id"] for item in items]


class Recorder:
    """A sender that keeps (id, channel) of what it sends and fails for the addresses in `failing`."""

    def __init__(self, failing=()):
        self.failing, self.sent = set(failing), []

    def send(self, item, subject, body):
        if item["to"] in self.failing:
            raise ConnectionError(f"mailbox {item['to']} does not exist")
        self.sent.append((item["id"], item["channel"]))


def failed_message(app, clock):
    """An e-mail that failed its last attempt; returns its notification's id."""
    [message_id] = queue(app, clock, channels=("email",))
    table = app.extensions["icp_table"]
    sender = Recorder(failing={"a@example.com"})
    for wait in (timedelta(0), *notify.BACKOFF):
        notify.deliver(table, sender, now=clock.advance(seconds=wait.total_seconds()))
    assert stored_item(table, message_id)["status"] == "failed"
    return message_id
