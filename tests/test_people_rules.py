"""Issue 20 items 1 (phones' province), 8 (people) and 9 (addresses): each rule of icp.checks_people, the GB/T
2260 regions it reads (icp.regions) and the phone prefix table (icp.phone_regions) against phonenumbers' geocoder."""
from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.cn import ric

from icp import checks_people, phone_regions, regions, rules

TODAY = date(2026, 11, 27)


def resident_id(region: str, born: str, serial: str = "001") -> str:
    """A valid resident ID number issued in `region` (6 digits) for a birth date YYYYMMDD."""
    base = f"{region}{born}{serial}"
    return base + ric.calc_check_digit(base + "0")


def codes(findings) -> list[tuple[str, str, str]]:
    return [(field, v.code, v.severity) for field, v in findings]


# ---- people: age -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("born, province, expected", [
    ("20081127", "beijing", []),                                       # 18 today
    ("20081128", "beijing", [("leader_certificate_number", "person_too_young", rules.REFUSE)]),  # 18 tomorrow
    ("20100101", "jiangxi", []),                                       # 16 in Jiangxi is enough
    ("20110101", "jiangxi", [("leader_certificate_number", "person_too_young", rules.REFUSE)]),
    ("19491231", "beijing", []),
    # Jiangsu takes 16 to 18 with a proof of employment or income, and refuses under 16 (rules.MINORS_WITH_DOCUMENT)
    ("20100101", "jiangsu", [("leader_certificate_number", "minor_needs_document", rules.WARN)]),
    ("20110101", "jiangsu", [("leader_certificate_number", "person_too_young", rules.REFUSE)]),
])
def test_a_person_under_the_provinces_age_is_refused_by_the_birth_date_in_the_id(born, province, expected):
    person = {"name": "王小明", "certificate_type": "resident_id", "certificate_number": resident_id("110105", born)}
    assert codes(checks_people.age_problems(person, "leader", province=province, today=TODAY)) == expected


@pytest.mark.parametrize("nature, expected", [
    ("individual", [("leader_certificate_number", "minor_needs_document", rules.WARN)]),
    ("enterprise", [("leader_certificate_number", "person_too_young", rules.REFUSE)]),  # Chongqing's row: individuals
])
def test_a_minor_is_warned_with_the_document_only_for_the_natures_of_the_row(nature, expected):
    person = {"name": "王小明", "certificate_type": "resident_id",
              "certificate_number": resident_id("500101", "20100101")}
    found = checks_people.age_problems(person, "leader", province="chongqing", today=TODAY, nature=nature)
    assert codes(found) == expected


def test_the_minors_warning_names_the_document_the_province_asks_for():
    person = {"name": "王小明", "certificate_type": "resident_id",
              "certificate_number": resident_id("440106", "20100101")}
    [(_field, violation)] = checks_people.age_problems(person, "leader", province="guangdong", today=TODAY,
                                                       nature="individual")
    assert violation.params["document"] == rules.MINORS_WITH_DOCUMENT["guangdong"].document
    assert violation.params["adult_age"] == 18 and violation.params["province"] == "Guangdong"


def test_the_age_message_names_the_minimum_and_the_birth_year():
    person = {"name": "王小明", "certificate_type": "resident_id",
              "certificate_number": resident_id("110105", "20120301")}
    [(_field, violation)] = checks_people.age_problems(person, "administrator", province="beijing", today=TODAY)
    assert violation.params == {"name": "王小明", "min_age": 18, "year": 2012, "province": "Beijing"}


def test_a_passport_holds_no_birth_date_and_is_not_judged():
    person = {"certificate_type": "passport", "certificate_number": "E12345678"}
    assert checks_people.age_problems(person, "leader", province="beijing", today=TODAY) == []


# ---- people: the legal representative ---------------------------------------------------------------------------

