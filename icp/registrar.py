"""The new domain's registration: who registered it and until when, and what the filing rules say of that.

Two facts decide whether a domain can be filed beyond its holder (icp.registry): its registrar must be on MIIT's list
of approved registrars (one outside mainland China refuses; one we cannot place warns), and it must have more than
90 days left, 180 in Shanghai (rules.registrar_standing, rules.domain_expiry_margin_days). They come from the registrar's record in the table, which the simulator's seed
fills, or, when configuration selects it (ICP_REGISTRAR=rdap), from a public RDAP look-up written into that record.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import date
from typing import Callable
from urllib.parse import quote

from icp.records import record
from icp import rules
from icp.store import ABSENT, Conflict, Put

log = logging.getLogger(__name__)

SIMULATOR, RDAP = "simulator", "rdap"
PORTS = (SIMULATOR, RDAP)


def registration_problems(holder, domain_unicode: str, *, today: date, province: str) -> list[rules.RuleViolation]:
    """What the registration's facts say of filing this domain in this province: a registrar outside mainland
    China or a registration expired or too close to its end refuses; a registrar not on our copy of MIIT's list
    warns (rules.registrar_standing), and so does a suffix the province's administration does not list
    (rules.province_suffix_problem). Nothing of the registration when the registrar does not answer for the
    domain or a fact is not known."""
    # a suffix the province's administration does not file (a provider's published list) is said whoever the
    # registrar is
    problems = [found for found in (rules.province_suffix_problem(province, domain_unicode),) if found]
    if holder is None:
        return problems
    standing = rules.registrar_standing(holder.registrar) if holder.registrar else rules.APPROVED
    if standing != rules.APPROVED:
        rule = rules.REGISTRAR_NOT_APPROVED if standing == rules.FOREIGN else rules.REGISTRAR_NOT_CONFIRMED
        problems.append(rules.RuleViolation(
            rule.code, rule.message, {"domain": domain_unicode, "registrar": holder.registrar,
                                      "example": rules.APPROVED_REGISTRARS[0].name_zh}, rule.severity))
    expires = _date(holder.expires)
    if expires is not None and expires < today:
        problems.append(rules.RuleViolation(rules.DOMAIN_EXPIRED.code, rules.DOMAIN_EXPIRED.message,
                                            {"domain": domain_unicode, "expires": expires.isoformat()}))
    elif expires is not None and (expires - today).days <= rules.domain_expiry_margin_days(province):
        problems.append(rules.RuleViolation(
            rules.DOMAIN_EXPIRES_TOO_SOON.code, rules.DOMAIN_EXPIRES_TOO_SOON.message,
            {"domain": domain_unicode, "expires": expires.isoformat(), "left": (expires - today).days,
             "days": rules.domain_expiry_margin_days(province)}))
    return problems


def _date(value: str) -> date | None:
    """An ISO date or date-time's day; None when empty or not a date."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --- the RDAP port ------------------------------------------------------------------------------

@record
class Registration:
    """What a registry's RDAP answer says of a domain: its registrar's name and its expiry (ISO date or "")."""

    registrar: str
    expires: str


def parse_rdap(answer: dict) -> Registration:
    """The registrar (the entity with the role "registrar", by its vCard name) and the "expiration" event of an
    RDAP domain answer (RFC 9083)."""
    expires = next((e.get("eventDate", "") for e in answer.get("events") or []
                    if e.get("eventAction") == "expiration"), "")
    registrar = ""
    for entity in answer.get("entities") or []:
        if "registrar" in (entity.get("roles") or []):
            registrar = _vcard_name(entity.get("vcardArray")) or entity.get("handle", "")
            break
    return Registration(registrar.strip(), _date(expires).isoformat() if _date(expires) else "")


def _vcard_name(vcard) -> str:
    """The "fn" of a jCard (RFC 7095): ["vcard", [["fn", {}, "text", "Name"], ...]]."""
    try:
        return next((str(p[3]) for p in vcard[1] if p[0] == "fn"), "")
    except (IndexError, TypeError):
        return ""


def rdap_lookup(ascii_domain: str, *, base_url: str, timeout: float = 5.0,
                urlopen: Callable = urllib.request.urlopen) -> Registration | None:
    """Ask RDAP for a domain (GET <base_url>/domain/<domain>, redirects followed, e.g. from rdap.org to the
    registry's server); None when it does not answer, the domain is unknown or the answer is not RDAP, so a
    failed look-up never refuses a filing."""
    url = f"{base_url.rstrip('/')}/domain/{quote(ascii_domain.lower())}"
    request = urllib.request.Request(url, headers={"Accept": "application/rdap+json, application/json"})
    try:
        with urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read(512 * 1024))
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.warning("RDAP look-up of %s failed: %s", ascii_domain, type(error).__name__)
        return None
    return parse_rdap(answer) if isinstance(answer, dict) else None


def record_registration(table, ascii_domain: str, registration: Registration) -> None:
    """Write a look-up's registrar and expiry into the domain's registrar record, keeping what the record already
    says of the holder (none when the look-up made it)."""
    from icp import registry

    key = registry.holder_key(ascii_domain)
    item = table.get(*key)
    if item is None:
        holder = registry.DomainHolder(ascii_domain, "", None, registration.registrar, registration.expires)
        table.write([Put(registry.holder_item(holder), expect_version=ABSENT)])
        return
    table.write([Put({**item, "registrar": registration.registrar, "expires": registration.expires,
                      "version": item["version"] + 1}, expect_version=item["version"])])


def refresh(table, ascii_domain: str, *, port: str, base_url: str) -> Registration | None:
    """With the RDAP port configured, look the domain up and record what it says; the simulator's records are
    already in the table, so with it nothing happens."""
    if port != RDAP:
        return None
    registration = rdap_lookup(ascii_domain, base_url=base_url)
    if registration is not None:
        try:
            record_registration(table, ascii_domain, registration)
        except Conflict:  # another writer was first: its answer is as fresh as ours
            log.warning("recording the RDAP answer for %s failed", ascii_domain)
    return registration


def current_holder(table, holder, ascii_domain: str, *, port: str, base_url: str):
    """The registrar's record for the domain (icp.registry.DomainHolder or None) with the registration facts of
    a fresh RDAP look-up when that port is configured (and answers)."""
    from dataclasses import replace

    from icp import registry

    looked_up = refresh(table, ascii_domain, port=port, base_url=base_url)
    if looked_up is None:
        return holder
    return replace(holder or registry.DomainHolder(ascii_domain, "", None), registrar=looked_up.registrar,
                   expires=looked_up.expires)
