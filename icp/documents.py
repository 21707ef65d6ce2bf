"""The documents an order needs: which ones its answers ask for, and which of them are still missing."""
from __future__ import annotations

from icp import rules
from icp.rules import DocumentKind


def documents_for(filing: dict) -> list[DocumentKind]:
    """The documents this order needs, in order; optional ones have required=False."""
    verified, website = filing["verified"], filing.get("website") or {}
    return rules.required_documents(verified["nature"], bool(website.get("administrator_is_leader", True)),
                                    verified["province"])


def missing_documents(filing: dict, documents: dict) -> list[DocumentKind]:
    """The required documents not uploaded yet (`documents` maps kind to document item)."""
    return [kind for kind in documents_for(filing) if kind.required and kind.code not in documents]
