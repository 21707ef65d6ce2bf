"""Your account: Download my data (a ZIP of the account, its orders, their history and documents; streamed, or through
storage and a signed link: tests/test_data_export.py) and Delete my account (refused while an order runs; drafts and
ended orders erased, approved filings detached, every session ended). Both ask for the password again; staff reach
neither."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
import requests

from icp import filing as f
from icp import retention
from icp.accounts import account_key
from icp.store import Put
from icp.workflow import data_export, filed_subject
from tests.conftest import AuthActions, field_error, form_fields, page
from tests.journey import post_form, ready_to_submit, submit
from tests.moto_patches import moto_reads_secure_transport  # noqa: F401
from tests.retention_helpers import stored_versions
from tests.orders import order_in
from tests.workflow_helpers import REVIEWER, staff, stored

PASSWORD = "demo-password"
APPLICANT = "applicant@example.com"


def test_download_asks_for_the_password_and_streams_a_zip_of_everything(any_app):
    app = any_app
    client, filing_id = ready_to_submit(app)
    assert submit(client, filing_id).status_code == 302
    page(staff(app, REVIEWER).get(f"/review/{filing_id}"))  # a staff view: recorded in the history by its actor

    wrong = post_form(client, "/account/download", {"password": "not-my-password"})
    soup = page(wrong)
    assert "not your password" in field_error(soup, "password")
    assert wrong.mimetype == "text/html"

    response = post_form(client, "/account/download", {"password": PASSWORD})
    if app.config["ICP_SETTINGS"].backend == "aws":
        # on Lambda the copy goes through S3 and a signed link (tests/test_data_export.py says more)
        assert response.status_code == 303
        response = requests.get(response.location, timeout=10)
        body = response.content
    else:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert response.is_streamed
        body = response.get_data()
    assert response.headers["Content-Disposition"].startswith('attachment; filename="icp-filing-my-data-')
    archive = zipfile.ZipFile(io.BytesIO(body))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == APPLICANT and "password_hash" not in data["account"]
    (order,) = [o for o in data["orders"] if o["id"] == filing_id]
    assert order["subject"]["leader"]["name"] == "王芳"
    assert order["verified"]["domain"] == "example-shop.cn"
    assert [e["action"] for e in order["history"]][:2] == ["start", "bind_service_code"]
    assert {e["by"] for e in order["history"]} <= {"you", "staff", "system"} and "staff" in {
        e["by"] for e in order["history"]}
    assert REVIEWER not in archive.read("data.json").decode()
    blobs = app.extensions["icp_blobs"]
    stored_documents = {d["kind"]: d for d in data_export.export_data(app.extensions["icp_table"], APPLICANT,
                                                                    now=app.config["ICP_CLOCK"]())[0]["orders"][-1][
        "documents"]}
    assert len(order["documents"]) == len(stored_documents) >= 6
    for document in order["documents"]:
        key = next(p["key"] for p in app.extensions["icp_table"].query(f.filing_partition(filing_id))
                   if p["sk"] == f"DOC#{document['kind']}")
        assert archive.read(document["file"]) == blobs.read(key)


def test_the_zip_is_made_one_document_at_a_time(app, clock):
    client, filing_id = ready_to_submit(app)
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    sizes = [p["size"] for p in table.query(f.filing_partition(filing_id), f.DOCUMENT_PREFIX)]
    reads, pieces = [], []
    original = blobs.read

    class Counting:
        def read(self, key, max_bytes=None):
            reads.append(len(pieces))  # how many pieces had gone out when this document was read
            return original(key, max_bytes)

    for piece in data_export.export_zip(table, Counting(), APPLICANT, now=clock()):
        pieces.append(piece)
    # each document went out before the next was read, and no piece holds more than one document
    assert reads == list(range(1, len(sizes) + 1))
    assert max(len(p) for p in pieces[1:]) < max(sizes) + 1024
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(pieces))).namelist()) == len(sizes) + 1


def test_staff_reach_neither_the_account_page_nor_its_actions(app):
    reviewer = staff(app, REVIEWER)
    for path in ("/account", "/account/download", "/account/delete"):
        assert reviewer.get(path).status_code == 404
    token = form_fields(reviewer, "/account/password")["csrf_token"]
    assert reviewer.post("/account/download", data={"csrf_token": token, "password": PASSWORD}).status_code == 404
    assert reviewer.post("/account/delete", data={"csrf_token": token, "password": PASSWORD}).status_code == 404
    assert app.extensions["icp_table"].get(*account_key(REVIEWER)) is not None


def test_delete_is_refused_with_the_reason_while_an_order_runs(app):
    client, filing_id = ready_to_submit(app)
    submit(client, filing_id)
    table = app.extensions["icp_table"]
    table.write([Put(order_in(f.ADMINISTRATION_REVIEW, filing_id="ADMIN00001"))])
    soup = page(client.get("/account/delete"))
    assert "cannot be deleted yet" in soup.select_one(".notice--warning").get_text(" ", strip=True)
    rows = {tr.select_one("td").get_text(strip=True): tr.get_text(" ", strip=True)
            for tr in soup.select("main table tbody tr")}
    assert set(rows) == {filing_id, "ADMIN00001"}
    assert "In our review" in rows[filing_id] and "Withdraw it" in rows[filing_id]
    assert "administration's decision" in rows["ADMIN00001"]
    assert soup.select_one("form[action='/account/delete']") is None

    token = form_fields(client, "/account/download")["csrf_token"]
    refused = client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    assert refused.status_code == 200 and filing_id in refused.get_data(as_text=True)
    assert table.get(*account_key(APPLICANT)) is not None
    assert stored(app, filing_id)["status"] == f.PROVIDER_REVIEW


@pytest.mark.usefixtures("moto_reads_secure_transport")
def test_delete_erases_drafts_and_ended_orders_detaches_approved_ones_and_ends_every_session(any_app, clock):
    app = any_app
    table = app.extensions["icp_table"]
    client, draft = ready_to_submit(app)
    other_device = app.test_client()
    AuthActions(other_device).login()
    assert stored_versions(app, draft) >= 7
    approved = order_in(f.APPROVED, filing_id="APPROVED01", now=clock())
    rejected = order_in(f.REJECTED, filing_id="REJECTED01", now=clock())
    event = f.event_item("APPROVED01", now=clock(), actor=APPLICANT, action="submit", status=f.PROVIDER_REVIEW)
    number = approved["verified"]["certificate_number"]
    table.write([Put(approved), Put(rejected), Put(event),
                 Put(filed_subject.record_item(number, {
                     APPLICANT: filed_subject.entry(subject=approved["subject"], domain="haihe-data.cn",
                                                    icp_number=approved["icp_number"], approved_at="x"),
                     "someone@example.com": {"answers": {"x": 1}}}))])

    wrong = post_form(client, "/account/delete", {"password": "not-my-password"})
    assert "not your password" in field_error(page(wrong), "password")
    assert table.get(*account_key(APPLICANT)) is not None

    response = post_form(client, "/account/delete", {"password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/")
    assert table.get(*account_key(APPLICANT)) is None
    for device in (client, other_device):
        assert device.get("/filings").status_code == 302  # to the log-in page: every session ended
    assert AuthActions(app.test_client()).login().status_code == 200  # the log-in is refused: no such account

    # the draft: withdrawn (its code free again) and erased at once, every file and version gone
    gone = stored(app, draft)
    assert gone["status"] == f.WITHDRAWN and retention.is_erased(gone) and "owner" not in gone
    assert "subject" not in gone and stored_versions(app, draft) == 0
    history = table.query(f.filing_partition(draft), f.EVENT_PREFIX)
    assert APPLICANT not in repr(history) and history[-1]["action"] == "erase"
    # the ended order: erased, without its owner
    ended = stored(app, "REJECTED01")
    assert retention.is_erased(ended) and "owner" not in ended and "subject" not in ended
    # the approved filing: its record stays whole, detached from the account and its address
    kept = stored(app, "APPROVED01")
    assert kept["status"] == f.APPROVED and kept["subject"]["leader"]["name"] == "王海" and "owner" not in kept
    assert APPLICANT not in repr(table.query(f.filing_partition("APPROVED01"), f.EVENT_PREFIX))
    assert set(table.get(*filed_subject.record_key(number))["by_owner"]) == {"someone@example.com"}
    assert table.query_index("owner", APPLICANT, lower_bound="FILING#", upper_bound="FILING#\uffff") == []


def test_the_account_page_links_the_actions_and_the_privacy_notice(client, auth):
    auth.login()
    soup = page(client.get("/account"))
    links = {a["href"] for a in soup.select("main a")}
    assert {"/account/download", "/account/delete", "/privacy", "/account/password"} <= links
    assert soup.select_one("header a[href='/account']") is not None


def test_the_privacy_notice_says_each_period_from_the_rules_in_both_languages(client, monkeypatch):
    from dataclasses import replace

    from icp import rules

    english = page(client.get("/privacy")).select_one("main")
    # the first table: orders that ended (tests/test_retention_after_service.py reads the approved filings' one)
    rows = [tr.get_text(" ", strip=True) for tr in english.select("table")[0].select("tbody tr")]
    assert len(rows) == len(rules.RETENTION_BY_ENDING)
    assert any("Withdrawn by you" in r and "7 days after it ended" in r for r in rows)
    assert any("not submitted in time" in r and "When it ends" in r for r in rows)
    text = english.get_text(" ", strip=True)
    assert "MIIT Order 33, article 19" in text  # why approved filings stay
    assert f"for {rules.NONCURRENT_VERSION_DAYS} days" in text and f"last {rules.POINT_IN_TIME_RECOVERY_DAYS} days" in text
    assert "Download my data" in text and "Delete my account" in text

    # the notice reads the same data the sweep does: a changed period shows at once
    monkeypatch.setitem(rules.RETENTION_BY_ENDING, "withdraw", replace(rules.RETENTION_BY_ENDING["withdraw"], days=9))
    client.get("/language/zh")
    chinese = page(client.get("/privacy")).select_one("main").get_text(" ", strip=True)
    assert "隐私声明" in chinese and "您已撤回" in chinese and "结束后9天" in chinese
    assert "工信部令第33号第十九条" in chinese


def test_registration_and_every_page_footer_link_the_privacy_notice(client):
    soup = page(client.get("/register"))
    assert soup.select_one("main form a[href='/privacy']") is not None
    assert soup.select_one("footer a[href='/privacy']") is not None


def test_an_order_erased_before_loses_its_owner_and_address_when_the_account_goes(app, clock):
    from datetime import timedelta

    from icp.workflow import retention as erasure

    client, filing_id = ready_to_submit(app)
    post_form(client, f"/filings/{filing_id}/withdraw", {})
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    assert erasure.sweep(table, blobs, now=clock() + timedelta(days=8))["erased"] == 1
    assert stored(app, filing_id)["owner"] == APPLICANT  # a tombstone still listed in My filings

    assert post_form(client, "/account/delete", {"password": PASSWORD}).status_code == 302
    tombstone = stored(app, filing_id)
    assert "owner" not in tombstone and tombstone["erased"]["ending"] == "withdraw"
    assert APPLICANT not in repr(table.query(f.filing_partition(filing_id)))
