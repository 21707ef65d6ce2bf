"""The administration simulator's forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from forms.review import ActionForm


class RejectForm(ActionForm):
    """Reject the filing with the reason the applicant will read."""

    reason = TextAreaField(_l("Reason for the rejection"), validators=[
        DataRequired(_l("Enter the reason the applicant will read")), Length(max=500)])
