"""What both staff consoles share: finding any order, masking certificate numbers in lists, waiting times."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l

from icp.workflow import FilingNotFound, load_filing_with_parts


@dataclass(frozen=True)
class ReviewedAnswer:
    """One answer a reviewer reads, comments on and sees changed: `target` is how a comment on it is stored
    ("<step>:<field id>", the id of the field the applicant corrects), `path` where the answer is in the order,
    `show` how its value reads (see views.review.answers) and `only` when it applies ("administrator": the
    administrator is another person; "approval": a pre-approval item is ticked)."""

    target: str
    label: object
    path: tuple
    show: str = "text"
    only: str = ""


def _person(step: str, who: str, path: tuple, labels: dict, only: str = "") -> list[ReviewedAnswer]:
    return [ReviewedAnswer(f"{step}:{who}_{name}", labels[name], (*path, name), show, only) for name, show in (
        ("name", "text"), ("certificate_number", "certificate"), ("certificate_valid_until", "valid_until"),
        ("mobile", "text"), ("emergency_phone", "text"), ("email", "text"))]


# every answer the applicant gives in steps 3 and 4, in the order the wizard asks them: the reviewer's page puts a
# comment box next to each, and "changed since the last return" names them by these labels
REVIEWED_ANSWERS: list[ReviewedAnswer] = [
    ReviewedAnswer("subject:certificate_address", _l("Subject: address on the certificate"),
                   ("subject", "certificate_address")),
    ReviewedAnswer("subject:mailing_address", _l("Subject: mailing address"), ("subject", "mailing_address")),
    ReviewedAnswer("subject:investor", _l("Subject: investor or supervising unit"), ("subject", "investor")),
    *_person("subject", "leader", ("subject", "leader"), {
        "name": _l("Subject leader: name"), "certificate_number": _l("Subject leader: certificate number"),
        "certificate_valid_until": _l("Subject leader: certificate valid until"),
        "mobile": _l("Subject leader: mobile"), "emergency_phone": _l("Subject leader: emergency phone"),
        "email": _l("Subject leader: e-mail")}),
    ReviewedAnswer("website:name", _l("Website: name"), ("website", "name")),
    ReviewedAnswer("website:home_url", _l("Website: home page address"), ("website", "home_url")),
    ReviewedAnswer("website:service_content", _l("Website: service content"), ("website", "service_content"),
                   "service_content"),
    ReviewedAnswer("website:languages", _l("Website: languages"), ("website", "languages"), "languages"),
    ReviewedAnswer("website:preapproval_items", _l("Website: pre-approval items"), ("website", "preapproval_items"),
                   "preapprovals"),
    ReviewedAnswer("website:approval_number", _l("Website: approval number"), ("website", "approval_number"),
                   "approval", "approval"),
    ReviewedAnswer("website:remarks", _l("Website: remarks"), ("website", "remarks")),
    ReviewedAnswer("website:administrator_is_leader", _l("Website administrator: who it is"),
                   ("website", "administrator_is_leader"), "who"),
    *_person("website", "administrator", ("website", "administrator"), {
        "name": _l("Website administrator: name"),
        "certificate_number": _l("Website administrator: certificate number"),
        "certificate_valid_until": _l("Website administrator: certificate valid until"),
        "mobile": _l("Website administrator: mobile"), "emergency_phone": _l("Website administrator: emergency phone"),
        "email": _l("Website administrator: e-mail")}, only="administrator"),
]

# the fields a reviewer can attach a comment to: (target, label); target is "<step>:<field id>"
COMMENT_TARGETS = [(answer.target, answer.label) for answer in REVIEWED_ANSWERS]


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
    from icp.filing import queue_key
    from views import table

    return table().query_index("queue", queue_key(status), limit=limit)


# what either console says when another member of staff moved the order between reading it and acting on it
TOO_LATE = _l("Another member of staff acted on this order first. Here is where it stands now; nothing you "
              "entered was applied.")
