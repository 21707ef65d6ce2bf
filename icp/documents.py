"""The documents an order needs: which ones its answers ask for, and which of them are still missing."""
from __future__ import annotations

from icp import rules
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


def leader_not_local(filing: dict) -> bool:
    """Whether an individual's leader holds a resident ID issued outside the filing province (GB/T 2260's first
    two digits, rules.PROVINCE_REGION_CODES); other certificates say nothing of a province."""
    leader = (filing.get("subject") or {}).get("leader") or {}
    number = leader.get("certificate_number") or ""
    region = rules.PROVINCE_REGION_CODES.get(filing["verified"]["province"])
    return leader.get("certificate_type") == "resident_id" and bool(region) and len(number) >= 2 \
        and not number.startswith(region)


def document_conditions(filing: dict) -> frozenset[str]:
    """Which of rules.DOCUMENT_CONDITIONS this order's answers meet: a pre-approval declared; a name or service
    content pointing to a pre-approval with none declared; an individual's leader from another province; more of
    the subject's websites than the province's limit for a website plan."""
    from icp.order_types import order_type_of

    verified = filing["verified"]
    service = filing.get(order_type_of(filing).service_step) or {}
    name = verified.get("app_name") or service.get("name") or ""
    conditions = set()
    if service.get("preapproval_items"):
        conditions.add("preapproval_declared")
    elif service and preapproval_hits(name, service.get("service_content")):
        conditions.add("preapproval_words_undeclared")
    if leader_not_local(filing):
        conditions.add("leader_not_local")
    limit = rules.WEBSITE_PLAN_LIMITS.get(verified["province"])
    # the new website is the subject's next one: MIIT's serial counts those filed before it
    if limit is not None and int(verified.get("subject_websites") or 0) + 1 > limit:
        conditions.add("websites_over_limit")
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
