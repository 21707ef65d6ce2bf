"""The filing record: its statuses, who may move it where, and the keys it is stored under."""
from __future__ import annotations

import secrets
from datetime import datetime
from icp import dates
from icp.records import record
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

# who acts next on an order (the status table's `actor`), as the applicant reads it
ACTOR_LABELS = {
    "applicant": _("You"),
    "administrator": _("The %(role)s"),
    "leader": _("The subject leader"),
    "leader_and_administrator": _("The subject leader and the %(role)s"),
    "reviewer": _("Our reviewers"),
    "administration": _("The communications administration"),
    "nobody": _("Nobody: the order has ended"),
}


@record
class Status:
    """What a status means, declared once: every page and message takes its wording from here (DESIGN.md).

    A text is either one msgid or a dict choosing by the order's variants (Order.variants: the verification
    method "backdrop"/"phone"/"app", "sms"/"no_sms", "one"/"two" mobiles texted, and the backdrop's progress
    "backdrop_none"/"backdrop_applied"/"backdrop_mailed"); the key "" is the default.

    label:   the status tag.
    stage:   the stage of the road (icp.timeline) that is current during this status.
    actor:   who acts next (a key of ACTOR_LABELS), or a dict by variant.
    action:  the applicant's next action, one sentence; its params name dates as *_at (a moment, a deadline) or
             *_on (a day, an expectation): see icp.order.
    due:     what the action's date is: "deadline" (the order's running deadline: miss it and the order ends),
             "expected" (when the one acting usually has), "window" (the administration's decision window) or
             None; may be a dict by variant.
    queue:   the reviewers' queue title, when staff work this status from a queue.
    panel:   the part of the status page that shows what to do now (templates/filings/status/<panel>.html),
             or a dict by variant.
    tone:    the tag's colour: "action" (the applicant acts), "done", "ended" or "" (someone else acts).
    """

    code: str
    label: object
    stage: str
    actor: object
    action: object
    due: object = None
    queue: str | None = None
    panel: object = "waiting"
    tone: object = ""
    outcome: object = ""  # for a status that ends the order: what happened, said on its status page


def pick(text, variants) -> str:
    """The text of a status field for an order with these variants (the first variant the dict names)."""
    if not isinstance(text, dict):
        return text
    for variant in variants:
        if variant in text:
            return text[variant]
    return text[""]


_NOTHING_ENDED = {
    "cancel_access": _("Nothing more happens with this order: the service stays filed and accessed with us."),
    "cancel": _("Nothing more happens with this order: the service stays filed with its number."),
    "": _("Nothing more happens with this order. To file the website, start a new order.")}

