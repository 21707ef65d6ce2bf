"""The rules about the filing's people, their phones and the subject's addresses (issue 20 items 1, 8, 9): each
returns the fields it finds at fault with a RuleViolation (refuse or warn, as icp.rules says), and icp.checks
places them on their step. Pure functions: no storage (the mobile already used by another subject is icp.mobiles').
"""
from __future__ import annotations

import re
from datetime import date

from icp import phone_regions, regions, residence, rules
from icp.rules import RuleViolation, _

Finding = tuple[str, RuleViolation]  # (the field at fault, what is wrong)

TOO_YOUNG = _("%(name)s is under %(min_age)s (born in %(year)s, by the resident ID): the subject leader and the "
              "administrator must be at least %(min_age)s years old in %(province)s. Choose a person who is")
LEGAL_REPRESENTATIVE_UNANSWERED = _("Select whether the subject leader is the organisation's legal representative")
LEGAL_REPRESENTATIVE_REQUIRED = _("In %(province)s the subject leader of an organisation must be its legal "
                                  "representative: enter the legal representative as the subject leader")
LEGAL_REPRESENTATIVE_EXPECTED = _("In %(province)s the subject leader of an organisation is expected to be its legal "
                                  "representative: enter the legal representative, or you will need %(document)s, "
                                  "and the filing may be returned")
LEGAL_REPRESENTATIVE_DOCUMENT = _("The subject leader is not the legal representative: you will need %(document)s; "
                                  "our reviewer will ask for it")
ADMINISTRATOR_MUST_BE_LEADER = _("In %(province)s, when the subject leader is not the organisation's legal "
                                 "representative, the %(role)s must be the subject leader: choose the subject "
                                 "leader, %(name)s")
ADMINISTRATOR_EXPECTED_LEADER = _("In %(province)s, when the subject leader is not the organisation's legal "
                                  "representative, the %(role)s is expected to be the subject leader, %(name)s, "
                                  "or the filing may be returned")
MINOR_NEEDS_DOCUMENT = _("%(name)s is under %(adult_age)s (born in %(year)s, by the resident ID): %(province)s "
                         "accepts a person under %(adult_age)s with %(document)s; our reviewer will ask for it")
RESIDENCE_PERMIT_NEEDED = _("The resident ID is of %(id_province)s, not %(province)s: %(province)s asks an "
                            "individual from another province for a residence permit (居住证) of %(province)s. "
                            "Upload it with the documents")
LOCAL_ID_ONLY = _("The resident ID is of %(id_province)s: %(province)s accepts an individual's filing only with a "
                  "resident ID of %(province)s")
NOT_LOCAL_NUMBER = _("%(number)s is a number of %(number_province)s: %(province)s asks for numbers of %(province)s. "
                     "Enter a number of %(province)s")
NOT_LOCAL_NUMBER_REASON = _("%(number)s is a number of %(number_province)s: %(province)s asks for numbers of "
                            "%(province)s. Enter a number of %(province)s, or give the reason in the website's "
                            "remarks")
ADDRESS_WITHOUT_PROVINCE = _("Begin the address with its province and city, like %(example)s")
ADDRESS_WITHOUT_CITY = _("Name the city after the province %(named)s, like %(example)s")
ADDRESS_CITY_ELSEWHERE = _("%(city)s is not in %(named)s: check the province and the city")
ADDRESS_NOT_LOCAL = _("The address is in %(address_province)s: %(province)s asks for an address in %(province)s")
NO_DOOR_NUMBER = _("Give the mailing address down to the door number, like 中关村大街1号2号楼301室; if it has none, "
                   "end it with 此地址已是最详细地址")


