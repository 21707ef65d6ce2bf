"""Saving from a stale page: merge only what that page changed, or say where both windows changed the same answer.

A page that edits an order carries the order's version and a fingerprint of each answer as it was shown. When
the order has changed since (another window, another device), a save keeps every answer the page did not
touch as it is stored now, applies the answers the page did change, and refuses an answer that both changed
to different values, showing both. No saved answer is lost to a page that never showed it.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from icp.records import record

# hex digits kept of each answer's digest: enough that two different answers practically never collide, short
# enough that a long step's fingerprints stay a few hundred bytes of the page
_DIGITS = 12


def canonical(value: Any) -> str:
    """The text an answer is compared as: blank, None, False and an empty list are the same empty answer."""
    # an unticked box posts False where the page may have been filled with nothing at all
    if value is None or value is False or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return str(value)  # a date shown as 2035-01-01 and posted back as text compare equal


def fingerprint(value: Any) -> str:
    """A short digest of one answer (the page already shows the answer itself, so nothing is hidden here)."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:_DIGITS]


def fingerprints(values: dict[str, Any]) -> str:
    """The fingerprints of a page's answers, as one string for a hidden field."""
    return ",".join(f"{name}:{fingerprint(value)}" for name, value in sorted(values.items()))


def parse_fingerprints(text: str | None) -> dict[str, str]:
    """Read back what `fingerprints` wrote; anything unreadable reads as nothing shown."""
    found: dict[str, str] = {}
    for part in (text or "").split(","):
        name, _sep, digest = part.rpartition(":")
        if name and len(digest) == _DIGITS:
            found[name] = digest
    return found


@record
class Merged:
    """The answers to save and the names of those both windows changed differently."""

    values: dict[str, Any]
    conflicts: tuple[str, ...]


def three_way(shown: dict[str, str], mine: dict[str, Any], theirs: dict[str, Any]) -> Merged:
    """Merge a stale page's answers (`mine`) into the stored ones (`theirs`), given what the page showed.

    An answer the page left as shown takes the stored value; one only the page changed keeps the page's; one
    both changed to the same value is that value; one both changed differently is a conflict (the page's value
    is kept in `values`, to be shown beside the stored one). An answer with no fingerprint counts as changed.
    """
    values, conflicts = {}, []
    for name in mine.keys() | theirs.keys():
        own, stored = mine.get(name), theirs.get(name)
        before = shown.get(name)
        if before is not None and fingerprint(own) == before:
            values[name] = stored  # this page did not touch it: what is stored now stands
        elif before is not None and fingerprint(stored) == before or canonical(own) == canonical(stored):
            values[name] = own  # only this page changed it, or both to the same
        else:
            values[name] = own
            conflicts.append(name)
    return Merged(values, tuple(sorted(conflicts)))