# the status table (DESIGN.md, "Order types and statuses: declared once"); a status missing here fails
# tests/test_status_table.py, not a page
STATUSES = {s.code: s for s in (
    Status(DRAFT, _("Draft"), "prepare", "applicant",
           {"cancel_access": _("Confirm with the code we text to your account's mobile and send the order by "
                               "%(deadline_at)s, or it is deleted."),
            "cancel": _("Confirm the cancellation and send it by %(deadline_at)s, or the order is deleted."),
            "": _("Fill in the order and submit it by %(deadline_at)s, or it is deleted.")},
           due="deadline", panel="prepare", tone="action"),
    Status(RETURNED, _("Returned for changes"), "prepare", "applicant",
           _("Change what our reviewer commented on and submit the order again by %(deadline_at)s, or it is "
             "deleted."), due="deadline", panel="prepare", tone="action"),
    Status(PROVIDER_REVIEW, _("In our review"), "provider_review", "reviewer",
           _("Nothing to do now: we review the order within %(review_workdays)s, usually by %(expected_on)s."),
           due="expected",
           queue=_("Our review"), panel="review"),
    Status(PHOTO_PENDING,
           {"backdrop": _("Waiting for the backdrop photo"), "phone": _("Waiting for the administrator's live photo"),
            "": _("Waiting for the administrator's photo")},
           "verification",
           {"backdrop_applied": "reviewer", "backdrop_none": "applicant", "": "administrator"},
           {"backdrop_none": _("Apply for the backdrop: we mail it to an address in mainland China."),
            "backdrop_applied": _("Nothing to do now: we mail the backdrop, usually by %(expected_on)s."),
            "backdrop_mailed": _("When the backdrop arrives (usually by %(expected_on)s), photograph the %(role)s "
                                 "in front of it and upload the photo."),
            "": _("Open the QR code on the order's page with the %(role)s's phone: the phone takes a live photo. "
                  "No backdrop is needed.")},
           due={"backdrop_applied": "expected", "backdrop_mailed": "expected", "": None},
           queue=_("Backdrops to mail"), panel="photo",
           tone={"backdrop_applied": "", "": "action"}),
    Status(APP_VERIFICATION_PENDING, _("Waiting for verification in the Shanghai Communications Administration app"),
           "verification", "administrator",
           _("The %(role)s verifies in the Shanghai Communications Administration app with order number "
             "%(reference)s; we then confirm it."),
           queue=_("Shanghai app verification"), panel="app", tone="action"),
    Status(PHOTO_REVIEW,
           {"backdrop": _("Backdrop photo in our review"), "phone": _("Live photo in our review"),
            "": _("Photo in our review")},
           "verification", "reviewer",
           {"backdrop": _("Nothing to do now: we check the backdrop photo within %(review_workdays)s, usually by "
                          "%(expected_on)s."),
            "": _("Nothing to do now: we check the live photo within %(review_workdays)s, usually by "
                  "%(expected_on)s.")},
           due="expected", queue=_("Photo review"), panel="review"),
    Status(READY_FOR_ADMINISTRATION, _("Ready to send to the communications administration"), "send", "reviewer",
           {"two": _("Nothing to do now: we send the order to the communications administration, usually by "
                     "%(expected_on)s. MIIT then texts a code to the subject leader and one to the %(role)s."),
            "one": _("Nothing to do now: we send the order to the communications administration, usually by "
                     "%(expected_on)s. MIIT then texts a code to the subject leader."),
            "": _("Nothing to do now: we send the order to the communications administration, usually by "
                  "%(expected_on)s.")},
           due="expected", queue=_("Ready for the communications administration"), panel="waiting"),
    Status(SMS_PENDING, _("Waiting for the MIIT SMS check"), "sms",
           {"two": "leader_and_administrator", "": "leader"},
           {"cancel_two": _("Enter the two MIIT codes, texted to the subject leader and to the %(role)s, by "
                            "%(deadline_at)s, or the cancellation is refused."),
            "cancel_one": _("Enter the MIIT code texted to the subject leader by %(deadline_at)s, or the "
                            "cancellation is refused."),
            "two": _("Enter the two MIIT codes, texted to the subject leader and to the %(role)s, by "
                     "%(deadline_at)s, or the filing is rejected."),
            "": _("Enter the MIIT code texted to the subject leader by %(deadline_at)s, or the filing is "
                  "rejected.")},
           due="deadline", panel="codes", tone="action"),
    Status(ADMINISTRATION_REVIEW, _("In the communications administration's review"), "administration_review",
           "administration",
           {"cancel_access": _("Nothing to do now: the communications administration applies the cancellation of "
                               "access, usually between %(earliest_on)s and %(latest_on)s. It cannot be withdrawn "
                               "now."),
            "cancel": _("Nothing to do now: the communications administration decides on the cancellation, usually "
                        "between %(earliest_on)s and %(latest_on)s."),
            "": _("Nothing to do now: the communications administration decides, usually between %(earliest_on)s "
                  "and %(latest_on)s.")}, due="window", panel="waiting"),
    # an approved order no longer the record of a service of ours (is_closed) reads as what became of the service
    Status(APPROVED, {"cancel_access": _("Access cancelled"), "cancel": _("Cancelled"),
                      "closed_access_cancelled": _("Access cancelled"), "closed_cancelled": _("Cancelled"),
                      "closed_superseded": _("Replaced by a change"), "": _("Approved")},
           "decision", {"cancel_access": "nobody", "cancel": "nobody", "closed_access_cancelled": "nobody",
                        "closed_cancelled": "nobody", "closed_superseded": "nobody", "": "applicant"},
           {"closed_access_cancelled": _("Nothing to do here: our access for %(domain)s was cancelled. The number "
                                         "%(icp_number)s stays with MIIT while another provider gives access."),
            "closed_cancelled": _("The ICP number %(icp_number)s is cancelled and will not be given again: take it "
                                  "off the website or app now. Filing the service again is a new filing with a new "
                                  "number."),
            "closed_superseded": _("Nothing to do here: an approved change replaced this order, and the change's "
                                   "order holds the website's answers now."),
            "access_warning": _("Make %(domain)s resolve to our servers in mainland China by %(deadline_at)s, or "
                                "we cancel its access (the number stays with MIIT). When it does, say so on its "
                                "status page."),
            "cancel_access": _("Nothing more to do here. The number %(icp_number)s stays with MIIT while another "
                               "provider gives access; with none, the communications administration may cancel it "
                               "as an empty website. To come back, the service needs add access with the same "
                               "number, which another provider can give: this service does not take add access "
                               "yet."),
            "cancel": _("The ICP number %(icp_number)s is cancelled and will not be given again: take it off the "
                        "website or app now. Filing the service again is a new filing with a new number."),
            "app_order": _("Show the ICP number %(icp_number)s in the app's settings or about page, linked to "
                           "https://beian.miit.gov.cn/."),
            "": _("Show the ICP number %(icp_number)s at the bottom of the home page, linked to "
                  "https://beian.miit.gov.cn/.")},
           due={"access_warning": "deadline", "": None},
           panel={"cancel_access": "service_ended", "cancel": "service_ended", "": "approved"},
           tone={"access_warning": "action", "closed_access_cancelled": "ended", "closed_cancelled": "ended",
                 "closed_superseded": "ended", "": "done"}),
    Status(REJECTED, {"cancel_access": _("Refused"), "cancel": _("Refused"), "": _("Rejected")}, "ended", "nobody",
           _NOTHING_ENDED, panel="ended", tone="ended",
           outcome={"cancel_access": _("The communications administration refused to cancel access."),
                    "cancel": _("The cancellation was refused."), "": _("The filing was rejected.")}),
    Status(DISCARDED, _("Deleted"), "ended", "nobody", _NOTHING_ENDED, panel="ended", tone="ended",
           outcome=_("This order was deleted: it was not submitted within %(discard_days)s of starting.")),
    Status(WITHDRAWN, _("Withdrawn"), "ended", "nobody", _NOTHING_ENDED, panel="ended", tone="ended",
           outcome=_("You withdrew this order.")),
)}

