"""The documents an order needs: which ones its answers ask for, and which of them are still missing."""
from __future__ import annotations

from icp import rules
from icp.rules import DocumentKind


def documents_for(filing: dict) -> list[DocumentKind]:
    """The documents this order needs, in order; optional ones have required=False (by its type, its subject,
    who administers the service and its province)."""
    from icp.order_types import administrator_is_leader, order_type_of

    verified = filing["verified"]
    return rules.required_documents(verified["nature"], administrator_is_leader(filing), verified["province"],
                                    order_type_of(filing).code)


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
