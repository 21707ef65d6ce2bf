"""Order types as data: each kind of order declares once its steps, the answers each step saves, what a reviewer
comments on, its documents' wording, its number's format and the status table it runs on.

Views, forms, the check page, the reviewer's console, the answers' snapshot at a return and the messages read the
declaration: a new step is its descriptor here, its form and its template (DESIGN.md "Order types and statuses").
"""
from __future__ import annotations

from dataclasses import field

from icp.records import record
from icp.rules import ICP_SERVICE_SUFFIXES, _  # `_`: the marker pybabel extracts; translated where shown


@record
class Answer:
    """One answer the applicant gives in a step, as the check page lists it and a reviewer comments on it.

    `field` is the form field's id (where a Change link and a comment lead), `path` where the answer lives in the
    order, `label` what a reviewer's comment on it is called, `row` the check page's key when it reads differently
    (None: the label), `show` how the value reads (views.answers.value) and `only` when it applies
    ("administrator": another person administers the service; "approval": a pre-approval item is ticked;
    "platform:<code>": that platform is ticked; "organisation": asked of an organisation only; "answered": the
    answer was given, as an organisation's only are).
    """

    field: str
    label: str
    path: tuple
    show: str = "text"
    only: str = ""
    row: str | None = None


@record
class Step:
    """One step of an order's wizard.

    `saves` is the order's key its answers are saved under ("" for steps that save nothing by form: the filing
    type, the service code, the documents, the check page); `form` and `template` name the step's form class
    ("module:Class") and page for the generic step view, `answers` what the step asks, in the form's order.
    """

    code: str
    title: str
    saves: str = ""
    form: str = ""
    template: str = ""
    answers: tuple[Answer, ...] = ()

    def target(self, answer: Answer) -> str:
        """How a comment on `answer` is stored: "<step>:<field id>"."""
        return f"{self.code}:{answer.field}"


@record
class OrderType:
    """A kind of order: what it is called, its steps in order and what is particular to it."""

    code: str
    label: str              # what My filings and the consoles call it
    noun: str               # what the service is called in a sentence ("website", "app")
    steps: tuple[Step, ...]
    service_step: str       # the step that describes the service itself
    number_suffix: str      # after the serial: "" for a website (-2), "A" for an app (-2A); DOMAIN.md §13
    administrator: str      # who is verified by photo, as documents and pages name the person
    role: str = _("website administrator")  # the same person mid-sentence: a text's %(role)s param
    number_label: str = _("Website ICP number")  # what the status page calls the number it gets
    verification: bool = True   # the administrator is verified (backdrop, phone or app) after our review
    sms: bool = True            # MIIT's SMS check applies where the policy says so
    start_endpoint: str = ""    # step 1's page (views name it; the domain only keeps the step's code)
    statuses: str = "filing"    # the status table it runs on (icp.filing.STATUSES)
    # the transitions it takes (icp.filing.Transition.flows): "filing" (our review, verification, MIIT SMS, the
    # administration: a new website or app, a change), "cancel_access" (the account holder's code, then straight
    # to the administration), "cancel" (the MIIT SMS, then straight to the administration); DOMAIN.md §14
    flow: str = "filing"
    # what a filed service is after this order is approved (icp.services): "accessed" (a new website or app, a
    # change), "access_cancelled", "cancelled"
    leaves: str = "accessed"
    acts_on_service: bool = False  # an order on a service filed with us (cancel access, cancel, change)
    tag: str = ""               # the short tag lists put beside the service ("" for a new website)
    approve_label: str = _("Approve and give the ICP number")  # the administration console's button
    extra: dict = field(default_factory=dict)

    @property
    def step_codes(self) -> tuple[str, ...]:
        """The steps' codes in order."""
        return tuple(step.code for step in self.steps)

    def step(self, code: str) -> Step:
        """The step `code` of this order type (KeyError when it has none)."""
        for step in self.steps:
            if step.code == code:
                return step
        raise KeyError(code)

    def has_step(self, code: str) -> bool:
        """Whether this order type has a step `code`."""
        return code in self.step_codes

    @property
    def answer_steps(self) -> tuple[Step, ...]:
        """The steps whose form saves answers, in order."""
        return tuple(step for step in self.steps if step.saves)

    def comment_targets(self) -> list[tuple[str, str]]:
        """Every answer a reviewer can comment on, as (target, label), in the wizard's order."""
        return [(step.target(answer), answer.label) for step in self.answer_steps for answer in step.answers]

    def snapshot(self, filing: dict) -> dict:
        """The order's saved answers by step key (kept at a return, compared at the next review)."""
        return {step.saves: filing.get(step.saves) for step in self.answer_steps}

    def number(self, subject_icp_number: str, serial: int) -> str:
        """The ICP number of the subject's `serial`-th service of this type (websites and apps share the serial)."""
        return f"{subject_icp_number}-{serial}{self.number_suffix}"


