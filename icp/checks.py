"""Pre-submission checks: every reason the order would be rejected, each tied to the step and field to fix."""
from __future__ import annotations

from dataclasses import field
from datetime import date

from icp.records import record
from icp import checks_names, checks_people, codes, identifiers, mobiles, registrar, registry, rules
from icp.documents import missing_documents
from icp.filing import EDITABLE
from icp.order_types import ORDER_TYPES, order_type_of
from icp.rules import _, _n  # the markers pybabel extracts; translated where shown



@record
class Problem:
    """One reason for rejection (or, with severity WARN, a warning): where to fix it and what to do."""

    step: str
    field: str
    message: str
    params: dict = field(default_factory=dict)
    severity: str = rules.REFUSE


def certificate_validity_problems(valid_until: date | None, long_term: bool, *, today: date, step: str,
                                  prefix: str) -> list[Problem]:
    """A person's certificate validity: a date unless long-term, and not expiring within the margin (DOMAIN.md §9)."""
    field_id = f"{prefix}_certificate_valid_until"
    if long_term:
        return []
    if valid_until is None:
        # the example as typed in the three boxes (day month year; 年 月 日 in the Chinese text)
        return [Problem(step, field_id, _("Enter the date the certificate expires in the boxes, for example 30 6 "
                                          "2031, or tick long-term"))]
    if rules.certificate_expires_too_soon(valid_until, today):
        return [Problem(step, field_id, rules.CERTIFICATE_EXPIRES_TOO_SOON,
                        {"months": rules.CERTIFICATE_VALIDITY_MARGIN_MONTHS})]
    return []


def _person_problems(person: dict, step: str, prefix: str, today: date) -> list[Problem]:
    """A person's certificate and contact problems, re-checked on the day of submission."""
    valid_until = person.get("certificate_valid_until")
    problems = certificate_validity_problems(date.fromisoformat(valid_until) if valid_until else None,
                                             bool(person.get("certificate_long_term")), today=today, step=step,
                                             prefix=prefix)
    try:
        identifiers.certificate_number(person["certificate_type"], person["certificate_number"])
    except (identifiers.ValidationError, KeyError) as error:
        message = getattr(error, "message", _("Enter the certificate number"))
        problems.append(Problem(step, f"{prefix}_certificate_number", message, getattr(error, "params", {})))
    return problems


# where each person's answers are entered
PERSON_STEPS = {"leader": "subject", "administrator": "website"}


def contact_problems(leader: dict | None, administrator: dict | None, administrator_differs: bool,
                     step: str = "website") -> list[Problem]:
    """Contact rules (DOMAIN.md §3) as data: numbers and e-mail that must differ, each on its own field.

    Either person may be missing or partly filled in (a form checks one of them); only values given count.
    `step` is the service's step the administrator is on (a website's or an app's).
    """
    people = {"leader": leader or {}, "administrator": administrator or {}}
    problems = []
    for rule in rules.CONTACT_RULES:
        if rule.only_when_administrator_differs and not administrator_differs:
            continue
        who, name = rule.field.split(".")
        other_who, other_name = rule.must_differ_from.split(".")
        value, other = people[who].get(name), people[other_who].get(other_name)
        if value and other and value == other:
            # who administers the service, as the service's step names them (icp.order_types)
            role = next(t.role for t in ORDER_TYPES.values() if t.service_step == step)
            problems.append(Problem(PERSON_STEPS[who] if who == "leader" else step, f"{who}_{name}", rule.message,
                                    {"role": role}))
    return problems


def leader_problems(verified: dict, leader: dict) -> list[Problem]:
    """An individual's subject leader is the person filed with MIIT: the same certificate number."""
    number = leader.get("certificate_number")
    if rules.NATURES[verified["nature"]].is_individual and number and number != verified["certificate_number"]:
        return [Problem("subject", "leader_certificate_number", _(
            "For an individual, the subject leader is the subject: enter the certificate number filed with MIIT "
            "(%(number)s)"), {"number": verified["certificate_number"]})]
    return []


