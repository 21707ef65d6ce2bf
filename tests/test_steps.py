"""Every wizard step's refusals: the message is next to the field and linked from the error summary."""
from __future__ import annotations

import pytest

from icp.codes import code_key
from icp.filing import filing_key, owner_sort_bounds
from tests.conftest import AuthActions, field_error, page
from tests.journey import (ADMINISTRATOR, BEIJING_ENTERPRISE, SUBJECT, WEBSITE, bind_code, date_boxes, post_form, save,
                           start, submit, upload_required)


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
    ({"certificate_type": "organisation_code", "certificate_number": "MA01ABCD-0"}, "certificate_number", "does not match"),
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
    assert app.extensions["icp_table"].query_index("owner", "applicant@example.com", lower_bound=owner_sort_bounds()[0],
                                                   upper_bound=owner_sort_bounds()[1]) == []


def test_internationalised_domain_is_stored_both_ways(applicant, app):
    filing_id = start(applicant, domain="示例.中国")
    verified = app.extensions["icp_table"].get(*filing_key(filing_id))["verified"]
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


def test_step_1_shows_where_it_stands(applicant):
    soup = page(applicant.get("/filings/new"))
    steps = soup.find("nav", class_="steps")
    assert steps.find(class_="steps__caption").get_text(strip=True) == "Step 1 of 6: Filing type"
    assert steps.find(attrs={"aria-current": "step"}).get_text(" ", strip=True).startswith("Filing type")
    assert len(steps.find_all("li")) == 6


def test_certificate_types_are_offered_under_their_nature(applicant):
    soup = page(applicant.get("/filings/new"))
    groups = {g["label"]: [o["value"] for o in g.find_all("option")]
              for g in soup.find(id="certificate_type").find_all("optgroup")}
    assert groups["Enterprise"] == ["business_licence", "organisation_code"]
    assert "passport" in groups["Individual"] and "passport" not in groups["Enterprise"]
    # each option names its nature, so the page's script can offer only the chosen nature's types
    assert soup.find("option", value="passport")["data-nature"] == "individual"


def test_an_enterprise_with_a_passport_is_refused_at_the_field(applicant):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "certificate_type": "passport",
                                                      "certificate_number": "E12345678"}))
    assert "For this subject nature, select one of" in field_error(soup, "certificate_type")


@pytest.mark.parametrize("change", [{"domain": "example-tech.cn"}, {"certificate_number": "91350100M000100Y43"}])
def test_check_and_try_again_brings_the_answers_back(applicant, change):
    entered = {**BEIJING_ENTERPRISE, **change}
    explained = page(post_form(applicant, "/filings/new", entered))
    button = explained.find("button", string=lambda s: s and "Check and try again" in s)
    form = button.find_parent("form")
    assert form["action"] == "/filings/new" and form["method"] == "post"
    posted = {i["name"]: i.get("value", "") for i in form.find_all("input")} | {button["name"]: button["value"]}
    soup = page(applicant.post(form["action"], data=posted))
    assert soup.h1.get_text(strip=True) == "Verify the filing type"
    assert not soup.select(".error-message"), "answers brought back are not refused"
    assert soup.find(id="province").find("option", selected=True)["value"] == entered["province"]
    assert soup.find("input", attrs={"name": "nature", "checked": True})["value"] == entered["nature"]
    assert soup.find(id="certificate_type").find("option", selected=True)["value"] == entered["certificate_type"]
    assert soup.find(id="certificate_number")["value"] == entered["certificate_number"]
    assert soup.find(id="domain")["value"] == entered["domain"]


def test_an_already_filed_domain_links_what_to_do(applicant, client):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "example-tech.cn"}))
    add_access = soup.find("a", href="/terms#add-access")
    assert add_access is not None, "the page says add access: it links to what that is"
    assert page(client.get("/terms")).find(id="add-access")
    assert soup.find("a", href="https://beian.miit.gov.cn/")


# ---- step 2: service code -----------------------------------------------------------------------

@pytest.mark.parametrize("code, message", [
    ("", "Enter the ICP filing service code"),
    ("SHORT", "16 characters"),
    ("NOSUCHCODE123456", "no service code"),
])
def test_service_code_refusals(applicant, code, message):
    filing_id = start(applicant)
    soup = page(post_form(applicant, f"/filings/{filing_id}/instance",
                          {"product_type": "alibaba_cloud", "code_choice": "typed", "service_code": code}))
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
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    assert table.get(*code_key("DEMO3H6T8RW5NB2C"))["filing_id"] == filing_id


