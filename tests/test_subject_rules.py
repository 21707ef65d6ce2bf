"""Rules on the subject itself (issue 20): the domain suffixes its nature allows, and an empty ("shell") subject."""
from __future__ import annotations

import pytest

from icp import rules
from tests.conftest import field_error, page
from tests.journey import BEIJING_ENTERPRISE, post_form, ready_to_submit


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