@pytest.mark.parametrize("answer, province, expected", [
    (True, "shanghai", []),
    (False, "shanghai", [("leader_is_legal_representative", "leader_not_legal_representative", rules.REFUSE)]),
    (None, "henan", [("leader_is_legal_representative", "legal_representative_unanswered", rules.REFUSE)]),
    (None, "sichuan", []),  # an order saved before the question: nothing where the province has no row
    # Sichuan's pages all take the legal representative's authorisation instead
    (False, "sichuan", [("leader_is_legal_representative", "legal_representative_authorisation", rules.WARN)]),
    # JD Cloud's Beijing page: "Responsible person of the subject shall be the legal person"
    (False, "beijing", [("leader_is_legal_representative", "leader_not_legal_representative", rules.REFUSE)]),
    # the providers differ in Hainan (Tencent Cloud takes another leader): warned
    (False, "hainan", [("leader_is_legal_representative", "leader_not_legal_representative", rules.WARN)]),
    (None, "hainan", [("leader_is_legal_representative", "legal_representative_unanswered", rules.WARN)]),
])
def test_an_organisations_leader_who_is_not_the_legal_representative(answer, province, expected):
    found = checks_people.legal_representative_problems(answer, nature="enterprise", province=province)
    assert codes(found) == expected


def test_where_the_providers_differ_the_warning_names_the_authorisation():
    [(_field, violation)] = checks_people.legal_representative_problems(False, nature="enterprise",
                                                                        province="heilongjiang")
    assert violation.message == checks_people.LEGAL_REPRESENTATIVE_EXPECTED
    assert violation.params == {"province": "Heilongjiang", "document": rules.LEGAL_REPRESENTATIVE_AUTHORISATION}


def test_an_individual_is_not_asked_about_a_legal_representative():
    assert checks_people.legal_representative_problems(None, nature="individual", province="shanghai") == []


def test_every_legal_representative_row_names_a_province_and_a_source():
    for province, requirement in rules.LEADER_MUST_BE_LEGAL_REPRESENTATIVE.items():
        assert province in rules.PROVINCES and requirement.severity in rules.SEVERITIES and requirement.source


# ---- people: the ID's region for individuals --------------------------------------------------------------------

def individual(region: str, address: str = "") -> dict:
    """An individual subject whose leader's resident ID was first issued in `region`, with the ID's address."""
    return {"certificate_address": address,
            "leader": {"certificate_type": "resident_id", "certificate_number": resident_id(region, "19900101")}}


@pytest.mark.parametrize("region, province, expected", [
    ("310101", "shanghai", []),
    ("110105", "shanghai", [("leader_certificate_number", "non_local_individual_permit", rules.WARN)]),
    ("440106", "jiangxi", [("leader_certificate_number", "non_local_individual_permit", rules.WARN)]),
    ("440106", "fujian", [("leader_certificate_number", "non_local_individual_permit", rules.WARN)]),
    # Henan takes local IDs only (Tencent Cloud's current page and West Digital's): refused
    ("110105", "henan", [("leader_certificate_number", "non_local_individual_local_only", rules.REFUSE)]),
    ("110105", "chongqing", [("leader_certificate_number", "non_local_individual_local_only", rules.REFUSE)]),
    ("500101", "chongqing", []),
    ("110105", "beijing", []),
    ("440106", "beijing", []),  # Beijing has no row: a non-local individual files as before
])
def test_an_individuals_id_from_another_province(region, province, expected):
    found = checks_people.id_region_problems(individual(region), nature="individual", province=province)
    assert codes(found) == expected


def test_an_id_whose_address_lies_in_the_province_counts_as_local():
    """The number says where the ID was first issued; its address, where the holder is registered now: an
    individual either reading makes local is not held up."""
    moved = individual("130102", "重庆市渝中区解放碑1号")
    assert checks_people.id_region_problems(moved, nature="individual", province="chongqing") == []
    [(_field, violation)] = checks_people.id_region_problems(individual("500101", "河北省石家庄市长安区1号"),
                                                             nature="individual", province="gansu")
    assert violation.params == {"id_province": "Hebei", "province": "Gansu"}


def test_an_organisations_leader_may_come_from_any_province():
    assert checks_people.id_region_problems(individual("110105"), nature="enterprise", province="shanghai") == []


def test_the_id_names_its_province_by_gb_t_2260():
    assert regions.id_province("11010519491231002X") == "beijing"
    assert regions.id_province("440524188001010014") == "guangdong"
    assert regions.id_province("710101199001010011") is None  # Taiwan: not a filing province


