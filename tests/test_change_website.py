"""Change a website (变更网站, DOMAIN.md §14): from an approved website through the change, our review (old → new),
the administrator's verification, MIIT's SMS check and the administration's approval, which keeps the number."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp import messages, registry
from icp.workflow import filed_subject
from tests.conftest import AuthActions, csrf_token, page
from tests.journey import WEBSITE, errors, post_form, save, submit, upload_required
from tests.workflow_helpers import (TIANJIN, TIANJIN_ADMINISTRATOR, TIANJIN_SUBJECT, admin_act, codes_texted,
                                    outbox, staff, stored, submitted_order, submitted_to_sms)

TIANJIN_WEBSITE = {**WEBSITE, **TIANJIN_ADMINISTRATOR, "home_url": "http://www.haihe-data.cn"}


def approved_website(app) -> tuple:
    """A Tianjin website of the demo applicant taken to its number, two minutes ago; (applicant's client, order number,
    number)."""
    applicant, filing_id = submitted_order(app, **TIANJIN)
    submitted_to_sms(app, applicant, filing_id)
    assert post_form(applicant, f"/filings/{filing_id}/codes", codes_texted(app, filing_id)).status_code == 302
    assert admin_act(staff(app, "administration@example.com"), filing_id, "approve").status_code == 302
    approved = stored(app, filing_id)
    assert approved["status"] == f.APPROVED
    app.config["ICP_CLOCK"].advance(minutes=2)
    return applicant, filing_id, approved["icp_number"]


def start_change(client, service_id: str) -> str:
    """Press Start the change on the service's start page; returns the change order's number."""
    response = post_form(client, f"/filings/{service_id}/change", {})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.location.endswith("/subject"), response.location
    return response.location.split("/")[2]


def test_a_website_is_changed_through_review_verification_and_sms_and_keeps_its_number(any_app):
    app = any_app
    table = app.extensions["icp_table"]
    applicant, service_id, number = approved_website(app)
    serial_before = registry.find_subject(table, TIANJIN["certificate_number"]).websites

    start = page(applicant.get(f"/filings/{service_id}/change"))
    fixed = start.find(id="fixed").get_text(" ", strip=True)
    assert "haihe-data.cn" in fixed and TIANJIN["certificate_number"] in fixed and "Tianjin" in fixed
    change_id = start_change(applicant, service_id)

    # the answers start as filed: the subject's address and the website's name are there to keep or change
    subject_step = page(applicant.get(f"/filings/{change_id}/subject"))
    assert subject_step.find(id="mailing_address")["value"] == TIANJIN_SUBJECT["mailing_address"]
    assert subject_step.find(id="change-notice") is not None
    save(applicant, change_id, "subject", {**TIANJIN_SUBJECT, "mailing_address": "天津市滨海新区海河路8号"})
    website_step = page(applicant.get(f"/filings/{change_id}/website"))
    assert website_step.find(id="name")["value"] == WEBSITE["name"]
    save(applicant, change_id, "website", {**TIANJIN_WEBSITE, "name": "海河数据服务",
                                           "home_url": "http://www.haihe-data.cn/index.html"})
    kinds = upload_required(applicant, app, change_id)
    assert "authenticity_statement" in kinds  # asked again, signed for the answers as they are now
    check = page(applicant.get(f"/filings/{change_id}/check"))
    assert "Service code" not in check.find("main").get_text()  # access stays with us: no server step
    response = submit(applicant, change_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), errors(response)

    reviewer = staff(app, "reviewer@example.com")
    order = page(reviewer.get(f"/review/{change_id}"))
    assert order.find(id="order-type").get_text(strip=True) == "Change a website"
    rows = {row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
            for row in order.find(id="service-changes").find_all("tr") if row.th and row.find("td")}
    assert rows["Website: name"] == [WEBSITE["name"], "海河数据服务"]
    assert rows["Subject: mailing address"] == [TIANJIN_SUBJECT["mailing_address"], "天津市滨海新区海河路8号"]
    assert rows["Website: home page address"] == ["http://www.haihe-data.cn", "http://www.haihe-data.cn/index.html"]
    assert "Website: languages" not in rows  # only what changed

    submitted_to_sms(app, applicant, change_id)  # our review, the backdrop photo again, then MIIT's codes
    assert set(codes_texted(app, change_id)) == {"leader", "administrator"}
    assert post_form(applicant, f"/filings/{change_id}/codes", codes_texted(app, change_id)).status_code == 302
    administration = staff(app, "administration@example.com")
    # the administration reads the same old → new before it decides
    assert "海河数据服务" in page(administration.get(f"/administration/{change_id}")).find(
        id="service-changes").get_text()
    app.config["ICP_CLOCK"].advance(minutes=2)
    assert admin_act(administration, change_id, "approve").status_code == 302

    changed = stored(app, change_id)
    assert changed["status"] == f.APPROVED and changed["icp_number"] == number  # the number is unchanged
    assert registry.find_subject(table, TIANJIN["certificate_number"]).websites == serial_before  # no new serial
    record = registry.find_domain(table, "haihe-data.cn")
    assert record.icp_number == number and record.home_url == "http://www.haihe-data.cn/index.html"
    filed = filed_subject.last_approved(table, certificate_number=TIANJIN["certificate_number"],
                                        owner="applicant@example.com")
    assert filed["filing_id"] == change_id and filed["answers"]["mailing_address"] == "天津市滨海新区海河路8号"
    told = [m for m in outbox(app) if m["params"].get("reference") == change_id and m["template"].startswith("change_website:")]
    assert {m["template"] for m in told} == {"change_website:approved"}
    subject, body = messages.render(told[0])
    assert number in body and "keeps its ICP number" in body
    status = page(applicant.get(f"/filings/{change_id}")).get_text(" ", strip=True)
    assert number in status and "Change a website" in status
    assert "Change started from the filed website" in status and "the number stays" in status  # the history
    # the website's filing is the change now: a next change starts from it, not from the first order
    assert applicant.get(f"/filings/{change_id}/change").status_code == 200
    superseded = page(applicant.get(f"/filings/{service_id}/change"))
    assert superseded.find(id="cannot-change") is not None


def test_the_province_certificate_and_domain_cannot_change(app):
    applicant, service_id, _number = approved_website(app)
    change_id = start_change(applicant, service_id)
    # no filing-type or server step: the facts verified at the first filing are the change's
    assert applicant.get(f"/filings/{change_id}/type").status_code == 404
    assert applicant.get(f"/filings/{change_id}/instance").status_code == 404
    save(applicant, change_id, "subject", TIANJIN_SUBJECT)
    # the home page must stay on the filed domain
    response = post_form(applicant, f"/filings/{change_id}/website",
                         {**TIANJIN_WEBSITE, "home_url": "http://www.another-domain.cn"})
    assert response.status_code == 200 and page(response).find(id="home_url-error") is not None
    save(applicant, change_id, "website", TIANJIN_WEBSITE)
    check = page(applicant.get(f"/filings/{change_id}/check"))
    fixed = check.find(id="filed-website")
    text = fixed.get_text(" ", strip=True)
    assert "haihe-data.cn" in text and TIANJIN["certificate_number"] in text and _number in text
    assert fixed.find("a") is None  # nothing there has a Change link
    stored_change = stored(app, change_id)
    assert stored_change["verified"]["domain"] == "haihe-data.cn"
    assert stored_change["verified"]["service_id"] == service_id


def test_another_accounts_website_cannot_be_changed_or_seen(app):
    _applicant, service_id, _number = approved_website(app)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    assert other.get(f"/filings/{service_id}/change").status_code == 404
    forged = other.post(f"/filings/{service_id}/change", data={"csrf_token": csrf_token(other, "/filings/new")})
    assert forged.status_code == 404
    assert other.get("/filings/NOSUCHORDER/change").status_code == 404


def test_an_order_not_approved_cannot_be_changed(app):
    applicant, filing_id = submitted_order(app)
    start = page(applicant.get(f"/filings/{filing_id}/change"))
    assert "Only an approved website can be changed" in start.find(id="cannot-change").get_text()
    assert start.find("main").find("button", type="submit") is None
    refused = applicant.post(f"/filings/{filing_id}/change",
                             data={"csrf_token": csrf_token(applicant, f"/filings/{filing_id}/change")})
    assert refused.status_code == 409


def test_a_second_order_of_the_subject_is_refused_while_a_change_runs(app):
    applicant, service_id, _number = approved_website(app)
    change_id = start_change(applicant, service_id)
    again = page(applicant.get(f"/filings/{service_id}/change"))
    assert change_id in again.get_text() and again.find("main").find("button", type="submit") is None
    refused = applicant.post(f"/filings/{service_id}/change",
                             data={"csrf_token": csrf_token(applicant, f"/filings/{service_id}/change")})
    assert refused.status_code == 409


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_change_messages_say_what_differs(language):
    item = {"template": "change_website:approved", "language": language,
            "params": {"reference": "F7K2M9Q4XA", "domain": "haihe-data.cn", "icp_number": "津ICP备20004567号-2",
                       "url": "http://localhost/filings/F7K2M9Q4XA"}}
    subject, body = messages.render(item)
    assert "津ICP备20004567号-2" in body and "haihe-data.cn" in subject
    if language == "zh":
        assert "变更" in subject + body and "ICP" in body


def _as_shown(client, path: str) -> dict:
    """The values a step's form shows (what pressing Save and continue unchanged would send)."""
    form = page(client.get(path)).find("input", attrs={"name": "shown_version"}).find_parent("form")
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":  # a group of choices: each ticked one
            data.setdefault(name, [])
            if field.has_attr("checked"):
                data[name].append(field.get("value", "y"))
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field.get("value", "")
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def demo_app(tmp_path, clock):
    """The local app with the demo applicant's approved orders (icp.seed_services), as `make run` seeds them."""
    from tests.conftest import make_app

    return make_app("local", tmp_path, clock, demo_services=True)


