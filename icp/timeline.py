"""The road of a filing from draft to decision, as stages an applicant can follow (done, current, to come).

The stage current now is the one the status table gives the order's status (icp.filing.STATUSES), and each
stage's wording follows the order's stamped verification method, SMS policy and the people MIIT texts
(icp.order.Order), so the road, the status page and the messages tell the same story.
"""
from __future__ import annotations

from dataclasses import field

from icp.records import record
from icp import rules
from icp.order import Order
from icp.order_types import service_name
from icp.rules import _  # the one marker pybabel extracts; translated where shown


@record
class Stage:
    """One stage on the road: what it is, where the filing stands with it, and what to expect."""

    code: str
    title: str
    state: str                       # done | current | upcoming
    detail: str = ""
    params: dict = field(default_factory=dict)


# the stages in the order they come; "sms" only when MIIT texts codes to this order's people
STAGES = ("prepare", "provider_review", "verification", "send", "sms", "administration_review", "decision")
# the road of each order type's flow (icp.order_types.OrderType.flow): a cancellation goes straight to the
# administration, after MIIT's SMS check for a 注销 (DOMAIN.md §14)
FLOW_STAGES = {"filing": STAGES, "cancel_access": ("prepare", "administration_review", "decision"),
               "cancel": ("prepare", "sms", "administration_review", "decision")}


def _texts(order: Order) -> dict:
    """(title, detail, params) of each stage for this order; params named *_at are moments, *_on days, counts
    named *_workdays (*_hours, …) are written out in words where shown (icp.rules.counted)."""
    stamped = order.policy
    method = order.method
    low, high = stamped["administration_review_workdays"]
    two = order.mobiles == "two"
    role = order.order_type.role  # who is verified: the website's or the app's administrator
    filing = order.filing
    return {
        "prepare": ((_("Confirm and send") if order.order_type.flow != "filing" else _("Fill in and submit"),
                     _("Submit by %(deadline_at)s, or the order is deleted."),
                     {"deadline_at": filing["discard_at"]})
                    if filing.get("discard_at") else (_("Fill in and submit"), "", {})),
        "provider_review": (_("Our review"), _("Usually within %(review_workdays)s."),
                            {"review_workdays": stamped["provider_review_workdays"]}),
        "verification": (
            (_("Verification in the Shanghai Communications Administration app"),
             _("The %(role)s verifies in the app; we confirm it."), {"role": role})
            if method == "app" else
            (_("Live photo, taken with a phone"),
             _("Open the QR code on the status page with the %(role)s's phone; no backdrop is needed. We check the "
               "photo within %(review_workdays)s."),
             {"review_workdays": stamped["photo_review_workdays"], "role": role})
            if method == "phone" else
            (_("Photo in front of the backdrop"),
             _("We mail a backdrop; the %(role)s is photographed in front of it (no red or blue clothing). We "
               "check the photo within %(review_workdays)s."),
             {"review_workdays": stamped["photo_review_workdays"], "role": role})),
        "send": (_("Sent to the communications administration"), _("Usually within %(send_workdays)s."),
                 {"send_workdays": rules.SEND_TO_ADMINISTRATION_WORKDAYS}),
        "sms": ((_("MIIT SMS check"),
                 _("MIIT texts a code to the subject leader and one to the %(role)s; enter both within "
                   "%(window_hours)s.") if two else
                 _("MIIT texts a code to the subject leader; enter it within %(window_hours)s."),
                 {"window_hours": stamped["sms_window_minutes"] // 60, "role": role})),
        "administration_review": ((_("The communications administration's review"),
                                   _("At once: this province's administration applies it the moment it arrives."),
                                   {}) if high == 0 else
                                  (_("The communications administration's review"),
                                   _("%(low)d to %(high)d workdays."), {"low": low, "high": high})),
        "decision": ((_("Decision"), _("We tell you by e-mail and text message when it is applied."), {})
                     if order.order_type.acts_on_service and order.order_type.flow != "filing" else
                     # a change of a filed website (icp.workflow.change) keeps its number
                     (_("Decision"), _("We tell you by e-mail and text message; %(domain)s keeps its ICP number."),
                      {"domain": service_name(filing)}) if order.order_type.acts_on_service else
                     (_("Decision"), _("You get the ICP number of %(domain)s by e-mail and text message."),
                      {"domain": service_name(filing)})),
    }


def stages(filing: dict) -> list[Stage]:
    """The stages of this filing with their state; empty for a filing that ended without approval."""
    order = Order(filing)
    if order.stage == "ended":
        return []
    codes = [code for code in FLOW_STAGES[order.order_type.flow] if code != "sms" or order.sms]
    texts = _texts(order)
    current = codes.index(order.stage)
    approved = order.stage == "decision"
    result = []
    next_action = order.next_action
    for index, code in enumerate(codes):
        title, detail, params = texts[code]
        state = "done" if approved or index < current else "current" if index == current else "upcoming"
        if state == "current":
            # the stage the order is in says what its status page and messages say: the next action and its date
            detail, params = next_action.text, next_action.params
        result.append(Stage(code, title, state, detail, params))
    return result
