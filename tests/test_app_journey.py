"""An app from step 1 to its number (…号-NA) through HTTP with the three actors, on both backends (DOMAIN.md §13)."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp import registry
from tests.conftest import AuthActions, page
from tests.journey import ADMINISTRATOR, APP, SUBJECT, bind_code, post_form, save, start_app, submit, upload_required
from tests.workflow_helpers import (TIANJIN_ADMINISTRATOR, TIANJIN_SUBJECT, admin_act, codes_texted, outbox,
                                    photo_uploaded, review_act, staff, stored, submitted_to_sms)


def _submitted_app(app, **overrides) -> tuple:
    """An app order of the demo applicant, every step done, submitted; (applicant's client, order number)."""
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start_app(client, **overrides)
    bind_code(client, filing_id)
    tianjin = overrides.get("province") == "tianjin"  # Tianjin asks for its own numbers (rules.LOCAL_PHONES)
    save(client, filing_id, "subject", TIANJIN_SUBJECT if tianjin else SUBJECT)
    save(client, filing_id, "app", {**APP, **(TIANJIN_ADMINISTRATOR if tianjin else ADMINISTRATOR)})
    kinds = upload_required(client, app, filing_id)
    assert "admin_id_front" in kinds  # another person administers the app: their ID is asked for
    check = page(client.get(f"/filings/{filing_id}/check"))
    rows = check.get_text(" ", strip=True)
    assert "青松天气" in rows and "cn.qingsong.weather" in rows and "App administrator" in rows
    response = submit(client, filing_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), \
        [e.get_text(" ", strip=True) for e in page(client.get(f"/filings/{filing_id}/check")).select(".error-summary li")]
    return client, filing_id


def test_an_app_is_added_for_the_beijing_subject_and_gets_an_a_number(any_app, clock):
    app = any_app
    applicant, filing_id = _submitted_app(app)
    reviewer = staff(app, "reviewer@example.com")
    queue = page(reviewer.get("/review")).get_text(" ", strip=True)
    assert filing_id in queue and "青松天气" in queue
    order = page(reviewer.get(f"/review/{filing_id}"))
    assert order.find(id="order-type").get_text(strip=True) == "Add an app"
    text = order.get_text(" ", strip=True)
    assert "Android: package name" in text and "cn.qingsong.weather" in text
    # the reviewer returns it with a comment on the Android package; the applicant sees it at that field
    response = review_act(reviewer, filing_id, "return", {"comment-app-android_package": "Use the release package"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    app_step = page(applicant.get(f"/filings/{filing_id}/app"))
    assert "Use the release package" in app_step.find(id="android_package-comment").get_text()
    save(applicant, filing_id, "app", {**APP, **ADMINISTRATOR, "android_package": "cn.qingsong.weather.release"})
    assert submit(applicant, filing_id).status_code == 302
    changed = page(reviewer.get(f"/review/{filing_id}")).get_text(" ", strip=True)
    assert "cn.qingsong.weather.release" in changed

    assert review_act(reviewer, filing_id, "pass").status_code == 302
    status = page(applicant.get(f"/filings/{filing_id}")).get_text(" ", strip=True)
    assert "app administrator" in status and "website administrator" not in status
    assert post_form(applicant, f"/filings/{filing_id}/backdrop", {
        "recipient": "李雷", "address": "北京市海淀区中关村大街1号", "phone": "13722223333"}).status_code == 302
    assert review_act(reviewer, filing_id, "backdrop-mailed", {"tracking": "SF1234567890"}).status_code == 302
    photo_uploaded(app, applicant, filing_id)
    assert review_act(reviewer, filing_id, "photo/pass").status_code == 302
    assert review_act(reviewer, filing_id, "send").status_code == 302  # Beijing: no SMS check (seed policy)
    administration = staff(app, "administration@example.com")
    assert "青松天气" in page(administration.get("/administration")).get_text()
    assert admin_act(administration, filing_id, "approve").status_code == 302

    approved = stored(app, filing_id)
    # the subject's serial is shared with its websites: example-tech.cn is -1, so the app is -2A
    assert approved["status"] == f.APPROVED and approved["icp_number"] == "京ICP备16059763号-2A"
    apps = registry.subject_apps(app.extensions["icp_table"], "91110108MA01ABCD0B")
    assert [(a.name, a.icp_number) for a in apps] == [("青松天气", "京ICP备16059763号-2A")]
    status = page(applicant.get(f"/filings/{filing_id}"))
    about = status.find(id="footer-snippet").get_text()
    assert "京ICP备16059763号-2A" in about and "https://beian.miit.gov.cn/" in about
    assert "Your app's ICP number" in status.get_text()
    mine = page(applicant.get("/filings")).get_text(" ", strip=True)
    assert "青松天气" in mine and "京ICP备16059763号-2A" in mine
    bodies = [m for m in outbox(app) if m["params"].get("reference") == filing_id]
    assert {m["params"]["domain"] for m in bodies} == {"青松天气"}


def test_an_app_in_a_province_with_the_sms_check_texts_the_app_administrator(any_app, clock):
    app = any_app
    applicant, filing_id = _submitted_app(app, province="tianjin", certificate_number="91120116MA06QR7T0H",
                                          domains="haihe-data.cn")
    submitted_to_sms(app, applicant, filing_id)
    codes = codes_texted(app, filing_id)
    assert set(codes) == {"leader", "administrator"}
    boxes = page(applicant.get(f"/filings/{filing_id}"))
    assert "the app administrator" in boxes.find("label", attrs={"for": "administrator"}).get_text()
    assert post_form(applicant, f"/filings/{filing_id}/codes", codes).status_code == 302
    administration = staff(app, "administration@example.com")
    assert admin_act(administration, filing_id, "approve").status_code == 302
    assert stored(app, filing_id)["icp_number"] == "津ICP备20004567号-2A"


@pytest.mark.parametrize("language", ["zh-CN", "en-GB"])
def test_the_app_pages_never_speak_of_a_website_administrator(app, clock, language):
    """The person verified on an app order is its APP负责人 on every page the applicant and the reviewer read."""
    applicant, filing_id = _submitted_app(app)
    reviewer = staff(app, "reviewer@example.com")
    wrong = "网站负责人" if language == "zh-CN" else "website administrator"
    headers = {"Accept-Language": language}
    for client, path in ((applicant, f"/filings/{filing_id}"), (applicant, f"/filings/{filing_id}/submitted"),
                         (applicant, "/filings"), (reviewer, f"/review/{filing_id}")):
        text = page(client.get(path, headers=headers)).get_text(" ", strip=True)
        assert wrong not in text, (path, text[max(0, text.find(wrong) - 80):text.find(wrong) + 40])


@pytest.fixture(scope="module")
def release_apk(tmp_path_factory):
    """A release APK signed with a release key (v1+v2+v3), and apksigner's account of it."""
    from tests import apk_factory

    missing = apk_factory.missing_tools()
    if missing:
        pytest.skip(f"building a test APK needs {', '.join(missing)}")
    signed = apk_factory.release_apk(tmp_path_factory.mktemp("apk"))
    return signed, apk_factory.apksigner_verify(signed)


def _app_step_ready(app) -> tuple:
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start_app(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    return client, filing_id


@pytest.mark.apk
def test_the_release_apk_fills_in_the_android_details_and_is_deleted(any_app, release_apk):
    from tests.apk_factory import PACKAGE
    from tests.journey import upload

    app = any_app
    path, printed = release_apk
    client, filing_id = _app_step_ready(app)
    step = page(client.get(f"/filings/{filing_id}/app"))
    assert step.find(id="read-apk")["href"] == f"/filings/{filing_id}/app/apk"
    response = upload(client, app, filing_id, "apk", path.read_bytes(), filename="release.apk",
                      page=f"/filings/{filing_id}/app/apk")
    assert response.status_code == 302 and response.location.endswith(f"/filings/{filing_id}/app#android")
    step = page(client.get(f"/filings/{filing_id}/app"))
    assert step.find(id="platform_android").has_attr("checked")
    assert step.find(id="android_package")["value"] == PACKAGE
    assert step.find(id="android_md5")["value"].replace(":", "").lower() == printed.md5
    assert step.find(id="apk-facts")
    # nothing of the APK is kept: icp.workflow.apk deletes it after reading (tests/test_apk.py on both stores)
    # the applicant confirms by saving the step: the facts become the app's answers
    posted = {k: v for k, v in APP.items() if not k.startswith("android_")}
    fields = {i["name"]: i.get("value", "") for i in step.select("#android input") if i.get("name")}
    fields.update({t["name"]: t.get_text().strip() for t in step.select("#android textarea")})
    save(client, filing_id, "app", {**posted, **{k: v for k, v in fields.items() if k.startswith("android_")}})
    saved = stored(app, filing_id)["app"]["platforms"]["android"]
    assert saved["identifier"] == PACKAGE and saved["fingerprint"].replace(":", "").lower() == printed.md5


@pytest.mark.apk
def test_a_file_that_is_not_an_apk_is_refused_with_a_message_at_the_field(app, tmp_path):
    from tests.journey import upload

    client, filing_id = _app_step_ready(app)
    response = upload(client, app, filing_id, "apk", b"These are my release notes.\n" * 40, filename="notes.apk",
                      page=f"/filings/{filing_id}/app/apk")
    assert response.status_code == 302 and response.location.endswith(f"/filings/{filing_id}/app/apk")
    refused = page(client.get(f"/filings/{filing_id}/app/apk"))
    assert "not an Android app" in refused.find(id="file-apk-error").get_text()
    assert "apk_facts" not in stored(app, filing_id)


def test_a_website_order_has_no_apk_page(app, client, auth):
    from tests.journey import start

    auth.login()
    filing_id = start(client)
    assert client.get(f"/filings/{filing_id}/app/apk").status_code == 404
