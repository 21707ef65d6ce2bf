"""Rules on the subject itself (issue 20): the domain suffixes its nature allows, and an empty ("shell") subject."""
from __future__ import annotations

import pytest

from icp import rules
from tests.conftest import field_error, page
from tests.journey import BEIJING_APP, BEIJING_ENTERPRISE, post_form, ready_to_submit


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


# ---- item 5: the subject's nature and the domain's suffix -----------------------------------------------------

@pytest.mark.parametrize("nature, suffix, code", [
    ("government", "gov.cn", None),
    ("government", "政务", None),
    ("government", "政务.cn", None),
    ("government", "cn", "domain_suffix_for_nature"),
    ("government", "com", "domain_suffix_for_nature"),
    ("enterprise", "gov.cn", "domain_suffix_reserved"),
    ("individual", "政务", "domain_suffix_reserved"),
    ("public_institution", "gov.cn", "domain_suffix_reserved"),
    ("public_institution", "公益", None),
    ("public_institution", "cn", None),
    ("social_organisation", "公益.cn", None),
    ("enterprise", "公益", "domain_suffix_reserved"),
    ("enterprise", "cn", None),
])
def test_the_subjects_nature_decides_the_suffixes_it_may_use(nature, suffix, code):
    problem = rules.nature_domain_problem(nature, suffix)
    assert (problem.code if problem else None) == code
    assert problem is None or problem.severity == rules.REFUSE


def test_every_reserved_suffix_is_an_approved_one_and_every_nature_real():
    for reservation in rules.DOMAIN_SUFFIX_RESERVATIONS:
        assert reservation.suffixes <= rules.APPROVED_TLDS
        assert reservation.natures <= set(rules.NATURES)
    for nature, (suffixes, _message) in rules.NATURE_REQUIRED_SUFFIXES.items():
        assert nature in rules.NATURES and suffixes <= rules.APPROVED_TLDS


def test_step_1_refuses_a_gov_cn_domain_for_an_enterprise_at_the_domain_field(applicant):
    response = post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "example-shop.gov.cn"})
    message = field_error(page(response), "domain")
    assert "for government bodies only" in message and "“.gov.cn”" in message


def test_the_check_page_refuses_a_suffix_the_rules_now_reserve(app, monkeypatch):
    client, filing_id = ready_to_submit(app)
    # the order's domain is example-shop.cn; a rule changed since step 1 reserves .cn to government bodies
    monkeypatch.setattr(rules, "DOMAIN_SUFFIX_RESERVATIONS", (
        rules.SuffixReservation(frozenset({"cn"}), frozenset({"government"}),
                                rules.DOMAIN_SUFFIX_RESERVATIONS[0].message),))
    soup = page(client.get(f"/filings/{filing_id}/check"))
    assert "for government bodies only" in soup.get_text()


# ---- item 4: an empty ("shell") subject ---------------------------------------------------------------------

SHELL = {**BEIJING_ENTERPRISE, "province": "ningxia", "certificate_number": "91640100MA76KE7L4G",
         "domain": "helanshan-trade.cn"}


@pytest.mark.parametrize("filed_with_us, domain_found, code", [
    (False, False, "shell_subject"),
    (True, False, "shell_subject"),
    (False, True, "already_filed"),   # a domain filed by someone else is said first
])
def test_an_empty_subject_is_explained_not_taken(filed_with_us, domain_found, code):
    filing_type = rules.decide_filing_type(True, filed_with_us, domain_found, subject_is_shell=True)
    assert (filing_type.code, filing_type.continue_in_this_flow) == (code, False)


def test_an_empty_subject_is_explained_for_an_app_too():
    assert rules.decide_app_filing_type(True, False, False, subject_is_shell=True).code == "shell_subject"


def test_a_subject_in_force_still_adds_a_website():
    assert rules.decide_filing_type(True, False, False, subject_is_shell=False).code == "add_website_elsewhere"


def test_the_advice_follows_the_subjects_province():
    assert "Ningxia" in rules.shell_subject_advice("ningxia")
    assert rules.shell_subject_advice("beijing") == rules.SHELL_SUBJECT_DEFAULT_ADVICE
    assert set(rules.SHELL_SUBJECT_ADVICE) <= set(rules.PROVINCES)


def test_step_1_explains_an_empty_subject_with_what_to_do_in_its_province(applicant):
    response = post_form(applicant, "/filings/new", SHELL)
    soup = page(response)
    assert "Subject with no website or app in force" in soup.find("h1").get_text()
    assert "Ningxia communications administration" in soup.get_text()
    # the answers go back to step 1, to be corrected
    assert soup.find("input", attrs={"name": "certificate_number"})["value"] == SHELL["certificate_number"]


def test_step_1_of_an_app_explains_an_empty_subject(applicant):
    response = post_form(applicant, "/filings/new-app", {
        **BEIJING_APP, "province": "ningxia", "certificate_number": SHELL["certificate_number"]})
    assert "Subject with no website or app in force" in page(response).find("h1").get_text()
