"""The console's form: apply for ICP filing service codes on one instance."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from forms.base import BaseForm


class CountField(IntegerField):
    """A whole number typed as text; anything else reads as no answer, so one message covers both."""

    widget = TextInput()  # type="text" with inputmode="numeric": number inputs change on scroll and drop input

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


def count_within_quota(form, field):
    """Ask for 1 to the codes the instance has left."""
    if field.data is None or not 1 <= field.data <= form.left:
        raise StopValidation(gettext("Enter how many codes you need, from 1 to %(left)d", left=form.left))


class ApplyForCodesForm(BaseForm):
    """How many codes to issue on one instance (its id rides along, hidden)."""

    instance_id = HiddenField()
    count = CountField(_l("Number of codes"), validators=[count_within_quota], default=1)

    def __init__(self, *args, left: int, instance: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.left, self.instance = left, instance
        if instance is not None:
            # one form per instance on the page: ids and labels must say which instance they belong to
            self.instance_id.data = instance["instance_id"]
            self.instance_id.id = f"instance-id-{instance['instance_id']}"
            self.count.id = self.count.label.field_id = f"count-{instance['instance_id']}"
            self.count.label.text = gettext("Number of codes for %(name)s", name=instance["name"])