def _person(who: str, person_label: str, path: tuple, only: str = "") -> tuple[Answer, ...]:
    """The six answers of a person's details (forms.people), each labelled "<person>: <detail>"."""
    labels = {  # spelled out so pybabel extracts each
        "leader": {"name": _("Subject leader: name"), "certificate_number": _("Subject leader: certificate number"),
                   "certificate_valid_until": _("Subject leader: certificate valid until"),
                   "mobile": _("Subject leader: mobile"), "emergency_phone": _("Subject leader: emergency phone"),
                   "email": _("Subject leader: e-mail")},
        "website_administrator": {
            "name": _("Website administrator: name"),
            "certificate_number": _("Website administrator: certificate number"),
            "certificate_valid_until": _("Website administrator: certificate valid until"),
            "mobile": _("Website administrator: mobile"),
            "emergency_phone": _("Website administrator: emergency phone"),
            "email": _("Website administrator: e-mail")},
        "app_administrator": {
            "name": _("App administrator: name"),
            "certificate_number": _("App administrator: certificate number"),
            "certificate_valid_until": _("App administrator: certificate valid until"),
            "mobile": _("App administrator: mobile"),
            "emergency_phone": _("App administrator: emergency phone"),
            "email": _("App administrator: e-mail")},
    }[person_label]
    prefix = "leader" if who == "leader" else "administrator"
    return tuple(Answer(f"{prefix}_{name}", labels[name], (*path, name), show, only) for name, show in (
        ("name", "text"), ("certificate_number", "certificate"), ("certificate_valid_until", "valid_until"),
        ("mobile", "text"), ("emergency_phone", "text"), ("email", "text")))


TYPE_STEP = Step("type", _("Filing type"))
INSTANCE_STEP = Step("instance", _("Server"))
DOCUMENTS_STEP = Step("documents", _("Documents"))
CHECK_STEP = Step("check", _("Check and submit"))

SUBJECT_STEP = Step(
    "subject", _("Subject"), saves="subject", form="forms.subject:SubjectForm", template="filings/subject.html",
    answers=(
        Answer("certificate_address", _("Subject: address on the certificate"), ("subject", "certificate_address"),
               row=_("Address on the certificate")),
        Answer("mailing_address", _("Subject: mailing address"), ("subject", "mailing_address"),
               row=_("Mailing address")),
        Answer("investor", _("Subject: investor or supervising unit"), ("subject", "investor"),
               row=_("Investor or supervising unit")),
        Answer("subject_certificate_valid_until", _("Subject: certificate valid until"),
               ("subject", "certificate_valid_until"), "valid_until", "organisation",
               row=_("Subject certificate valid until")),
        *_person("leader", "leader", ("subject", "leader")),
        Answer("leader_is_legal_representative", _("Subject leader: the legal representative"),
               ("subject", "leader_is_legal_representative"), "yes_no", only="answered",
               row=_("Subject leader is the legal representative")),
    ))

WEBSITE_STEP = Step(
    "website", _("Website"), saves="website", form="forms.website:WebsiteForm", template="filings/website.html",
    answers=(
        Answer("name", _("Website: name"), ("website", "name"), row=_("Website name")),
        Answer("home_url", _("Website: home page address"), ("website", "home_url"), row=_("Home page address")),
        Answer("service_content", _("Website: service content"), ("website", "service_content"), "service_content",
               row=_("Service content")),
        Answer("languages", _("Website: languages"), ("website", "languages"), "languages",
               row=_("Website languages")),
        Answer("preapproval_items", _("Website: pre-approval items"), ("website", "preapproval_items"),
               "preapprovals", row=_("Pre-approval items")),
        Answer("approval_number", _("Website: approval number"), ("website", "approval_number"), "approval",
               "approval", row=_("Approval")),
        Answer("approval_valid_until", _("Website: approval valid until"), ("website", "approval_valid_until"),
               "date", "approval", row=_("Approval valid until")),
        Answer("remarks", _("Website: remarks"), ("website", "remarks"), row=_("Remarks")),
        Answer("administrator_is_leader", _("Website administrator: who it is"),
               ("website", "administrator_is_leader"), "who", row=_("Website administrator")),
        *_person("administrator", "website_administrator", ("website", "administrator"), only="administrator"),
    ))

