"""Verifying the website administrator (DOMAIN.md §5), the applicant's side: the backdrop application and the
signed, single-use phone link that opens the live-photo page. The photo itself goes through icp.workflow.documents."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from icp import filing as f
from icp import rules
from icp.workflow import engine
from icp.workflow.common import FilingNotFound, load_filing, stamp


class LinkInvalid(Exception):
    """The phone link is unknown, used already, expired, or its order is past the photo."""


def apply_for_backdrop(table, filing: dict, *, recipient: str, address: str, phone: str, actor: str,
                       now: datetime) -> dict:
    """Ask for the backdrop to be mailed to a mainland address (recipient, address, phone)."""
    backdrop = {"recipient": recipient, "address": address, "phone": phone, "applied_at": stamp(now)}
    return engine.apply(table, filing, "apply_backdrop", role="applicant", actor=actor, now=now,
                        fields={"backdrop": backdrop})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_phone_link(table, filing: dict, *, actor: str, now: datetime) -> tuple[dict, str]:
    """A new phone link for this order (any earlier one stops working); returns (filing, token).

    Only the token's digest is stored: the link works for PHONE_LINK_LIFETIME, once.
    """
    token = secrets.token_urlsafe(24)
    link = {"digest": _digest(token), "expires_at": stamp(now + rules.PHONE_LINK_LIFETIME)}
    updated = engine.apply(table, filing, "issue_phone_link", role="applicant", actor=actor, now=now,
                           fields={"phone_link": link})
    return updated, token


def filing_for_phone_link(table, filing_id: str, token: str, *, now: datetime) -> dict:
    """The order a phone link opens; raises LinkInvalid (the same for every reason, so nothing is revealed)."""
    try:
        filing = load_filing(table, filing_id)
    except FilingNotFound:
        raise LinkInvalid(filing_id) from None
    link = filing.get("phone_link") or {}
    if (filing["status"] != f.PHOTO_PENDING or not link or not isinstance(token, str)
            or not hmac.compare_digest(link["digest"], _digest(token)) or link["expires_at"] <= stamp(now)):
        raise LinkInvalid(filing_id)
    return filing


def photo_rules(filing: dict) -> tuple:
    """The rules shown beside the photo upload, for this order's way of verifying."""
    method = f.policy_of(filing)["verification"]
    return rules.PHONE_PHOTO_RULES if method == "phone" else rules.BACKDROP_PHOTO_RULES


def photo_rejection_reasons(filing: dict) -> dict:
    """The reasons a reviewer may give for rejecting this order's photo: its way of verifying's only."""
    method = f.policy_of(filing)["verification"]
    return rules.PHOTO_REJECTION_REASONS_BY_METHOD.get(method, rules.PHOTO_REJECTION_REASONS_BY_METHOD["backdrop"])


def waiting_for_backdrop(filing: dict) -> bool:
    """True while a backdrop order waits for its backdrop: no photo can be taken in front of it before it is mailed."""
    from icp.order import Order

    return Order(filing).awaits_backdrop


def administrator_name(filing: dict) -> str:
    """The website administrator's name as the order gives it: the subject leader's when they are the same person."""
    from icp.order_types import administrator

    return administrator(filing).get("name", "")


def backdrop_defaults(filing: dict) -> dict:
    """What the backdrop application starts with: step 3 said the backdrop goes to the subject's mailing address,
    to the website administrator (who stands in front of it), on the administrator's mobile."""
    from icp.order_types import administrator

    subject, person = filing.get("subject") or {}, administrator(filing)
    return {"recipient": person.get("name", ""), "address": subject.get("mailing_address", ""),
            "phone": person.get("mobile", "")}
