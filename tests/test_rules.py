"""The regulator's rules as data: every table row and every function that reads a table."""

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

import pytest

from icp import rules
from icp.rules import (
    APPROVED_TLDS, CERTIFICATE_TYPES, CONTACT_RULES, DOCUMENT_KINDS, NATURES, PERSON_CERTIFICATE_TYPES,
    PREAPPROVAL_ITEMS, PROVINCES, SERVICE_CODE_POLICY, SERVICE_CODE_REFUSALS, SERVICE_CONTENT, UPLOAD_POLICY,
    WEBSITE_LANGUAGES, approved_suffix, certificate_expires_too_soon, decide_filing_type, deadline_policy,
    required_documents,
)


def test_rules_import_without_flask_and_load_libraries_lazily():
    code = ("import sys, icp.rules, icp.identifiers, icp.workdays, icp.checks_names; "
            "print(sorted(m for m in ('flask', 'phonenumbers', 'stdnum', 'chinese_calendar', 'idna') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_translation_marker_returns_its_argument():
    assert rules._("Enter the domain") == "Enter the domain"


# --- provinces ----------------------------------------------------------------------------------

# source: DOMAIN.md §8, typed again here so a slip in either place shows
EXPECTED_ABBREVIATIONS = {
    "beijing": "京", "tianjin": "津", "hebei": "冀", "shanxi": "晋", "inner_mongolia": "蒙", "liaoning": "辽",
    "jilin": "吉", "heilongjiang": "黑", "shanghai": "沪", "jiangsu": "苏", "zhejiang": "浙", "anhui": "皖",
    "fujian": "闽", "jiangxi": "赣", "shandong": "鲁", "henan": "豫", "hubei": "鄂", "hunan": "湘",
    "guangdong": "粤", "guangxi": "桂", "hainan": "琼", "chongqing": "渝", "sichuan": "蜀", "guizhou": "黔",
    "yunnan": "滇", "tibet": "藏", "shaanxi": "陕", "gansu": "陇", "qinghai": "青", "ningxia": "宁",
    "xinjiang": "新",
}


@pytest.mark.parametrize("code, abbr", EXPECTED_ABBREVIATIONS.items())
def test_province_abbreviation(code, abbr):
    assert PROVINCES[code].icp_abbr == abbr
    assert rules.PROVINCE_BY_ICP_ABBR[abbr].code == code


def test_thirty_one_provinces_in_order_with_unique_abbreviations():
    assert list(PROVINCES) == list(EXPECTED_ABBREVIATIONS)
    assert len({p.icp_abbr for p in PROVINCES.values()}) == 31


@pytest.mark.parametrize("code, not_abbr", [("sichuan", "川"), ("yunnan", "云"), ("gansu", "甘")])
def test_everyday_short_names_are_not_icp_abbreviations(code, not_abbr):
    assert not_abbr not in rules.PROVINCE_BY_ICP_ABBR
    assert rules.ICP_ABBR_MISTAKES[not_abbr] == code


def test_province_names():
    assert (PROVINCES["inner_mongolia"].name_en, PROVINCES["inner_mongolia"].name_zh) == ("Inner Mongolia", "内蒙古自治区")
    assert all(p.name_zh and p.name_en for p in PROVINCES.values())


# --- natures and certificates -------------------------------------------------------------------

@pytest.mark.parametrize("nature, is_individual, certificates", [
    ("enterprise", False, ("business_licence", "organisation_code")),
    ("individual", True, ("resident_id", "passport", "hmt_permit", "foreign_permanent_id")),
    ("government", False, ("government_certificate",)),
    ("public_institution", False, ("public_institution_certificate",)),
    ("social_organisation", False, ("social_organisation_certificate",)),
    ("private_non_enterprise", False, ("private_non_enterprise_certificate",)),
])
def test_nature_allows_only_its_certificates(nature, is_individual, certificates):
    assert NATURES[nature].is_individual is is_individual
    assert NATURES[nature].certificate_types == certificates
    assert all(c in CERTIFICATE_TYPES for c in certificates)


@pytest.mark.parametrize("code, validator", [
    ("business_licence", "uscc"), ("organisation_code", "organisation_code"), ("resident_id", "resident_id"),
    ("passport", "passport"), ("hmt_permit", "hmt_permit"), ("foreign_permanent_id", "foreign_permanent_id"),
    ("government_certificate", "registration_certificate"),
    ("public_institution_certificate", "registration_certificate"),
    ("social_organisation_certificate", "registration_certificate"),
    ("private_non_enterprise_certificate", "registration_certificate"),
])
def test_certificate_validator(code, validator):
    assert CERTIFICATE_TYPES[code].validator == validator


def test_people_hold_personal_certificates_only():
    assert PERSON_CERTIFICATE_TYPES == ("resident_id", "passport", "hmt_permit", "foreign_permanent_id")


# --- top-level domains --------------------------------------------------------------------------

@pytest.mark.parametrize("tld", ["cn", "com", "net", "org", "中国", "公司", "网络", "gov.cn", "com.cn", "我爱你"])
def test_domain_md_minimum_tlds_are_approved(tld):
    assert tld in APPROVED_TLDS


# providers list these as fileable (issue 10, item 5: QingCloud's Beijing list; MIIT's Chinese suffixes)
@pytest.mark.parametrize("tld", ["fashion", "beer", "auto", "luxe", "商店", "餐厅", "招聘", "世界", "政务", "公益"])
def test_providers_fileable_tlds_are_approved(tld):
    assert tld in APPROVED_TLDS


# 政务.cn and 公益.cn are second-level registries under .cn for government and public-interest bodies
@pytest.mark.parametrize("suffix", ["政务.cn", "公益.cn"])
def test_cn_second_level_registries_are_data(suffix):
    assert suffix in APPROVED_TLDS


# issue 10, item 5: 23 suffixes in neither provider list. those in the copy of MIIT's list stay; name and software
# are in no copy and go; org stays because DOMAIN.md §1 names it among the minimum (tested above)
@pytest.mark.parametrize("tld", ["asia", "band", "fans", "games", "guru", "host", "kim", "market", "mba", "media",
                                 "news", "pet", "press", "pub", "red", "sale", "school", "space", "studio", "website"])
def test_suffixes_in_miits_list_stay_approved(tld):
    assert tld in APPROVED_TLDS


@pytest.mark.parametrize("tld", ["io", "me", "app", "dev", "hk", "tw", "name", "software", "香港"])
def test_unapproved_tlds(tld):
    assert tld not in APPROVED_TLDS


@pytest.mark.parametrize("domain, suffix", [
    ("example.cn", "cn"),
    ("example.com.cn", "com.cn"),
    ("example.gov.cn", "gov.cn"),
    ("example.net.cn", "net.cn"),
    ("shop.example.com.cn", "com.cn"),
    ("example.com", "com"),
    ("com.example.com", "com"),
    ("例子.中国", "中国"),
    ("例子.公司", "公司"),
    ("example.政务.cn", "政务.cn"),   # issue 10: not "a subdomain of 政务.cn"
    ("example.公益.cn", "公益.cn"),
    ("example.政务", "政务"),
    ("com.cn", "cn"),      # one label must remain before the suffix
    ("example.io", None),
    ("cn", None),
])
def test_approved_suffix_is_the_longest(domain, suffix):
    assert approved_suffix(domain) == suffix


# --- filing type --------------------------------------------------------------------------------

@pytest.mark.parametrize("subject_found, filed_with_us, domain_found, code, continues", [
    (False, False, False, "first_filing", False),
    (False, True, False, "first_filing", False),
    (True, False, False, "add_website_elsewhere", True),
    (True, True, False, "add_website_with_us", True),
    (False, False, True, "already_filed", False),
    (False, True, True, "already_filed", False),
    (True, False, True, "already_filed", False),
    (True, True, True, "already_filed", False),
])
def test_decide_filing_type(subject_found, filed_with_us, domain_found, code, continues):
    filing_type = decide_filing_type(subject_found, filed_with_us, domain_found)
    assert (filing_type.code, filing_type.continue_in_this_flow) == (code, continues)
    assert filing_type.explanation


def test_every_filing_type_is_reachable():
    reachable = {row.filing_type for row in rules.FILING_TYPE_TABLE + rules.APP_FILING_TYPE_TABLE}
    assert reachable == set(rules.FILING_TYPES)


@pytest.mark.parametrize("subject_found, filed_with_us, app_found, code, continues", [
    (False, False, False, "first_filing", False),
    (False, False, True, "first_filing", False),   # no subject: a first filing, whatever the app
    (True, False, False, "add_app_elsewhere", True),
    (True, True, False, "add_app_with_us", True),
    (True, False, True, "app_already_filed", False),
    (True, True, True, "app_already_filed", False),
])
def test_decide_app_filing_type(subject_found, filed_with_us, app_found, code, continues):
    filing_type = rules.decide_app_filing_type(subject_found, filed_with_us, app_found)
    assert (filing_type.code, filing_type.continue_in_this_flow) == (code, continues)


def test_first_filing_explanation_names_the_fields_to_check():
    assert "certificate number" in rules.FILING_TYPES["first_filing"].explanation


# --- website information ------------------------------------------------------------------------

def test_individuals_service_content_is_blog_or_other():
    assert {s.code for s in SERVICE_CONTENT.values() if s.individual_allowed} == {"blog", "other"}
    assert SERVICE_CONTENT["blog"].label == "Blog / personal space"


def test_languages():
    assert list(WEBSITE_LANGUAGES) == ["zh_hans", "zh_hant", "en", "ja", "ko", "fr", "de", "es", "ru", "ar", "other"]


def test_preapproval_items():
    assert list(PREAPPROVAL_ITEMS) == [
        "news", "publishing", "education", "medical", "drugs_devices", "culture", "broadcast", "internet_finance"]


def test_name_rules_refer_to_real_preapproval_items_and_natures():
    for rule in rules.NAME_RULES:
        if rule.kind == "words_need_preapproval":
            assert rule.params["preapproval"] in PREAPPROVAL_ITEMS
        assert rule.natures is None or rule.natures <= set(NATURES)
        assert rule.exempt_natures <= set(NATURES)
    assert len({rule.code for rule in rules.NAME_RULES}) == len(rules.NAME_RULES)


# --- documents ----------------------------------------------------------------------------------

BASE_INDIVIDUAL = ["leader_id_front", "leader_id_back", "authenticity_statement"]
BASE_ORGANISATION = ["subject_certificate", "leader_id_front", "leader_id_back", "authenticity_statement"]
ADMINISTRATOR = ["admin_id_front", "admin_id_back", "authorisation_letter"]


def _ordered(codes):
    return [code for code in DOCUMENT_KINDS if code in codes]


@pytest.mark.parametrize("nature, administrator_is_leader, province, required", [
    ("individual", True, "beijing", BASE_INDIVIDUAL),
    ("individual", True, "guangdong", BASE_INDIVIDUAL + ["commitment_letter"]),
    ("individual", True, "shanghai", BASE_INDIVIDUAL + ["commitment_letter"]),
    ("individual", False, "beijing", BASE_INDIVIDUAL + ADMINISTRATOR),
    ("individual", False, "shanghai", BASE_INDIVIDUAL + ADMINISTRATOR + ["commitment_letter"]),
    ("enterprise", True, "beijing", BASE_ORGANISATION),
    ("enterprise", True, "guangdong", BASE_ORGANISATION + ["commitment_letter"]),
    ("enterprise", False, "zhejiang", BASE_ORGANISATION + ADMINISTRATOR),
    ("enterprise", False, "shanghai", BASE_ORGANISATION + ADMINISTRATOR + ["commitment_letter"]),
    ("government", True, "sichuan", BASE_ORGANISATION),
    ("public_institution", False, "guangdong", BASE_ORGANISATION + ADMINISTRATOR + ["commitment_letter"]),
    ("social_organisation", True, "tianjin", BASE_ORGANISATION),
    ("private_non_enterprise", False, "gansu", BASE_ORGANISATION + ADMINISTRATOR),
])
def test_required_documents(nature, administrator_is_leader, province, required):
    documents = required_documents(nature, administrator_is_leader, province)
    assert [d.code for d in documents if d.required] == _ordered(required)
    assert [d.code for d in documents if not d.required] == ["domain_certificate"]
    assert [d.code for d in documents] == _ordered(required + ["domain_certificate"])
    assert all(d.label and d.hint for d in documents)


def test_required_documents_do_not_change_the_kinds():
    required_documents("enterprise", True, "beijing")
    assert DOCUMENT_KINDS["domain_certificate"].required is True  # the table's default, set per filing


@pytest.mark.parametrize("nature, province", [("robot", "beijing"), ("enterprise", "hong_kong")])
def test_required_documents_unknown_inputs(nature, province):
    with pytest.raises(KeyError):
        required_documents(nature, True, province)


def test_upload_policy_limits():
    assert UPLOAD_POLICY.max_bytes == 5 * 1024 * 1024
    assert UPLOAD_POLICY.content_types == ("image/jpeg", "image/png")
    assert (UPLOAD_POLICY.min_width, UPLOAD_POLICY.min_height) == (500, 300)
    assert (UPLOAD_POLICY.max_width, UPLOAD_POLICY.max_height) == (5000, 5000)


def test_upload_policy_orientation_is_data():
    strict = replace(UPLOAD_POLICY, either_orientation=False)
    assert strict.dimensions_allowed(500, 300) and not strict.dimensions_allowed(300, 500)


@pytest.mark.parametrize("width, height, allowed", [
    (500, 300, True), (300, 500, True), (5000, 5000, True), (1200, 800, True),
    (499, 300, False), (500, 299, False), (299, 500, False), (5001, 300, False), (500, 5001, False),
])
def test_upload_dimensions(width, height, allowed):
    assert UPLOAD_POLICY.dimensions_allowed(width, height) is allowed


@pytest.mark.parametrize("mode, colour", [
    ("RGB", True), ("RGBA", True), ("P", True), ("CMYK", True), ("YCbCr", True),
    ("1", False), ("L", False), ("LA", False), ("I", False), ("I;16", False), ("F", False),
])
def test_upload_colour_modes(mode, colour):
    assert UPLOAD_POLICY.is_colour(mode) is colour


# --- deadlines ----------------------------------------------------------------------------------

def test_seed_deadline_policy_is_the_default():
    policy = deadline_policy()
    assert policy.name == "seed"
    assert policy.sms_verification_provinces == {
        "tianjin", "gansu", "tibet", "ningxia", "hainan", "xinjiang", "qinghai"}
    assert policy.sms_window == timedelta(hours=48)
    assert policy.wrong_code_limit is None


def test_current_practice_deadline_policy():
    policy = deadline_policy("current_practice")
    assert policy.sms_verification_provinces == set(PROVINCES)
    assert policy.sms_window == timedelta(hours=24)
    assert policy.wrong_code_limit == 5


@pytest.mark.parametrize("name", ["seed", "current_practice"])
def test_shared_time_limits(name):
    policy = deadline_policy(name)
    assert policy.draft_discard_after == timedelta(days=45)
    assert policy.draft_reminders_after == (timedelta(days=30), timedelta(days=40))
    assert policy.app_verification_provinces == {"shanghai"} == rules.APP_VERIFICATION_PROVINCES
    assert policy.administration_review_workdays == (3, 20)


@pytest.mark.parametrize("name, province, required", [
    ("seed", "tianjin", True), ("seed", "qinghai", True), ("seed", "beijing", False),
    ("seed", "shanghai", False), ("current_practice", "beijing", True),
])
def test_sms_verification_required(name, province, required):
    assert deadline_policy(name).sms_verification_required(province) is required


def test_unknown_deadline_policy():
    with pytest.raises(KeyError):
        deadline_policy("lenient")


@pytest.mark.parametrize("today, valid_until, refused", [
    (date(2025, 1, 15), date(2025, 4, 14), True),
    (date(2025, 1, 15), date(2025, 4, 15), False),
    (date(2025, 1, 31), date(2025, 4, 29), True),
    (date(2025, 1, 31), date(2025, 4, 30), False),   # three months after 31 January is 30 April
    (date(2025, 11, 30), date(2026, 2, 27), True),
    (date(2025, 11, 30), date(2026, 2, 28), False),
    (date(2025, 1, 15), date(2025, 1, 1), True),
    (date(2025, 1, 15), None, False),                 # long-term certificate
])
def test_certificate_expires_too_soon(today, valid_until, refused):
    assert certificate_expires_too_soon(valid_until, today) is refused


# --- service codes and contacts -----------------------------------------------------------------

def test_service_code_policy():
    assert SERVICE_CODE_POLICY.quota_per_instance == 5
    assert SERVICE_CODE_POLICY.min_subscription_months == 3
    assert SERVICE_CODE_POLICY.billing == "subscription"
    assert "cn-hangzhou" in SERVICE_CODE_POLICY.mainland_regions
    assert "cn-wuhan-lr" in SERVICE_CODE_POLICY.mainland_regions
    assert "cn-hongkong" not in SERVICE_CODE_POLICY.mainland_regions
    assert set(SERVICE_CODE_POLICY.product_types) == {"alibaba_cloud"}


def test_service_code_refusals():
    assert set(SERVICE_CODE_REFUSALS) == {
        "pay_as_you_go", "outside_mainland", "no_public_ip", "under_three_months", "not_running", "quota_used"}
    assert all(code == refusal.code for code, refusal in SERVICE_CODE_REFUSALS.items())


@pytest.mark.parametrize("rule", CONTACT_RULES, ids=lambda r: r.code)
def test_contact_rules_name_real_fields(rule):
    fields = {f"{person}.{name}" for person in ("leader", "administrator")
              for name in ("mobile", "emergency_phone", "email")}
    assert {rule.field, rule.must_differ_from} <= fields
    assert rule.field != rule.must_differ_from
    # a rule between two people binds only when they are two people
    assert rule.only_when_administrator_differs is (rule.field.split(".")[0] != rule.must_differ_from.split(".")[0])


# --- messages -----------------------------------------------------------------------------------

def _messages():
    """Yield every user-facing string the rules hold."""
    yield from (p.name_en for p in PROVINCES.values())
    yield from (c.label for c in CERTIFICATE_TYPES.values())
    yield from (n.label for n in NATURES.values())
    for t in rules.FILING_TYPES.values():
        yield from (t.label, t.explanation)
    yield from (s.label for s in SERVICE_CONTENT.values())
    yield from WEBSITE_LANGUAGES.values()
    for p in PREAPPROVAL_ITEMS.values():
        yield from (p.label, p.approver_hint)
    yield from (r.message for r in rules.NAME_RULES)
    for d in DOCUMENT_KINDS.values():
        yield from (d.label, d.hint)
    yield rules.CERTIFICATE_EXPIRES_TOO_SOON
    yield from (r.message for r in SERVICE_CODE_REFUSALS.values())
    yield from (r.message for r in CONTACT_RULES)
    yield from SERVICE_CODE_POLICY.product_types.values()


class _AnyParams(dict):
    def __missing__(self, key):
        return "x"


@pytest.mark.parametrize("message", list(_messages()))
def test_messages_format_with_named_parameters_only(message):
    assert message.strip() == message and message
    assert not re.search(r"%(?!\()", message), "use %(name)s placeholders only"
    message % _AnyParams()