APP_STEP = Step(
    "app", _("App"), saves="app", form="forms.app:AppForm", template="filings/app.html",
    answers=(
        Answer("service_content", _("App: service content"), ("app", "service_content"), "service_content",
               row=_("Service content")),
        Answer("language", _("App: language"), ("app", "language"), "language", row=_("Language")),
        Answer("preapproval_items", _("App: pre-approval items"), ("app", "preapproval_items"), "preapprovals",
               row=_("Pre-approval items")),
        Answer("approval_number", _("App: approval number"), ("app", "approval_number"), "approval", "approval",
               row=_("Approval")),
        Answer("approval_valid_until", _("App: approval valid until"), ("app", "approval_valid_until"), "date",
               "approval", row=_("Approval valid until")),
        Answer("android_package", _("Android: package name"), ("app", "platforms", "android", "identifier"),
               only="platform:android"),
        Answer("android_public_key", _("Android: public key"), ("app", "platforms", "android", "public_key"),
               "long", only="platform:android"),
        Answer("android_md5", _("Android: signature MD5"), ("app", "platforms", "android", "fingerprint"),
               only="platform:android"),
        Answer("ios_bundle_id", _("iOS: Bundle ID"), ("app", "platforms", "ios", "identifier"),
               only="platform:ios"),
        Answer("ios_public_key", _("iOS: public key"), ("app", "platforms", "ios", "public_key"), "long",
               only="platform:ios"),
        Answer("ios_sha1", _("iOS: certificate SHA-1 (the MD5 field)"), ("app", "platforms", "ios", "fingerprint"),
               only="platform:ios"),
        Answer("harmonyos_bundle_name", _("HarmonyOS: bundle name"), ("app", "platforms", "harmonyos", "identifier"),
               only="platform:harmonyos"),
        Answer("harmonyos_public_key", _("HarmonyOS: public key"), ("app", "platforms", "harmonyos", "public_key"),
               "long", only="platform:harmonyos"),
        Answer("harmonyos_fingerprint", _("HarmonyOS: certificate fingerprint"),
               ("app", "platforms", "harmonyos", "fingerprint"), only="platform:harmonyos"),
        Answer("sdk_offered", _("App: offers an SDK"), ("app", "sdk_offered"), "yes_no", row=_("Offers an SDK")),
        Answer("third_party_sdks", _("App: third-party SDKs"), ("app", "third_party_sdks"),
               row=_("Third-party SDKs")),
        Answer("remarks", _("App: remarks"), ("app", "remarks"), row=_("Remarks")),
        Answer("administrator_is_leader", _("App administrator: who it is"), ("app", "administrator_is_leader"),
               "who", row=_("App administrator")),
        *_person("administrator", "app_administrator", ("app", "administrator"), only="administrator"),
    ))

WEBSITE = OrderType(
    "website", _("Add a website"), _("website"),
    steps=(TYPE_STEP, INSTANCE_STEP, SUBJECT_STEP, WEBSITE_STEP, DOCUMENTS_STEP, CHECK_STEP),
    service_step="website", number_suffix=ICP_SERVICE_SUFFIXES["website"], administrator=_("Website administrator"))

APP = OrderType(
    "app", _("Add an app"), _("app"),
    steps=(TYPE_STEP, INSTANCE_STEP, SUBJECT_STEP, APP_STEP, DOCUMENTS_STEP, CHECK_STEP),
    # an app's number ends in A: 京ICP备16059763号-2A (rules.ICP_SERVICE_SUFFIXES, DOMAIN.md §13)
    service_step="app", number_suffix=ICP_SERVICE_SUFFIXES["app"], administrator=_("App administrator"),
    role=_("app administrator"), number_label=_("App ICP number"), tag=_("App"))

ORDER_TYPES: dict[str, OrderType] = {t.code: t for t in (WEBSITE, APP)}


CONFIRM_STEP = Step("confirm", _("Confirm"))

# the orders after the number (DOMAIN.md §14): each acts on one service this account filed with us; a website's
# and an app's differ only in who is named (the role) and what the service is called
CANCEL_ACCESS_WEBSITE = OrderType(
    "cancel_access_website", _("Cancel access: website"), _("website"), steps=(CONFIRM_STEP,),
    service_step="website", number_suffix=WEBSITE.number_suffix, administrator=WEBSITE.administrator,
    verification=False, sms=False, flow="cancel_access", leaves="access_cancelled", acts_on_service=True,
    tag=_("Cancel access"), approve_label=_("Apply: cancel its access (the number stays)"))
