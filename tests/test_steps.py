"""Every wizard step's refusals: the message is next to the field and linked from the error summary."""
from __future__ import annotations

import pytest

from tests.conftest import AuthActions, field_error, page
from tests.journey import (ADMINISTRATOR, BEIJING_ENTERPRISE, SUBJECT, WEBSITE, bind_code, post_form, save, start,
                           submit, upload_required)


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


# ---- step 1: filing type ------------------------------------------------------------------------

@pytest.mark.parametrize("change, field, message", [
    ({"province": ""}, "province", "Select the province"),
    ({"nature": ""}, "nature", "Select the subject's nature"),
    ({"certificate_type": "resident_id"}, "certificate_type", "For this subject nature, select one of"),
    ({"certificate_number": ""}, "certificate_number", "Enter the certificate number"),
    ({"certificate_number": "91110108MA01ABCD0C"}, "certificate_number", "check"),
    ({"certificate_number": "91110108MA01ABCD0"}, "certificate_number", "18"),
    ({"domain": ""}, "domain", "Enter the domain"),
    ({"domain": "www.example-shop.cn"}, "domain", "without www"),
    ({"domain": "https://example-shop.cn/"}, "domain", "domain"),
    ({"domain": "example-shop.zz"}, "domain", ".zz"),
    ({"province": "shanghai"}, "province", "another province"),
    ({"certificate_type": "organisation_code", "certificate_number": "MA01ABCD-0"}, "certificate_number", ""),
    ({"domain": "someone-else.cn"}, "domain", "not the subject"),
])
def test_filing_type_refusals(applicant, change, field, message):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, **change}))
    error = field_error(soup, field)
    assert error is not None, soup.find(class_="error-summary")
    assert message.lower() in error.lower()
    assert soup.title.string.startswith("Error:")


def test_individual_with_wrong_resident_id_check_digit(applicant):
    soup = page(post_form(applicant, "/filings/new", {
        "province": "shanghai", "nature": "individual", "certificate_type": "resident_id",
        "certificate_number": "310101198503120048", "domain": "zhangwei-blog.cn"}))
    assert "check" in field_error(soup, "certificate_number").lower()


def test_wrong_nature_names_the_field(applicant):
    soup = page(post_form(applicant, "/filings/new", {
        "province": "shanghai", "nature": "enterprise", "certificate_type": "business_licence",
        "certificate_number": "91110108MA01ABCD0B", "domain": "zhangwei-blog.cn"}))
    assert "another province" in field_error(soup, "province")


@pytest.mark.parametrize("change, heading", [
    ({"certificate_number": "91350100M000100Y43"}, "First filing"),
    ({"domain": "example-tech.cn"}, "Domain already filed"),
])
def test_other_filing_types_explain_what_to_do(applicant, app, change, heading):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, **change}))
    assert heading in soup.h1.get_text()
    assert app.extensions["icp_table"].query_index("owner", "applicant@example.com", lower_bound="FILING#",
                                                   upper_bound="FILING#\uffff") == []


def test_internationalised_domain_is_stored_both_ways(applicant, app):
    filing_id = start(applicant, domain="示例.中国")
    verified = app.extensions["icp_table"].get(f"FILING#{filing_id}", "META")["verified"]
    assert verified["domain"] == "示例.中国" and verified["domain_ascii"] == "xn--fsq092h.xn--fiqs8s"


def test_subject_filed_with_us_is_detected(applicant, app):
    filing_id = start(applicant, province="guangdong", certificate_number="91440101MA5CX8T10J",
                      domain="yunfan-cloud.cn")
    soup = page(applicant.get(f"/filings/{filing_id}/type"))
    assert "subject filed with us" in soup.h1.get_text()


def test_the_form_keeps_what_was_entered(applicant):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "www.example-shop.cn"}))
    assert soup.find(id="certificate_number")["value"] == "91110108MA01ABCD0B"
    assert soup.find(id="domain")["value"] == "www.example-shop.cn"
    assert soup.find("option", selected=True)["value"] == "beijing"