# the status tag of each status, for pages that know no order's variants (the staff consoles' lists)
STATUS_LABELS = {code: pick(status.label, ()) for code, status in STATUSES.items()}

# how each history event reads (the status page, the consoles)
EVENT_LABELS = {
    "start": _("Filing type verified, order started"),
    "bind_service_code": _("Server verified with a service code"),
    "upload_document": _("Document uploaded"),
    "remove_document": _("Document removed"),
    "submit": _("Submitted for our review"),
    "withdraw": _("Withdrawn"),
    "remind_draft": _("Reminder sent: not submitted yet"),
    "discard": _("Deleted: not submitted in time"),
    "return": _("Returned with comments"),
    "pass": _("Passed our review"),
    "apply_backdrop": _("Backdrop applied for"),
    "mark_backdrop_mailed": _("Backdrop mailed"),
    "issue_phone_link": _("Phone verification link opened"),
    "upload_photo": _("Administrator's photo uploaded"),
    "pass_photo": _("Photo passed"),
    "reject_photo": _("Photo rejected"),
    "confirm_app_verification": _("Verified in the Shanghai app"),
    "send": _("Sent to the communications administration"),
    "remind_sms": _("Reminder sent: enter the MIIT codes"),
    "wrong_code": _("Wrong MIIT code entered"),
    "resend_codes": _("MIIT codes sent again"),
    "verify_sms": _("MIIT SMS check passed"),
    "expire_sms": _("Rejected: MIIT codes not entered in time"),
    "too_many_wrong_codes": _("Rejected: too many wrong MIIT codes"),
    "approve": _("Approved by the communications administration"),
    "reject": _("Rejected by the communications administration"),
    "flag_overdue": _("Past the expected time"),
    "view_certificates": _("Staff viewed the certificate numbers"),
    "warn_access": _("Warned: the domain must resolve to our servers again"),
    "clear_access_warning": _("Warning cleared: the domain resolves to our servers"),
    "end_access": _("Not fixed in time: we sent the cancellation of access"),
    "send_account_code": _("Code texted to the account's mobile"),
    "wrong_account_code": _("Wrong account code entered"),
    # the orders after the number, where an action reads differently from a new filing's (event_label)
    "cancel_access:start": _("Order started"),
    "cancel:start": _("Order started"),
    "cancel_access:submit": _("Confirmed and sent to the communications administration"),
    "cancel_access:approve": _("Access cancelled by the communications administration"),
    "cancel_access:reject": _("Cancelling access refused by the communications administration"),
    "cancel:submit": _("Cancellation confirmed; the MIIT SMS check started"),
    "cancel:approve": _("Cancelled by the communications administration: the number is retired"),
    "cancel:reject": _("Cancellation refused by the communications administration"),
    "cancel:expire_sms": _("Cancellation refused: MIIT codes not entered in time"),
    "cancel:too_many_wrong_codes": _("Cancellation refused: too many wrong MIIT codes"),
    "erase": _("Documents and personal details deleted, as the privacy notice says"),
    "close_access_cancelled": _("Access cancelled: its documents and personal details are deleted after the "
                                "period the privacy notice gives"),
    "close_cancelled": _("Filing cancelled: its documents and personal details are deleted after the period the "
                         "privacy notice gives"),
    "close_superseded": _("Replaced by an approved change: its documents and personal details are deleted after the "
                          "period the privacy notice gives"),
    "detach_account": _("The applicant's account was deleted; the filing's record stays"),
    "send_mobile_code": _("Code sent to confirm a mobile number"),
    "enter_mobile_code": _("Code entered to confirm a mobile number"),
    # a change of a filed website runs the filing flow: only its start and its approval read differently
    "change_website:start": _("Change started from the filed website"),
    "change_website:approve": _("Change approved by the communications administration; the number stays"),
}