def home_url_problems(url: str, verified: dict) -> list[Problem]:
    """The home page must be a web address on the verified domain (with or without www.): icp.identifiers' rule."""
    if not url:
        return []
    try:
        identifiers.home_url(url, domain=verified["domain"], domain_ascii=verified["domain_ascii"])
    except identifiers.ValidationError as error:
        return [Problem("website", "home_url", error.message, error.params)]
    return []


def preapproval_problems(preapproval_items, approval_number: str, approval_department: str,
                         step: str = "website") -> list[Problem]:
    """A declared pre-approval needs its approval number and the department that gave it (seed step 5); `step`
    is the service's step the fields are on (a website's or an app's)."""
    if not preapproval_items:
        return []
    problems = []
    if not approval_number:
        problems.append(Problem(step, "approval_number",
                                _("Enter the approval number of the pre-approval you ticked")))
    if not approval_department:
        problems.append(Problem(step, "approval_department", _("Enter the department that gave the approval")))
    return problems


def approval_validity_problems(preapproval_items, valid_until: date | None, *, today: date,
                               step: str = "website") -> list[Problem]:
    """A declared pre-approval's period of validity: a date is needed; passed refuses, within the certificates'
    margin warns (rules.APPROVAL_EXPIRED, rules.APPROVAL_EXPIRES_SOON)."""
    if not preapproval_items:
        return []
    if valid_until is None:
        return [Problem(step, "approval_valid_until", _(
            "Enter the date the approval expires in the boxes, for example 30 6 2031"))]
    if valid_until < today:
        return [Problem(step, "approval_valid_until", rules.APPROVAL_EXPIRED, {"day": valid_until.isoformat()})]
    if rules.certificate_expires_too_soon(valid_until, today):
        return [Problem(step, "approval_valid_until", rules.APPROVAL_EXPIRES_SOON,
                        {"day": valid_until.isoformat(), "months": rules.CERTIFICATE_VALIDITY_MARGIN_MONTHS},
                        rules.WARN)]
    return []


def subject_certificate_problems(verified: dict, subject: dict, *, today: date) -> list[Problem]:
    """An organisation's certificate (its business licence or registration certificate): its term is asked and
    checked like a person's certificate (DOMAIN.md §9: refused when it ends within 3 months); an individual's
    certificate is the leader's, checked with the leader."""
    if rules.NATURES[verified["nature"]].is_individual:
        return []
    valid_until = subject.get("certificate_valid_until")
    return certificate_validity_problems(date.fromisoformat(valid_until) if valid_until else None,
                                         bool(subject.get("certificate_long_term")), today=today, step="subject",
                                         prefix="subject")


def _approval_problems(filing: dict, today: date) -> list[Problem]:
    """The service's approval validity, on the service's step (a website's or an app's)."""
    step = order_type_of(filing).service_step
    service = filing.get(step)
    if not service:
        return []
    valid_until = service.get("approval_valid_until")
    return approval_validity_problems(service.get("preapproval_items"),
                                      date.fromisoformat(valid_until) if valid_until else None, today=today,
                                      step=step)


def _website_name_problems(filing: dict) -> list[Problem]:
    """The website name's refusals and warnings, judged with the order's nature, province and people."""
    verified, website = filing["verified"], filing["website"]
    leader = (filing.get("subject") or {}).get("leader") or {}
    people = [leader.get("name"), (website.get("administrator") or {}).get("name")]
    if rules.NATURES[verified["nature"]].is_individual:
        people.append(verified["subject_name"])
    return [Problem("website", "name", v.message, dict(v.params), v.severity)
            for v in checks_names.website_name_problems(
                website["name"], domain=verified["domain"], nature=verified["nature"],
                preapproval_items=set(website["preapproval_items"]), province=verified["province"],
                person_names=people)]


