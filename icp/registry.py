"""The MIIT registry, as far as this service can see it: a simulator kept in the table behind a small port.

MIIT offers no public API. A real integration would replace these functions; everything else calls only them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from icp.records import record
from icp.store import Put


@record
class RegistrySubject:
    """A subject (organisation or person) with an ICP filing on record at MIIT."""

    certificate_number: str
    certificate_type: str
    nature: str
    province: str
    name: str
    icp_number: str
    websites: int = 1
    filed_with_us: bool = False
    # every website and app of the subject was cancelled: an empty ("shell") subject (DOMAIN.md §14)
    shell: bool = False


# MIIT offers no public interface: everything here is the simulator, and pages that depend on it say so
SIMULATED = True


@record
class RegistryDomain:
    """A domain that already has a website filing at MIIT, with the home page address filed with it."""

    domain: str
    icp_number: str
    subject_certificate_number: str
    home_url: str = ""  # "" when the record gives none: the domain itself is tried


@record
class DomainHolder:
    """What the domain registrar reports: the holder's name and whether real-name verification is done, which
    registrar holds the registration and when it expires (ISO date; "" when not known). A record written from a
    public look-up (icp.registrar's RDAP port) knows only the last two: its holder is "" and its verification None."""

    domain: str
    holder_name: str
    real_name_verified: bool | None
    registrar: str = ""
    expires: str = ""


def _subject_key(certificate_number: str) -> tuple[str, str]:
    return f"MIIT#SUBJECT#{certificate_number.upper()}", "META"


def _domain_key(ascii_domain: str) -> tuple[str, str]:
    return f"MIIT#DOMAIN#{ascii_domain.lower()}", "META"


def _holder_key(ascii_domain: str) -> tuple[str, str]:
    return f"REGISTRAR#DOMAIN#{ascii_domain.lower()}", "META"


def _subject(item: dict) -> RegistrySubject:
    return RegistrySubject(**{k: item[k] for k in RegistrySubject.__dataclass_fields__ if k in item})


def _domain(item: dict) -> RegistryDomain:
    return RegistryDomain(item["domain"], item["icp_number"], item["subject_certificate_number"],
                          item.get("home_url", ""))


def _website_key(certificate_number: str, ascii_domain: str) -> tuple[str, str]:
    # in the subject's partition, so one query lists the subject's websites
    return f"MIIT#SUBJECT#{certificate_number.upper()}", f"WEBSITE#{ascii_domain.lower()}"


def app_name_key(name: str) -> str:
    """An app name as the registry compares it: width- and case-insensitive, spaces ignored (NFKC)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _app_key(certificate_number: str, name: str) -> tuple[str, str]:
    # in the subject's partition, beside its websites: one query lists the subject's apps
    return f"MIIT#SUBJECT#{certificate_number.upper()}", f"APP#{app_name_key(name)}"


@record
class RegistryApp:
    """An app filed at MIIT under a subject, with its number (…号-NA)."""

    name: str
    icp_number: str
    subject_certificate_number: str


def app_item(app: RegistryApp) -> dict:
    """The table item that lists a filed app among its subject's services."""
    pk, sk = _app_key(app.subject_certificate_number, app.name)
    return {"pk": pk, "sk": sk, "version": 1, **app.__dict__}


def subject_apps(table, certificate_number: str) -> list[RegistryApp]:
    """The apps the registry lists for a subject."""
    return [RegistryApp(item["name"], item["icp_number"], item["subject_certificate_number"])
            for item in table.query(_app_key(certificate_number, "")[0], "APP#")]


def record_app(table, app: RegistryApp) -> None:
    """Put a filed app into the simulated registry (seed data, tests)."""
    table.write([Put(app_item(app))])


def _holder(item: dict) -> DomainHolder:
    verified = item.get("real_name_verified")
    return DomainHolder(item["domain"], item.get("holder_name", ""), None if verified is None else bool(verified),
                        item.get("registrar", ""), item.get("expires", ""))


def find_subject(table, certificate_number: str) -> RegistrySubject | None:
    """Look a subject up by its certificate number."""
    item = table.get(*_subject_key(certificate_number))
    return _subject(item) if item else None


def find_domain(table, ascii_domain: str) -> RegistryDomain | None:
    """Look a domain up among filed websites."""
    item = table.get(*_domain_key(ascii_domain))
    return _domain(item) if item else None


def holder_key(ascii_domain: str) -> tuple[str, str]:
    """The (pk, sk) of the registrar's answer for a domain, for callers that batch their reads."""
    return _holder_key(ascii_domain)


def holder_from_item(item: dict | None) -> DomainHolder | None:
    """The registrar's answer from its item (None when the registrar does not answer for the domain)."""
    return _holder(item) if item else None


def find_domain_holder(table, ascii_domain: str) -> DomainHolder | None:
    """Ask the (simulated) registrar who holds a domain; None when the registrar does not answer for it."""
    return holder_from_item(table.get(*_holder_key(ascii_domain)))


def subject_item(subject: RegistrySubject, *, version: int = 1) -> dict:
    """The table item that records a subject in the simulated registry."""
    pk, sk = _subject_key(subject.certificate_number)
    return {"pk": pk, "sk": sk, "version": version, **subject.__dict__}


def domain_item(domain: RegistryDomain) -> dict:
    """The table item that records a filed domain in the simulated registry."""
    pk, sk = _domain_key(domain.domain)
    return {"pk": pk, "sk": sk, "version": 1, **domain.__dict__}


def website_item(domain: RegistryDomain) -> dict:
    """The table item that lists a filed domain among its subject's websites (written with domain_item)."""
    pk, sk = _website_key(domain.subject_certificate_number, domain.domain)
    return {"pk": pk, "sk": sk, "version": 1, **domain.__dict__}


def subject_websites(table, certificate_number: str) -> list[RegistryDomain]:
    """The websites the registry lists for a subject, by domain."""
    return [_domain(item) for item in table.query(_website_key(certificate_number, "")[0], "WEBSITE#")]


def website_change_ops(table, *, certificate_number: str, ascii_domain: str, icp_number: str,
                       home_url: str) -> list[Put]:
    """What the administration's approval of a change of a website records (DOMAIN.md §14): the website's record
    keeps its domain, its number and whatever else it holds (whether we give it access) and takes the changed home
    page address, under version conditions; raises LookupError when the registry holds no such website of the
    subject with that number."""
    from icp.store import read_keys

    keys = [_domain_key(ascii_domain), _website_key(certificate_number, ascii_domain)]
    found = read_keys(table, keys)
    item, listed = found.get(keys[0]), found.get(keys[1])
    if (item is None or item["subject_certificate_number"].upper() != certificate_number.upper()
            or item["icp_number"] != icp_number):
        raise LookupError(ascii_domain)
    return [Put({**record, "home_url": home_url, "version": record["version"] + 1}, expect_version=record["version"])
            for record in (item, listed) if record is not None]


def holder_item(holder: DomainHolder) -> dict:
    """The table item that records a domain's holder at the simulated registrar."""
    pk, sk = _holder_key(holder.domain)
    return {"pk": pk, "sk": sk, "version": 1, **holder.__dict__}


def record_subject(table, subject: RegistrySubject) -> None:
    """Put a subject into the simulated registry (seed data, tests)."""
    table.write([Put(subject_item(subject))])


def record_domain(table, domain: RegistryDomain) -> None:
    """Put a filed domain into the simulated registry (seed data, and the administration's approvals)."""
    table.write([Put(domain_item(domain)), Put(website_item(domain))])


def record_domain_holder(table, holder: DomainHolder) -> None:
    """Put a registrar answer into the simulator (seed data, tests)."""
    table.write([Put(holder_item(holder))])


@dataclass
class Verification:
    """The outcome of "Verify filing type": the type, the registry's subject, and which inputs did not match."""

    filing_type: object
    subject: RegistrySubject | None = None
    domain: RegistryDomain | None = None
    mismatches: list[str] = field(default_factory=list)
    holder: DomainHolder | None = None

    @property
    def held_by_another(self) -> bool:
        """True when the registrar names someone other than the subject as the new domain's holder."""
        return bool(self.subject and self.holder and self.holder.holder_name and not self.domain
                    and self.holder.holder_name != self.subject.name)


def filing_type_keys(*, certificate_type: str, certificate_number: str, domain: str) -> list[tuple[str, str]]:
    """The keys verify_filing_type will read for step 1's answers as typed (normalised the way the form does),
    to read them ahead; none when the answers are not valid. Only a guess: verify_filing_type reads whatever
    of its keys it was not given."""
    from icp import identifiers

    if len(certificate_number) > 40 or len(domain) > 253:  # the form refuses these before any look-up
        return []
    try:
        number = identifiers.certificate_number(certificate_type, certificate_number)
        ascii_domain = identifiers.domain(domain).ascii
    except (KeyError, ValueError):  # an unknown certificate type; identifiers.ValidationError, idna's errors
        return []
    return [_subject_key(number), _domain_key(ascii_domain), _holder_key(ascii_domain)]


def _mismatches(subject: RegistrySubject | None, province: str, nature: str, certificate_type: str) -> list[str]:
    """Which of step 1's inputs differ from the subject's record: a typo in any of these makes MIIT treat the
    order as a first filing, so step 1 says which one differs."""
    if not subject:
        return []
    return [name for name, given, recorded in (("province", province, subject.province),
                                               ("nature", nature, subject.nature),
                                               ("certificate_type", certificate_type, subject.certificate_type))
            if given != recorded]


def verify_filing_type(table, *, province: str, nature: str, certificate_type: str,
                       certificate_number: str, ascii_domain: str, prefetched: dict | None = None) -> Verification:
    """Decide the filing type from the registry (DOMAIN.md §1), naming each input that differs from the record.

    Items the caller read already (`prefetched`, by key) are not read again."""
    from icp import rules

    from icp.store import read_keys

    # one read for the three look-ups: the subject, the domain's filing and the registrar's answer (none when
    # the caller read them already, e.g. with the session: filing_type_keys)
    keys = [_subject_key(certificate_number), _domain_key(ascii_domain), _holder_key(ascii_domain)]
    found = read_keys(table, keys, prefetched)
    subject_item_, domain_item_, holder_item_ = (found.get(key) for key in keys)
    subject = _subject(subject_item_) if subject_item_ else None
    domain = _domain(domain_item_) if domain_item_ else None
    mismatches = _mismatches(subject, province, nature, certificate_type)
    filing_type = rules.decide_filing_type(
        subject_found=subject is not None, filed_with_us=bool(subject and subject.filed_with_us),
        domain_found=domain is not None, subject_is_shell=bool(subject and subject.shell),
    )
    # the domain must be held by the subject (DOMAIN.md §1); a domain the registrar does not answer for passes
    holder = _holder(holder_item_) if holder_item_ else None
    return Verification(filing_type, subject, domain, mismatches, holder)


def next_website_number(subject_icp_number: str, websites: int) -> str:
    """The ICP number of a subject's next website: the subject's number with the suffix -N (DOMAIN.md §7)."""
    from icp.order_types import WEBSITE

    return WEBSITE.number(subject_icp_number, websites + 1)


def verify_app_filing_type(table, *, province: str, nature: str, certificate_type: str, certificate_number: str,
                           app_name: str, prefetched: dict | None = None) -> Verification:
    """Decide an app order's filing type from the registry: the subject must be filed, and the app's name not
    yet filed under it (the name is unique within the subject, DOMAIN.md §13); naming each input that differs."""
    from icp import rules
    from icp.store import read_keys

    keys = [_subject_key(certificate_number), _app_key(certificate_number, app_name)]
    found = read_keys(table, keys, prefetched)
    subject_item_, app_item_ = (found.get(key) for key in keys)
    subject = _subject(subject_item_) if subject_item_ else None
    filing_type = rules.decide_app_filing_type(
        subject_found=subject is not None, filed_with_us=bool(subject and subject.filed_with_us),
        app_found=app_item_ is not None, subject_is_shell=bool(subject and subject.shell))
    return Verification(filing_type, subject, None, _mismatches(subject, province, nature, certificate_type))


def app_filing_type_keys(*, certificate_type: str, certificate_number: str, app_name: str) -> list[tuple[str, str]]:
    """The keys verify_app_filing_type reads for step 1's answers as typed, to read them ahead (none when the
    certificate number is not valid)."""
    from icp import identifiers

    if len(certificate_number) > 40 or not app_name or len(app_name) > 100:
        return []
    try:
        number = identifiers.certificate_number(certificate_type, certificate_number)
    except (KeyError, ValueError):
        return []
    return [_subject_key(number), _app_key(number, app_name)]


def approval_ops(table, *, certificate_number: str, ascii_domain: str = "", app_name: str = "") -> tuple[str, list]:
    """What the administration's approval records in the registry: (the service's ICP number, the writes); an
    app (`app_name`) gets the same serial with its type's suffix (…号-NA), a website (`ascii_domain`) -N.

    The subject's serial is written under a version condition, so two approvals of one subject's services at
    once cannot give the same number: one write fails with Conflict and is retried. Websites and apps share the
    serial (DOMAIN.md §13); the item keeps its historical name `websites` for it.
    """
    from icp.order_types import APP, WEBSITE

    item = table.get(*_subject_key(certificate_number))
    if item is None:
        raise LookupError(certificate_number)
    serial = int(item.get("websites", 0)) + 1
    subject = {**item, "websites": serial, "filed_with_us": True, "version": item["version"] + 1}
    if app_name:
        number = APP.number(item["icp_number"], serial)
        app = RegistryApp(app_name, number, certificate_number)
        return number, [Put(subject, expect_version=item["version"]),
                        Put({**app_item(app), "accessed_by_us": True}, expect_version=0)]
    number = WEBSITE.number(item["icp_number"], serial)
    website = RegistryDomain(ascii_domain, number, certificate_number)
    # the service is on our access list from its approval until access is cancelled (cancel_access_ops)
    return number, [Put(subject, expect_version=item["version"]),
                    Put({**domain_item(website), "accessed_by_us": True}, expect_version=0),
                    Put({**website_item(website), "accessed_by_us": True})]


def _service_items(table, certificate_number: str, *, ascii_domain: str, app_name: str) -> list[dict]:
    """The registry's items of one filed service: a website's domain record and its line in the subject's list,
    or an app's line."""
    if app_name:
        keys = [_app_key(certificate_number, app_name)]
    else:
        keys = [_domain_key(ascii_domain), _website_key(certificate_number, ascii_domain)]
    found = table.get_many(keys)
    return [found[key] for key in keys if key in found]


def cancel_access_ops(table, *, certificate_number: str, ascii_domain: str = "", app_name: str = "") -> list:
    """What the administration records when this provider stops giving a service access (取消接入): the number
    stays, the service leaves our access list (DOMAIN.md §14)."""
    return [Put({**item, "accessed_by_us": False, "version": item["version"] + 1}, expect_version=item["version"])
            for item in _service_items(table, certificate_number, ascii_domain=ascii_domain, app_name=app_name)]


def cancellation_ops(table, *, certificate_number: str, number: str, ascii_domain: str = "",
                     app_name: str = "") -> list:
    """What the administration records when a website or app is cancelled (注销): the service leaves the subject's
    list, its number is retired (the serial is never given again, DOMAIN.md §14), and a subject with no service
    left is an empty ("shell") subject."""
    from icp.store import Delete

    subject = table.get(*_subject_key(certificate_number))
    if subject is None:
        raise LookupError(certificate_number)
    gone = _service_items(table, certificate_number, ascii_domain=ascii_domain, app_name=app_name)
    left = [item for item in table.query(_subject_key(certificate_number)[0], "WEBSITE#")
            + table.query(_subject_key(certificate_number)[0], "APP#")
            if (item["pk"], item["sk"]) not in {(g["pk"], g["sk"]) for g in gone}]
    retired = [*subject.get("retired", []), number]
    updated = {**subject, "retired": retired, "shell": not left, "version": subject["version"] + 1}
    return [Put(updated, expect_version=subject["version"]),
            *(Delete(item["pk"], item["sk"]) for item in gone)]
