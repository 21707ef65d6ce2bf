"""After submission, to the ICP number: journeys through HTTP with three actors, on both backends."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from icp import filing as f
from icp.codes import code_key
from icp.jobs import run_sweep
from tests.conftest import AuthActions, page
from tests.journey import post_form
from tests.workflow_helpers import TIANJIN_ADMINISTRATOR, TIANJIN_SUBJECT, admin_act, codes_texted, events, outbox, \
    photo_uploaded, review_act, staff, stored, submitted_order, to_sms


def test_to_approved_with_a_return_and_a_backdrop_photo_rejected_then_passed(any_app, clock):
    app = any_app
    applicant, filing_id = submitted_order(app)
    reviewer = staff(app, "reviewer@example.com")
    queue = page(reviewer.get("/review"))
    assert filing_id in queue.get_text()

    # our review returns it with a comment on the website name and one on a document
    response = review_act(reviewer, filing_id, "return", {
        "comment-website-name": "Use the name on the licence",
        "comment-document-leader_id_front": "Blurred: scan again"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert stored(app, filing_id)["status"] == f.RETURNED
    website = page(applicant.get(f"/filings/{filing_id}/website"))
    assert "Use the name on the licence" in website.find(id="name-comment").get_text()
    check = page(applicant.get(f"/filings/{filing_id}/check"))
    assert "Blurred: scan again" in check.find(id="reviewer-comments").get_text()
    # the document's comment where it is fixed: beside it on the documents step, and on its upload page
    documents_step = page(applicant.get(f"/filings/{filing_id}/documents"))
    assert "Blurred: scan again" in documents_step.find(id="document-leader_id_front").get_text()
    upload_page = page(applicant.get(f"/filings/{filing_id}/documents/leader_id_front"))
    assert "Blurred: scan again" in upload_page.find(id="file-leader_id_front-comment").get_text()

    clock.advance(hours=2)
    assert post_form(applicant, f"/filings/{filing_id}/check", {}).status_code == 302
    again = stored(app, filing_id)
    assert again["status"] == f.PROVIDER_REVIEW and again["returns"] == 1
    assert again["queue_sort"].startswith(again["first_submitted_at"])  # back in its original place

    assert review_act(reviewer, filing_id, "pass").status_code == 302
    assert stored(app, filing_id)["status"] == f.PHOTO_PENDING
    # backdrop applied for, mailed, photo uploaded, rejected, uploaded again, passed
    assert post_form(applicant, f"/filings/{filing_id}/backdrop", {
        "recipient": "王芳", "address": "北京市海淀区中关村大街1号", "phone": "13911112222"}).status_code == 302
    assert review_act(reviewer, filing_id, "backdrop-mailed", {"tracking": "SF1234567890"}).status_code == 302
    assert "SF1234567890" in page(applicant.get(f"/filings/{filing_id}")).get_text()
    photo_uploaded(app, applicant, filing_id)
    assert stored(app, filing_id)["status"] == f.PHOTO_REVIEW
    assert review_act(reviewer, filing_id, "photo/reject",
                      {"reason": "clothing", "comment": "Blue shirt"}).status_code == 302
    status = page(applicant.get(f"/filings/{filing_id}")).get_text()
    assert "Red or blue clothing" in status and "Blue shirt" in status
    photo_uploaded(app, applicant, filing_id)
    assert review_act(reviewer, filing_id, "photo/pass").status_code == 302
    assert stored(app, filing_id)["status"] == f.READY_FOR_ADMINISTRATION

    # Beijing needs no SMS check under the seed's policy: straight to the administration
    assert review_act(reviewer, filing_id, "send").status_code == 302
    assert stored(app, filing_id)["status"] == f.ADMINISTRATION_REVIEW
    administration = staff(app, "administration@example.com")
    queue = page(administration.get("/administration"))
    assert filing_id in queue.get_text()
    assert admin_act(administration, filing_id, "approve").status_code == 302
    approved = stored(app, filing_id)
    assert approved["status"] == f.APPROVED and approved["icp_number"] == "京ICP备16059763号-2"
    table = app.extensions["icp_table"]
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "consumed"
    assert table.get("MIIT#DOMAIN#example-shop.cn", "META")["icp_number"] == "京ICP备16059763号-2"
    status = page(applicant.get(f"/filings/{filing_id}"))
    snippet = status.find(id="footer-snippet").get_text()
    assert "https://beian.miit.gov.cn/" in snippet and "京ICP备16059763号-2" in snippet
    assert "approved" in {m["template"] for m in outbox(app)}
    assert events(app, filing_id).count("view_certificates") >= 1


def test_sms_codes_verified_in_time_then_approved(any_app, clock):
    app = any_app
    applicant, filing_id = to_sms(app, clock)
    codes = codes_texted(app, filing_id)
    assert set(codes) == {"leader", "administrator"}
    to = {m["to"] for m in outbox(app) if m["template"].startswith("sms_code_")}
    # the leader's and the administrator's mobiles (Tianjin's own numbers: rules.LOCAL_PHONES)
    assert to == {TIANJIN_SUBJECT["leader_mobile"], TIANJIN_ADMINISTRATOR["administrator_mobile"]}
    assert all(codes[w] not in str(stored(app, filing_id)) for w in codes)  # stored hashed
    clock.advance(hours=47)
    AuthActions(applicant).login()  # a session lasts 12 hours at most: the applicant logs in again
    response = post_form(applicant, f"/filings/{filing_id}/codes", codes)
    assert response.status_code == 302
    assert stored(app, filing_id)["status"] == f.ADMINISTRATION_REVIEW
    administration = staff(app, "administration@example.com")
    assert admin_act(administration, filing_id, "approve").status_code == 302
    assert stored(app, filing_id)["icp_number"] == "津ICP备20004567号-2"


def test_a_wrong_code_is_named_and_the_order_stays(app, clock):
    applicant, filing_id = to_sms(app, clock)
    codes = codes_texted(app, filing_id)
    wrong = "000000" if codes["administrator"] != "000000" else "111111"
    response = post_form(applicant, f"/filings/{filing_id}/codes", {**codes, "administrator": wrong})
    soup = page(response, 400)
    assert soup.find(id="administrator-error") and not soup.find(id="leader-error")
    assert stored(app, filing_id)["status"] == f.SMS_PENDING


def test_sms_window_expired_by_the_sweep_releases_the_code_and_notifies_once(any_app, clock):
    app = any_app
    _applicant, filing_id = to_sms(app, clock)
    table = app.extensions["icp_table"]
    clock.advance(hours=48, seconds=1)
    result = run_sweep(table, now=clock())
    assert result == {"expire_sms": 1}, result
    assert run_sweep(table, now=clock()) == {}
    assert stored(app, filing_id)["status"] == f.REJECTED
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    assert [m["template"] for m in outbox(app)].count("sms_expired") == 2  # one e-mail and one text message


def test_a_code_entered_after_the_deadline_is_refused_before_any_sweep(app, clock):
    applicant, filing_id = to_sms(app, clock)
    codes = codes_texted(app, filing_id)
    clock.advance(hours=48, minutes=1)
    AuthActions(applicant).login()  # a session lasts 12 hours at most
    post_form(applicant, f"/filings/{filing_id}/codes", codes)
    assert stored(app, filing_id)["status"] == f.REJECTED


def test_current_practice_five_wrong_codes_then_the_next_attempt_rejects(tmp_path, clock):
    from tests.conftest import make_app

    app = make_app("local", tmp_path, clock, deadline_policy="current_practice")
    # every province checks mobiles under current practice: Beijing too
    applicant, filing_id = submitted_order(app)
    reviewer = staff(app, "reviewer@example.com")
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    assert stored(app, filing_id)["policy"]["verification"] == "phone"
    # the phone link: QR code, then the phone page without an account
    soup = BeautifulSoup(applicant.get(f"/filings/{filing_id}").get_data(as_text=True), "html.parser")
    token = soup.find("form", action=f"/filings/{filing_id}/phone-link").find("input", attrs={"name": "csrf_token"})
    link_page = page(applicant.post(f"/filings/{filing_id}/phone-link", data={"csrf_token": token["value"]}))
    assert link_page.find("svg") is not None
    link = link_page.find(id="phone-link").get_text(strip=True)
    phone = app.test_client()
    phone_page = page(phone.get(link))
    assert phone_page.find("input", attrs={"type": "file"})["capture"] == "user"
    from tests.images import jpeg_bytes
    from tests.journey import upload

    path = link.split("//", 1)[1].split("/", 1)[1]
    response = upload(phone, app, filing_id, "administrator_photo", jpeg_bytes(800, 1000), page="/" + path)
    assert response.status_code == 200 and "Photo sent" in response.get_data(as_text=True)
    assert stored(app, filing_id)["status"] == f.PHOTO_REVIEW
    assert phone.get(link).status_code == 404  # single use
    assert review_act(reviewer, filing_id, "photo/pass").status_code == 302
    assert review_act(reviewer, filing_id, "send").status_code == 302
    assert stored(app, filing_id)["deadline"]["ends_at"] == (clock() + timedelta(hours=24)).isoformat(
        timespec="seconds")
    for attempt in range(5):
        response = post_form(applicant, f"/filings/{filing_id}/codes", {"leader": "000000", "administrator": "000000"})
        assert response.status_code == 400
    assert stored(app, filing_id)["status"] == f.SMS_PENDING
    post_form(applicant, f"/filings/{filing_id}/codes", codes_texted(app, filing_id))
    assert stored(app, filing_id)["status"] == f.REJECTED


def test_two_reviewers_at_once_one_wins_the_other_is_told(app, clock):
    _applicant, filing_id = submitted_order(app)
    first, second = staff(app, "reviewer@example.com"), staff(app, "reviewer@example.com")
    soup = BeautifulSoup(second.get(f"/review/{filing_id}").get_data(as_text=True), "html.parser")
    stale = {i["name"]: i.get("value", "") for i in soup.find("form", action=f"/review/{filing_id}/pass").find_all("input")}
    assert review_act(first, filing_id, "pass").status_code == 302
    response = second.post(f"/review/{filing_id}/pass", data=stale, follow_redirects=True)
    assert "acted on this order first" in response.get_data(as_text=True)
    assert events(app, filing_id).count("pass") == 1


def test_staff_pages_are_only_for_staff(app, clock):
    applicant, filing_id = submitted_order(app)
    assert applicant.get("/review").status_code == 404
    assert applicant.get(f"/review/{filing_id}").status_code == 404
    assert applicant.get("/administration").status_code == 404
    reviewer = staff(app, "reviewer@example.com")
    assert reviewer.get("/administration").status_code == 404
    queue = page(reviewer.get("/review")).get_text()
    assert "91110108MA01ABCD0B" not in queue and "911" in queue  # masked in lists
    assert "91110108MA01ABCD0B" in page(reviewer.get(f"/review/{filing_id}")).get_text()  # whole on the order


def test_run_jobs_at_a_time_after_the_window_rejects_once_and_frees_the_code(app, clock):
    _applicant, filing_id = to_sms(app, clock)
    runner = app.test_cli_runner()
    later = (clock() + timedelta(hours=49)).isoformat()
    first = runner.invoke(args=["icp", "run-jobs", "--now", later])
    assert first.exit_code == 0 and "expire_sms" in first.output, first.output
    second = runner.invoke(args=["icp", "run-jobs", "--now", later])
    assert "expire_sms" not in second.output
    assert stored(app, filing_id)["status"] == f.REJECTED
    assert app.extensions["icp_table"].get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    lines = (app.config["ICP_SETTINGS"].data_dir + "/outbox.log")
    import json
    from pathlib import Path

    sent = [json.loads(line) for line in Path(lines).read_text(encoding="utf-8").splitlines()]
    assert sum(1 for m in sent if "rejected" in m["subject"].lower() and filing_id in m["subject"]) == 2  # e-mail + SMS


def test_run_jobs_refuses_a_time_without_a_zone(app):
    result = app.test_cli_runner().invoke(args=["icp", "run-jobs", "--now", "2026-12-01T10:00:00"])
    assert result.exit_code != 0 and "time zone" in result.output
