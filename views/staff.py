"""What both staff consoles share: finding any order, masking certificate numbers in lists, waiting times."""
from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l

from icp.workflow import FilingNotFound, load_filing_with_parts

# the fields and documents a reviewer can attach a comment to: (target, label); target is "<step>:<field id>"
COMMENT_TARGETS = [
    ("subject:certificate_address", _l("Subject: address on the certificate")),
    ("subject:mailing_address", _l("Subject: mailing address")),
    ("subject:investor", _l("Subject: investor or supervising unit")),
    ("subject:leader_name", _l("Subject leader: name")),
    ("subject:leader_certificate_number", _l("Subject leader: certificate number")),
    ("subject:leader_certificate_valid_until", _l("Subject leader: certificate valid until")),
    ("subject:leader_mobile", _l("Subject leader: mobile")),
    ("subject:leader_emergency_phone", _l("Subject leader: emergency phone")),
    ("subject:leader_email", _l("Subject leader: e-mail")),
    ("website:name", _l("Website: name")),
    ("website:home_url", _l("Website: home page address")),
    ("website:service_content", _l("Website: service content")),
    ("website:languages", _l("Website: languages")),
    ("website:preapproval_items", _l("Website: pre-approval items")),
    ("website:approval_number", _l("Website: approval number")),
    ("website:administrator_name", _l("Website administrator: name")),
    ("website:administrator_certificate_number", _l("Website administrator: certificate number")),
    ("website:administrator_mobile", _l("Website administrator: mobile")),
    ("website:administrator_email", _l("Website administrator: e-mail")),
]


def mask(number: str) -> str:
    """A certificate number as staff lists show it: the first 3 and last 2 characters."""
    number = number or ""
    return number[:3] + "*" * max(len(number) - 5, 0) + number[-2:] if len(number) > 5 else "*" * len(number)


def any_filing_with_parts(filing_id: str) -> tuple[dict, dict, list]:
    """Any order with its documents and history (staff only), or 404."""
    from views import table

    try:
        return load_filing_with_parts(table(), filing_id)
    except FilingNotFound:
        abort(404)


def hours_waiting(filing: dict, now: datetime) -> int:
    """Whole hours since the order entered its status."""
    return int((now - datetime.fromisoformat(filing["status_since"])).total_seconds() // 3600)


def past_target(filing: dict, now: datetime) -> bool:
    """True when the order has waited past its target (the running deadline of a review)."""
    deadline = filing.get("deadline") or {}
    if filing.get("overdue"):
        return True
    return deadline.get("end_action") == "flag_overdue" and datetime.fromisoformat(deadline["ends_at"]) <= now


def queue(status: str, limit: int = 200) -> list[dict]:
    """The orders in one status, oldest first (a resubmitted order keeps its first submission's place)."""
    from views import table

    return table().query_index("queue", f"STATUS#{status}", limit=limit)