def event_label(action: str, filing: dict | None = None) -> str:
    """How a history event reads for this order (msgid): its flow's own wording first, else the action's."""
    if filing and filing.get("verified") is not None:
        from icp.order_types import order_type_of

        for own in (f"{order_type_of(filing).code}:{action}", f"{flow_of(filing)}:{action}"):  # its type's, its flow's
            if own in EVENT_LABELS:
                return EVENT_LABELS[own]
    return EVENT_LABELS.get(action, action)
# how the website administrator is verified (DOMAIN.md §5)
VERIFICATION_LABELS = {
    "backdrop": _("Photo in front of the backdrop"),
    "phone": _("Live photo taken with a phone"),
    "app": _("The Shanghai Communications Administration app"),
    "none": _("No verification of the administrator (a cancellation)"),
}

# statuses in which the applicant may still edit the answers
EDITABLE = frozenset({DRAFT, RETURNED})
# statuses in which nothing more will happen; the subject and the service code are free again
FINAL = frozenset({APPROVED, REJECTED, DISCARDED, WITHDRAWN})

# (which statuses are the administrator's verification, and which our reviewers work from a queue, is the status
# table's `stage` and `queue`)


@record
class Effects:
    """What a transition does besides changing the status; the apply function reads these, nothing else.

    deadline: "keep" the running one, "stop" it, "advance" it past the reminder just sent, or "start:<name>"
              (a deadline of icp.deadlines: draft, sms, provider_review, photo_review, administration).
    code:     "release" the bound service code or "consume" it for good; None leaves it.
    locks:    True releases the subject's and the domain's in-flight locks (the order has ended).
    notify:   the outbox template sent to the applicant.
    retain:   an approved order stops being the current record of a service of ours: the key of the retention row
              (rules.RETENTION_AFTER_SERVICE) whose period starts now; the retention sweep then erases the order
              through the "erase" transition. None leaves the order's record as it is.
    """

    deadline: str = "keep"
    code: str | None = None
    locks: bool = False
    notify: str | None = None
    retain: str | None = None


@record
class Transition:
    """One allowed move: from a status, by an action, to a status, by one of these roles, with its effects.

    `when` names a route the filing's stamped policy must take (see routes()); None means always. `flows` are
    the order types' flows it belongs to (icp.order_types.OrderType.flow): a cancellation never passes our
    review, and a new website never skips it.
    """

    source: str
    action: str
    target: str
    roles: frozenset
    effects: Effects = Effects()
    when: str | None = None
    flows: frozenset = frozenset({"filing"})


def _t(source, action, target, roles, effects=Effects(), when=None, flows="filing"):
    return Transition(source, action, target, frozenset(roles.split()), effects, when, frozenset(flows.split()))


# the flows of the orders after the number (DOMAIN.md §14) beside a new website's or app's ("filing")
ALL_FLOWS = "filing cancel_access cancel"
WITH_SMS = "filing cancel"


_ENDED = Effects(deadline="stop", code="release", locks=True)
_ENDED_BY_APPLICANT = Effects("stop", code="release", locks=True, notify="withdrawn")
# the statuses from which the applicant may still withdraw: everything before the administration's review
WITHDRAWABLE = (DRAFT, PROVIDER_REVIEW, RETURNED, PHOTO_PENDING, APP_VERIFICATION_PENDING, PHOTO_REVIEW,
                READY_FOR_ADMINISTRATION, SMS_PENDING)

