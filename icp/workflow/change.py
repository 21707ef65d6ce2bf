"""Change a website (变更网站, DOMAIN.md §14): an order on a website this account filed with us, started from its
approved filing, run like a new website (our review, the administrator's verification, MIIT's SMS check, the
administration's review), and approved without a new number.

The province, the certificate number and the domain stay as filed (rules.FIXED_ON_CHANGE, 工信管函〔2019〕633号):
they are the order's `verified` facts, copied from the approved filing and never asked. The subject's and the
website's answers start as approved and may change; the reviewer sees each answer as filed and as it is now
(`approved_answers`, `changed_answers`). The website stays filed and reachable until the change is approved; then
the registry's record keeps its number and takes the new home page, and the subject's record takes the new answers.
"""
from __future__ import annotations

from datetime import datetime

from icp import filing as f
from icp import registry, rules
from icp.rules import _  # the marker pybabel extracts; translated where shown
from icp.order_types import ORDER_TYPES, order_type_of
from icp.workflow import filed_subject

CHANGE_WEBSITE = "change_website"


class NotChangeable(Exception):
    """The order named cannot be changed now; `reason` says why (a key of REASONS)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# why a filed service cannot be changed here, as the start page says it
REASONS = {
    "not_approved": _("Only an approved website can be changed. This order has not been approved."),
    "not_website": _("Only a website can be changed here: this order filed an app."),
    "not_accessed": _("This website is no longer accessed through us (its access or its filing was "
                            "cancelled), so it cannot be changed here."),
    "superseded": _("A later approved order of this website holds its filing now: change it from there."),
}


def is_change(filing: dict) -> bool:
    """Whether the order is a change of a filed website."""
    return order_type_of(filing).code == CHANGE_WEBSITE


def refusal(service: dict) -> str | None:
    """Why the order `service` (the account's own, already checked) cannot be the start of a change, or None.

    A website's filing is the latest approved order of it that leaves it accessed through us: a new website or an
    approved change. Whether a later order superseded it is the caller's (icp.services lists the latest).
    """
    if service.get("status") != f.APPROVED or not service.get("icp_number"):
        return "not_approved"
    order_type = order_type_of(service)
    if order_type.service_step != "website":
        return "not_website"
    if order_type.leaves != "accessed":
        return "not_accessed"
    return None


def start_change(table, service: dict, *, owner: str, owner_mobile: str, language: str, now: datetime,
                 policy: rules.DeadlinePolicy | None = None) -> dict:
    """A draft change of the website `service` files (its latest approved order), its answers prefilled; raises
    NotChangeable, or drafting.OrderInFlight while the subject or the domain has an order in progress."""
    from icp.workflow.after_number import start_service_order

    reason = refusal(service)
    if reason:
        raise NotChangeable(reason)
    return start_service_order(table, service, CHANGE_WEBSITE, owner=owner, owner_mobile=owner_mobile,
                               language=language, now=now, policy=policy)


def service_key(filing: dict) -> tuple[str, str] | None:
    """The key of the approved order a change started from (None for any other order)."""
    service_id = (filing.get("verified") or {}).get("service_id")
    return f.filing_key(service_id) if service_id and is_change(filing) else None


def approved_answers(table, filing: dict) -> dict | None:
    """The answers of the website as filed (the approved order the change started from), by step key; None for an
    order that is not a change, or whose filed order cannot be read."""
    key = service_key(filing)
    service = table.get(*key) if key else None
    if service is None:
        return None
    return ORDER_TYPES[CHANGE_WEBSITE].snapshot(service)


def changed_answers(filing: dict, approved: dict | None) -> list:
    """The declared answers (icp.order_types.Answer) whose value differs between the filed website and the change
    now, in the wizard's order; each is shown old → new by the caller. Nothing when `approved` is None."""
    if approved is None:
        return []
    order_type = order_type_of(filing)
    now = order_type.snapshot(filing)
    found = []
    for step in order_type.answer_steps:
        for answer in step.answers:
            if _at(approved, answer.path) != _at(now, answer.path):
                found.append(answer)
    return found


def _at(answers, path: tuple):
    for key in path:
        if not isinstance(answers, dict):
            return None
        answers = answers.get(key)
    return answers


def approval_records(table, filing: dict, *, now: datetime) -> tuple[str, list]:
    """What approving a change records (icp.workflow.administration.approve writes it with the transition): the
    website keeps its number (no new serial); the registry's record takes the new home page and the subject's
    record (filed_subject) the new answers; the approved order it replaces is superseded (superseded_ops)."""
    verified = filing["verified"]
    number = verified["service_number"]
    ops = registry.website_change_ops(table, certificate_number=verified["certificate_number"],
                                      ascii_domain=verified["domain_ascii"], icp_number=number,
                                      home_url=(filing.get("website") or {}).get("home_url", ""))
    return number, ops + filed_subject.approval_ops(table, filing, icp_number=number, now=now) + superseded_ops(
        table, filing, now=now)


def superseded_ops(table, filing: dict, *, now: datetime) -> list:
    """The writes that close the approved order a change replaces ("close_superseded"): the change is the
    website's record from its approval on, and the answers and documents it replaced keep the period of
    rules.RETENTION_AFTER_SERVICE["superseded"], then the retention sweep erases them. Nothing when that order is
    gone, closed or erased already."""
    from icp import retention
    from icp.workflow import engine
    from icp.workflow.common import FilingNotFound, load_filing

    key = service_key(filing)
    try:
        service = load_filing(table, filing["verified"]["service_id"]) if key else None
    except FilingNotFound:
        service = None
    if (service is None or service.get("status") != f.APPROVED or f.is_closed(service)
            or retention.is_erased(service)):
        return []
    return engine.transition(table, service, f.CLOSE_ACTIONS["superseded"], role="system", actor="system", now=now,
                             note=filing["id"]).ops
