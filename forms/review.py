"""The reviewer console's forms: every action carries the order's version, so two reviewers never both act."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from flask_wtf import FlaskForm

from forms.base import BaseForm, translated_choices
from icp import rules

# how many comments one return can carry without JavaScript (empty rows are ignored)
COMMENT_ROWS = 6


class ActionForm(BaseForm):
    """A button that acts on the order as the reviewer saw it (version)."""

    version = HiddenField()


class CommentForm(FlaskForm):
    """One comment, attached to a field or a document."""

    class Meta:
        csrf = False  # the enclosing form carries the token

    # an empty row's target does not matter; a written row's target is checked by ReturnForm.validate
    target = SelectField(_l("About"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Comment"), validators=[Length(max=1000)])


class ReturnForm(ActionForm):
    """Return the order to the applicant with comments on fields and documents."""

    comments = FieldList(FormField(CommentForm), min_entries=COMMENT_ROWS, max_entries=COMMENT_ROWS)

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for entry in self.comments:
            entry.target.choices = targets

    def validate(self, extra_validators=None) -> bool:
        """At least one comment, each on a known target."""
        from flask_babel import gettext

        valid = super().validate(extra_validators)
        if valid and not self.filled():
            self.comments[0].text.errors = [gettext("Write at least one comment saying what to change")]
            return False
        for entry in self.comments:
            known = {value for value, _label in entry.target.choices}
            if (entry.text.data or "").strip() and entry.target.data not in known:
                entry.text.errors = [gettext("Select what this comment is about")]
                valid = False
        return valid

    def filled(self) -> list[dict]:
        """The comments written, as {target, text}."""
        return [{"target": e.target.data, "text": e.text.data.strip()} for e in self.comments
                if (e.text.data or "").strip()]


class RejectPhotoForm(ActionForm):
    """Reject the administrator's photo with a reason from the list, and a comment."""

    reason = SelectField(_l("Reason"), choices=[], validators=[DataRequired(_l("Select the reason"))])
    comment = TextAreaField(_l("Comment for the applicant (optional)"), validators=[Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = translated_choices(rules.PHOTO_REJECTION_REASONS, label=lambda label: label)


class BackdropMailedForm(ActionForm):
    """Record the backdrop's tracking number."""

    tracking = StringField(_l("Tracking number"), validators=[
        DataRequired(_l("Enter the tracking number of the parcel")), Length(max=40)])