# ---- phones ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("person, expected", [
    ({"mobile": "13800138000", "emergency_phone": "010-62345678"},  # Beijing's numbers
     [("leader_mobile", "phone_not_local", rules.REFUSE), ("leader_emergency_phone", "phone_not_local", rules.REFUSE)]),
    ({"mobile": "19912345678", "emergency_phone": "0371-62345678"}, []),  # a prefix placed only in China; Zhengzhou
])
def test_henan_asks_for_local_numbers(person, expected):
    found = checks_people.phone_province_problems(person, "leader", nature="individual", province="henan")
    assert codes(found) == expected
    found = checks_people.phone_province_problems(person, "leader", nature="enterprise", province="henan")
    assert codes(found) == expected


def test_a_mobile_only_row_leaves_the_fixed_line_alone():
    person = {"mobile": "13800138000", "emergency_phone": "010-62345678"}
    found = checks_people.phone_province_problems(person, "leader", nature="enterprise", province="jilin")
    assert codes(found) == [("leader_mobile", "phone_not_local", rules.REFUSE)]


def test_shaanxi_warns_and_asks_for_the_reason():
    person = {"mobile": "13800138000", "emergency_phone": ""}
    [(_field, violation)] = checks_people.phone_province_problems(person, "administrator", nature="enterprise",
                                                                  province="shaanxi")
    assert (violation.severity, violation.message) == (rules.WARN, checks_people.NOT_LOCAL_NUMBER_REASON)
    assert violation.params == {"number": "13800138000", "number_province": "Beijing", "province": "Shaanxi"}


def test_a_province_without_a_row_takes_any_number():
    person = {"mobile": "13800138000", "emergency_phone": "0755-12345678"}
    assert checks_people.phone_province_problems(person, "leader", nature="individual", province="jiangxi") == []
    assert checks_people.phone_province_problems(person, "leader", nature="enterprise", province="beijing") == []


@pytest.mark.parametrize("number, province", [
    ("13800138000", "beijing"), ("13912345678", "jiangsu"), ("15012345678", "yunnan"), ("19912345678", None),
    ("010-12345678", "beijing"), ("020-12345678", "guangdong"), ("0371-12345678", "henan"),
    ("0898-12345678", "hainan"), ("0755-1234567", "guangdong"),
])
def test_the_number_names_its_province(number, province):
    assert phone_regions.province_of(number) == province


def test_the_prefix_table_agrees_with_phonenumbers_geocoder():
    import phonenumbers
    from phonenumbers import geocoder

    from icp.phone_table import _province

    draw = random.Random(2026)
    checked = 0
    while checked < 3000:
        number = f"1{draw.randint(3, 9)}{draw.randint(0, 10 ** 9 - 1):09d}"
        try:
            parsed = phonenumbers.parse(number, "CN")
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(parsed):
            continue
        assert phone_regions.province_of(number) == _province(geocoder.description_for_number(parsed, "zh")), number
        checked += 1


def test_the_prefix_table_is_current_for_the_installed_phonenumbers():
    import json

    from icp.phone_table import table

    assert json.loads(phone_regions.PHONE_REGIONS_FILE.read_text(encoding="utf-8")) == table(), \
        "run python -m icp.phone_table"


# ---- addresses -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("address, province, city", [
    ("北京市海淀区中关村大街1号", "beijing", "海淀区"),
    ("北京海淀区中关村大街1号", "beijing", "海淀区"),
    ("广东省深圳市南山区科技园1号", "guangdong", "深圳市"),
    ("广州市天河区天河路385号", "guangdong", "广州市"),  # the province left out: its city names it
    ("内蒙古自治区呼和浩特市新城区1号", "inner_mongolia", "呼和浩特市"),
    ("中国上海市黄浦区1号", "shanghai", "黄浦区"),
    ("火星市某区1号", None, None),
])
def test_an_address_names_its_province_and_city(address, province, city):
    found = regions.address_region(address)
    assert (found.province, found.city) == (province, city)


@pytest.mark.parametrize("field, address, expected", [
    ("certificate_address", "北京市海淀区中关村大街1号", []),
    ("certificate_address", "海淀区中关村大街1号", [("address_without_province", rules.WARN)]),
    ("certificate_address", "北京市中关村大街1号", [("address_without_city", rules.WARN)]),
    ("certificate_address", "广东省郑州市金水路1号", [("address_city_elsewhere", rules.WARN)]),
    ("mailing_address", "北京市海淀区中关村大街", [("no_door_number", rules.WARN)]),
    ("mailing_address", "北京市海淀区中关村大街1号2号楼301室", []),
    ("mailing_address", "北京市海淀区西北旺村（此地址已是最详细地址）", []),
])
def test_an_address_that_names_no_real_place_or_door_warns(field, address, expected):
    found = checks_people.address_problems(field, address, nature="enterprise", province="beijing")
    assert [(v.code, v.severity) for _field, v in found] == expected


