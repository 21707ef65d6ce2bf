"""A subject already filed with us: step 3 starts from this account's last approved filing of it (issue 16, 16)."""
from __future__ import annotations

from icp import filing as f
from icp.seed import DEMO_APPROVED_SUBJECT
from icp.workflow import administration, review
from tests.conftest import AuthActions, page
from tests.journey import BEIJING_ENTERPRISE, SUBJECT, bind_code, post_form, save, start
from tests.workflow_helpers import ADMINISTRATION, REVIEWER, ready_for_administration, stored, submitted_order

GUANGDONG = {"province": "guangdong", "nature": "enterprise", "certificate_type": "business_licence",
             "certificate_number": "91440101MA5CX8T10J", "domain": "yunfan-cloud.cn"}


def values(soup, *ids) -> list[str]:
    return [soup.find(id=field_id)["value"] for field_id in ids]


def test_the_guangdong_demo_subject_is_not_typed_again(app, client, auth):
    auth.login()
    filing_id = start(client, **GUANGDONG)
    bind_code(client, filing_id)
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    leader = DEMO_APPROVED_SUBJECT["answers"]["leader"]
    assert values(soup, "certificate_address", "mailing_address", "leader_name", "leader_certificate_number",
                  "leader_mobile", "leader_email") == [
        DEMO_APPROVED_SUBJECT["answers"]["certificate_address"], DEMO_APPROVED_SUBJECT["answers"]["mailing_address"],
        leader["name"], leader["certificate_number"], leader["mobile"], leader["email"]]
    assert values(soup, "leader_certificate_valid_until-day", "leader_certificate_valid_until-month",
                  "leader_certificate_valid_until-year") == ["1", "5", "2036"]
    assert soup.find(id="leader_certificate_type").find("option", selected=True)["value"] == "resident_id"
    assert soup.find(id="subject_certificate_long_term").has_attr("checked")
    notice = soup.find(id="prefilled-from").get_text(" ", strip=True)
    assert "yunfan.com" in notice and "粤ICP备18012345号-1" in notice and "18 March 2025" in notice
    assert "change what has changed" in notice

    # the applicant changes one answer and confirms the rest: saved as the order's own, the offer is gone
    response = post_form(client, f"/filings/{filing_id}/subject", {
        "certificate_address": DEMO_APPROVED_SUBJECT["answers"]["certificate_address"],
        "mailing_address": "广州市天河区天河路385号太古汇一座2002室", "investor": "广州云帆网络有限公司",
        "leader_name": leader["name"], "leader_certificate_type": "resident_id",
        "leader_certificate_number": leader["certificate_number"], "leader_certificate_valid_until-day": "1",
        "leader_certificate_valid_until-month": "5", "leader_certificate_valid_until-year": "2036",
        "leader_mobile": leader["mobile"], "leader_emergency_phone": leader["emergency_phone"],
        "leader_email": leader["email"],
        # the licence's term, ticked from the approved filing as the page showed it (issue 20, item 10)
        "subject_certificate_long_term": "y",
        # asked since the approved filing: Guangdong's subject leader must be the legal representative
        "leader_is_legal_representative": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = stored(app, filing_id)
    assert saved["subject"]["mailing_address"].endswith("2002室") and "subject_prefill" not in saved
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    assert soup.find(id="prefilled-from") is None and soup.find(id="mailing_address")["value"].endswith("2002室")


def test_a_subject_filed_by_another_account_is_not_offered(app, client, auth):
    auth.register(email="other@example.com")
    app.test_cli_runner().invoke(args=["icp", "add-instance", "--owner", "other@example.com"])
    filing_id = start(client, **GUANGDONG)
    soup = page(client.get(f"/filings/{filing_id}"))  # no code of its own: stop before step 3
    assert "subject_prefill" not in stored(app, filing_id)
    assert soup.find(id="prefilled-from") is None


def test_a_subject_not_filed_with_us_starts_empty(app, client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    assert soup.find(id="prefilled-from") is None and not soup.find(id="mailing_address").get("value")


def test_an_approval_is_remembered_for_the_account_s_next_order_of_the_subject(any_app, clock):
    """The approval use case writes the subject's answers beside the registry's record; the next order of the same
    subject by the same account reads them by key at step 1 and starts step 3 from them."""
    app = any_app
    client, filing_id = submitted_order(app)
    table = app.extensions["icp_table"]
    ready_for_administration(app, client, clock, filing_id)
    review.send_to_administration(table, stored(app, filing_id), actor=REVIEWER, now=clock())
    approved = administration.approve(table, stored(app, filing_id), actor=ADMINISTRATION, now=clock())
    assert approved["status"] == f.APPROVED

    second = start(client, **{**BEIJING_ENTERPRISE, "domain": "示例.中国"})
    assert stored(app, second)["subject_prefill"]["filing_id"] == filing_id
    bind_code(client, second, "DEMO3H6T8RW5NB2C")
    soup = page(client.get(f"/filings/{second}/subject"))
    assert values(soup, "certificate_address", "mailing_address", "leader_name", "leader_mobile") == [
        SUBJECT["certificate_address"], SUBJECT["mailing_address"], SUBJECT["leader_name"], SUBJECT["leader_mobile"]]
    assert approved["icp_number"] in soup.find(id="prefilled-from").get_text()

    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    # another account's order of the same subject finds nothing: the record is keyed by the account
    from icp.workflow import filed_subject

    assert filed_subject.last_approved(table, certificate_number=BEIJING_ENTERPRISE["certificate_number"],
                                       owner="other@example.com") is None
    save(client, second, "subject", SUBJECT)
