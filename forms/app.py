"""The app order's step: the app, its platforms, service content, pre-approvals and administrator (新增APP)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.approval import approval_term_answer, approval_term_field, approval_warnings, check_approval_term
from forms.base import (FilingForm, InChinese, MultiCheckboxField, append_fields, attach_problems, rule_message,
                        translated_choices)
from forms.people import (administrator_findings, check_person, person_answers, person_data, person_fields, refusals,
                          set_person_choices, warnings_by_field)
from icp import apps, checks, identifiers, rules
from icp.order_types import order_type_of


def platform_field_names(platform: str) -> dict[str, str]:
    """The form fields of one platform: its checkbox and its three values, by what each holds."""
    spec = rules.APP_PLATFORMS[platform]
    return {"ticked": f"platform_{platform}", "identifier": f"{platform}_{spec.identifier_field}",
            "public_key": f"{platform}_public_key", "fingerprint": f"{platform}_{spec.fingerprint_field}"}


def _platform_fields() -> dict:
    """Unbound fields for every platform of rules.APP_PLATFORMS: checked in AppForm.validate when ticked."""
    fields = {}
    for code, spec in rules.APP_PLATFORMS.items():
        names = platform_field_names(code)
        fields[names["ticked"]] = BooleanField(_l(spec.label))
        fields[names["identifier"]] = StringField(_l(spec.identifier_label), validators=[Length(max=300)])
        fields[names["public_key"]] = TextAreaField(_l("Public key"), validators=[Length(max=3000)])
        fields[names["fingerprint"]] = StringField(_l(spec.fingerprint_label), validators=[Length(max=200)])
    return fields


class AppForm(FilingForm):
    """Everything MIIT records about the app."""

    service_content = MultiCheckboxField(_l("Service content"), validators=[
        DataRequired(_l("Select at least one kind of service content"))])
    language = RadioField(_l("The app's main language"), validators=[
        DataRequired(_l("Select the app's main language"))])
    preapproval_items = MultiCheckboxField(_l("Pre-approval items (only if the app offers them)"),
                                           validators=[Optional()])
    approval_number = StringField(_l("Approval number"), validators=[Length(max=100)])
    approval_department = StringField(_l("Approving department"), validators=[Length(max=100), InChinese()])
    approval_valid_until = approval_term_field()
    remarks = TextAreaField(_l("Remarks (optional)"), validators=[Length(max=500)])
    sdk_offered = RadioField(_l(rules.APP_SDK_QUESTIONS["sdk_offered"]),
                             validators=[DataRequired(_l("Select whether the app offers an SDK to other apps"))])
    third_party_sdks = TextAreaField(_l(rules.APP_SDK_QUESTIONS["third_party_sdks"]), validators=[Length(max=1000)])

    def __init__(self, *args, verified: dict, leader: dict, today: date, other_app_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.verified, self.leader, self.today = verified, leader, today
        self.other_app_names = tuple(other_app_names)
        individual = rules.NATURES[verified["nature"]].is_individual
        self.service_content.choices = [
            (code, gettext(item.label)) for code, item in rules.SERVICE_CONTENT.items()
            if item.individual_allowed or not individual]
        self.language.choices = [(code, gettext(label)) for code, label in rules.WEBSITE_LANGUAGES.items()]
        self.preapproval_items.choices = translated_choices(rules.PREAPPROVAL_ITEMS)
        self.sdk_offered.choices = [("yes", gettext("Yes")), ("no", gettext("No"))]
        self.administrator_is_leader.choices = [
            ("yes", gettext("The subject leader, %(name)s", name=leader.get("name", ""))),
            ("no", gettext("Another person")),
        ]
        set_person_choices(self, "administrator")

    def ticked_platforms(self) -> list[str]:
        """The platforms ticked on the page, in the order of rules.APP_PLATFORMS."""
        return [code for code in rules.APP_PLATFORMS if self[platform_field_names(code)["ticked"]].data]

    # the first field: where a save that lost a race is explained
    first_field = "service_content"
    saved_with_warning = _l("The app is saved. Something to know, which does not stop you submitting: "
                            "%(warning)s.")
    # the name and the domains are step 1's (fixed for the order): nothing here warns after a save
    name_warnings: tuple = ()

    @property
    def approval_warnings(self) -> list[str]:
        """An approval that ends soon, translated: shown beside its date, never blocking the save."""
        return approval_warnings(self, "app")

    @classmethod
    def for_order(cls, filing: dict, *, today: date, stored: bool = False, **kwargs) -> "AppForm":
        """The app step's form for this order (the generic step view builds it); `stored` fills it from the
        order's answers, with the Android facts read from an APK (icp.workflow.apk) offered over them."""
        if stored:
            data = cls.data_from(filing.get("app"), filing["verified"])
            facts = filing.get("apk_facts")
            if facts:
                names = platform_field_names("android")
                data |= {names["ticked"]: True, names["identifier"]: facts["package"],
                         names["public_key"]: facts["public_key"], names["fingerprint"]: facts["fingerprint"]}
            kwargs.update(formdata=None, data=data)
        form = cls(verified=filing["verified"], leader=filing["subject"]["leader"], today=today, **kwargs)
        # whether another person may administer the service depends on the subject step's answers
        # (icp.checks_people.administrator_choice_problems) and is said with the order type's role
        form.subject, form.role = filing["subject"], order_type_of(filing).role
        return form

    @staticmethod
    def stored_answers(filing: dict) -> dict | None:
        """The app's answers saved on the order (None before the step is saved)."""
        return filing.get("app")

    @staticmethod
    def page(filing: dict) -> dict:
        """What the step's template shows besides the form: the individual's limits and the APK's facts."""
        return {"individual": rules.NATURES[filing["verified"]["nature"]].is_individual,
                "apk_facts": filing.get("apk_facts")}

    def validate(self, extra_validators=None) -> bool:
        """Field validators, then the rules that join fields: platforms, pre-approvals, contacts."""
        super().validate(extra_validators)
        self._check_platforms()
        attach_problems(self, checks.preapproval_problems(self.preapproval_items.data, self.approval_number.data,
                                                          self.approval_department.data, step="app"))
        check_approval_term(self, "app")
        if self.administrator_is_leader.data == "no":
            check_person(self, "administrator", today=self.today)
            # a different administrator must not share the leader's phones or e-mail (DOMAIN.md §3)
            administrator = {name: getattr(self, f"administrator_{name}").data
                             for name in ("mobile", "emergency_phone", "email")}
            attach_problems(self, checks.contact_problems(self.leader, administrator, True, step="app"))
            refusals(self, administrator_findings(self))  # age; phones of another province (icp.checks_people)
        else:
            # another person's fields are ignored when the leader administers the app
            self.administrator_certificate_valid_until.errors = []
        return not any(field.errors for field in self)

    def _parse(self, field, parse) -> None:
        """Keep the normalised value a rule of icp.apps returns, or show its message at the field."""
        try:
            field.data = parse(field.data or "")
        except identifiers.ValidationError as error:
            field.errors = [*field.errors, rule_message(error.message, error.params)]

    def _check_platforms(self) -> None:
        """A ticked platform's three values follow its rules; an unticked one's are not looked at."""
        ticked = self.ticked_platforms()
        try:
            apps.platforms(ticked)
        except identifiers.ValidationError as error:
            first = platform_field_names(next(iter(rules.APP_PLATFORMS)))["ticked"]
            self.add_error(first, rule_message(error.message, error.params))
        for code in rules.APP_PLATFORMS:
            names = platform_field_names(code)
            if code not in ticked:
                for key in ("identifier", "public_key", "fingerprint"):
                    self[names[key]].errors = []
                continue
            if not self[names["identifier"]].errors:
                self._parse(self[names["identifier"]], lambda value, code=code: apps.identifier(code, value))
            if not self[names["public_key"]].errors:
                self._parse(self[names["public_key"]], lambda value, code=code: apps.public_key(value, code))
            if not self[names["fingerprint"]].errors:
                self._parse(self[names["fingerprint"]], lambda value, code=code: apps.fingerprint(value, code))

    @property
    def field_warnings(self) -> dict[str, list[str]]:
        """Warnings by field about a different administrator (a phone of another province), translated: shown
        beside the field, never blocking the save."""
        return warnings_by_field(administrator_findings(self))

    def answers(self) -> dict:
        """The step's answers as saved in the order, under its "app" key."""
        is_leader = self.administrator_is_leader.data == "yes"
        ticked = list(self.preapproval_items.data or [])
        platforms = {}
        for code in self.ticked_platforms():
            names = platform_field_names(code)
            platforms[code] = {key: self[names[key]].data or "" for key in ("identifier", "public_key", "fingerprint")}
        return {
            "service_content": list(self.service_content.data), "language": self.language.data,
            "preapproval_items": ticked,
            "approval_number": self.approval_number.data if ticked else "",
            "approval_department": self.approval_department.data if ticked else "",
            "approval_valid_until": approval_term_answer(self),
            "remarks": self.remarks.data or "",
            "sdk_offered": self.sdk_offered.data == "yes", "third_party_sdks": self.third_party_sdks.data or "",
            "platforms": platforms,
            "administrator_is_leader": is_leader,
            "administrator": None if is_leader else person_answers(self, "administrator"),
        }

    @classmethod
    def data_from(cls, answers: dict | None, verified: dict) -> dict:
        """Form data from saved answers (the inverse of answers()); a new app step starts blank."""
        if not answers:
            return {}
        data = {k: answers.get(k) for k in ("service_content", "language", "preapproval_items",
                                            "approval_number", "approval_department", "approval_valid_until",
                                            "remarks", "third_party_sdks")}
        data["sdk_offered"] = {True: "yes", False: "no"}.get(answers.get("sdk_offered"))
        for code, values in (answers.get("platforms") or {}).items():
            names = platform_field_names(code)
            data[names["ticked"]] = True
            data |= {names[key]: values.get(key, "") for key in ("identifier", "public_key", "fingerprint")}
        data["administrator_is_leader"] = "yes" if answers.get("administrator_is_leader") else "no"
        return data | person_data(answers.get("administrator"), "administrator")


# after the app's own fields, in this order on the page: the platforms, then who administers the app and that person
append_fields(AppForm, _platform_fields())
append_fields(AppForm, {"administrator_is_leader": RadioField(_l("Who is the app administrator?"), validators=[
    DataRequired(_l("Select who administers the app"))])})
append_fields(AppForm, person_fields("administrator"))

