"""The forms of the orders after the number (cancel access, cancel a website or app); each rule is
icp.workflow.after_number's, the messages here say what to do."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, InputRequired, Regexp

from forms.base import BaseForm
from icp import rules


class AccountCodeForm(BaseForm):
    """The code texted to the account's mobile, which confirms cancelling access."""

    code = StringField(_l("Code from the text message"), validators=[
        InputRequired(_l("Enter the code from the text message.")),
        Regexp(rf"^\d{{{rules.ACCOUNT_CODE_DIGITS}}}$",
               message=_l("Enter the %(digits)d digits of the code, without spaces.",
                          digits=rules.ACCOUNT_CODE_DIGITS))])


class CancelStartForm(BaseForm):
    """The first ask before cancelling a website or app: that it cannot be undone."""

    understood = BooleanField(_l("I understand that the number is cancelled for good and that filing the service "
                                 "again is a new filing with a new number"),
                              validators=[DataRequired(_l("Tick the box to say you understand, or go back."))])


class CancelConfirmForm(BaseForm):
    """The second ask: the service typed out, as a person types it only when they mean it."""

    typed = StringField(_l("Type the domain or app name to cancel"), validators=[
        InputRequired(_l("Type the domain or the app's name exactly as shown."))])