# ---- step 2: service code -----------------------------------------------------------------------

@pytest.mark.parametrize("code, message", [
    ("", "Enter the ICP filing service code"),
    ("SHORT", "16 characters"),
    ("NOSUCHCODE123456", "no service code"),
])
def test_service_code_refusals(applicant, code, message):
    filing_id = start(applicant)
    soup = page(post_form(applicant, f"/filings/{filing_id}/instance",
                          {"product_type": "alibaba_cloud", "service_code": code}))
    assert message.lower() in field_error(soup, "service_code").lower()


def test_code_bound_to_another_order_is_refused(applicant, app):
    first = start(applicant)
    bind_code(applicant, first)
    second = start(applicant, province="guangdong", certificate_number="91440101MA5CX8T10J",
                   domain="yunfan-cloud.cn")
    soup = page(post_form(applicant, f"/filings/{second}/instance",
                          {"product_type": "alibaba_cloud", "service_code": "DEMO7K2M9QX4LP8A"}))
    assert f"already used by order {first}" in field_error(soup, "service_code")


def test_other_accounts_code_is_unknown(app, client, auth):
    auth.register(email="stranger@example.com")
    filing_id = start(client)
    soup = page(post_form(client, f"/filings/{filing_id}/instance",
                          {"product_type": "alibaba_cloud", "service_code": "DEMO7K2M9QX4LP8A"}))
    assert "no service code" in field_error(soup, "service_code")


def test_verified_code_shows_the_instance(applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id, "demo7k2m9qx4lp8a")  # typed in lower case
    soup = page(applicant.get(f"/filings/{filing_id}/instance"))
    text = soup.get_text()
    assert "47.94.10.11" in text and "cn-beijing" in text


def test_rebinding_releases_the_previous_code(applicant, app):
    filing_id = start(applicant)
    bind_code(applicant, filing_id, "DEMO7K2M9QX4LP8A")
    bind_code(applicant, filing_id, "DEMO3H6T8RW5NB2C")
    table = app.extensions["icp_table"]
    assert table.get("CODE#DEMO7K2M9QX4LP8A", "META")["state"] == "available"
    assert table.get("CODE#DEMO3H6T8RW5NB2C", "META")["filing_id"] == filing_id


# ---- step 3: subject ----------------------------------------------------------------------------

