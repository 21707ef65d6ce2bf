"""Registration and log-in forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forms.base import BaseForm, Identifier
from icp import identifiers
from icp.accounts import MIN_PASSWORD_LENGTH


class RegisterForm(BaseForm):
    """Create an applicant account."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address")),
        Length(max=254, message=_l("Enter an e-mail address of 254 characters or fewer")),
        Identifier(identifiers.email),
    ])
    mobile = StringField(_l("Mobile number"), validators=[
        DataRequired(_l("Enter your mobile number")), Identifier(identifiers.mobile),
    ])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter a password")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Enter a password of at least %(min)d characters", min=MIN_PASSWORD_LENGTH)),
    ])
    confirm = PasswordField(_l("Confirm password"), validators=[
        DataRequired(_l("Enter the password again")),
        EqualTo("password", message=_l("Enter the same password in both fields")),
    ])


class LogInForm(BaseForm):
    """Log in with e-mail and password."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address"))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class ChangePasswordForm(BaseForm):
    """Change the password: the current one, then the new one twice."""

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password"))])
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Enter a password of at least %(min)d characters", min=MIN_PASSWORD_LENGTH)),
    ])
    confirm = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")),
        EqualTo("password", message=_l("Enter the same password in both fields")),
    ])


class LogOutForm(BaseForm):
    """An empty form whose only purpose is the CSRF token of the log-out button."""
