"""The account page's forms: each action on the applicant's own data asks for the password again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired

from forms.base import BaseForm


class PasswordAgainForm(BaseForm):
    """Download my data, Delete my account: the password once more, so a borrowed browser cannot do either."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter the password you log in with"))])
