"""Outbox pages: the local outbox anyone may read, and the staff list of failed messages with Retry."""
from __future__ import annotations

from datetime import timedelta

import pytest

from icp import notify
from tests.browser import assert_accessible, browser, needs_chromium, serve
from tests.conftest import AuthActions, csrf_token, make_app, page
from tests.outbox_helpers import Recorder, failed_message, queue, stored_item


def test_local_outbox_shows_the_latest_messages_to_anyone_newest_first(app, client, clock):
    queue(app, clock)
    queue(app, clock, "sms_code_leader", channels=("sms",), code="482913",
          deadline_at="2026-11-29T09:00:00+00:00")
    soup = page(client.get("/local-outbox"))
    assert "Local testing only: the messages this service would have sent" in soup.get_text()
    rows = soup.select("tbody tr")
    assert len(rows) == 3
    newest = rows[0].get_text(" ", strip=True)
    assert "Text message: 13800138000" in newest and "482913" in newest
    assert "29 November 2026, 17:00 China time" in newest and "Waiting" in newest
    older = [row.get_text(" ", strip=True) for row in rows[1:]]
    assert any("E-mail: a@example.com Order F123 submitted" in text for text in older)  # with its subject


def test_local_outbox_shows_sent_and_unwritable_messages(app, client, clock):
    [sent] = queue(app, clock, channels=("email",))
    notify.deliver(app.extensions["icp_table"], Recorder(), now=clock())
    queue(app, clock, "rejected", channels=("email",))  # no reason given
    rows = page(client.get("/local-outbox")).select("tbody tr")
    assert "Cannot be written" in rows[0].get_text() and "reason" in rows[0].get_text()
    assert "Sent" in rows[1].get_text()


def test_message_text_is_escaped(app, client, clock):
    queue(app, clock, domain="<script>alert(1)</script>.cn")
    html = client.get("/local-outbox").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_local_outbox_does_not_exist_on_aws(tmp_path, clock):
    from moto import mock_aws

    with mock_aws():
        client = make_app("aws", tmp_path, clock).test_client()
        assert client.get("/local-outbox").status_code == 404


def test_failed_messages_are_listed_for_reviewers_with_error_and_attempts(app, client, clock):
    failed_message(app, clock)
    AuthActions(client).login("reviewer@example.com")
    soup = page(client.get("/staff/outbox/failed"))
    [row] = soup.select("tbody tr")
    text = row.get_text(" ", strip=True)
    assert "mailbox a@example.com does not exist" in text and "5 attempts" in text
    assert "Order F123 submitted" in text
    assert row.find("button").get_text(" ", strip=True).startswith("Retry")


def test_retry_puts_the_message_back_in_the_queue(app, client, clock):
    message_id = failed_message(app, clock)
    AuthActions(client).login("reviewer@example.com")
    token = csrf_token(client, "/staff/outbox/failed")
    response = client.post(f"/staff/outbox/failed/{message_id}/retry", data={"csrf_token": token})
    assert response.status_code == 303
    soup = page(client.get(response.location))
    assert "queued again" in soup.select_one(".notice").get_text()
    assert not soup.select("tbody tr")
    item = stored_item(app.extensions["icp_table"], message_id)
    assert item["status"] == "pending" and item["channels"]["email"]["attempts"] == 0
    again = client.post(f"/staff/outbox/failed/{message_id}/retry", data={"csrf_token": token})
    assert "no longer in the failed list" in page(client.get(again.location)).select_one(".notice").get_text()


def test_the_failed_list_shows_only_the_channel_that_failed_and_retry_resends_only_it(app, client, clock):
    [message_id] = queue(app, clock)  # an e-mail and a text message
    table = app.extensions["icp_table"]
    sender = Recorder(failing={"13800138000"})
    for wait in (timedelta(0), *notify.BACKOFF):
        notify.deliver(table, sender, now=clock.advance(seconds=wait.total_seconds()))
    assert sender.sent == [(message_id, "email")]  # once, though the text message was tried five times
    AuthActions(client).login("reviewer@example.com")
    [row] = page(client.get("/staff/outbox/failed")).select("tbody tr")
    assert "Text message: 13800138000" in row.get_text(" ", strip=True) and "E-mail" not in row.get_text()
    token = csrf_token(client, "/staff/outbox/failed")
    client.post(f"/staff/outbox/failed/{message_id}/retry", data={"csrf_token": token})
    sender.failing.clear()
    assert notify.deliver(table, sender, now=clock()) == notify.Delivery(sent=1)
    assert sender.sent == [(message_id, "email"), (message_id, "sms")]
    rows = [row.get_text(" ", strip=True) for row in page(client.get("/local-outbox")).select("tbody tr")]
    assert len(rows) == 2 and all("Sent" in text for text in rows)


def test_retry_needs_the_csrf_token(app, client, clock):
    message_id = failed_message(app, clock)
    AuthActions(client).login("reviewer@example.com")
    assert client.post(f"/staff/outbox/failed/{message_id}/retry", data={}).status_code == 400
    assert stored_item(app.extensions["icp_table"], message_id)["status"] == "failed"


def test_applicants_and_visitors_cannot_see_failed_messages(app, client, clock):
    message_id = failed_message(app, clock)
    assert client.get("/staff/outbox/failed").status_code in (302, 401)  # log in first
    AuthActions(client).login()
    assert client.get("/staff/outbox/failed").status_code == 404
    token = csrf_token(client, "/")
    assert client.post(f"/staff/outbox/failed/{message_id}/retry", data={"csrf_token": token}).status_code == 404


@pytest.mark.browser
@needs_chromium
def test_outbox_pages_fit_a_320_pixel_screen_and_pass_axe(app, clock):
    failed_message(app, clock)
    queue(app, clock, "sms_code_administrator", channels=("sms",), code="551204",
          deadline_at="2026-11-29T09:00:00+00:00")
    with serve(app) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 320, "height": 640})
        screen = context.new_page()
        screen.goto(base + "/local-outbox")
        assert "551204" in screen.locator("tbody").inner_text()
        assert screen.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(screen)
        screen.goto(base + "/log-in")
        screen.fill("#email", "reviewer@example.com")
        screen.fill("#password", "demo-password")
        screen.click("button[type=submit].button")
        screen.goto(base + "/staff/outbox/failed")
        assert screen.locator("tbody tr").count() == 1
        assert screen.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(screen)
        context.close()
