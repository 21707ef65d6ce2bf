"""Scheduled jobs: draft reminders at 30 and 40 days, discarding at 45, and the outbox."""
from __future__ import annotations

import json
from datetime import timedelta

from icp import filing as f
from icp import messages, notify
from icp.codes import code_key
from icp.filing import EVENT_PREFIX, filing_key, filing_partition
from icp.jobs import run_outbox, run_sweep
from tests.conftest import AuthActions
from tests.journey import bind_code, post_form, start


def _draft(app):
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    bind_code(client, filing_id)
    return client, filing_id


def _templates(table):
    return sorted({m["template"] for m in notify.pending_messages(table)})


def test_reminders_then_discard(any_app, clock):
    app = any_app
    table = app.extensions["icp_table"]
    client, filing_id = _draft(app)
    created = clock()

    clock.now = created + timedelta(days=29, hours=23)
    assert run_sweep(table, now=clock()) == {}
    clock.now = created + timedelta(days=30)
    assert run_sweep(table, now=clock()) == {"remind_draft": 1}
    assert _templates(table) == ["draft_reminder"]
    stored = table.get(*filing_key(filing_id))
    assert stored["due_action"] == "remind_draft" and stored["status"] == f.DRAFT
    assert stored["due_at"] == (created + timedelta(days=40)).isoformat(timespec="seconds")
    assert run_sweep(table, now=clock()) == {}  # done once only

    clock.now = created + timedelta(days=40)
    assert run_sweep(table, now=clock()) == {"remind_draft": 1}
    clock.now = created + timedelta(days=45)
    assert run_sweep(table, now=clock()) == {"discard": 1}
    stored = table.get(*filing_key(filing_id))
    assert stored["status"] == f.DISCARDED and "due_at" not in stored
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    assert table.get("LOCK#SUBJECT#91110108MA01ABCD0B", "META") is None
    assert "discarded" in _templates(table)
    assert [e["action"] for e in table.query(filing_partition(filing_id), EVENT_PREFIX)][-1] == "discard"
    # the applicant, logging in again (a session lasts 12 hours at most), sees why and when
    AuthActions(client).login()
    status = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "Deleted" in status and "45 days" in status


def test_a_late_sweep_still_acts_once(app, clock):
    """A sweep that did not run for weeks catches up one step at a time, never skipping the discard."""
    table = app.extensions["icp_table"]
    _client, filing_id = _draft(app)
    clock.advance(days=50)
    assert run_sweep(table, now=clock()) == {"discard": 1}  # no stale reminders first
    assert run_sweep(table, now=clock()) == {}
    assert table.get(*filing_key(filing_id))["status"] == f.DISCARDED
    events = [e["action"] for e in table.query(filing_partition(filing_id), EVENT_PREFIX)]
    assert events.count("discard") == 1 and "remind_draft" not in events
    assert _templates(table).count("discarded") == 1 and "draft_reminder" not in _templates(table)
    assert len([m for m in notify.pending_messages(table) if m["template"] == "discarded"]) == 2


def test_submitted_and_withdrawn_orders_leave_the_deadline_index(app, clock):
    table = app.extensions["icp_table"]
    client, filing_id = _draft(app)
    post_form(client, f"/filings/{filing_id}/withdraw", {})
    clock.advance(days=46)
    assert run_sweep(table, now=clock()) == {}
    assert table.get(*filing_key(filing_id))["status"] == f.WITHDRAWN


def test_outbox_is_sent_once_and_logged(app, clock, tmp_path):
    table = app.extensions["icp_table"]
    _draft(app)
    clock.advance(days=30)
    run_sweep(table, now=clock())
    settings = app.config["ICP_SETTINGS"]
    assert run_outbox(table, settings, now=clock()) == notify.Delivery(sent=2)  # e-mail and text message
    assert run_outbox(table, settings, now=clock()) == notify.Delivery()
    lines = [json.loads(line) for line in (tmp_path / "data" / "outbox.log").read_text().splitlines()]
    assert {line["channel"] for line in lines} == {"email", "sms"}
    assert all("not been submitted" in line["body"] for line in lines)


def test_a_failing_send_stays_pending_for_a_later_attempt(app, clock):
    table = app.extensions["icp_table"]
    _draft(app)
    clock.advance(days=30)
    run_sweep(table, now=clock())

    class Broken:
        def send(self, item, subject, body):
            raise RuntimeError("SES is down")

    assert notify.deliver(table, Broken(), now=clock()) == notify.Delivery(retried=2)
    pending = notify.pending_messages(table)
    assert len(pending) == 2 and all(m["last_error"] == "RuntimeError: SES is down" for m in pending)


def test_messages_go_out_in_the_applicants_language(app, clock):
    item = notify.message_items(template="submitted", params={"reference": "ABC", "domain": "example.cn",
                                                               "url": "http://x"},
                                email="a@example.com", mobile=None, language="zh", now=clock())[0]
    subject, body = messages.render(item)
    assert "ABC" in subject and "ABC" in body
    assert "received" not in subject and any("\u4e00" <= ch <= "\u9fff" for ch in subject + body)


def test_jobs_entry_points_run_without_flask(app, tmp_path):
    """Zappa's scheduled events call icp.jobs directly: a fresh interpreter runs both without importing Flask."""
    import subprocess
    import sys

    script = ("import sys, icp.jobs as jobs\n"
              "swept = jobs.sweep_deadlines({}, None)\n"
              "sent = jobs.deliver_outbox({}, None)\n"
              "assert isinstance(swept, dict), swept\n"
              "assert sent == {'sent': 0, 'retried': 0, 'failed': 0}, sent\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_wtf', 'wtforms', 'jinja2'))\n"
              "assert not loaded, loaded\n"
              "print('ok')\n")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("ICP_")}
    env.update(ICP_DATA_DIR=str(tmp_path / "data"), ICP_SECRET_KEY="k" * 40)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120,
                            cwd=str(__import__("pathlib").Path(__file__).parent.parent))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
