"""The filing record: its statuses, who may move it where, and the keys it is stored under."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from icp.rules import _  # the one marker pybabel extracts; translated where shown



# statuses of a filing (DESIGN.md, "The filing's life")
DRAFT = "DRAFT"
PROVIDER_REVIEW = "PROVIDER_REVIEW"
RETURNED = "RETURNED"
PHOTO_PENDING = "PHOTO_PENDING"
APP_VERIFICATION_PENDING = "APP_VERIFICATION_PENDING"
PHOTO_REVIEW = "PHOTO_REVIEW"
READY_FOR_ADMINISTRATION = "READY_FOR_ADMINISTRATION"
SMS_PENDING = "SMS_PENDING"
ADMINISTRATION_REVIEW = "ADMINISTRATION_REVIEW"
APPROVED = "APPROVED"
REJECTED = "REJECTED"
DISCARDED = "DISCARDED"
WITHDRAWN = "WITHDRAWN"

STATUS_LABELS = {
    DRAFT: _("Draft"),
    PROVIDER_REVIEW: _("In our review"),
    RETURNED: _("Returned for changes"),
    PHOTO_PENDING: _("Waiting for the administrator's photo"),
    APP_VERIFICATION_PENDING: _("Waiting for verification in the Shanghai app"),
    PHOTO_REVIEW: _("Photo in our review"),
    READY_FOR_ADMINISTRATION: _("Ready to send to the administration"),
    SMS_PENDING: _("Waiting for mobile verification"),
    ADMINISTRATION_REVIEW: _("In the administration's review"),
    APPROVED: _("Approved"),
    REJECTED: _("Rejected"),
    DISCARDED: _("Discarded"),
    WITHDRAWN: _("Withdrawn"),
}

# statuses in which the applicant may still edit the answers
EDITABLE = frozenset({DRAFT, RETURNED})
# statuses in which nothing more will happen; the subject and the service code are free again
FINAL = frozenset({APPROVED, REJECTED, DISCARDED, WITHDRAWN})


@dataclass(frozen=True)
class Transition:
    """One allowed move: from a status, by an action, to a status, by one of these roles."""

    source: str
    action: str
    target: str
    roles: frozenset


def _t(source, action, target, *roles):
    return Transition(source, action, target, frozenset(roles))


# the state machine as data; "system" is the scheduled jobs
TRANSITIONS = [
    _t(DRAFT, "submit", PROVIDER_REVIEW, "applicant"),
    _t(RETURNED, "submit", PROVIDER_REVIEW, "applicant"),
    _t(PROVIDER_REVIEW, "return", RETURNED, "reviewer"),
    _t(PROVIDER_REVIEW, "pass", PHOTO_PENDING, "reviewer"),
    _t(PROVIDER_REVIEW, "pass_app_verification", APP_VERIFICATION_PENDING, "reviewer"),
    _t(PHOTO_PENDING, "upload_photo", PHOTO_REVIEW, "applicant"),
    _t(PHOTO_REVIEW, "pass_photo", READY_FOR_ADMINISTRATION, "reviewer"),
    _t(PHOTO_REVIEW, "reject_photo", PHOTO_PENDING, "reviewer"),
    _t(APP_VERIFICATION_PENDING, "confirm_app_verification", READY_FOR_ADMINISTRATION, "reviewer"),
    _t(READY_FOR_ADMINISTRATION, "send_with_sms", SMS_PENDING, "reviewer"),
    _t(READY_FOR_ADMINISTRATION, "send", ADMINISTRATION_REVIEW, "reviewer"),
    _t(SMS_PENDING, "verify_sms", ADMINISTRATION_REVIEW, "applicant"),
    _t(SMS_PENDING, "expire_sms", REJECTED, "system", "applicant"),
    _t(ADMINISTRATION_REVIEW, "approve", APPROVED, "administration"),
    _t(ADMINISTRATION_REVIEW, "reject", REJECTED, "administration"),
    _t(DRAFT, "discard", DISCARDED, "system"),
    _t(RETURNED, "discard", DISCARDED, "system"),
    *[_t(status, "withdraw", WITHDRAWN, "applicant")
      for status in (DRAFT, PROVIDER_REVIEW, RETURNED, PHOTO_PENDING, APP_VERIFICATION_PENDING, PHOTO_REVIEW,
                     READY_FOR_ADMINISTRATION, SMS_PENDING)],
]
_BY_SOURCE_ACTION = {(t.source, t.action): t for t in TRANSITIONS}


class TransitionNotAllowed(Exception):
    """The action is not allowed from the filing's status, or not for this role."""


def next_status(status: str, action: str, role: str) -> str:
    """Return the status `action` leads to from `status`; raises TransitionNotAllowed."""
    transition = _BY_SOURCE_ACTION.get((status, action))
    if transition is None or role not in transition.roles:
        raise TransitionNotAllowed(f"{role} may not {action} a filing in {status}")
    return transition.target


def allowed_actions(status: str, role: str) -> list[str]:
    """The actions `role` may take on a filing in `status`."""
    return [t.action for t in TRANSITIONS if t.source == status and role in t.roles]


def new_filing_id() -> str:
    """A random, unguessable order number (e.g. 'F7K2M9Q4XA'), unambiguous to read aloud."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def filing_key(filing_id: str) -> tuple[str, str]:
    """The (pk, sk) of a filing's main item."""
    return f"FILING#{filing_id}", "META"


def document_key(filing_id: str, kind: str) -> tuple[str, str]:
    """The (pk, sk) of one of a filing's documents."""
    return f"FILING#{filing_id}", f"DOC#{kind}"


def event_item(filing_id: str, *, now: datetime, actor: str, action: str, status: str, note: str = "",
               seq: int = 0) -> dict:
    """A history event: who did what to the filing, when, and why.

    `seq` (the filing's new version) orders events written at the same instant; the random tail keeps two
    events from ever sharing a key, so one can never overwrite another.
    """
    stamp = now.isoformat(timespec="microseconds")
    return {
        "pk": f"FILING#{filing_id}", "sk": f"EVENT#{stamp}#{seq:06d}#{secrets.token_hex(3)}", "version": 1,
        "at": now.isoformat(timespec="seconds"), "actor": actor, "action": action, "status": status, "note": note,
    }


def index_fields(filing: dict) -> dict:
    """The owner and queue index attributes a filing item carries, derived from its fields."""
    return {
        "owner": filing["owner"],
        "owner_sort": f"FILING#{filing['updated_at']}#{filing['id']}",
        "queue": f"STATUS#{filing['status']}",
        "queue_sort": f"{filing['status_since']}#{filing['id']}",
    }