# ---- step 3: subject ----------------------------------------------------------------------------

@pytest.fixture
def at_subject(applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    return filing_id


@pytest.mark.parametrize("change, field, message", [
    ({"mailing_address": ""}, "mailing_address", "door number"),
    ({"leader_name": ""}, "leader_name", "Enter the full name"),
    ({"leader_certificate_number": "11010519491231002Y"}, "leader_certificate_number", "17 digits"),
    ({"leader_certificate_number": "110105194913310022"}, "leader_certificate_number", "date"),
    (date_boxes("leader_certificate_valid_until", "2027-01-15"), "leader_certificate_valid_until", "3 months"),
    (date_boxes("leader_certificate_valid_until", "2020-01-01"), "leader_certificate_valid_until", "3 months"),
    (date_boxes("leader_certificate_valid_until"), "leader_certificate_valid_until", "long-term"),
    # the date is asked as three boxes: each way of getting them wrong is named at the field
    (date_boxes("leader_certificate_valid_until", "2031-02-31"), "leader_certificate_valid_until",
     "month 2 of 2031 has only 28 days"),
    (date_boxes("leader_certificate_valid_until", "2031-04-31"), "leader_certificate_valid_until", "only 30 days"),
    (date_boxes("leader_certificate_valid_until", "2031-13-01"), "leader_certificate_valid_until", "1 to 12"),
    ({"leader_certificate_valid_until-year": ""}, "leader_certificate_valid_until", "Enter the year"),
    ({"leader_certificate_valid_until-day": "", "leader_certificate_valid_until-month": ""},
     "leader_certificate_valid_until", "whole date"),
    ({"leader_certificate_valid_until-month": "June"}, "leader_certificate_valid_until", "numbers"),
    ({"leader_certificate_valid_until-year": "35"}, "leader_certificate_valid_until", "4 digits"),
    ({"leader_certificate_valid_until-year": "50101"}, "leader_certificate_valid_until", "4 digits"),
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
    save(applicant, at_subject, "subject", {**SUBJECT, **date_boxes("leader_certificate_valid_until"),
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
    assert app.extensions["icp_table"].get(*filing_key(at_website))["status"] == "DRAFT"


def test_missing_documents_say_upload_on_the_check_page(applicant, at_website):
    save(applicant, at_website, "website", WEBSITE)
    soup = page(applicant.get(f"/filings/{at_website}/check"))
    rows = {row.dt.get_text(strip=True): row for row in soup.select(".summary-list__row")}
    missing = rows["Authenticity statement"].find("a")
    assert missing.get_text(" ", strip=True).startswith("Upload")
    assert missing["href"].endswith(f"/filings/{at_website}/documents/authenticity_statement")
    assert rows["Website name"].find("a").get_text(" ", strip=True).startswith("Change")


def test_the_approval_fields_say_when_they_apply(applicant, at_website):
    soup = page(applicant.get(f"/filings/{at_website}/website"))
    group = soup.find(id="approval_number").find_parent("fieldset")
    assert "only if you ticked a pre-approval item" in group.legend.get_text()
    assert group.find(id="approval_department")
    # without JavaScript both are on the page; with it, they show while a pre-approval is ticked
    assert group["data-reveal-when"] == "preapproval_items=*"


def test_certificate_expiring_since_saving_is_caught_at_check(applicant, at_website, app, clock):
    save(applicant, at_website, "website", WEBSITE)
    save(applicant, at_website, "subject", {**SUBJECT, **date_boxes("leader_certificate_valid_until", "2027-03-15")})
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


def test_a_warning_reads_as_a_warning_on_the_next_step(applicant, at_website):
    """Issue 16 (15): the saved name's warning looked like an error on the documents step."""
    response = post_form(applicant, f"/filings/{at_website}/website", {**WEBSITE, "name": "示例"})
    soup = page(applicant.get(response.location))
    notice = soup.find(class_="notice--warning")
    assert "The website is saved" in notice.get_text() and "does not stop you submitting" in notice.get_text()
    assert "MIIT" in notice.get_text()
    assert not soup.find(class_="error-summary") and "There is a problem" not in soup.get_text()
    assert not soup.select(".notice--error")


def test_warnings_have_their_own_colour_not_the_error_red():
    import re
    from pathlib import Path

    css = re.sub(r"/\*.*?\*/", "", (Path(__file__).parents[1] / "static" / "site.css").read_text(), flags=re.S)
    rules = {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    warning, error = rules[".notice--warning"], rules[".notice--error"]
    assert "var(--error)" not in warning and "var(--warning)" in warning
    assert re.search(r"--warning: #[0-9a-f]{6}", css).group() != re.search(r"--error: #[0-9a-f]{6}", css).group()


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


# ---- step 2: choosing a code, applying for one (issue 7, usability 5) -----------------------------

def test_step_two_offers_the_accounts_available_codes(applicant):
    filing_id = start(applicant)
    soup = page(applicant.get(f"/filings/{filing_id}/instance"))
    options = {i["value"]: soup.find("label", attrs={"for": i["id"]}).get_text(" ", strip=True)
               for i in soup.select("input[name=code_choice]")}
    assert "DEMO7K2M9QX4LP8A" in options and "DEMO3H6T8RW5NB2C" in options
    label = options["DEMO7K2M9QX4LP8A"]
    assert "i-bp1demo0001" in label and "web-beijing" in label and "cn-beijing" in label


def test_choosing_a_listed_code_binds_it_without_typing(applicant, app):
    filing_id = start(applicant)
    response = post_form(applicant, f"/filings/{filing_id}/instance",
                         {"product_type": "alibaba_cloud", "code_choice": "DEMO3H6T8RW5NB2C", "service_code": ""})
    assert response.status_code == 302
    assert app.extensions["icp_table"].get(*code_key("DEMO3H6T8RW5NB2C"))["filing_id"] == filing_id


def test_a_code_bound_to_another_order_is_not_offered(applicant):
    first = start(applicant)
    bind_code(applicant, first)
    second = start(applicant, province="guangdong", certificate_number="91440101MA5CX8T10J",
                   domain="yunfan-cloud.cn")
    soup = page(applicant.get(f"/filings/{second}/instance"))
    values = [i["value"] for i in soup.select("input[name=code_choice]")]
    assert "DEMO7K2M9QX4LP8A" not in values and "DEMO3H6T8RW5NB2C" in values


def test_nothing_chosen_nor_typed_asks_for_a_choice(applicant):
    filing_id = start(applicant)
    soup = page(post_form(applicant, f"/filings/{filing_id}/instance", {"product_type": "alibaba_cloud"}))
    assert "Choose one of your service codes, or type one" in field_error(soup, "code_choice")


def test_a_typed_code_with_one_wrong_character_gets_the_clear_message(applicant):
    filing_id = start(applicant)
    soup = page(post_form(applicant, f"/filings/{filing_id}/instance",
                          {"product_type": "alibaba_cloud", "code_choice": "typed", "service_code": "DEMO7K2M9QX4LP8B"}))
    assert "There is no service code DEMO7K2M9QX4LP8B in your account" in field_error(soup, "service_code")


def test_applying_for_a_code_from_step_two_comes_back_selected(applicant, app):
    filing_id = start(applicant)
    soup = page(applicant.get(f"/filings/{filing_id}/instance"))
    offered = [i["value"] for i in soup.select("input[name=instance_id]")]
    assert offered == ["i-bp1demo0001", "i-uf6demo0002"]  # the eligible instances only
    response = post_form(applicant, f"/filings/{filing_id}/instance/apply-for-code",
                         {"instance_id": "i-uf6demo0002"})
    assert response.status_code == 302
    soup = page(applicant.get(response.location))
    checked = soup.select_one("input[name=code_choice][checked]")
    code = app.extensions["icp_table"].get(*code_key(checked['value']))
    assert code["instance_id"] == "i-uf6demo0002" and code["state"] == "available"


def test_applying_without_an_instance_says_so_next_to_the_field(applicant):
    filing_id = start(applicant)
    soup = page(post_form(applicant, f"/filings/{filing_id}/instance/apply-for-code", {}), 400)
    assert "Choose the instance" in field_error(soup, "instance_id")


def test_step_two_works_for_an_account_without_codes(app, client, auth):
    auth.register(email="stranger@example.com")
    filing_id = start(client)
    soup = page(client.get(f"/filings/{filing_id}/instance"))
    assert not soup.select("input[name=code_choice]") and soup.find(id="service_code")
    soup = page(post_form(client, f"/filings/{filing_id}/instance", {"product_type": "alibaba_cloud"}))
    assert "Enter the ICP filing service code" in field_error(soup, "service_code")