@pytest.fixture
def at_subject(applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    return filing_id


@pytest.mark.parametrize("change, field, message", [
    ({"mailing_address": ""}, "mailing_address", "door number"),
    ({"leader_name": ""}, "leader_name", "Enter the full name"),
    ({"leader_certificate_number": "11010519491231002Y"}, "leader_certificate_number", ""),
    ({"leader_certificate_number": "110105194913310022"}, "leader_certificate_number", "date"),
    ({"leader_certificate_valid_until": "2027-01-15"}, "leader_certificate_valid_until", "3 months"),
    ({"leader_certificate_valid_until": "2020-01-01"}, "leader_certificate_valid_until", "3 months"),
    ({"leader_certificate_valid_until": "15/01/2031"}, "leader_certificate_valid_until", "year-month-day"),
    ({"leader_certificate_valid_until": ""}, "leader_certificate_valid_until", "long-term"),
    ({"leader_mobile": "12345678901"}, "leader_mobile", "mobile"),
    ({"leader_emergency_phone": "13911112222"}, "leader_emergency_phone", "different from"),
    ({"leader_email": "wang@"}, "leader_email", "email"),
    ({"leader_certificate_type": ""}, "leader_certificate_type", "Select the certificate type"),
])
def test_subject_refusals(applicant, at_subject, change, field, message):
    soup = page(post_form(applicant, f"/filings/{at_subject}/subject", {**SUBJECT, **change}))
    error = field_error(soup, field)
    assert error is not None, [e.get_text() for e in soup.select(".error-message")]
    assert message.lower() in error.lower()
    # nothing entered is lost
    assert soup.find(id="certificate_address")["value"] == SUBJECT["certificate_address"]


def test_long_term_certificate_needs_no_date(applicant, at_subject):
    save(applicant, at_subject, "subject", {**SUBJECT, "leader_certificate_valid_until": "",
                                            "leader_certificate_long_term": "y"})


def test_individual_leader_is_prefilled_and_must_be_the_subject(applicant):
    filing_id = start(applicant, province="hainan", nature="individual", certificate_type="resident_id",
                      certificate_number="460100199007150020", domain="lina-notes.cn")
    bind_code(applicant, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/subject"))
    assert soup.find(id="leader_name")["value"] == "李娜"
    soup = page(post_form(applicant, f"/filings/{filing_id}/subject", {**SUBJECT}))
    assert "the subject leader is the subject" in field_error(soup, "leader_certificate_number")


# ---- step 4: website ----------------------------------------------------------------------------

@pytest.fixture
def at_website(applicant, at_subject):
    save(applicant, at_subject, "subject", SUBJECT)
    return at_subject


@pytest.mark.parametrize("change, field, message", [
    ({"name": ""}, "name", "Enter the website's name"),
    ({"name": "ab"}, "name", "Latin"),
    ({"name": "12345"}, "name", "digits"),
    ({"name": "Shopping"}, "name", "Latin"),
    ({"name": "example-shop.cn"}, "name", "domain"),
    ({"name": "示例商城!"}, "name", "symbol"),
    ({"name": "中国示例商城"}, "name", "中国"),
    ({"home_url": "http://www.other.cn"}, "home_url", "example-shop.cn"),
    ({"home_url": "ftp://example-shop.cn"}, "home_url", "http"),
    ({"service_content": []}, "service_content", "at least one"),
    ({"languages": []}, "languages", "at least one"),
    ({"preapproval_items": ["news"]}, "approval_number", "approval number"),
    ({"preapproval_items": ["news"], "approval_number": "X-1"}, "approval_department", "department"),
    ({"administrator_is_leader": ""}, "administrator_is_leader", "Select who"),
    ({**ADMINISTRATOR, "administrator_mobile": "13911112222"}, "administrator_mobile", "differ"),
    ({**ADMINISTRATOR, "administrator_email": "wang@example-shop.cn"}, "administrator_email", "differ"),
    ({**ADMINISTRATOR, "administrator_emergency_phone": "010-62345678"}, "administrator_emergency_phone",
     "differ"),
    ({**ADMINISTRATOR, "administrator_emergency_phone": "13722223333"}, "administrator_emergency_phone",
     "different from"),
    ({**ADMINISTRATOR, "administrator_name": ""}, "administrator_name", "Enter the full name"),
])
def test_website_refusals(applicant, at_website, change, field, message):
    soup = page(post_form(applicant, f"/filings/{at_website}/website", {**WEBSITE, **change}))
    error = field_error(soup, field)
    assert error is not None, [e.get_text() for e in soup.select(".error-message")]
    assert message.lower() in error.lower()


def test_individual_limits(applicant):
    filing_id = start(applicant, province="hainan", nature="individual", certificate_type="resident_id",
                      certificate_number="460100199007150020", domain="lina-notes.cn")
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", {**SUBJECT, "leader_name": "李娜",
                                           "leader_certificate_number": "460100199007150020"})
    soup = page(applicant.get(f"/filings/{filing_id}/website"))
    offered = {i["value"] for i in soup.select("input[name=service_content]")}
    assert offered == {"blog", "other"}
    soup = page(post_form(applicant, f"/filings/{filing_id}/website",
                          {**WEBSITE, "name": "李娜的论坛", "home_url": "http://lina-notes.cn",
                           "service_content": ["blog"]}))
    assert "论坛" in field_error(soup, "name")
    soup = page(post_form(applicant, f"/filings/{filing_id}/website",
                          {**WEBSITE, "name": "李娜的笔记", "home_url": "http://lina-notes.cn",
                           "service_content": ["online_shop"]}))
    assert field_error(soup, "service_content")


def test_several_name_rules_are_all_named(applicant, at_website):
    soup = page(post_form(applicant, f"/filings/{at_website}/website", {**WEBSITE, "name": "中国!"}))
    text = soup.find(id="name-error").get_text()
    assert "中国" in text and "symbol" in text.lower()


