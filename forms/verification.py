"""The applicant's forms after our review: the backdrop application and the MIIT SMS codes."""
from __future__ import annotations

from flask_babel import gettext
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


# each code box names the person MIIT texted and their masked number, by their role (icp.order.PEOPLE)
CODE_LABELS = {
    "leader": _l("Code texted to the subject leader, %(name)s (%(mobile)s)"),
    "administrator": _l("Code texted to the %(role)s, %(name)s (%(mobile)s)"),
    "leader_and_administrator": _l("Code texted to %(name)s (%(mobile)s), the subject leader and %(role)s"),
}


class CodesForm(BaseForm):
    """The codes MIIT texted, one box per person (icp.order.Order.verification.people): the subject leader's,
    and the website administrator's when another person (removed otherwise)."""

    leader = _code_field(_l("Code texted to the subject leader"))
    administrator = _code_field(_l("Code texted to the administrator"))

    def __init__(self, *args, people: tuple = (), role: str = "website administrator", **kwargs):
        """`role` is the order type's name of the administrator (icp.order_types), as a msgid."""
        super().__init__(*args, **kwargs)
        if len(people) < 2:
            del self.administrator
        for person, box in zip(people, ("leader", "administrator")):
            self[box].label.text = str(CODE_LABELS[person.role]) % {"name": person.name, "mobile": person.mobile,
                                                                     "role": gettext(role)}