def _app_name_problems(filing: dict) -> list[Problem]:
    """The app name's refusals and warnings (DOMAIN.md §13), at step 1 where the name was given."""
    from icp import apps

    verified, app = filing["verified"], filing.get("app") or {}
    leader = (filing.get("subject") or {}).get("leader") or {}
    people = [leader.get("name"), (app.get("administrator") or {}).get("name")]
    return [Problem("type", "app_name", v.message, dict(v.params), v.severity)
            for v in apps.app_name_problems(
                verified["app_name"], province=verified["province"], nature=verified["nature"],
                subject_name=verified["subject_name"], preapproval_items=set(app.get("preapproval_items") or ()),
                person_names=people)]


def _name_problems(filing: dict) -> list[Problem]:
    """The service name's refusals and warnings: the website's or the app's."""
    return _app_name_problems(filing) if filing["verified"].get("app_name") else _website_name_problems(filing)


def people_problems(filing: dict, *, today: date) -> list[Problem]:
    """The rules about the people, their phones and the subject's addresses (icp.checks_people), refusals and
    warnings, each on the step and field where it is fixed."""
    verified, service_step = filing["verified"], order_type_of(filing).service_step
    where = {"nature": verified["nature"], "province": verified["province"], "today": today}
    found = [("subject", finding) for finding in checks_people.subject_findings(filing.get("subject") or {}, **where)]
    service = filing.get(service_step) or {}
    if not service.get("administrator_is_leader", True):
        found += [(service_step, finding)
                  for finding in checks_people.administrator_findings(service.get("administrator"), **where)]
        # across the two steps: the subject step's answer decides whether another administrator may be chosen
        found += [(service_step, finding) for finding in checks_people.administrator_choice_problems(
            False, filing.get("subject") or {}, nature=verified["nature"], province=verified["province"],
            role=order_type_of(filing).role)]
    return [Problem(step, field_id, v.message, dict(v.params), v.severity) for step, (field_id, v) in found]


MOBILE_USED_ELSEWHERE = _("The %(whose)s's mobile %(mobile)s was given by another subject too (in our orders or the "
                          "MIIT registry): the administration rejects a number used by another subject. Give the "
                          "person's own mobile, or keep it if it truly is theirs")
PERSON_USED_ELSEWHERE = _("The %(whose)s's certificate %(number)s was given by another subject too, in our orders: "
                          "some communications administrations reject a person another subject has filed with. "
                          "Check that this is the right person for this subject")
PERSON_USED_ELSEWHERE_REJECTED = _("The %(whose)s's certificate %(number)s was given by another subject too, in our "
                                   "orders: the communications administration of %(province)s rejects a person "
                                   "another subject has filed with. Give a person of this subject's own")
MOBILE_UNCONFIRMED = _("Confirm the %(whose)s's mobile %(mobile)s with the code we text to it")


def mobile_owner(filing: dict, who: str) -> str:
    """Whose mobile, as the messages name the person: the subject leader, or the order's administrator role."""
    return _("subject leader") if who == "leader" else order_type_of(filing).role