CANCEL_ACCESS_APP = OrderType(
    "cancel_access_app", _("Cancel access: app"), _("app"), steps=(CONFIRM_STEP,),
    service_step="app", number_suffix=APP.number_suffix, administrator=APP.administrator, role=APP.role,
    number_label=APP.number_label, verification=False, sms=False, flow="cancel_access",
    leaves="access_cancelled", acts_on_service=True, tag=_("App: cancel access"),
    approve_label=_("Apply: cancel its access (the number stays)"))
CANCEL_WEBSITE = OrderType(
    "cancel_website", _("Cancel a website"), _("website"), steps=(CONFIRM_STEP,),
    service_step="website", number_suffix=WEBSITE.number_suffix, administrator=WEBSITE.administrator,
    verification=False, flow="cancel", leaves="cancelled", acts_on_service=True, tag=_("Cancel"),
    approve_label=_("Apply: cancel it and retire the number"))
CANCEL_APP = OrderType(
    "cancel_app", _("Cancel an app"), _("app"), steps=(CONFIRM_STEP,),
    service_step="app", number_suffix=APP.number_suffix, administrator=APP.administrator, role=APP.role,
    number_label=APP.number_label, verification=False, flow="cancel", leaves="cancelled", acts_on_service=True,
    tag=_("App: cancel"), approve_label=_("Apply: cancel it and retire the number"))

ORDER_TYPES.update({t.code: t for t in (CANCEL_ACCESS_WEBSITE, CANCEL_ACCESS_APP, CANCEL_WEBSITE, CANCEL_APP)})

# the order types a filed service of each kind may start, by what the order does (icp.services)
AFTER_NUMBER = {
    "website": {"cancel_access": CANCEL_ACCESS_WEBSITE, "cancel": CANCEL_WEBSITE},
    "app": {"cancel_access": CANCEL_ACCESS_APP, "cancel": CANCEL_APP},
}


# change a website (变更网站, DOMAIN.md §14; icp.workflow.change): the website's own steps without the filing type
# (its start page shows what stays as filed) or the server (access stays with us, no service code); our review,
# the administrator's verification, MIIT's SMS check and the administration as for a new website; the number stays
CHANGE_WEBSITE = OrderType(
    "change_website", _("Change a website"), _("website"),
    steps=(SUBJECT_STEP, WEBSITE_STEP, DOCUMENTS_STEP, CHECK_STEP),
    service_step="website", number_suffix=WEBSITE.number_suffix, administrator=WEBSITE.administrator,
    flow="filing", leaves="accessed", acts_on_service=True, tag=_("Website change"),
    # its messages where they differ from a new website's: icp.messages, "change_website:<template>"
    approve_label=_("Approve the change: the number stays"))
ORDER_TYPES[CHANGE_WEBSITE.code] = CHANGE_WEBSITE
AFTER_NUMBER["website"]["change"] = CHANGE_WEBSITE


def order_type_of(filing: dict) -> OrderType:
    """The order type of an order (orders made before order types were declared are websites)."""
    return ORDER_TYPES[filing.get("order_type") or "website"]


def service_answers(filing: dict) -> dict:
    """The answers of the order's service step (the website's or the app's), {} before it is saved."""
    return filing.get(order_type_of(filing).service_step) or {}


def administrator_is_leader(filing: dict) -> bool:
    """Whether the subject leader also administers the service (one person verified, one mobile texted)."""
    return bool(service_answers(filing).get("administrator_is_leader", True))


def administrator(filing: dict) -> dict:
    """The person who administers the service: the subject leader, or the person named in the service step."""
    answers = service_answers(filing)
    if answers.get("administrator_is_leader", True):
        return (filing.get("subject") or {}).get("leader") or {}
    return answers.get("administrator") or {}


def service_name(filing: dict) -> str:
    """What the order files, as pages and messages name it: the website's domain, or the app's name."""
    verified = filing.get("verified") or {}
    if order_type_of(filing).service_step == "app":
        return verified.get("app_name", "")
    return verified.get("domain", "")


def service_kind(filing: dict) -> str:
    """What the order's service is: "website" or "app" (for an order after the number, the service it acts on)."""
    return order_type_of(filing).service_step