def _province_name(code: str) -> str:
    return rules.PROVINCES[code].name_en  # translated where shown (rule_message translates text parameters)


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_problems(person: dict, prefix: str, *, province: str, today: date, nature: str | None = None) -> list[Finding]:
    """A person under the province's minimum age, by the birth date in a resident ID (other certificates hold none):
    refused, or warned with the document the province then asks for (rules.MINORS_WITH_DOCUMENT)."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as StdnumError

    number = person.get("certificate_number") or ""
    if person.get("certificate_type") != "resident_id" or not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return []
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        return []  # the number's own check says what is wrong
    age, minimum = _age_on(born, today), rules.min_person_age(province, nature)
    field = f"{prefix}_certificate_number"
    if age < minimum:
        return [(field, RuleViolation("person_too_young", TOO_YOUNG, {
            "name": person.get("name") or "", "min_age": minimum, "year": born.year,
            "province": _province_name(province)}))]
    minor = rules.minor_rule(province, nature)
    if minor is not None and age < rules.MIN_PERSON_AGE:
        return [(field, RuleViolation("minor_needs_document", MINOR_NEEDS_DOCUMENT, {
            "name": person.get("name") or "", "adult_age": rules.MIN_PERSON_AGE, "year": born.year,
            "province": _province_name(province), "document": minor.document}, rules.WARN))]
    return []


def legal_representative_problems(answer: bool | None, *, nature: str, province: str) -> list[Finding]:
    """An organisation's leader who is not its legal representative: refused where the province requires one,
    warned where the providers differ (naming the authorisation then needed), else a warning naming the
    authorisation the reviewer will ask for. None: not answered (an order saved before the question was asked),
    which only matters where the province has a row."""
    if rules.NATURES[nature].is_individual or answer is True:
        return []
    field = "leader_is_legal_representative"
    required = rules.LEADER_MUST_BE_LEGAL_REPRESENTATIVE.get(province)
    if answer is None:
        return [(field, RuleViolation("legal_representative_unanswered", LEGAL_REPRESENTATIVE_UNANSWERED,
                                      {}, required.severity))] if required else []
    if required and required.severity == rules.REFUSE:
        return [(field, RuleViolation("leader_not_legal_representative", LEGAL_REPRESENTATIVE_REQUIRED,
                                      {"province": _province_name(province)}, rules.REFUSE))]
    if required:
        return [(field, RuleViolation("leader_not_legal_representative", LEGAL_REPRESENTATIVE_EXPECTED, {
            "province": _province_name(province), "document": rules.LEGAL_REPRESENTATIVE_AUTHORISATION}, rules.WARN))]
    return [(field, RuleViolation("legal_representative_authorisation", LEGAL_REPRESENTATIVE_DOCUMENT,
                                  {"document": rules.LEGAL_REPRESENTATIVE_AUTHORISATION}, rules.WARN))]


def administrator_choice_problems(administrator_is_leader: bool, subject: dict, *, nature: str, province: str,
                                  role: str) -> list[Finding]:
    """Another person as the service's administrator while the organisation's subject leader is not its legal
    representative: refused or warned where the province asks for the subject leader then
    (rules.ADMINISTRATOR_MUST_BE_LEADER); found at the administrator question of the website or app step."""
    required = rules.ADMINISTRATOR_MUST_BE_LEADER.get(province)
    if (required is None or administrator_is_leader or rules.NATURES[nature].is_individual
            or subject.get("leader_is_legal_representative") is not False):
        return []
    message = ADMINISTRATOR_MUST_BE_LEADER if required.severity == rules.REFUSE else ADMINISTRATOR_EXPECTED_LEADER
    params = {"province": _province_name(province), "role": role,
              "name": (subject.get("leader") or {}).get("name", "")}
    return [("administrator_is_leader", RuleViolation("administrator_not_leader", message, params,
                                                      required.severity))]


def id_region_problems(subject: dict, *, nature: str, province: str) -> list[Finding]:
    """An individual whose resident ID is of another province, where the province asks for a residence permit
    (a warning here: the permit itself is asked at the documents step) or takes local individuals only; which
    individuals, and what follows, is icp.residence's answer, the documents step's too."""
    found = residence.non_local_individual(subject, nature=nature, province=province)
    if found is None:
        return []
    permit = found.kind == "permit"
    return [("leader_certificate_number", RuleViolation(
        f"non_local_individual_{found.kind}", RESIDENCE_PERMIT_NEEDED if permit else LOCAL_ID_ONLY,
        {"id_province": _province_name(found.id_province), "province": _province_name(province)},
        rules.WARN if permit else found.requirement.severity))]


def phone_province_problems(person: dict, prefix: str, *, nature: str, province: str) -> list[Finding]:
    """A mobile or fixed line of another province, where the province asks for local numbers (the number's
    province by phonenumbers' geocoder; a number it places nowhere is not judged)."""
    rule = rules.LOCAL_PHONES.get(province)
    if rule is None or (rule.natures is not None and nature not in rule.natures):
        return []
    found = []
    for name in ("mobile", "emergency_phone"):
        number = person.get(name) or ""
        kind = "mobile" if len(number) == 11 and number.startswith("1") else "fixed_line"
        where = phone_regions.province_of(number) if number else None
        if kind in rule.kinds and where is not None and where != province:
            found.append((f"{prefix}_{name}", RuleViolation(
                "phone_not_local", NOT_LOCAL_NUMBER_REASON if rule.reason_in_remarks else NOT_LOCAL_NUMBER, {
                    "number": number, "number_province": _province_name(where), "province": _province_name(province)},
                rule.requirement.severity)))
    return found


def address_problems(field: str, address: str, *, nature: str, province: str) -> list[Finding]:
    """An address that names no province and city that exist (GB/T 2260), one outside the filing province where
    the province requires it, and a mailing address without a door number."""
    if not address:
        return []
    found = []
    example = rules.PROVINCES[province].name_zh + "…"
    region = regions.address_region(address)
    if region.province is None:
        found.append(RuleViolation("address_without_province", ADDRESS_WITHOUT_PROVINCE, {"example": example},
                                   rules.WARN))
    elif region.city is None:
        named = rules.PROVINCES[region.province].name_zh
        elsewhere = regions.address_region(region.rest)
        if elsewhere.city and elsewhere.province != region.province:
            found.append(RuleViolation("address_city_elsewhere", ADDRESS_CITY_ELSEWHERE,
                                       {"city": elsewhere.city, "named": named}, rules.WARN))
        else:
            found.append(RuleViolation("address_without_city", ADDRESS_WITHOUT_CITY,
                                       {"named": named, "example": named + "…"}, rules.WARN))
    local = rules.LOCAL_ADDRESSES.get(province)
    if (local is not None and field in local.fields and (local.natures is None or nature in local.natures)
            and region.province is not None and region.province != province):
        found.append(RuleViolation("address_not_local", ADDRESS_NOT_LOCAL, {
            "address_province": _province_name(region.province), "province": _province_name(province)},
            local.requirement.severity))
    if field == "mailing_address" and not re.search(rules.DOOR_NUMBER_PATTERN, address):
        found.append(RuleViolation("no_door_number", NO_DOOR_NUMBER, {}, rules.WARN))
    return [(field, violation) for violation in found]


def subject_findings(subject: dict, *, nature: str, province: str, today: date) -> list[Finding]:
    """Every finding of step 3's answers: the addresses, the leader's age, legal representative, ID region, phones."""
    leader = subject.get("leader") or {}
    found: list[Finding] = []
    for field in ("certificate_address", "mailing_address"):
        found += address_problems(field, subject.get(field) or "", nature=nature, province=province)
    found += age_problems(leader, "leader", province=province, today=today, nature=nature)
    found += legal_representative_problems(subject.get("leader_is_legal_representative"), nature=nature,
                                           province=province)
    found += id_region_problems(subject, nature=nature, province=province)
    found += phone_province_problems(leader, "leader", nature=nature, province=province)
    return found


def administrator_findings(administrator: dict | None, *, nature: str, province: str, today: date) -> list[Finding]:
    """Every finding of a different administrator's answers: age and phones."""
    if not administrator:
        return []
    return [*age_problems(administrator, "administrator", province=province, today=today, nature=nature),
            *phone_province_problems(administrator, "administrator", nature=nature, province=province)]
