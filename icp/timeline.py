"""The road of a filing from draft to decision, as stages an applicant can follow (done, current, to come)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from icp import filing as f
from icp.rules import _  # the one marker pybabel extracts; translated where shown



@dataclass(frozen=True)
class Stage:
    """One stage on the road: what it is, where the filing stands with it, and what to expect."""

    code: str
    title: str
    state: str                       # done | current | upcoming
    detail: str = ""
    params: dict = field(default_factory=dict)


# the statuses during which each stage is the current one, in the order the stages come
_CURRENT_DURING = (
    ("prepare", {f.DRAFT, f.RETURNED}),
    ("provider_review", {f.PROVIDER_REVIEW}),
    ("verification", {f.PHOTO_PENDING, f.PHOTO_REVIEW, f.APP_VERIFICATION_PENDING}),
    ("mobile", {f.READY_FOR_ADMINISTRATION, f.SMS_PENDING}),
    ("administration_review", {f.ADMINISTRATION_REVIEW}),
    ("decision", {f.APPROVED}),
)


def stages(filing: dict, policy, *, expected_review: date | None = None) -> list[Stage]:
    """The stages of this filing with their state; empty for a filing that ended without approval."""
    if filing["status"] in f.FINAL and filing["status"] != f.APPROVED:
        return []
    # the policy stamped on the order when it was started or submitted; else the one in force now
    stamped = filing.get("policy") or f.policy_stamp(policy, filing["verified"]["province"])
    method = stamped["verification"]
    sms = stamped["sms"]
    hours = stamped["sms_window_minutes"] // 60
    low, high = stamped["administration_review_workdays"]
    texts = {
        "prepare": (_("Fill in and submit"), _("Submit by %(day)s, or the order is deleted."),
                    {"day": filing.get("discard_at", "")[:10]}),
        "provider_review": (_("Our review"), _("Usually within one workday (by %(day)s).")
                            if expected_review else _("Usually within one workday."),
                            {"day": expected_review.isoformat()} if expected_review else {}),
        "verification": (
            (_("Verification in the Shanghai Communications Administration app"),
             _("The website administrator verifies in the app; we confirm it."), {})
            if method == "app" else
            (_("Live photo of the administrator, taken with a phone"),
             _("Open the QR code on the status page with the administrator's phone; we check the photo within "
               "one workday."), {})
            if method == "phone" else
            (_("Photo in front of the backdrop"),
             _("The website administrator uploads a photo (no red or blue clothing); we check it within one workday."),
             {})),
        "mobile": ((_("Mobile verification"),
                    _("MIIT texts the subject leader and the website administrator; answer within %(hours)d hours."),
                    {"hours": hours})
                   if sms else
                   (_("Sent to the communications administration"),
                    _("Your province needs no mobile verification."), {})),
        "administration_review": (_("The administration's review"), _("%(low)d to %(high)d workdays."),
                                  {"low": low, "high": high}),
        "decision": (_("Decision"), _("You get the website's ICP number by e-mail and text message."), {}),
    }
    current = next(i for i, (_code, during) in enumerate(_CURRENT_DURING) if filing["status"] in during)
    result = []
    for index, (code, _during) in enumerate(_CURRENT_DURING):
        title, detail, params = texts[code]
        if filing["status"] == f.APPROVED:
            state = "done"
        else:
            state = "done" if index < current else "current" if index == current else "upcoming"
        result.append(Stage(code, title, state, detail, params))
    return result
