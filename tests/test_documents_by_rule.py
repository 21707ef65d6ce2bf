"""Issue 20, item 10: documents asked by the order's answers and the province (pre-approval certificate, the
commitment that none is needed, a residence permit, a website plan), the approval's and the licence's terms."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from stdnum.cn import ric

from icp import checks, checks_people, rules
from icp.documents import document_conditions, documents_for, preapproval_hits
from icp.filing import filing_key
from tests.conftest import AuthActions, field_error, page
from tests.document_uploads import make_ready_filing
from tests.journey import (SUBJECT, WEBSITE, bind_code, date_boxes, post_form, save, start, submit,
                           upload_required)

TODAY = date(2026, 11, 27)


def codes(filing) -> list[str]:
    return [kind.code for kind in documents_for(filing) if kind.required]


def with_answers(filing: dict, **website) -> dict:
    return {**filing, "website": {**filing["website"], **website}}


# ---- which documents -------------------------------------------------------------------------------

def test_a_declared_pre_approval_asks_for_its_certificate(app):
    filing = make_ready_filing(app)
    assert "preapproval_certificate" not in codes(filing)
    declared = with_answers(filing, preapproval_items=["culture"], approval_number="文网文〔2025〕1号")
    assert "preapproval_certificate" in codes(declared) and "no_preapproval_commitment" not in codes(declared)


@pytest.mark.parametrize("answers, hits", [
    ({"name": "示例游戏商城"}, {"culture"}),
    ({"name": "示例理财", "service_content": ["other"]}, {"internet_finance"}),
    ({"service_content": ["online_games"]}, {"culture"}),
    ({"name": "示例科技商城", "service_content": ["online_shop"]}, set()),
])
def test_a_name_or_service_content_of_a_trade_without_pre_approval_asks_for_the_commitment(app, answers, hits):
    filing = with_answers(make_ready_filing(app), **answers)
    website = filing["website"]
    assert preapproval_hits(website["name"], website["service_content"]) == hits
    assert ("no_preapproval_commitment" in codes(filing)) == bool(hits)


@pytest.mark.parametrize("province, leader_number, certificate_type, needed", [
    ("shanghai", "110105194912310021", "resident_id", True),    # a Beijing ID in Shanghai
    ("shanghai", "310101198503120049", "resident_id", False),   # a Shanghai ID
    ("hubei", "110105194912310021", "resident_id", True),
    ("beijing", "310101198503120049", "resident_id", False),    # Beijing asks for none
    ("shanghai", "E12345678", "passport", False),               # a passport names no province
])
def test_a_non_local_individual_gives_a_residence_permit_where_the_province_asks(
        app, province, leader_number, certificate_type, needed):
    filing = make_ready_filing(app, nature="individual", province=province)
    filing["subject"]["leader"] = {**filing["subject"]["leader"], "certificate_number": leader_number,
                                   "certificate_type": certificate_type}
    assert ("residence_permit" in codes(filing)) is needed


def test_an_organisation_never_gives_a_residence_permit(app):
    filing = make_ready_filing(app, nature="enterprise", province="shanghai")
    assert not {"residence_permit_required", "residence_permit_optional"} & document_conditions(filing)
    assert "residence_permit" not in codes(filing)


@pytest.mark.parametrize("province", sorted(rules.NON_LOCAL_INDIVIDUAL))
def test_the_check_and_the_documents_step_agree_on_the_residence_permit(app, province):
    """One answer (icp.residence) for every province row: the check warns of a permit exactly where the documents
    step asks for one, requires it exactly where the row refuses, and a province taking local IDs only asks for
    none and refuses (or warns) at the ID."""
    kind, requirement = rules.NON_LOCAL_INDIVIDUAL[province]
    elsewhere = "110105194912310021" if province != "beijing" else "310101198503120049"
    filing = make_ready_filing(app, nature="individual", province=province)
    filing["subject"] = {**filing["subject"], "certificate_address": "",
                         "leader": {**filing["subject"]["leader"], "certificate_number": elsewhere}}
    [(_field, violation)] = checks_people.id_region_problems(filing["subject"], nature="individual",
                                                             province=province)
    permits = [document for document in documents_for(filing) if document.code == "residence_permit"]
    if kind == "permit":
        assert violation.code == "non_local_individual_permit" and violation.severity == rules.WARN
        assert [p.required for p in permits] == [requirement.severity == rules.REFUSE]
    else:
        assert violation.code == "non_local_individual_local_only" and violation.severity == requirement.severity
        assert permits == []
    # the same individual with a local ID: neither the check nor the documents step asks anything
    local = rules.PROVINCE_REGION_CODES[province] + "010119900101001"
    filing["subject"]["leader"]["certificate_number"] = local + ric.calc_check_digit(local + "0")
    assert checks_people.id_region_problems(filing["subject"], nature="individual", province=province) == []
    assert "residence_permit" not in [document.code for document in documents_for(filing)]


@pytest.mark.parametrize("nature, websites, needed", [
    ("individual", 5, True),    # the sixth website of an individual in Guangdong
    ("individual", 4, False),
    ("enterprise", 9, False),
])
def test_guangdong_asks_an_individual_past_five_websites_for_a_plan(app, nature, websites, needed):
    filing = make_ready_filing(app, nature=nature, province="guangdong")
    filing["verified"] = {**filing["verified"], "subject_websites": websites}
    filing["subject"]["leader"] = {**filing["subject"]["leader"], "certificate_number": "440106199208150064"}
    assert ("website_plan" in codes(filing)) is needed


def documents_of(filing) -> dict[str, bool]:
    """The order's documents: each kind's code and whether it is required."""
    return {kind.code: kind.required for kind in documents_for(filing)}


@pytest.mark.parametrize("province, nature, websites, plan", [
    ("guangdong", "enterprise", 31, True),    # an organisation's 32nd website in Guangdong [TC] [JD]
    ("guangdong", "enterprise", 30, None),
    ("chongqing", "individual", 5, True),     # the 6th website of any subject in Chongqing [TC]
    ("chongqing", "enterprise", 4, None),
    ("hunan", "enterprise", 1, False),        # a subject already filed in Hunan: optional (JD asks, TC does not)
    ("hunan", "enterprise", 0, None),
    ("beijing", "enterprise", 40, None),
])
def test_a_website_plan_past_the_provinces_count(app, province, nature, websites, plan):
    filing = make_ready_filing(app, nature=nature, province=province)
    filing["verified"] = {**filing["verified"], "subject_websites": websites}
    filing["subject"] = {**filing["subject"], "certificate_address": ""}
    assert documents_of(filing).get("website_plan") is plan


@pytest.mark.parametrize("province, websites, required", [
    ("jiangsu", 0, True),      # [TC] "每个域名都必须提供域名证书"
    ("hunan", 0, True),
    ("henan", 4, True),        # the subject's 5th domain [TC] [JD Shaanxi]
    ("henan", 3, False),
    ("shaanxi", 4, True),
    ("beijing", 9, False),     # optional elsewhere, as before
])
def test_a_domain_certificate_is_required_where_the_province_asks(app, province, websites, required):
    filing = make_ready_filing(app, nature="enterprise", province=province)
    filing["verified"] = {**filing["verified"], "subject_websites": websites}
    assert documents_of(filing)["domain_certificate"] is required
    [certificate] = [kind for kind in documents_for(filing) if kind.code == "domain_certificate"]
    assert certificate.hint.startswith("Required") is required


def test_every_document_row_names_a_known_condition_and_kind():
    for row in rules.REQUIRED_DOCUMENTS:
        assert row.kind in rules.DOCUMENT_KINDS
        assert row.when is None or row.when in rules.DOCUMENT_CONDITIONS
        assert row.unless is None or row.unless in rules.DOCUMENT_CONDITIONS
    for province, count_rules in rules.WEBSITE_PLAN_RULES.items():
        assert province in rules.PROVINCES
        assert all(r.from_website >= 1 and r.subject in (None, "individual", "organisation") and r.source
                   for r in count_rules)
    assert set(rules.DOMAIN_CERTIFICATE_RULES) <= set(rules.PROVINCES)


# ---- the approval's term and the licence's term ---------------------------------------------------------

@pytest.mark.parametrize("valid_until, severity", [
    (None, rules.REFUSE),
    (TODAY - timedelta(days=1), rules.REFUSE),
    (TODAY + timedelta(days=60), rules.WARN),
    (TODAY + timedelta(days=400), None),
])
def test_the_approval_term_refuses_when_missing_or_passed_and_warns_when_near(valid_until, severity):
    problems = checks.approval_validity_problems(["news"], valid_until, today=TODAY)
    assert [p.severity for p in problems] == ([severity] if severity else [])
    assert all(p.field == "approval_valid_until" for p in problems)
    assert checks.approval_validity_problems([], None, today=TODAY) == []


@pytest.mark.parametrize("nature, subject, refused", [
    ("enterprise", {}, True),                                          # not answered
    ("enterprise", {"certificate_long_term": True}, False),
    ("enterprise", {"certificate_valid_until": "2027-01-31"}, True),   # within 3 months
    ("enterprise", {"certificate_valid_until": "2030-01-31"}, False),
    ("individual", {}, False),                                         # the leader's ID is checked instead
])
def test_the_subject_certificate_term_is_checked_like_a_persons(nature, subject, refused):
    problems = checks.subject_certificate_problems({"nature": nature}, subject, today=TODAY)
    assert bool(problems) is refused
    assert all(p.field == "subject_certificate_valid_until" and p.step == "subject" for p in problems)


# ---- the pages -----------------------------------------------------------------------------------------

@pytest.fixture
def applicant(client, auth):
    auth.login()
    return client


def approval(iso: str) -> dict:
    return {"preapproval_items": ["culture"], "approval_number": "京网文〔2025〕1234-001号",
            "approval_department": "北京市文化和旅游局", **date_boxes("approval_valid_until", iso)}


def test_the_website_step_asks_the_approvals_term(applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    soup = page(post_form(applicant, f"/filings/{filing_id}/website", {**WEBSITE, **approval("")}))
    assert "Enter the date the approval expires" in field_error(soup, "approval_valid_until")
    soup = page(post_form(applicant, f"/filings/{filing_id}/website", {**WEBSITE, **approval("2026-11-01")}))
    assert "expired on 2026-11-01" in field_error(soup, "approval_valid_until")


def test_an_approval_ending_soon_is_saved_with_a_warning_the_reviewer_sees(app, applicant, clock):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    soon = (clock().date() + timedelta(days=40)).isoformat()
    response = post_form(applicant, f"/filings/{filing_id}/website", {**WEBSITE, **approval(soon)})
    assert response.status_code == 302
    stored = app.extensions["icp_table"].get(*filing_key(filing_id))
    assert stored["website"]["approval_valid_until"] == soon
    # the documents now ask for the approval itself
    assert "preapproval_certificate" in upload_required(applicant, app, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/check"))
    warnings = soup.find(id="warnings-title").find_parent("div").get_text(" ", strip=True)
    assert "The approval expires within 3 months" in warnings
    assert submit(applicant, filing_id).status_code == 302
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    text = page(reviewer.get(f"/review/{filing_id}")).get_text(" ", strip=True)
    assert "The approval expires within 3 months" in text and "Pre-approval certificate" in text


def test_the_check_page_asks_for_the_commitment_when_a_trade_word_has_no_pre_approval(app, applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    save(applicant, filing_id, "website", {**WEBSITE, "name": "示例游戏商城"})
    soup = page(applicant.get(f"/filings/{filing_id}/check"))
    refusals = soup.find(id="verdict").get_text(" ", strip=True)
    assert "Upload this document: Commitment that no pre-approval is needed" in refusals
    link = soup.find("a", href=f"/filings/{filing_id}/documents/no_preapproval_commitment")
    assert link is not None


def test_the_subject_step_asks_an_organisations_licence_term(applicant, clock):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    without = {k: v for k, v in SUBJECT.items() if k != "subject_certificate_long_term"}
    soup = page(post_form(applicant, f"/filings/{filing_id}/subject", without))
    assert "Enter the date the certificate expires" in field_error(soup, "subject_certificate_valid_until")
    soon = (clock().date() + timedelta(days=30)).isoformat()
    soup = page(post_form(applicant, f"/filings/{filing_id}/subject",
                          {**without, **date_boxes("subject_certificate_valid_until", soon)}))
    assert "expires within 3 months" in field_error(soup, "subject_certificate_valid_until")
    later = (clock().date() + timedelta(days=3000)).isoformat()
    response = post_form(applicant, f"/filings/{filing_id}/subject",
                         {**without, **date_boxes("subject_certificate_valid_until", later)})
    assert response.status_code == 302


def test_the_term_fields_read_in_chinese(applicant):
    applicant.get("/language/zh")
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    text = page(applicant.get(f"/filings/{filing_id}/subject")).get_text(" ", strip=True)
    assert "主体证件有效期至" in text and "营业期限" in text


def test_an_individuals_subject_step_does_not_ask_the_term(applicant):
    filing_id = start(applicant, province="shanghai", nature="individual", certificate_type="resident_id",
                      certificate_number="310101198503120049", domain="zhangwei-blog.cn")
    bind_code(applicant, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/subject"))
    assert soup.find(id="subject_certificate_long_term") is None
