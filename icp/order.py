"""A read-only view of one order: what its status means for it, who acts next, what to do and by when.

Pages and messages ask this view instead of comparing status strings (DESIGN.md, "Order types and statuses:
declared once"): the status page, My filings, the confirmation page, the timeline, the queues and every
e-mail and text message read the same status table (icp.filing.STATUSES) through it, so they cannot disagree.
Texts are msgids, translated where shown; dates in `params` are ISO text named *_at (a moment) or *_on (a day).
"""
from __future__ import annotations

from dataclasses import field
from datetime import date, datetime, timedelta

from icp.records import record
from icp.order_types import service_name
from icp import filing as f
from icp import rules
from icp.rules import _  # the one marker pybabel extracts; translated where shown

# what the administrator's photo is called, by verification method (messages and pages say which photo)
PHOTO_NAMES = {
    "backdrop": _("the backdrop photo"),
    "phone": _("the live photo"),
    "app": _("the verification in the Shanghai Communications Administration app"),
    "none": "",  # an order after the number: nobody is photographed
    "": _("the photo"),  # a message queued before messages named the method
}
# who MIIT texts a code to, as a code box names them
PEOPLE = {
    "leader": _("the subject leader"),
    "administrator": _("the %(role)s"),
    "leader_and_administrator": _("the subject leader, who is also the %(role)s"),
}


@record
class Person:
    """Someone MIIT texts a code to: their role (a key of PEOPLE), name and masked mobile."""

    role: str
    name: str
    mobile: str


@record
class Verification:
    """How this order's website administrator is verified and whether MIIT texts codes afterwards."""

    method: str                 # backdrop | phone | app
    label: str                  # icp.filing.VERIFICATION_LABELS
    photo: str                  # PHOTO_NAMES: "the backdrop photo", "the live photo"
    sms: bool
    people: tuple = ()          # Person: who MIIT texts, one or two (empty before the subject step is saved)


@record
class NextAction:
    """The applicant's next action: who acts, one sentence (a msgid) with its params, and what its date is."""

    actor: str
    text: str
    params: dict = field(default_factory=dict)
    due: str | None = None      # deadline | expected | window | None

    @property
    def actor_label(self) -> str:
        """Who acts next, as the applicant reads it."""
        return f.ACTOR_LABELS[self.actor]


def masked_mobile(number: str) -> str:
    """A mobile as a code box shows it: 139****2222."""
    number = number or ""
    return number[:3] + "****" + number[-4:] if len(number) >= 11 else number


def _day(moment: datetime) -> str:
    from icp.deadlines import CHINA  # days are counted in China

    return moment.astimezone(CHINA).date().isoformat()


def _expected_after_workdays(since: str, workdays: int) -> str:
    """The last day of `workdays` China workdays after the day of `since` (an ISO moment), as an ISO day."""
    from icp.deadlines import after_workdays

    return (after_workdays(datetime.fromisoformat(since), workdays) - timedelta(days=1)).date().isoformat()