def masked_mobile(mobile: str) -> str:
    """A mobile as pages show it beside a code or a warning: 139****2222."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else mobile


def _mobile_field(filing: dict, who: str) -> tuple[str, str]:
    """The step and field where the mobile of `who` is entered."""
    return ("subject", "leader_mobile") if who == "leader" else (order_type_of(filing).service_step,
                                                                  "administrator_mobile")


def mobile_reuse_warnings(table, filing: dict) -> list[Problem]:
    """A mobile of the order that another subject gave too (by hash: icp.mobiles), one query per mobile."""
    problems = []
    for who, mobile in mobiles.people_mobiles(filing):
        if mobiles.used_by_other_subjects(table, mobile, filing["verified"]["certificate_number"]):
            step, field_id = _mobile_field(filing, who)
            problems.append(Problem(step, field_id, MOBILE_USED_ELSEWHERE,
                                    {"whose": mobile_owner(filing, who), "mobile": masked_mobile(mobile)},
                                    rules.MOBILE_REUSE_SEVERITY))
    return problems


def masked_certificate(number: str) -> str:
    """A certificate number as pages show it beside a warning: its first 6 and last 4 characters."""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}" if len(number) > 10 else number


def person_reuse_warnings(table, filing: dict) -> list[Problem]:
    """A person of the order (their certificate) another subject gave too, in our orders (by hash:
    icp.certificate_index), one query per person; worded for the provinces whose administrations reject it."""
    from icp import certificate_index

    province = filing["verified"]["province"]
    rejected = province in rules.PERSON_REUSE_REJECTING_PROVINCES
    problems = []
    for who, kind, number in certificate_index.people_certificates(filing):
        if certificate_index.used_by_other_subjects(table, kind, number, filing["verified"]["certificate_number"]):
            step = "subject" if who == "leader" else order_type_of(filing).service_step
            params = {"whose": mobile_owner(filing, who), "number": masked_certificate(number)}
            if rejected:
                params["province"] = rules.PROVINCES[province].name_en
            problems.append(Problem(step, f"{who}_certificate_number",
                                    PERSON_USED_ELSEWHERE_REJECTED if rejected else PERSON_USED_ELSEWHERE, params,
                                    rules.PERSON_REUSE_SEVERITY))
    return problems


def unconfirmed_mobile_problems(filing: dict) -> list[Problem]:
    """Each mobile of an order still being edited that no code has confirmed: it blocks submission."""
    if filing.get("status") not in EDITABLE:
        return []
    return [Problem("check", f"mobile-code-{who}", MOBILE_UNCONFIRMED,
                    {"whose": mobile_owner(filing, who), "mobile": masked_mobile(mobile)})
            for who, mobile in mobiles.unconfirmed(filing)]


def submission_warnings(table, filing: dict, documents: dict, *, today: date,
                        prefetched: dict | None = None) -> list[Problem]:
    """What the applicant and the reviewer should know but that does not block submission (severity WARN).

    `prefetched` as for submission_problems: a page that shows both reads the registrar's answer once."""
    if not filing["steps"].get(order_type_of(filing).service_step):
        return []
    return [p for p in [*registration_warnings(table, filing, today=today, prefetched=prefetched),
                        *_name_problems(filing),
                        *_approval_problems(filing, today), *people_problems(filing, today=today),
                        *mobile_reuse_warnings(table, filing), *person_reuse_warnings(table, filing)]
            if p.severity == rules.WARN]


def registration_findings(holder, verified: dict, *, today: date) -> list[Problem]:
    """The new domain's registration (icp.registrar) at step 1's domain field: refusals and warnings."""
    return [Problem("type", "domain", v.message, dict(v.params), v.severity)
            for v in registrar.registration_problems(holder, verified.get("domain", ""), today=today,
                                                     province=verified["province"])]


def registration_warnings(table, filing: dict, *, today: date, prefetched: dict | None = None) -> list[Problem]:
    """The registration's warnings (a registrar not on our copy of MIIT's list): the registrar's answer read
    unless `prefetched` holds it; nothing for an order without a new domain."""
    from icp.store import read_keys

    ascii_domain = filing["verified"].get("domain_ascii")
    if not ascii_domain:
        return []
    key = registry.holder_key(ascii_domain)
    holder = registry.holder_from_item(read_keys(table, [key], prefetched)[key])
    return [p for p in registration_findings(holder, filing["verified"], today=today) if p.severity == rules.WARN]


def serving_warnings(site_check: dict | None) -> list[Problem]:
    """The new domain already answering before its number is granted (the last check's finding, icp.sitecheck):
    a warning at step 1's domain, for the applicant and the reviewer."""
    found = (site_check or {}).get("new_domain") or {}
    if not found.get("serving"):
        return []
    rule = rules.NEW_DOMAIN_SERVING
    return [Problem("type", "domain", rule.message, {"domain": found["domain"], "url": found["url"]}, rule.severity)]


def dependency_items(table, filing: dict) -> dict:
    """The items of dependency_keys() in one read, for a page that shows both the refusals and the warnings."""
    from icp.store import read_keys

    return read_keys(table, dependency_keys(filing))