# the state machine as data (DESIGN.md, "The filing's life"); "system" is the scheduled jobs
TRANSITIONS = [
    _t(DRAFT, "submit", PROVIDER_REVIEW, "applicant", Effects("start:provider_review", notify="submitted")),
    _t(RETURNED, "submit", PROVIDER_REVIEW, "applicant", Effects("start:provider_review", notify="resubmitted")),
    _t(PROVIDER_REVIEW, "return", RETURNED, "reviewer", Effects("start:draft", notify="returned")),
    _t(PROVIDER_REVIEW, "pass", PHOTO_PENDING, "reviewer", Effects("stop", notify="review_passed_photo"),
       when="backdrop"),
    _t(PROVIDER_REVIEW, "pass", PHOTO_PENDING, "reviewer", Effects("stop", notify="review_passed_phone"),
       when="phone"),
    _t(PROVIDER_REVIEW, "pass", APP_VERIFICATION_PENDING, "reviewer",
       Effects("stop", notify="review_passed_app"), when="app"),
    _t(PHOTO_PENDING, "apply_backdrop", PHOTO_PENDING, "applicant", when="backdrop"),
    _t(PHOTO_PENDING, "mark_backdrop_mailed", PHOTO_PENDING, "reviewer", Effects(notify="backdrop_mailed"),
       when="backdrop"),
    _t(PHOTO_PENDING, "issue_phone_link", PHOTO_PENDING, "applicant", when="phone"),
    _t(PHOTO_PENDING, "upload_photo", PHOTO_REVIEW, "applicant",
       Effects("start:photo_review", notify="photo_received"), when="photo"),
    _t(PHOTO_REVIEW, "pass_photo", READY_FOR_ADMINISTRATION, "reviewer",
       Effects("stop", notify="verification_passed")),
    _t(PHOTO_REVIEW, "reject_photo", PHOTO_PENDING, "reviewer", Effects("stop", notify="photo_rejected")),
    _t(APP_VERIFICATION_PENDING, "confirm_app_verification", READY_FOR_ADMINISTRATION, "reviewer",
       Effects(notify="verification_passed")),
    _t(READY_FOR_ADMINISTRATION, "send", SMS_PENDING, "reviewer",
       Effects("start:sms", notify="sms_codes_sent"), when="sms"),
    _t(READY_FOR_ADMINISTRATION, "send", ADMINISTRATION_REVIEW, "reviewer",
       Effects("start:administration", notify="sent_to_administration"), when="no_sms"),
    _t(SMS_PENDING, "remind_sms", SMS_PENDING, "system", Effects("advance", notify="sms_reminder"), flows=WITH_SMS),
    _t(SMS_PENDING, "wrong_code", SMS_PENDING, "applicant", flows=WITH_SMS),
    _t(SMS_PENDING, "resend_codes", SMS_PENDING, "applicant", flows=WITH_SMS),
    _t(SMS_PENDING, "verify_sms", ADMINISTRATION_REVIEW, "applicant",
       Effects("start:administration", notify="sms_verified"), flows=WITH_SMS),
    _t(SMS_PENDING, "expire_sms", REJECTED, "system applicant",
       Effects("stop", code="release", locks=True, notify="sms_expired"), flows=WITH_SMS),
    _t(SMS_PENDING, "too_many_wrong_codes", REJECTED, "applicant",
       Effects("stop", code="release", locks=True, notify="sms_wrong_codes"), flows=WITH_SMS),
    _t(ADMINISTRATION_REVIEW, "approve", APPROVED, "administration",
       Effects("stop", code="consume", locks=True, notify="approved")),
    _t(ADMINISTRATION_REVIEW, "reject", REJECTED, "administration",
       Effects("stop", code="release", locks=True, notify="rejected"), flows=ALL_FLOWS),
    *[_t(status, "flag_overdue", status, "system", Effects("stop"))
      for status in (PROVIDER_REVIEW, PHOTO_REVIEW)],
    _t(ADMINISTRATION_REVIEW, "flag_overdue", ADMINISTRATION_REVIEW, "system", Effects("stop"), flows=ALL_FLOWS),
    _t(DRAFT, "remind_draft", DRAFT, "system", Effects("advance", notify="draft_reminder"), flows=ALL_FLOWS),
    _t(RETURNED, "remind_draft", RETURNED, "system", Effects("advance", notify="draft_reminder")),
    _t(DRAFT, "discard", DISCARDED, "system", Effects("stop", code="release", locks=True, notify="discarded"),
       flows=ALL_FLOWS),
    _t(RETURNED, "discard", DISCARDED, "system", Effects("stop", code="release", locks=True, notify="discarded")),
    *[_t(status, "withdraw", WITHDRAWN, "applicant", Effects("stop", code="release", locks=True,
                                                              notify="withdrawn"))
      for status in WITHDRAWABLE],
    # a filed service that no longer resolves to our servers: warned with a deadline, cleared when it does again,
    # or its access cancelled by us when the deadline passes (DOMAIN.md §14; icp.workflow.after_number)
    _t(APPROVED, "warn_access", APPROVED, "reviewer", Effects("start:access_warning", notify="access_warning")),
    _t(APPROVED, "clear_access_warning", APPROVED, "applicant reviewer", Effects("stop")),
    _t(APPROVED, "end_access", APPROVED, "system", Effects("stop")),
    # cancel access (取消接入): confirmed by the account holder's code, then straight to the administration; it
    # cannot be withdrawn once sent (DOMAIN.md §14)
    _t(DRAFT, "withdraw", WITHDRAWN, "applicant", _ENDED_BY_APPLICANT, flows="cancel_access cancel"),
    _t(DRAFT, "submit", ADMINISTRATION_REVIEW, "applicant system",
       Effects("start:administration", notify="cancel_access_sent"), flows="cancel_access"),
    _t(ADMINISTRATION_REVIEW, "approve", APPROVED, "administration",
       Effects("stop", locks=True, notify="access_cancelled", retain="access_cancelled"), flows="cancel_access"),
    # cancel a website or app (注销): MIIT texts the subject leader and the administrator within 24 hours, then the
    # administration decides; the number is retired on approval
    _t(DRAFT, "submit", SMS_PENDING, "applicant", Effects("start:sms", notify="cancel_sms_sent"), flows="cancel"),
    _t(SMS_PENDING, "withdraw", WITHDRAWN, "applicant", _ENDED_BY_APPLICANT, flows="cancel"),
    _t(ADMINISTRATION_REVIEW, "approve", APPROVED, "administration",
       Effects("stop", locks=True, notify="service_cancelled", retain="cancelled"), flows="cancel"),
    # an approved order that is no longer the current record of a service of ours (rules.RETENTION_AFTER_SERVICE):
    # the approval of a cancellation moves each approved order of its number along one of the first two, written
    # with the approval (icp.workflow.after_number); the approval of a change moves the order it replaces along the
    # third (icp.workflow.change). The cancellation's and the change's own approvals above start their own periods.
    _t(APPROVED, "close_access_cancelled", APPROVED, "system", Effects("stop", retain="access_cancelled"),
       flows=ALL_FLOWS),
    _t(APPROVED, "close_cancelled", APPROVED, "system", Effects("stop", retain="cancelled"), flows=ALL_FLOWS),
    _t(APPROVED, "close_superseded", APPROVED, "system", Effects("stop", retain="superseded")),
    # when its period passes, the retention sweep erases such an order (icp.workflow.retention: the tombstone keeps
    # the number, the domain or app and the dates); an approved order still the record of a service of ours never
    # takes the "closed" route, so it can never be erased
    _t(APPROVED, "erase", APPROVED, "system applicant", when="closed", flows=ALL_FLOWS),
]