class Order:
    """One order as its status table entry reads for it (its stamped policy, method and people)."""

    def __init__(self, filing: dict):
        if "policy" not in filing and "glance" in filing:
            # an owner index entry (My filings): the order's glance stands for the stamp and the backdrop
            seen = filing["glance"]
            filing = {**filing, "policy": seen.get("policy") or {}, "backdrop": seen.get("backdrop") or None,
                      "deadline": {"ends_at": seen["ends_at"]} if seen.get("ends_at") else None}
        self.filing = filing
        self.status = f.STATUSES[filing["status"]]
        self.policy = f.policy_of(filing)

    # --- what varies ---------------------------------------------------------------------------------------

    @property
    def method(self) -> str:
        """The stamped way the website administrator is verified: backdrop, phone or app."""
        return self.policy["verification"]

    @property
    def sms(self) -> bool:
        """True when MIIT texts codes after the order is sent (the stamped policy and the province)."""
        return bool(self.policy["sms"])

    def people(self) -> tuple:
        """Who MIIT texts a code to: the subject leader, and the website administrator when another person."""
        from icp.order_types import administrator_is_leader, service_answers

        leader = (self.filing.get("subject") or {}).get("leader") or {}
        if not leader:
            return ()
        if administrator_is_leader(self.filing):
            return (Person("leader_and_administrator", leader.get("name", ""), masked_mobile(leader.get("mobile"))),)
        administrator = service_answers(self.filing).get("administrator") or {}
        return (Person("leader", leader.get("name", ""), masked_mobile(leader.get("mobile"))),
                Person("administrator", administrator.get("name", ""), masked_mobile(administrator.get("mobile"))))

    @property
    def mobiles(self) -> str:
        """"one" when one person gets the MIIT code (the leader is the administrator), else "two"."""
        if self.filing.get(self.order_type.service_step) is not None or "glance" not in self.filing:
            return f.mobiles_texted(self.filing)
        return self.filing["glance"]["mobiles"]  # an owner index entry: the answers are not there, their glance is

    @property
    def backdrop_progress(self) -> str:
        """backdrop_none, backdrop_applied or backdrop_mailed (for a backdrop order)."""
        backdrop = self.filing.get("backdrop") or {}
        if backdrop.get("mailed_at"):
            return "backdrop_mailed"
        return "backdrop_applied" if backdrop.get("applied_at") else "backdrop_none"

    @property
    def awaits_backdrop(self) -> bool:
        """True while a backdrop order waits for its photo but the backdrop is not mailed yet: nobody can stand
        in front of it, so no photo is offered, signed or accepted."""
        return (self.filing["status"] == f.PHOTO_PENDING and self.method == "backdrop"
                and self.backdrop_progress != "backdrop_mailed")

    @property
    def variants(self) -> tuple:
        """The keys the status table chooses texts by, most specific first."""
        # an app order's own wording first (its number is shown in the app, not on a home page)
        flow = self.order_type.flow
        # an order after the number reads as its flow (a cancellation's texts), with the people MIIT texts
        found = [f"{flow}_{self.mobiles}", flow] if flow != "filing" else []
        if self.filing.get("access_warning") or (self.filing.get("glance") or {}).get("warned"):
            found.insert(0, "access_warning")  # a filed service we warned: fix it by the deadline
        if f.is_closed(self.filing) and flow == "filing":
            # a website's or app's own order no longer the record of a service of ours: what became of the service
            # (a cancellation's order keeps its flow's texts)
            found.insert(0, "closed_" + self.filing["closed"]["as"])
        if self.order_type.service_step == "app":
            found.append("app_order")
        if self.method == "backdrop":
            found.append(self.backdrop_progress)
        found += [self.mobiles if self.sms else "no_sms", self.method, "sms" if self.sms else "no_sms"]
        return tuple(found)

    def _pick(self, value):
        return f.pick(value, self.variants)

    # --- what the table says -------------------------------------------------------------------------------

    @property
    def order_type(self):
        """The order's type as declared (icp.order_types): a website or an app."""
        from icp.order_types import order_type_of

        return order_type_of(self.filing)

    @property
    def service(self) -> str:
        """What the order files, as pages name it: the website's domain or the app's name."""
        from icp.order_types import service_name

        return service_name(self.filing)

    @property
    def label(self) -> str:
        """The status tag (msgid)."""
        return self._pick(self.status.label)

    def label_of(self, status: str) -> str:
        """The tag another status of this order reads (its history's "status after" column)."""
        return f.pick(f.STATUSES[status].label, self.variants)

    @property
    def stage(self) -> str:
        """The stage of the road current during this status."""
        return self.status.stage

    @property
    def panel(self) -> str:
        """The part of the status page that shows what to do now."""
        return self._pick(self.status.panel)

    @property
    def outcome(self) -> str:
        """For an order that ended: what happened (msgid)."""
        return self._pick(self.status.outcome)

    def event_label(self, action: str) -> str:
        """How a history event of this order reads (msgid)."""
        return f.event_label(action, self.filing)

    @property
    def tone(self) -> str:
        """The tag's colour: action, done, ended or ''."""
        return self._pick(self.status.tone)

    @property
    def queue(self) -> str | None:
        """The reviewers' queue title of this status, if staff work it from a queue."""
        return self.status.queue

    @property
    def ended(self) -> bool:
        """True once nothing more will happen (approved, rejected, deleted, withdrawn)."""
        return self.filing["status"] in f.FINAL

    @property
    def verification(self) -> Verification:
        """How the administrator is verified and who MIIT texts."""
        return Verification(self.method, f.VERIFICATION_LABELS[self.method], PHOTO_NAMES[self.method], self.sms,
                            self.people())

    @property
    def next_action(self) -> NextAction:
        """The applicant's next action with its date, as every page and message states it."""
        due = self._pick(self.status.due)
        params = {"reference": self.filing["id"], "domain": service_name(self.filing),
                  "role": self.order_type.role}
        if self.filing.get("icp_number"):
            params["icp_number"] = self.filing["icp_number"]
        params.update(self._dates(due))
        return NextAction(self._pick(self.status.actor), self._pick(self.status.action), params, due)

    def _dates(self, due: str | None) -> dict:
        """The date params of the next action (*_at moments, *_on days)."""
        filing = self.filing
        if due == "deadline":
            ends = filing.get("discard_at") if filing["status"] in f.EDITABLE else None
            ends = ends or (filing.get("deadline") or {}).get("ends_at")
            return {"deadline_at": ends} if ends else {}
        if due == "window":
            window = self.decision_window()
            return {"earliest_on": window.earliest.isoformat(), "latest_on": window.latest.isoformat()} \
                if window else {}
        if due == "expected":
            review = {f.PROVIDER_REVIEW: "provider_review_workdays", f.PHOTO_REVIEW: "photo_review_workdays"}
            if filing["status"] in review:  # our own reviews say their target too
                return {"expected_on": self.expected_on(), "review_workdays": self.policy[review[filing["status"]]]}
            return {"expected_on": self.expected_on()}
        return {}

    def expected_on(self) -> str:
        """The day the one acting now usually has done it (ISO), counted from when they got the order."""
        filing, status = self.filing, self.filing["status"]
        if status == f.PHOTO_PENDING:
            backdrop = filing.get("backdrop") or {}
            if backdrop.get("mailed_at"):
                arrives = datetime.fromisoformat(backdrop["mailed_at"]) + timedelta(days=rules.BACKDROP_DELIVERY_DAYS)
                return _day(arrives)
            return _expected_after_workdays(backdrop["applied_at"], rules.BACKDROP_MAIL_WORKDAYS)
        workdays = {f.PROVIDER_REVIEW: self.policy["provider_review_workdays"],
                    f.PHOTO_REVIEW: self.policy["photo_review_workdays"],
                    f.READY_FOR_ADMINISTRATION: rules.SEND_TO_ADMINISTRATION_WORKDAYS}[status]
        return _expected_after_workdays(filing["status_since"], workdays)

    def backdrop_arrives_on(self) -> str:
        """The day a backdrop order's backdrop usually arrives (ISO): posted within the mailing workdays of the
        application, then the delivery days (rules.BACKDROP_DELIVERY_DAYS); said as soon as it is applied for."""
        backdrop = self.filing.get("backdrop") or {}
        if backdrop.get("mailed_at"):
            return self.expected_on()
        posted = date.fromisoformat(_expected_after_workdays(backdrop["applied_at"], rules.BACKDROP_MAIL_WORKDAYS))
        return (posted + timedelta(days=rules.BACKDROP_DELIVERY_DAYS)).isoformat()

    def decision_window(self, today: date | None = None):
        """The administration's expected decision window (icp.workflow.administration.Window), or None."""
        from icp.workflow.administration import decision_window

        if self.filing["status"] != f.ADMINISTRATION_REVIEW:
            return None
        return decision_window(self.filing, today or date.fromisoformat(self.filing["administration_since"][:10]))

    def time_left(self, now: datetime) -> timedelta | None:
        """How long is left before the next action's deadline (never negative), or None without one."""
        at = self.next_action.params.get("deadline_at")
        if self.next_action.due != "deadline" or not at:
            return None
        return max(datetime.fromisoformat(at) - now, timedelta(0))

    def can(self, action: str, role: str = "applicant") -> bool:
        """True when `role` may take `action` on this order now (the transition table, and the order's state)."""
        if action == "edit":
            return role == "applicant" and self.filing["status"] in f.EDITABLE
        if action not in f.allowed_actions(self.filing, role):
            return False
        guard = _GUARDS.get(action)
        return guard(self) if guard else True

    # --- the MIIT SMS check's rules for this order -----------------------------------------------------------

    def wrong_codes(self) -> tuple[str, dict]:
        """How many wrong codes were entered and what the limit is, as the codes form says it."""
        wrong = int((self.filing.get("sms") or {}).get("wrong", 0))
        limit = self.policy["wrong_code_limit"]
        if limit is None:
            return _("Wrong codes entered so far: %(wrong)d."), {"wrong": wrong}
        return _("Wrong codes entered so far: %(wrong)d of %(limit)d."), {"wrong": wrong, "limit": limit}

    def wrong_code_rule(self) -> tuple[str, dict]:
        """What happens after wrong codes under this order's policy (the page and the codes' text say it)."""
        limit = self.policy["wrong_code_limit"]
        if limit is not None:
            return _("After %(limit)d wrong codes the filing is rejected."), {"limit": limit}
        return (_("After %(pause_after)d wrong codes in a row, the form waits %(pause_minutes)s before you can "
                  "try again."),
                {"pause_after": self.policy.get("wrong_code_pause_after", rules.WRONG_CODE_PAUSE_AFTER),
                 "pause_minutes": self.policy.get("wrong_code_pause_minutes",
                                                  int(rules.WRONG_CODE_PAUSE.total_seconds() // 60))})


def _backdrop_mailed(order: Order) -> bool:
    # a photo in front of the backdrop can only be taken once the backdrop is there (issue 16, defect 12)
    return not order.awaits_backdrop


# conditions beyond the transition table for the applicant's buttons and routes
_GUARDS = {
    "upload_photo": _backdrop_mailed,
    "apply_backdrop": lambda order: order.backdrop_progress == "backdrop_none",
}