def dependency_keys(filing: dict) -> list[tuple[str, str]]:
    """The items the submission checks read besides the order: its service code, the code's instance and the
    registrar's answer for its domain (empty until the server step is done; an order with no server step, a change
    of a filed website, reads the registrar's answer alone)."""
    bound = filing.get("service_code")
    if bound:
        keys = [codes.code_key(bound["code"]), codes.instance_key(bound["instance_id"])]
    elif not order_type_of(filing).has_step("instance"):
        keys = []
    else:
        return []
    if filing["verified"].get("domain_ascii"):  # a website's domain (an app's domains need no filing, §13)
        keys.append(registry.holder_key(filing["verified"]["domain_ascii"]))
    return keys


def submission_problems(table, filing: dict, documents: dict, *, today: date,
                        prefetched: dict | None = None) -> list[Problem]:
    """Everything that would get this order rejected today (refusals only); empty when it may be submitted.

    `prefetched` maps keys to items already read with the order (None: known absent), so a caller that read
    dependency_keys() in the same get_many makes no second round trip.
    """
    problems: list[Problem] = []
    verified, order_type = filing["verified"], order_type_of(filing)
    service_step = order_type.service_step
    for step, field_id, message in (
            ("instance", "service_code", _("Verify the server with an ICP filing service code")),
            ("subject", "certificate_address", _("Enter the subject's details")),
            ("website", "name", _("Enter the website's details")),
            ("app", "service_content", _("Enter the app's details"))):
        if order_type.has_step(step) and not filing["steps"].get(step):
            problems.append(Problem(step, field_id, message))
    if problems:
        return problems

    # the code, its instance and the registrar's answer, read together in one get_many (unless already read)
    bound = filing.get("service_code")
    keys = dependency_keys(filing)
    if keys and (prefetched is None or not all(key in prefetched for key in keys)):
        found = table.get_many(keys)
        prefetched = {key: found.get(key) for key in keys}
    # an order with no server step (a change of a website filed with us keeps its access: DOMAIN.md §14) has no code
    if order_type.has_step("instance"):
        try:
            codes.check_code(table, code=bound["code"], owner=filing["owner"], filing_id=filing["id"],
                             prefetched=prefetched)
        except codes.CodeRefused as refusal:
            problems.append(Problem("instance", "service_code", refusal.message, refusal.params))

    holder_key = registry.holder_key(verified["domain_ascii"]) if verified.get("domain_ascii") else None
    holder = registry.holder_from_item(prefetched[holder_key]) if holder_key in keys else None
    if holder is not None and holder.real_name_verified is False:
        low, high = rules.DOMAIN_REAL_NAME_SYNC_DAYS
        problems.append(Problem("type", "domain", _(
            "The registrar has not finished real-name verification of %(domain)s. Complete it with the "
            "registrar, wait until it reaches MIIT (usually %(low)s to %(high)s days), then submit."),
            {"domain": verified["domain"], "low": low, "high": high}))
    elif holder is not None and holder.holder_name and holder.holder_name != verified["subject_name"]:
        problems.append(Problem("type", "domain", _(
            "The domain %(domain)s is held by %(holder)s, not by the subject %(subject)s. Transfer the domain "
            "to the subject first."), {"domain": verified["domain"], "holder": holder.holder_name,
                                        "subject": verified["subject_name"]}))

    # the registrar must be approved by MIIT and the domain have the days left its province asks (icp.registrar);
    # a registrar we cannot place warns (submission_warnings)
    problems += [p for p in registration_findings(holder, verified, today=today) if p.severity == rules.REFUSE]

    # the domain's suffix must suit the subject's nature (.gov.cn for government bodies): fixed at step 1, so a rule
    # changed since then shows here
    suffix = rules.approved_suffix(verified["domain"]) if verified.get("domain") else None
    refusal = rules.nature_domain_problem(verified["nature"], suffix) if suffix else None
    if refusal is not None:
        problems.append(Problem("type", "domain", refusal.message, dict(refusal.params)))

    subject, service = filing["subject"], filing[service_step]
    leader = subject["leader"]
    problems += subject_certificate_problems(verified, subject, today=today)
    problems += _person_problems(leader, "subject", "leader", today)
    administrator = service.get("administrator")
    if administrator:
        problems += _person_problems(administrator, service_step, "administrator", today)
    problems += contact_problems(leader, administrator, not service["administrator_is_leader"], step=service_step)
    problems += leader_problems(verified, leader)
    if service_step == "website":
        problems += home_url_problems(service.get("home_url", ""), verified)

    problems += [p for p in _name_problems(filing) if p.severity == rules.REFUSE]
    problems += [p for p in people_problems(filing, today=today) if p.severity == rules.REFUSE]
    if rules.NATURES[verified["nature"]].is_individual:
        for code in service["service_content"]:
            if not rules.SERVICE_CONTENT[code].individual_allowed:
                problems.append(Problem(service_step, "service_content", _(
                    "An individual's website may only offer a blog or personal space, or other content")))
                break
    problems += preapproval_problems(service["preapproval_items"], service["approval_number"],
                                     service["approval_department"], step=service_step)
    problems += [p for p in _approval_problems(filing, today) if p.severity == rules.REFUSE]

    for kind in missing_documents(filing, documents):
        problems.append(Problem("documents", kind.code, _("Upload this document: %(document)s"),
                                {"document": kind.label}))
    problems += unconfirmed_mobile_problems(filing)
    return problems