# the transition that closes an approved order's record, by what the service became (rules.RETENTION_AFTER_SERVICE)
CLOSE_ACTIONS = {"access_cancelled": "close_access_cancelled", "cancelled": "close_cancelled",
                 "superseded": "close_superseded"}


@record
class Event:
    """A same-status event: recorded in the history through the engine (icp.workflow.engine.record), never by
    hand. `statuses` are where it may happen (None: any); `changes_order` says whether the order's item is
    written too (a new version) or only the history event (a staff view)."""

    action: str
    roles: frozenset
    statuses: frozenset | None
    changes_order: bool = True


RECORDED_EVENTS = {e.action: e for e in (
    Event("start", frozenset({"applicant"}), frozenset({DRAFT})),
    Event("bind_service_code", frozenset({"applicant"}), EDITABLE),
    Event("upload_document", frozenset({"applicant"}), EDITABLE),
    Event("remove_document", frozenset({"applicant"}), EDITABLE),
    # an app's release APK read for its Android facts (icp.workflow.apk): the facts wait on the order to be confirmed
    Event("read_apk", frozenset({"applicant"}), EDITABLE),
    # a one-time code texted to a mobile of the order, and one entered (right or wrong), before submission
    # (icp.workflow.mobile_codes); the note says whose mobile and the outcome, never the number
    Event("send_mobile_code", frozenset({"applicant"}), EDITABLE),
    Event("enter_mobile_code", frozenset({"applicant"}), EDITABLE),
    Event("view_certificates", frozenset({"reviewer", "administration"}), None, changes_order=False),
    # cancel access: the code that confirms the account holder (icp.workflow.after_number)
    Event("send_account_code", frozenset({"applicant"}), frozenset({DRAFT})),
    Event("wrong_account_code", frozenset({"applicant"}), frozenset({DRAFT})),
    # an ended order's documents and personal answers deleted (icp.workflow.retention): by the retention sweep when
    # its period passes, or at once when the account is deleted
    Event("erase", frozenset({"system", "applicant"}),
          frozenset(code for code, status in STATUSES.items() if status.stage == "ended")),
    # the applicant deleted the account: an approved filing's record stays, without its owner (the privacy notice)
    Event("detach_account", frozenset({"applicant"}), frozenset({APPROVED})),
)}


class TransitionNotAllowed(Exception):
    """The action is not allowed from the filing's status, or not for this role."""


def routes(filing: dict) -> frozenset:
    """The routes this filing's stamped policy takes: its verification method and whether MIIT texts codes; and
    "closed" for an approved order that is no longer the current record of a service of ours (is_closed)."""
    stamped = policy_of(filing)
    method = stamped["verification"]
    taken = {method, "app" if method == "app" else "photo", "sms" if stamped["sms"] else "no_sms"}
    return frozenset(taken | ({"closed"} if is_closed(filing) else set()))


def is_closed(filing: dict) -> bool:
    """Whether an approved order is no longer the current record of a service of ours (its access or filing was
    cancelled, or an approved change replaced it): its retention period runs (icp.retention)."""
    return filing.get("status") == APPROVED and bool(filing.get("closed"))


def flow_of(filing: dict) -> str:
    """The flow of transitions the order's type takes (icp.order_types.OrderType.flow)."""
    from icp.order_types import order_type_of

    return order_type_of(filing).flow


