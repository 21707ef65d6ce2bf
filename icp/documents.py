"""The documents an order needs: which ones its answers ask for, and which of them are still missing."""
from __future__ import annotations

from icp import residence, rules
from icp.rules import DocumentKind


def documents_for(filing: dict) -> list[DocumentKind]:
    """The documents this order needs, in order; optional ones have required=False (by its type, its subject,
    who administers the service, its province and what its answers say: document_conditions)."""
    from icp.order_types import administrator_is_leader, order_type_of

    verified = filing["verified"]
    return rules.required_documents(verified["nature"], administrator_is_leader(filing), verified["province"],
                                    order_type_of(filing).code, conditions=document_conditions(filing))


def preapproval_hits(name: str, service_content) -> set[str]:
    """The pre-approval items a service's name (rules.NAME_PREAPPROVAL_WORDS) or service content
    (rules.SERVICE_CONTENT_PREAPPROVALS) points to."""
    folded = (name or "").casefold()
    hits = {item for item, words in rules.NAME_PREAPPROVAL_WORDS.items()
            if any(word.casefold() in folded for word in words)}
    return hits | {rules.SERVICE_CONTENT_PREAPPROVALS[code] for code in service_content or ()
                   if code in rules.SERVICE_CONTENT_PREAPPROVALS}


def document_conditions(filing: dict) -> frozenset[str]:
    """Which of rules.DOCUMENT_CONDITIONS this order's answers meet: a pre-approval declared; a name or service
    content pointing to a pre-approval with none declared; an individual from another province where the
    province asks for a residence permit (icp.residence); the subject's websites reaching the province's count for a
    website plan (rules.WEBSITE_PLAN_RULES) or a domain certificate (rules.DOMAIN_CERTIFICATE_RULES)."""
    from icp.order_types import order_type_of

    verified = filing["verified"]
    service = filing.get(order_type_of(filing).service_step) or {}
    name = verified.get("app_name") or service.get("name") or ""
    conditions = set()
    if service.get("preapproval_items"):
        conditions.add("preapproval_declared")
    elif service and preapproval_hits(name, service.get("service_content")):
        conditions.add("preapproval_words_undeclared")
    # the same answer as the check's at the leader's ID (icp.checks_people.id_region_problems)
    non_local = residence.non_local_individual(filing.get("subject") or {}, nature=verified["nature"],
                                               province=verified["province"])
    if non_local is not None and non_local.kind == "permit":
        conditions.add("residence_permit_required" if non_local.permit_required else "residence_permit_optional")
    # the new website is the subject's next one: MIIT's serial counts those filed before it
    number = int(verified.get("subject_websites") or 0) + 1
    subject = "individual" if rules.NATURES[verified["nature"]].is_individual else "organisation"
    for rule in rules.WEBSITE_PLAN_RULES.get(verified["province"], ()):
        if rule.subject in (None, subject) and number >= rule.from_website:
            conditions.add("website_plan_required" if rule.required else "website_plan_optional")
    certificate = rules.DOMAIN_CERTIFICATE_RULES.get(verified["province"])
    if certificate is not None and certificate.subject in (None, subject) and number >= certificate.from_website:
        conditions.add("domain_certificate_required")
    if "website_plan_required" in conditions:
        conditions.discard("website_plan_optional")
    return frozenset(conditions)


def label_of(filing: dict, code: str) -> str:
    """A document kind's label as this order names it (an app's administrator is its app administrator)."""
    from icp.order_types import order_type_of

    if order_type_of(filing).code == "app" and code in rules.APP_DOCUMENT_WORDING:
        return rules.APP_DOCUMENT_WORDING[code][0]
    for kind in documents_for(filing):
        if kind.code == code:
            return kind.label
    known = rules.DOCUMENT_KINDS.get(code) or (rules.ADMINISTRATOR_PHOTO if code == rules.ADMINISTRATOR_PHOTO.code
                                               else None)
    return known.label if known else code


def missing_documents(filing: dict, documents: dict) -> list[DocumentKind]:
    """The required documents not uploaded yet (`documents` maps kind to document item)."""
    return [kind for kind in documents_for(filing) if kind.required and kind.code not in documents]
