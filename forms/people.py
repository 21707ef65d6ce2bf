"""The fields of a person (subject leader, website administrator) and their checks, shared by two steps."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import Length

from forms.base import attach_problems, rule_message
from forms.dates import DateBoxesField
from icp import checks, checks_people, identifiers, rules

PERSON_FIELDS = ("name", "certificate_type", "certificate_number", "certificate_valid_until",
                 "certificate_long_term", "mobile", "emergency_phone", "email")


def person_fields(prefix: str) -> dict:
    """Unbound fields for one person, named `<prefix>_<field>`; they are checked by check_person."""
    return {
        f"{prefix}_name": StringField(_l("Full name"), validators=[Length(max=50)]),
        f"{prefix}_certificate_type": SelectField(_l("Certificate type"), validate_choice=False),
        f"{prefix}_certificate_number": StringField(_l("Certificate number"), validators=[Length(max=40)]),
        f"{prefix}_certificate_valid_until": DateBoxesField(_l("Certificate valid until")),
        f"{prefix}_certificate_long_term": BooleanField(_l("The certificate is valid long-term (no end date)")),
        f"{prefix}_mobile": StringField(_l("Mobile number"), validators=[Length(max=30)]),
        f"{prefix}_emergency_phone": StringField(_l("Emergency phone number"), validators=[Length(max=30)]),
        f"{prefix}_email": EmailField(_l("E-mail address"), validators=[Length(max=254)]),
    }


def set_person_choices(form, prefix: str) -> None:
    """Offer the certificate types a person may hold, in the person's language."""
    getattr(form, f"{prefix}_certificate_type").choices = [("", gettext("Select a certificate type"))] + [
        (code, gettext(rules.CERTIFICATE_TYPES[code].label)) for code in rules.PERSON_CERTIFICATE_TYPES]


def _error(form, name: str, message: str) -> None:
    getattr(form, name).errors = [*getattr(form, name).errors, message]


def check_person(form, prefix: str, *, today: date) -> None:
    """Check one person's fields, attaching a message to each field in error and normalising the rest."""
    def field(name):
        return getattr(form, f"{prefix}_{name}")

    required = {
        "name": _l("Enter the full name as on the certificate"),
        "certificate_type": _l("Select the certificate type"),
        "certificate_number": _l("Enter the certificate number"),
        "mobile": _l("Enter a mainland China mobile number"),
        "emergency_phone": _l("Enter an emergency phone number"),
        "email": _l("Enter an e-mail address"),
    }
    for name, message in required.items():
        if not field(name).data:
            _error(form, f"{prefix}_{name}", str(message))
    parsers = {"mobile": identifiers.mobile, "emergency_phone": identifiers.phone, "email": identifiers.email}
    if field("certificate_type").data in rules.PERSON_CERTIFICATE_TYPES:
        kind = field("certificate_type").data
        parsers["certificate_number"] = lambda value: identifiers.certificate_number(kind, value)
    elif field("certificate_type").data:
        _error(form, f"{prefix}_certificate_type", gettext("Select the certificate type"))
    for name, parse in parsers.items():
        if field(name).data and not field(name).errors:
            try:
                field(name).data = parse(field(name).data)
            except identifiers.ValidationError as error:
                _error(form, f"{prefix}_{name}", gettext(error.message, **error.params))
    # the same person's two numbers (e.g. emergency phone equal to the mobile), by the rules of icp.checks
    contacts = {name: field(name).data for name in ("mobile", "emergency_phone", "email") if not field(name).errors}
    leader, administrator = (contacts, None) if prefix == "leader" else (None, contacts)
    attach_problems(form, checks.contact_problems(leader, administrator, administrator_differs=False))
    valid_until = field("certificate_valid_until")
    # a date that is not a real one already carries its message (forms/dates.py)
    if not valid_until.errors:
        attach_problems(form, checks.certificate_validity_problems(
            valid_until.data, bool(field("certificate_long_term").data), today=today, step="", prefix=prefix))


def refusals(form, findings) -> None:
    """Show the refusals among icp.checks_people's findings next to their fields (warnings: warnings_by_field)."""
    attach_problems(form, [checks.Problem("", field_id, v.message, dict(v.params), v.severity)
                           for field_id, v in findings if v.severity == rules.REFUSE])


def warnings_by_field(findings) -> dict[str, list[str]]:
    """The warnings among icp.checks_people's findings, translated, by field: shown beside the field, never
    blocking the save (components/field.html's `warnings`)."""
    shown: dict[str, list[str]] = {}
    for field_id, violation in findings:
        if violation.severity == rules.WARN:
            shown.setdefault(field_id, []).append(rule_message(violation.message, violation.params))
    return shown


def administrator_findings(form) -> list:
    """A different administrator's findings (age, phones' province, and whether the province lets another person
    administer the service while the subject leader is not the legal representative), from the form's data."""
    if form.administrator_is_leader.data != "no":
        return []
    person = {name: getattr(form, f"administrator_{name}").data for name in PERSON_FIELDS}
    where = {"nature": form.verified["nature"], "province": form.verified["province"]}
    return [*checks_people.administrator_findings(person, **where, today=form.today),
            *checks_people.administrator_choice_problems(False, getattr(form, "subject", None) or {}, **where,
                                                         role=getattr(form, "role", ""))]


def person_answers(form, prefix: str) -> dict:
    """The saved form of one person's fields."""
    answers = {name: getattr(form, f"{prefix}_{name}").data for name in PERSON_FIELDS}
    answers["certificate_long_term"] = bool(answers["certificate_long_term"])
    valid_until = answers["certificate_valid_until"]
    answers["certificate_valid_until"] = "" if answers["certificate_long_term"] or not valid_until \
        else valid_until.isoformat()
    return answers


def person_data(answers: dict | None, prefix: str) -> dict:
    """Form data for one person from saved answers (the inverse of person_answers)."""
    if not answers:
        return {}
    data = {f"{prefix}_{name}": answers.get(name) for name in PERSON_FIELDS}
    if answers.get("certificate_valid_until"):
        data[f"{prefix}_certificate_valid_until"] = date.fromisoformat(answers["certificate_valid_until"])
    return data