def transition_for(filing: dict, action: str, role: str) -> Transition:
    """The transition `action` takes this filing along, for `role`; raises TransitionNotAllowed."""
    taken = routes(filing)
    flow = flow_of(filing)
    for transition in TRANSITIONS:
        if (transition.source == filing["status"] and transition.action == action and role in transition.roles
                and flow in transition.flows and (transition.when is None or transition.when in taken)):
            return transition
    raise TransitionNotAllowed(f"{role} may not {action} a filing in {filing['status']}")


def next_status(status: str, action: str, role: str) -> str:
    """Return the status `action` leads to from `status`, whatever the route; raises TransitionNotAllowed."""
    for transition in TRANSITIONS:
        if transition.source == status and transition.action == action and role in transition.roles:
            return transition.target
    raise TransitionNotAllowed(f"{role} may not {action} a filing in {status}")


def allowed_actions(status_or_filing, role: str) -> list[str]:
    """The actions `role` may take on a filing (or, given only a status, on any filing in that status)."""
    if isinstance(status_or_filing, dict):
        taken = routes(status_or_filing)
        status = status_or_filing["status"]
        flow = flow_of(status_or_filing)
        return list(dict.fromkeys(t.action for t in TRANSITIONS if t.source == status and role in t.roles
                                  and flow in t.flows and (t.when is None or t.when in taken)))
    return list(dict.fromkeys(t.action for t in TRANSITIONS if t.source == status_or_filing and role in t.roles))


