"""Step 4: the website, its service content, pre-approvals and administrator."""
from __future__ import annotations

from datetime import date
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.base import BaseForm, MultiCheckboxField, translated_choices
from forms.people import check_person, person_answers, person_data, person_fields, set_person_choices
from icp import checks_names, identifiers, rules

_WebsiteBase = type("_WebsiteBase", (BaseForm,), person_fields("administrator"))


def home_url_problem(url: str, verified: dict) -> str | None:
    """Why a home page URL is not on the verified domain (translated), or None when it is; the rule is icp's."""
    try:
        identifiers.home_url(url, domain=verified["domain"], domain_ascii=verified["domain_ascii"])
    except identifiers.ValidationError as error:
        return gettext(error.message, **error.params)
    return None


class WebsiteForm(_WebsiteBase):
    """Everything MIIT records about the website."""

    name = StringField(_l("Website name"), validators=[
        DataRequired(_l("Enter the website's name")), Length(max=50)])
    home_url = StringField(_l("Home page address"), validators=[
        DataRequired(_l("Enter the home page address, like http://www.example.cn")), Length(max=300)])
    service_content = MultiCheckboxField(_l("Service content"), validators=[
        DataRequired(_l("Select at least one kind of service content"))])
    languages = MultiCheckboxField(_l("Website languages"), validators=[
        DataRequired(_l("Select at least one language of the website"))])
    preapproval_items = MultiCheckboxField(_l("Pre-approval items (only if the website offers them)"),
                                           validators=[Optional()])
    approval_number = StringField(_l("Approval number"), validators=[Length(max=100)])
    approval_department = StringField(_l("Approving department"), validators=[Length(max=100)])
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

    def validate(self, extra_validators=None) -> bool:
        """Field validators, then the rules that join fields: name rules, URL, pre-approvals, contacts."""
        super().validate(extra_validators)
        if self.name.data and not self.name.errors:
            # only refusals stop the save; warnings are shown beside the field (name_warnings)
            for problem in self._name_problems(rules.REFUSE):
                self.name.errors.append(gettext(problem.message, **problem.params))
        if self.home_url.data and not self.home_url.errors:
            problem = home_url_problem(self.home_url.data, self.verified)
            if problem:
                self.home_url.errors.append(problem)
        if self.preapproval_items.data:
            if not self.approval_number.data:
                self.approval_number.errors.append(
                    gettext("Enter the approval number of the pre-approval you ticked"))
            if not self.approval_department.data:
                self.approval_department.errors.append(gettext("Enter the department that gave the approval"))
        if self.administrator_is_leader.data == "no":
            check_person(self, "administrator", today=self.today)
            self._check_contacts()
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
    def name_warnings(self) -> list[str]:
        """Warnings about the website name, translated: shown beside the field, never blocking the save."""
        if not self.name.data or self.name.errors:
            return []
        return [gettext(problem.message, **problem.params) for problem in self._name_problems(rules.WARN)]

    def _check_contacts(self) -> None:
        """A different administrator must not share the leader's phones or e-mail (DOMAIN.md §3)."""
        people = {"leader": self.leader, "administrator": {
            name: getattr(self, f"administrator_{name}").data for name in ("mobile", "emergency_phone", "email")}}
        for rule in rules.CONTACT_RULES:
            who, name = rule.field.split(".")
            other_who, other_name = rule.must_differ_from.split(".")
            if who != "administrator":
                continue
            field = getattr(self, f"administrator_{name}")
            value, other = people[who].get(name), people[other_who].get(other_name)
            if value and other and value == other and not field.errors:
                field.errors.append(gettext(rule.message))

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
                                            "remarks")}
        data["administrator_is_leader"] = "yes" if answers.get("administrator_is_leader") else "no"
        return data | person_data(answers.get("administrator"), "administrator")