def test_a_demo_website_is_changed_to_approval_with_its_number_kept(demo_app):
    """The README's walk: the demo applicant changes yunfan-shop.cn (Guangdong: a backdrop photo, no SMS check
    under the seed's policy), keeping every answer but the website's name."""
    from tests.workflow_helpers import photo_uploaded, review_act

    app = demo_app
    applicant = app.test_client()
    AuthActions(applicant).login()
    filed = page(applicant.get("/filings"))
    link = filed.find("a", href="/filings/YFSHOPSITE/change")
    assert link is not None and link.get_text(strip=True) == "Change the website"
    change_id = start_change(applicant, "YFSHOPSITE")
    subject = _as_shown(applicant, f"/filings/{change_id}/subject")
    assert subject["mailing_address"] == "广州市天河区天河路385号太古汇一座2001室"
    save(applicant, change_id, "subject", subject)
    website = _as_shown(applicant, f"/filings/{change_id}/website")
    assert website["name"] == "云帆商城" and website["languages"] == ["zh_hans"]
    save(applicant, change_id, "website", {**website, "name": "云帆优选商城"})
    assert "commitment_letter" in upload_required(applicant, app, change_id)  # Guangdong's, as for a new website
    response = submit(applicant, change_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), errors(response)
    reviewer = staff(app, "reviewer@example.com")
    changes = page(reviewer.get(f"/review/{change_id}")).find(id="service-changes").get_text(" ", strip=True)
    assert "云帆商城" in changes and "云帆优选商城" in changes
    assert review_act(reviewer, change_id, "pass").status_code == 302
    assert post_form(applicant, f"/filings/{change_id}/backdrop", {
        "recipient": "陈静", "address": "广州市天河区天河路385号", "phone": "13922223333"}).status_code == 302
    photo_uploaded(app, applicant, change_id)
    assert review_act(reviewer, change_id, "photo/pass").status_code == 302
    assert review_act(reviewer, change_id, "send").status_code == 302
    assert admin_act(staff(app, "administration@example.com"), change_id, "approve").status_code == 302
    assert stored(app, change_id)["icp_number"] == "粤ICP备18012345号-3"
    assert registry.find_domain(app.extensions["icp_table"], "yunfan-shop.cn").icp_number == "粤ICP备18012345号-3"
    mine = page(applicant.get("/filings"))
    assert mine.find("a", href=f"/filings/{change_id}/change") is not None  # the change holds the filing now


