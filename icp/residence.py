"""Whether an individual from another province may file in the filing province, and with what (issue 20 items 8
and 10): the one answer that the pre-submission check (icp.checks_people) and the documents step (icp.documents)
both read, so the warning shown at the ID and the residence permit asked for among the documents never disagree."""
from __future__ import annotations

import re
from icp.records import record

from icp import regions, rules


@record
class NonLocalIndividual:
    """An individual leader whose resident ID is of another province, and what the filing province asks of them."""

    kind: str                              # "permit" (a residence permit of the province) or "local_only"
    requirement: rules.ProvinceRequirement
    id_province: str                       # the province the ID is of

    @property
    def permit_required(self) -> bool:
        """Whether the documents step requires the residence permit (False: it is asked as optional)."""
        return self.kind == "permit" and self.requirement.severity == rules.REFUSE


def id_provinces(subject: dict) -> list[str]:
    """The provinces an individual's resident ID is of: the province its number's first two digits name (where it
    was first issued, JD Cloud's "ID card of X") and the one its address names (the subject's certificate address is
    the ID's address, which follows the household register: Tencent Cloud's "证件地址"), the address's first. Empty
    for another certificate, or a number that names no filing province (Hong Kong, Macao, Taiwan)."""
    leader = subject.get("leader") or {}
    number = leader.get("certificate_number") or ""
    if leader.get("certificate_type") != "resident_id" or not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return []
    by_number = regions.id_province(number)
    if by_number is None:
        return []
    by_address = regions.address_region(subject.get("certificate_address") or "").province
    return list(dict.fromkeys(p for p in (by_address, by_number) if p))


def non_local_individual(subject: dict, *, nature: str, province: str) -> NonLocalIndividual | None:
    """What `province` asks of an individual subject whose resident ID is of another province (rules.
    NON_LOCAL_INDIVIDUAL), or None: an organisation, a local ID, another certificate, or a province without a row."""
    rule = rules.NON_LOCAL_INDIVIDUAL.get(province)
    if rule is None or not rules.NATURES[nature].is_individual:
        return None
    # either province counts as local: the providers read "an ID of the province" one way or the other, and an
    # individual both of them would take is not held up
    provinces = id_provinces(subject)
    if not provinces or province in provinces:
        return None
    kind, requirement = rule
    return NonLocalIndividual(kind, requirement, provinces[0])
