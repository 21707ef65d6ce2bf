"""PLACEHOLDER until the apprules branch lands (replaced at merge)."""
from __future__ import annotations

from icp import identifiers


def app_domains(text: str) -> list:
    """The bare domains an app calls, one per line or comma-separated."""
    found = []
    for part in (text or "").replace(",", "\n").split():
        domain = identifiers.domain(part)
        if domain.ascii not in [d.ascii for d in found]:
            found.append(domain)
    if not found:
        raise identifiers.ValidationError("Enter the domains the app uses to reach its servers, one per line")
    return found
