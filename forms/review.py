"""The reviewer console's forms: every action carries the order's version, so two reviewers never both act."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from forms.base import BaseForm, translated_choices

class ActionForm(BaseForm):
    """A button that acts on the order as the reviewer saw it (version)."""

    version = HiddenField()


def comment_field(target: str) -> str:
    """The form field of the comment on one target ("website:name" -> "comment-website-name"; "" is general)."""
    return "comment-" + (target.replace(":", "-") if target else "general")


class ReturnForm(ActionForm):
    """Return the order to the applicant with comments, one box per field and document (empty boxes are ignored).

    Build it with ReturnForm.about(targets, ...): the boxes are the order's own targets.
    """

    targets: dict[str, str] = {}  # form field name -> target, as stored

    @classmethod
    def about(cls, targets: list[tuple[str, str]], **kwargs) -> "ReturnForm":
        """A return form with one comment box per (target, label), the target stored as comments always were."""
        from flask_babel import gettext

        boxes = {comment_field(target): TextAreaField(
            gettext("General comment") if not target else gettext("Comment on %(about)s", about=label),
            validators=[Length(max=1000)]) for target, label in targets}
        form_class = type("ReturnForm", (cls,), {**boxes, "targets": {comment_field(t): t for t, _label in targets}})
        return form_class(**kwargs)

    def boxes(self) -> dict:
        """The comment box of each target."""
        return {target: self[name] for name, target in self.targets.items()}

    def validate(self, extra_validators=None) -> bool:
        """At least one comment."""
        from flask_babel import gettext

        valid = super().validate(extra_validators)
        if valid and not self.filled():
            self[comment_field("")].errors = [gettext("Write at least one comment saying what to change")]
            return False
        return valid

    def filled(self) -> list[dict]:
        """The comments written, as {target, text}, in the order of the page."""
        return [{"target": target, "text": self[name].data.strip()} for name, target in self.targets.items()
                if (self[name].data or "").strip()]


class RejectPhotoForm(ActionForm):
    """Reject the administrator's photo with a reason of the order's way of verifying, and a comment."""

    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment for the applicant (optional)"), validators=[Length(max=500)])

    def __init__(self, *args, reasons: dict, role: str = "", **kwargs):
        """`role` names who is verified (the order type's, translated) where a reason speaks of them."""
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", _l("Select the reason"))] + [
            (code, label % {"role": role} if "%(role)s" in label else label)
            for code, label in translated_choices(reasons, label=lambda label: label)]
        # a reason of another way of verifying (a backdrop's for a live photo) is refused here, not stored
        self.reason.validators = [DataRequired(_l("Select the reason")),
                                  AnyOf(list(reasons), message=_l("Select one of the reasons listed for this photo"))]


class BackdropMailedForm(ActionForm):
    """Record the backdrop's tracking number."""

    tracking = StringField(_l("Tracking number"), validators=[
        DataRequired(_l("Enter the tracking number of the parcel")), Length(max=40)])


class AccessWarningForm(ActionForm):
    """Warn the applicant that a filed service must resolve to our servers again by a deadline."""

    reason = SelectField(_l("Why"), validators=[DataRequired(_l("Choose why the service needs fixing."))])

    def __init__(self, *args, **kwargs):
        from flask_babel import gettext

        from icp import rules

        super().__init__(*args, **kwargs)
        self.reason.choices = [("", gettext("Choose"))] + [
            (code, gettext(label)) for code, label in rules.ACCESS_WARNING_REASONS.items()]
