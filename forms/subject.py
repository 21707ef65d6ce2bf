"""Step 3: the subject's addresses and its leader."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import gettext
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from forms.base import FilingForm, InChinese, append_fields, attach_problems
from forms.dates import DateBoxesField
from forms.people import (check_person, person_answers, person_data, person_fields, refusals, set_person_choices,
                          warnings_by_field)
from icp import checks, checks_people, rules

class SubjectForm(FilingForm):
    """The subject's details beyond what MIIT already holds, and the subject leader."""

    certificate_address = StringField(_l("Address on the certificate"), validators=[
        DataRequired(_l("Enter the address exactly as on the subject's certificate")), Length(max=200), InChinese()])
    mailing_address = StringField(_l("Mailing address"), validators=[
        DataRequired(_l("Enter the mailing address down to the door number")), Length(max=200), InChinese()])
    investor = StringField(_l("Investor or supervising unit"), validators=[
        DataRequired(_l("Enter the investor or supervising unit (for an individual, the person's name)")),
        Length(max=100), InChinese()])
    # an organisation's certificate term (营业期限), checked like a person's certificate (icp.checks)
    subject_certificate_valid_until = DateBoxesField(_l("Subject certificate valid until"))
    subject_certificate_long_term = BooleanField(_l("The subject certificate is valid long-term (no end date)"))

    def __init__(self, *args, verified: dict, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.verified, self.today = verified, today
        set_person_choices(self, "leader")
        self.leader_is_legal_representative.choices = [("yes", gettext("Yes")), ("no", gettext("No"))]

    # the first field: where a save that lost a race is explained
    first_field = "certificate_address"
    # flashed after a save that carries warnings (field_warnings)
    saved_with_warning = _l("The subject is saved. Something to know, which does not stop you submitting: "
                            "%(warning)s.")

    @classmethod
    def for_order(cls, filing: dict, *, today: date, stored: bool = False, **kwargs) -> "SubjectForm":
        """Step 3's form for this order (the generic step view builds every step's form this way); `stored`
        fills it from the order's answers as they are, ignoring any posted data."""
        if stored:
            kwargs.update(formdata=None, data=cls.data_from(cls.stored_answers(filing), filing["verified"]))
        return cls(verified=filing["verified"], today=today, **kwargs)

    @staticmethod
    def stored_answers(filing: dict) -> dict | None:
        """The subject's answers the step shows: the order's own once saved, else those of this account's last
        approved filing of the subject (icp.workflow.filed_subject), for the applicant to confirm or change."""
        return filing.get("subject") or (filing.get("subject_prefill") or {}).get("answers")

    @staticmethod
    def page(filing: dict) -> dict:
        """What the step's template shows besides the form: the approved filing the answers came from."""
        return {"prefilled_from": None if filing.get("subject") else filing.get("subject_prefill"),
                "organisation": not rules.NATURES[filing["verified"]["nature"]].is_individual}

    def validate(self, extra_validators=None) -> bool:
        """Field validators, then the leader's checks and, for an individual, that the leader is the subject."""
        super().validate(extra_validators)
        check_person(self, "leader", today=self.today)
        if self.is_organisation and not self.subject_certificate_valid_until.errors:
            attach_problems(self, checks.subject_certificate_problems(self.verified, {
                "certificate_valid_until": (self.subject_certificate_valid_until.data or "") and
                self.subject_certificate_valid_until.data.isoformat(),
                "certificate_long_term": self.subject_certificate_long_term.data}, today=self.today))
        elif not self.is_organisation:
            self.subject_certificate_valid_until.errors = []  # not asked of an individual
        attach_problems(self, checks.leader_problems(self.verified, {
            "certificate_number": self.leader_certificate_number.data}))
        # the leader's age, legal representative, ID region and phones, and the addresses (icp.checks_people)
        refusals(self, self._findings())
        return not any(field.errors for field in self)

    @property
    def is_organisation(self) -> bool:
        """Whether the subject is an organisation, whose own certificate's term is asked."""
        return not rules.NATURES[self.verified["nature"]].is_individual

    def _findings(self) -> list:
        """icp.checks_people's findings on the answers as they are on the page."""
        return checks_people.subject_findings(self.answers(), nature=self.verified["nature"],
                                              province=self.verified["province"], today=self.today)

    @property
    def field_warnings(self) -> dict[str, list[str]]:
        """Warnings by field (an address without its city, a leader who is not the legal representative …),
        translated: shown beside each field, never blocking the save."""
        return warnings_by_field(self._findings())

    def answers(self) -> dict:
        """The step's answers as saved in the filing."""
        legal = {"yes": True, "no": False}.get(self.leader_is_legal_representative.data or "")
        answers = {"name": self.verified["subject_name"], "certificate_address": self.certificate_address.data,
                   "mailing_address": self.mailing_address.data, "investor": self.investor.data,
                   "leader": person_answers(self, "leader"),
                   "leader_is_legal_representative": legal if self.is_organisation else None}
        if self.is_organisation:
            long_term = bool(self.subject_certificate_long_term.data)
            valid_until = self.subject_certificate_valid_until.data
            answers.update(certificate_long_term=long_term,
                           certificate_valid_until="" if long_term or not valid_until else valid_until.isoformat())
        return answers

    @staticmethod
    def data_from(answers: dict | None, verified: dict) -> dict:
        """Form data from saved answers; a new subject step is pre-filled from the verified MIIT record."""
        if answers:
            legal = {True: "yes", False: "no"}.get(answers.get("leader_is_legal_representative"))
            return {k: answers.get(k) for k in ("certificate_address", "mailing_address", "investor")} | {
                "subject_certificate_valid_until": answers.get("certificate_valid_until") or None,
                "subject_certificate_long_term": bool(answers.get("certificate_long_term"))} | \
                person_data(answers.get("leader"), "leader") | {"leader_is_legal_representative": legal}
        if rules.NATURES[verified["nature"]].is_individual:
            return {"investor": verified["subject_name"], "leader_name": verified["subject_name"],
                    "leader_certificate_type": verified["certificate_type"],
                    "leader_certificate_number": verified["certificate_number"]}
        return {"investor": verified["subject_name"]}


# the leader's fields follow the addresses on the page; an organisation is asked whether its leader is its legal
# representative (icp.rules.LEADER_MUST_BE_LEGAL_REPRESENTATIVE), checked in validate()
append_fields(SubjectForm, person_fields("leader"))
append_fields(SubjectForm, {"leader_is_legal_representative": RadioField(
    _l("Is the subject leader the organisation's legal representative?"), validate_choice=False)})