# the check page's verdict: submission refused, allowed with something to look at first, or allowed with nothing found
REFUSED, ATTENTION, CLEAR = "refused", "attention", "clear"


@record
class Verdict:
    """One verdict over everything the check page found, so its first line never contradicts what follows.

    `title` is a plural pair (chosen by `count`) or a single text; `notes` are (text, params) to read after it.
    """

    outcome: str
    title: tuple[str, str] | str
    count: int = 0
    notes: tuple[tuple[str, dict], ...] = ()

    @property
    def may_submit(self) -> bool:
        """Whether Submit is accepted (warnings and the filed websites' findings never block it)."""
        return self.outcome != REFUSED


def verdict(problems: list, warnings: list, *, filed_websites: int, checked: bool, needing_attention: int) -> Verdict:
    """The verdict of the check page from the refusals, the warnings and the check of the subject's websites
    already filed (`filed_websites` listed by the registry; `checked` whether the check has run; how many it found
    `needing_attention`): the most common rejection of an added website is one of those (DOMAIN.md §9)."""
    notes: list[tuple[str, dict]] = []
    if problems:
        notes.append((_("Fix each one, then submit."), {}))
    if needing_attention:
        notes.append((_n("%(num)d of the subject's websites already filed needs attention: the administration "
                         "rejects an added website when one of them is not reachable or does not show its ICP "
                         "number. See below.",
                         "%(num)d of the subject's websites already filed need attention: the administration "
                         "rejects an added website when one of them is not reachable or does not show its ICP "
                         "number. See below."), {"num": needing_attention}))
    elif filed_websites and not checked:
        notes.append((_("The subject's websites already filed are not checked yet: check them below before you "
                        "submit, as the administration checks them too."), {}))
    if warnings and not problems:
        notes.append((_n("Read the %(num)d thing to know below before you submit.",
                         "Read the %(num)d things to know below before you submit."), {"num": len(warnings)}))
    if problems:
        return Verdict(REFUSED, _n("%(num)d thing would get this filing rejected",
                                   "%(num)d things would get this filing rejected"), len(problems), tuple(notes))
    if needing_attention:
        return Verdict(ATTENTION, _("You can submit, but the filing could still be rejected"), 0, tuple(notes))
    if notes:
        return Verdict(ATTENTION, _("Nothing in your answers would get this filing rejected"), 0, tuple(notes))
    return Verdict(CLEAR, _("We found nothing that would get this filing rejected."))