def test_change_link_returns_to_check(applicant, at_website):
    save(applicant, at_website, "website", WEBSITE)
    response = post_form(applicant, f"/filings/{at_website}/subject?return=check", SUBJECT)
    assert response.location.endswith(f"/filings/{at_website}/check")


def test_check_page_links_every_problem_to_its_field(applicant, at_website, app, clock):
    save(applicant, at_website, "website", WEBSITE)
    soup = page(applicant.get(f"/filings/{at_website}/check"))
    links = [a["href"] for a in soup.select(".error-summary a")]
    assert any(link.endswith("/documents/authenticity_statement") for link in links)
    response = post_form(applicant, f"/filings/{at_website}/check", {})
    assert response.status_code == 200  # refused: the problems are shown again
    assert app.extensions["icp_table"].get(f"FILING#{at_website}", "META")["status"] == "DRAFT"


def test_certificate_expiring_since_saving_is_caught_at_check(applicant, at_website, app, clock):
    save(applicant, at_website, "website", WEBSITE)
    save(applicant, at_website, "subject", {**SUBJECT, "leader_certificate_valid_until": "2027-03-15"})
    assert not page(applicant.get(f"/filings/{at_website}/check")).select(".error-summary a[href$='leader_certificate_valid_until']")
    clock.advance(days=20)  # now the certificate expires within 3 months
    AuthActions(applicant).login()  # a session lasts 12 hours at most: the applicant logs in again
    soup = page(applicant.get(f"/filings/{at_website}/check"))
    assert any("leader_certificate_valid_until" in a["href"] for a in soup.select(".error-summary a"))


def test_domain_without_real_name_verification_is_caught_at_check(applicant, app):
    filing_id = start(applicant, domain="example-pending.cn")
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    save(applicant, filing_id, "website", {**WEBSITE, "home_url": "http://www.example-pending.cn"})
    soup = page(applicant.get(f"/filings/{filing_id}/check"))
    assert "real-name verification" in soup.find(class_="error-summary").get_text()


# ---- warnings: shown beside the field and on the check page, never blocking (issue 10, item 3) ------------------

def test_two_character_enterprise_name_is_saved_with_a_warning(applicant, at_website):
    # 知乎 and 百度 are enterprise names in MIIT's records: a provider's "at least 3 characters" only warns
    response = post_form(applicant, f"/filings/{at_website}/website", {**WEBSITE, "name": "示例"})
    assert response.status_code == 302
    soup = page(applicant.get(f"/filings/{at_website}/website"))
    assert soup.find(id="name-error") is None
    assert "MIIT" in soup.find(id="name-warning").get_text()
    assert "name-warning" in soup.find(id="name")["aria-describedby"]


def test_check_page_lists_warnings_apart_from_refusals(applicant, at_website):
    save(applicant, at_website, "website", {**WEBSITE, "name": "示例"})
    soup = page(applicant.get(f"/filings/{at_website}/check"))
    warnings = [a.get_text() for a in soup.select(".notice--warning a")]
    refusals = [a.get_text() for a in soup.select(".error-summary a")]
    assert len(warnings) == 1 and "MIIT" in warnings[0]
    assert not any("MIIT" in text for text in refusals)
    assert soup.select_one(".notice--warning a")["href"].endswith("#name")


def test_submission_goes_ahead_with_only_warnings(applicant, at_website, app):
    save(applicant, at_website, "website", {**WEBSITE, "name": "示例"})
    upload_required(applicant, app, at_website)
    response = submit(applicant, at_website)
    assert response.status_code == 302 and response.location.endswith(f"/filings/{at_website}/submitted")


def test_a_refusal_still_blocks_the_save(applicant, at_website):
    # sensitive words refuse for every nature (issue 10, item 2)
    soup = page(post_form(applicant, f"/filings/{at_website}/website", {**WEBSITE, "name": "示例赌场娱乐"}))
    assert "赌场" in field_error(soup, "name")
