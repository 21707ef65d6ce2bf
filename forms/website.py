"""Step 4: the website, its service content, pre-approvals and administrator."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.base import (FilingForm, InChinese, MultiCheckboxField, append_fields, attach_problems, rule_message,
                        translated_choices)
from forms.approval import approval_term_answer, approval_term_field, approval_warnings, check_approval_term
from forms.people import (administrator_findings, check_person, person_answers, person_data, person_fields, refusals,
                          set_person_choices, warnings_by_field)
from icp import checks, checks_names, rules
from icp.order_types import order_type_of



class WebsiteForm(FilingForm):
    """Everything MIIT records about the website."""

    name = StringField(_l("Website name"), validators=[
        DataRequired(_l("Enter the website's name")), Length(max=50), InChinese()])
    home_url = StringField(_l("Home page address"), validators=[
        DataRequired(_l("Enter the home page address, like http://www.example.cn")), Length(max=300)])
    service_content = MultiCheckboxField(_l("Service content"), validators=[
        DataRequired(_l("Select at least one kind of service content"))])
    languages = MultiCheckboxField(_l("Website languages"), validators=[
        DataRequired(_l("Select at least one language of the website"))])
    preapproval_items = MultiCheckboxField(_l("Pre-approval items (only if the website offers them)"),
                                           validators=[Optional()])
    approval_number = StringField(_l("Approval number"), validators=[Length(max=100)])
    approval_department = StringField(_l("Approving department"), validators=[Length(max=100), InChinese()])
    approval_valid_until = approval_term_field()
    remarks = TextAreaField(_l("Remarks (optional)"), validators=[Length(max=500)])
    administrator_is_leader = RadioField(_l("Who is the website administrator?"), validators=[
        DataRequired(_l("Select who administers the website"))])

    def __init__(self, *args, verified: dict, leader: dict, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.verified, self.leader, self.today = verified, leader, today
        individual = rules.NATURES[verified["nature"]].is_individual
        self.service_content.choices = [
            (code, gettext(item.label)) for code, item in rules.SERVICE_CONTENT.items()
            if item.individual_allowed or not individual]
        self.languages.choices = [(code, gettext(label)) for code, label in rules.WEBSITE_LANGUAGES.items()]
        self.preapproval_items.choices = translated_choices(rules.PREAPPROVAL_ITEMS)
        self.administrator_is_leader.choices = [
            ("yes", gettext("The subject leader, %(name)s", name=leader.get("name", ""))),
            ("no", gettext("Another person")),
        ]
        set_person_choices(self, "administrator")

    first_field = "name"
    # flashed after a save that carries name warnings (name_warnings)
    saved_with_warning = _l("The website is saved. Something to know, which does not stop you submitting: "
                            "%(warning)s.")

    @classmethod
    def for_order(cls, filing: dict, *, today: date, stored: bool = False, **kwargs) -> "WebsiteForm":
        """Step 4's form for this order; `stored` fills it from the order's saved answers, ignoring a post."""
        if stored:
            kwargs.update(formdata=None, data=cls.data_from(filing.get("website"), filing["verified"]))
        form = cls(verified=filing["verified"], leader=filing["subject"]["leader"], today=today, **kwargs)
        # whether another person may administer the service depends on the subject step's answers
        # (icp.checks_people.administrator_choice_problems) and is said with the order type's role
        form.subject, form.role = filing["subject"], order_type_of(filing).role
        return form

    @staticmethod
    def stored_answers(filing: dict) -> dict | None:
        """The website's answers saved on the order (None before the step is saved)."""
        return filing.get("website")

    @staticmethod
    def page(filing: dict) -> dict:
        """What the step's template shows besides the form: whether the subject is an individual."""
        return {"individual": rules.NATURES[filing["verified"]["nature"]].is_individual}

    def validate(self, extra_validators=None) -> bool:
        """Field validators, then the rules that join fields: name rules, URL, pre-approvals, contacts."""
        super().validate(extra_validators)
        if self.name.data and not self.name.errors:
            # only refusals stop the save; warnings are shown beside the field (name_warnings)
            for problem in self._name_problems(rules.REFUSE):
                self.name.errors.append(rule_message(problem.message, problem.params))
        if not self.home_url.errors:
            attach_problems(self, checks.home_url_problems(self.home_url.data, self.verified))
        attach_problems(self, checks.preapproval_problems(self.preapproval_items.data, self.approval_number.data,
                                                          self.approval_department.data))
        check_approval_term(self, "website")
        if self.administrator_is_leader.data == "no":
            check_person(self, "administrator", today=self.today)
            # a different administrator must not share the leader's phones or e-mail (DOMAIN.md §3)
            administrator = {name: getattr(self, f"administrator_{name}").data
                             for name in ("mobile", "emergency_phone", "email")}
            attach_problems(self, checks.contact_problems(self.leader, administrator, True))
            refusals(self, administrator_findings(self))  # age; phones of another province (icp.checks_people)
        else:
            # another person's fields are ignored when the leader administers the site: a half-typed date there
            # must not stop the save
            self.administrator_certificate_valid_until.errors = []
        return not any(field.errors for field in self)

    def _name_problems(self, severity: str) -> list:
        """The name rules the website name breaks with this severity, for this order's nature, province and people."""
        people = [self.leader.get("name")]
        if self.administrator_is_leader.data == "no":
            people.append(self.administrator_name.data)
        if rules.NATURES[self.verified["nature"]].is_individual:
            people.append(self.verified["subject_name"])
        return [problem for problem in checks_names.website_name_problems(
                    self.name.data, domain=self.verified["domain"], nature=self.verified["nature"],
                    preapproval_items=set(self.preapproval_items.data or []),
                    province=self.verified["province"], person_names=people)
                if problem.severity == severity]

    @property
    def approval_warnings(self) -> list[str]:
        """An approval that ends soon, translated: shown beside its date, never blocking the save."""
        return approval_warnings(self, "website")

    @property
    def name_warnings(self) -> list[str]:
        """Warnings about the website name, translated: shown beside the field, never blocking the save."""
        if not self.name.data or self.name.errors:
            return []
        return [rule_message(problem.message, problem.params) for problem in self._name_problems(rules.WARN)]

    @property
    def field_warnings(self) -> dict[str, list[str]]:
        """Warnings by field about a different administrator (a phone of another province), translated: shown
        beside the field, never blocking the save."""
        return warnings_by_field(administrator_findings(self))

    def answers(self) -> dict:
        """The step's answers as saved in the filing."""
        is_leader = self.administrator_is_leader.data == "yes"
        ticked = list(self.preapproval_items.data or [])
        return {
            "name": self.name.data, "home_url": self.home_url.data,
            "service_content": list(self.service_content.data), "languages": list(self.languages.data),
            "preapproval_items": ticked,
            "approval_number": self.approval_number.data if ticked else "",
            "approval_department": self.approval_department.data if ticked else "",
            "approval_valid_until": approval_term_answer(self),
            "remarks": self.remarks.data or "", "administrator_is_leader": is_leader,
            "administrator": None if is_leader else person_answers(self, "administrator"),
        }

    @staticmethod
    def data_from(answers: dict | None, verified: dict) -> dict:
        """Form data from saved answers; a new website step suggests the home page on the verified domain."""
        if not answers:
            return {"home_url": f"http://www.{verified['domain']}"}
        data = {k: answers.get(k) for k in ("name", "home_url", "service_content", "languages",
                                            "preapproval_items", "approval_number", "approval_department",
                                            "approval_valid_until", "remarks")}
        data["administrator_is_leader"] = "yes" if answers.get("administrator_is_leader") else "no"
        return data | person_data(answers.get("administrator"), "administrator")


# the administrator's fields follow the website's own on the page
append_fields(WebsiteForm, person_fields("administrator"))

