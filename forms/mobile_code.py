"""The check page's forms that confirm each mobile of the order with a one-time code (icp.workflow.mobile_codes)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from forms.base import BaseForm
from icp import rules


class SendMobileCodeForm(BaseForm):
    """Text a code to one person's mobile (the button carries only the CSRF token; whose mobile is in the URL)."""


class EnterMobileCodeForm(BaseForm):
    """The code texted to one person's mobile."""

    code = StringField(_l("Code from the text message"), validators=[
        DataRequired(_l("Enter the code from the text message")),
        Regexp(rf"^\s*\d{{{rules.MOBILE_CODE.digits}}}\s*$",
               message=_l("Enter the %(digits)s digits of the code", digits=rules.MOBILE_CODE.digits))])