def policy_stamp(policy, province: str) -> dict:
    """What a deadline policy decides for a filing of `province`, stamped on the filing at start and submission.

    Deadlines and handlers read the stamp, never the configuration, so a change of configuration never
    changes a running deadline (DESIGN.md, "The filing's life").
    """
    method = "app" if province in policy.app_verification_provinces else policy.administrator_verification
    return {
        "name": policy.name,
        "verification": method,
        "sms": policy.sms_verification_required(province),
        "sms_window_minutes": int(policy.sms_window.total_seconds() // 60),
        "sms_reminders_before_minutes": [int(r.total_seconds() // 60) for r in policy.sms_reminders_before],
        "wrong_code_limit": policy.wrong_code_limit,
        "code_resends": policy.code_resends,
        "wrong_code_pause_after": policy.wrong_code_pause_after,
        "wrong_code_pause_minutes": int(policy.wrong_code_pause.total_seconds() // 60),
        "draft_discard_days": policy.draft_discard_after.days,
        "draft_reminder_days": sorted(r.days for r in policy.draft_reminders_after),
        "administration_review_workdays": list(policy.administration_review_workdays),
        "photo_review_workdays": policy.photo_review_workdays,
        "provider_review_workdays": policy.provider_review_workdays,
    }


def policy_of(filing: dict) -> dict:
    """The policy stamped on the filing (orders made before stamping existed get the seed's).

    A stamp written before a figure joined the policy lacks it: that figure comes from the named policy, which
    is what the order ran under.
    """
    from icp import rules

    # an index entry (My filings, the staff queues) carries the stamp's figures its pages read in its glance
    stamped = filing.get("policy") or (filing.get("glance") or {}).get("policy") or {}
    named = rules.DEADLINE_POLICIES.get(stamped.get("name", "seed"), rules.deadline_policy("seed"))
    return {**policy_stamp(named, filing["verified"]["province"]), **stamped}


def new_filing_id() -> str:
    """A random, unguessable order number (e.g. 'F7K2M9Q4XA'), unambiguous to read aloud."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


# the sort keys that open a filing's documents and its history events, in the filing's partition
DOCUMENT_PREFIX = "DOC#"
EVENT_PREFIX = "EVENT#"


def filing_partition(filing_id: str) -> str:
    """The pk of a filing's partition: the filing, its documents, its history and its last site check."""
    return f"FILING#{filing_id}"


def filing_key(filing_id: str) -> tuple[str, str]:
    """The (pk, sk) of a filing's main item."""
    return filing_partition(filing_id), "META"


def document_key(filing_id: str, kind: str) -> tuple[str, str]:
    """The (pk, sk) of one of a filing's documents."""
    return filing_partition(filing_id), f"{DOCUMENT_PREFIX}{kind}"


def is_document(sk: str) -> bool:
    """Whether an item of a filing's partition is one of its documents (by its sort key)."""
    return sk.startswith(DOCUMENT_PREFIX)


def is_event(sk: str) -> bool:
    """Whether an item of a filing's partition is one of its history events (by its sort key)."""
    return sk.startswith(EVENT_PREFIX)


def queue_key(status: str) -> str:
    """The queue index key of the orders in one status (a staff queue)."""
    return f"STATUS#{status}"


def owner_sort_key(created_at: str, filing_id: str) -> str:
    """The owner index's sort key of a filing: My filings lists orders by when they were started."""
    return f"FILING#{created_at}#{filing_id}"


def owner_sort_bounds() -> tuple[str, str]:
    """The (lower, upper) bounds of an owner's filings in the owner index (instances and codes share it)."""
    return "FILING#", "FILING#\uffff"


def subject_lock_key(certificate_number: str) -> tuple[str, str]:
    """The item that keeps a second order for the same subject out while one is in flight."""
    return f"LOCK#SUBJECT#{certificate_number.upper()}", "META"


def lock_keys(verified: dict) -> list[tuple[tuple[str, str], str]]:
    """The in-flight locks an order holds while it runs, each with what it locks ("subject", "domain"): the
    subject's always, a website's domain too (an app's domains may serve websites: only its subject is locked)."""
    locks = [(subject_lock_key(verified["certificate_number"]), "subject")]
    if verified.get("domain_ascii"):
        locks.append((domain_lock_key(verified["domain_ascii"]), "domain"))
    return locks


def domain_lock_key(ascii_domain: str) -> tuple[str, str]:
    """The item that keeps a second order for the same domain out while one is in flight."""
    return f"LOCK#DOMAIN#{ascii_domain.lower()}", "META"


def event_item(filing_id: str, *, now: datetime, actor: str, action: str, status: str, note: str = "",
               seq: int = 0) -> dict:
    """A history event: who did what to the filing, when, and why.

    `seq` (the filing's new version) orders events written at the same instant; the random tail keeps two
    events from ever sharing a key, so one can never overwrite another.
    """
    stamp = now.isoformat(timespec="microseconds")
    return {
        "pk": filing_partition(filing_id), "sk": f"{EVENT_PREFIX}{stamp}#{seq:06d}#{secrets.token_hex(3)}",
        "version": 1,
        "at": now.isoformat(timespec="seconds"), "actor": actor, "action": action, "status": status, "note": note,
    }


def index_fields(filing: dict) -> dict:
    """The owner and queue index attributes a filing item carries, derived from its fields."""
    # index keys change only when their meaning does, since DynamoDB bills a changed key as a delete and a
    # put: My filings lists orders by when they were started (not by every save), and a draft is in no
    # staff queue (None leaves the sparse index), so saving a step rewrites neither key
    queued = filing["status"] != DRAFT
    return {
        # My filings' "Last change" is a day: a save within the same China day leaves the owner index's entry
        # alone (its card changes only when a day, a status or the next action does), where the moment of every
        # save rewrote it (a write unit each, fifteen in a wizard)
        "updated_on": dates.china_day(filing["updated_at"]).isoformat() if filing.get("updated_at") else None,
        # what the order's next action depends on beyond its status (icp.order.Order), in a few bytes, so My
        # filings, which reads the owner index and not the answers, states the same next action as the status page
        "glance": glance(filing),
        "owner": filing["owner"],
        "owner_sort": owner_sort_key(filing["created_at"], filing["id"]),
        "queue": queue_key(filing["status"]) if queued else None,
        # a resubmitted order goes back to the queue in its original place: its first submission time
        "queue_sort": f"{queue_since(filing)}#{filing['id']}" if queued else None,
    }


# the stamped policy's figures a next action reads (icp.order): the rest of the stamp stays on the order
GLANCE_POLICY = ("name", "verification", "sms", "provider_review_workdays", "photo_review_workdays",
                 "administration_review_workdays")


def mobiles_texted(filing: dict) -> str:
    """"one" when MIIT texts one person (the subject leader is the website administrator), else "two"."""
    from icp.order_types import administrator_is_leader

    return "one" if administrator_is_leader(filing) else "two"


def glance(filing: dict) -> dict:
    """The few facts of an order its next action depends on: the stamped policy's method, SMS and targets, how
    many people MIIT texts, the backdrop's progress (its times, not the address) and when its deadline ends."""
    policy = filing.get("policy") or {}
    backdrop = filing.get("backdrop") or {}
    return {
        "policy": {key: policy[key] for key in GLANCE_POLICY if key in policy},
        "mobiles": mobiles_texted(filing),
        "backdrop": {key: backdrop[key] for key in ("applied_at", "mailed_at") if backdrop.get(key)},
        # a filed service we warned about its access (icp.workflow.after_number.warn_access); only when warned, as
        # every byte of the owner index's entry is written again with each save
        **({"warned": True} if filing.get("access_warning") else {}),
        # the running deadline's end (a deadline's reminders and actions are the sweep's, not the list's)
        "ends_at": (filing.get("deadline") or {}).get("ends_at"),
    }


def queue_since(filing: dict) -> str:
    """The time that places the filing in its status's queue (first submission, for our first review)."""
    if filing["status"] == PROVIDER_REVIEW and filing.get("first_submitted_at"):
        return filing["first_submitted_at"]
    return filing["status_since"]
