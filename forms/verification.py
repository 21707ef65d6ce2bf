"""The applicant's forms after our review: the backdrop application and the MIIT SMS codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from forms.base import BaseForm, FilingForm, Identifier, InChinese
from icp import identifiers, rules


class BackdropForm(FilingForm):
    """Where the backdrop is mailed: a mainland address."""

    recipient = StringField(_l("Recipient"), validators=[DataRequired(_l("Enter who receives the backdrop")),
                                                         Length(max=50)])
    address = TextAreaField(_l("Mailing address in mainland China"), validators=[
        DataRequired(_l("Enter the mailing address, down to the door number")), Length(max=200), InChinese()])
    phone = StringField(_l("Recipient's mobile number"), validators=[
        DataRequired(_l("Enter the recipient's mobile number")), Identifier(identifiers.mobile)])


def _code_field(label):
    return StringField(label, validators=[
        DataRequired(_l("Enter the code from the text message")),
        Regexp(rf"^\d{{{rules.SMS_CODE_DIGITS}}}$", message=_l("Enter the %(digits)s digits of the code", digits=rules.SMS_CODE_DIGITS))])


class CodesForm(BaseForm):
    """The codes MIIT texted; the administrator's only when another person (removed otherwise)."""

    leader = _code_field(_l("Code texted to the subject leader"))
    administrator = _code_field(_l("Code texted to the website administrator"))

    def __init__(self, *args, administrator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not administrator:
            del self.administrator