def test_henan_asks_for_addresses_in_henan():
    found = checks_people.address_problems("mailing_address", "河南省郑州市金水路1号", nature="individual",
                                           province="henan")
    assert found == []
    found = checks_people.address_problems("certificate_address", "北京市海淀区中关村大街1号", nature="enterprise",
                                           province="henan")
    assert [(f, v.code, v.severity, v.params) for f, v in found] == [
        ("certificate_address", "address_not_local", rules.WARN,
         {"address_province": "Beijing", "province": "Henan"})]


@pytest.mark.parametrize("nature, expected", [
    ("enterprise", [("address_not_local", rules.REFUSE)]),
    ("individual", []),  # an individual from another province gives a residence permit instead
])
def test_inner_mongolia_refuses_an_organisations_certificate_address_elsewhere(nature, expected):
    found = checks_people.address_problems("certificate_address", "北京市海淀区中关村大街1号", nature=nature,
                                           province="inner_mongolia")
    assert [(v.code, v.severity) for _f, v in found] == expected


def test_every_province_row_names_a_real_province_and_a_known_severity():
    tables = [rules.NON_LOCAL_INDIVIDUAL, rules.LOCAL_PHONES, rules.LOCAL_ADDRESSES, rules.MIN_PERSON_AGE_BY_PROVINCE,
              rules.MINORS_WITH_DOCUMENT]
    for table in tables:
        assert set(table) <= set(rules.PROVINCES)
    for kind, requirement in rules.NON_LOCAL_INDIVIDUAL.values():
        assert kind in ("permit", "local_only")
        assert requirement.severity in rules.SEVERITIES and requirement.source
    for rule in (*rules.LOCAL_PHONES.values(), *rules.LOCAL_ADDRESSES.values()):
        assert rule.requirement.severity in rules.SEVERITIES and rule.requirement.source
        assert rule.natures is None or rule.natures <= set(rules.NATURES)
    for rule in rules.LOCAL_PHONES.values():
        assert rule.kinds and rule.kinds <= {"mobile", "fixed_line"}
    for minor in rules.MINORS_WITH_DOCUMENT.values():
        assert 0 <= minor.min_age < rules.MIN_PERSON_AGE and minor.document and minor.source


@pytest.mark.parametrize("province, nature, legal_representative, administrator_is_leader, expected", [
    # Tencent Cloud and JD Cloud on Jiangsu: "主体负责人不是法定代表人时，网站负责人必须和主体负责人一致"
    ("jiangsu", "enterprise", False, False, [("administrator_is_leader", "administrator_not_leader", rules.REFUSE)]),
    ("jiangsu", "enterprise", False, True, []),   # the subject leader administers the website
    ("jiangsu", "enterprise", True, False, []),   # the legal representative leads: anyone may administer
    ("jiangsu", "enterprise", None, False, []),   # not answered (an order saved before the question)
    ("jiangsu", "individual", False, False, []),  # an individual has no legal representative
    ("hainan", "enterprise", False, False, [("administrator_is_leader", "administrator_not_leader", rules.WARN)]),
    ("sichuan", "enterprise", False, False, []),  # no row
])
def test_another_administrator_while_the_leader_is_not_the_legal_representative(
        province, nature, legal_representative, administrator_is_leader, expected):
    subject = {"leader_is_legal_representative": legal_representative, "leader": {"name": "王芳"}}
    found = checks_people.administrator_choice_problems(administrator_is_leader, subject, nature=nature,
                                                        province=province, role="website administrator")
    assert codes(found) == expected
    if found:
        assert found[0][1].params == {"province": rules.PROVINCES[province].name_en, "role": "website administrator",
                                      "name": "王芳"}


def test_every_administrator_row_names_a_province_and_a_source():
    for province, requirement in rules.ADMINISTRATOR_MUST_BE_LEADER.items():
        assert province in rules.PROVINCES and requirement.severity in rules.SEVERITIES and requirement.source