def test_the_start_page_reads_in_chinese(demo_app):
    applicant = demo_app.test_client()
    AuthActions(applicant).login()
    start = page(applicant.get("/filings/YFBLOGSITE/change", headers={"Accept-Language": "zh-CN"}))
    text = start.find("main").get_text(" ", strip=True)
    assert "变更网站" in text and "不可变更的信息" in text and "工信管函〔2019〕633号" in text
    assert "yunfan-blog.cn" in start.find(id="fixed").get_text()


def test_an_unsubmitted_change_is_deleted_and_says_the_website_stays_filed(demo_app, clock):
    """The 45-day life of an unsubmitted order holds for a change; its message says the website stays as filed
    (it had no service code to free)."""
    from icp.workflow import sweep

    applicant = demo_app.test_client()
    AuthActions(applicant).login()
    change_id = start_change(applicant, "YFWEBSITE1")
    clock.advance(days=46)
    sweep.sweep(demo_app.extensions["icp_table"], now=clock())
    assert stored(demo_app, change_id)["status"] == f.DISCARDED
    told = [m for m in outbox(demo_app) if m["params"].get("reference") == change_id and m["channel"] == "email"]
    assert {m["template"] for m in told} >= {"change_website:discarded"}
    subject, body = messages.render(next(m for m in told if m["template"] == "change_website:discarded"))
    assert "stays filed as it was" in body and "service code" not in body
    # the subject is free again: the website can be changed anew
    assert AuthActions(applicant).login().status_code == 302
    assert page(applicant.get("/filings/YFWEBSITE1/change")).find(id="cannot-change") is None


def test_an_app_is_not_changed_here(demo_app):
    applicant = demo_app.test_client()
    AuthActions(applicant).login()
    start = page(applicant.get("/filings/YFAPPZHUSH/change"))
    assert "this order filed an app" in start.find(id="cannot-change").get_text()
    assert start.find("main").find("button", type="submit") is None


def test_a_change_is_refused_while_the_registrar_names_another_holder(demo_app):
    """The domain must still be held by the subject (DOMAIN.md §1): a change has no server step, but the registrar's
    answer is read as for a new website."""
    registry.record_domain_holder(demo_app.extensions["icp_table"],
                                  registry.DomainHolder("yunfan.com", "别的公司有限公司", True))
    applicant = demo_app.test_client()
    AuthActions(applicant).login()
    change_id = start_change(applicant, "YFWEBSITE1")
    save(applicant, change_id, "subject", _as_shown(applicant, f"/filings/{change_id}/subject"))
    save(applicant, change_id, "website", _as_shown(applicant, f"/filings/{change_id}/website"))
    upload_required(applicant, demo_app, change_id)
    response = submit(applicant, change_id)
    assert response.status_code == 200 and "held by 别的公司有限公司" in page(response).get_text()
