"""Step 2: verify the server with an ICP filing service code, chosen from the account's codes or typed."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from forms.base import BaseForm, FilingForm
from icp import rules

# the radio option that means "the code typed in the box below"
TYPED = "typed"


def _upper(value):
    return value.upper().replace(" ", "") if isinstance(value, str) else value


def _pick(chosen, typed):
    """The listed code chosen, else the one typed."""
    return chosen if chosen and chosen != TYPED else typed


class InstanceForm(FilingForm):
    """Product type and the service code: one of the account's available codes, or one typed from the console."""

    product_type = SelectField(_l("Product type"), validators=[DataRequired(_l("Select the product type"))])
    code_choice = RadioField(_l("Your available service codes"), validate_choice=False)
    service_code = StringField(_l("ICP filing service code"), filters=[_upper], validators=[
        Optional(),
        Length(min=16, max=16, message=_l("Enter the 16 characters of the service code")),
        Regexp(r"^[A-Z0-9]+$", message=_l("Enter the service code with letters and digits only")),
    ])

    # set by the view once the form passed its checks and binding was tried (views.applicant.steps)
    errors_from_binding = False

    def __init__(self, *args, choices=(), **kwargs):
        """`choices` are the codes the account may use (icp.codes.choosable_codes), offered as radio buttons;
        None checks a posted form without them (binding checks the code itself; the list is read only to show
        the page again)."""
        super().__init__(*args, **kwargs)
        self.product_type.choices = [(code, gettext(label)) for code, label in
                                     rules.SERVICE_CODE_POLICY.product_types.items()]
        self.listed = None if choices is None else {choice.code for choice in choices}
        choices = choices or ()
        self.offered = list(choices)  # with the instance each verifies, for the page's hint (drafting.bind_hint)
        self.code_choice.choices = [
            (c.code, gettext("%(code)s · %(instance)s (%(instance_id)s), %(region)s", code=c.code,
                             instance=c.instance_name, instance_id=c.instance_id, region=c.region))
            for c in choices] + [(TYPED, gettext("Another code: type it below"))]

    def validate(self, extra_validators=None) -> bool:
        """A listed code wins over whatever is in the box; otherwise the typed code is required and checked."""
        super().validate(extra_validators)
        chosen = self.code_choice.data
        if chosen and chosen != TYPED:
            if self.listed is not None and chosen not in self.listed:  # used meanwhile, or a made-up value
                self.code_choice.errors.append(gettext("Choose one of the codes listed, or type a code"))
            self.service_code.errors = []  # the box is ignored when a listed code is chosen
        elif not self.service_code.data and not self.service_code.errors:
            if self.listed and not chosen:
                self.code_choice.errors.append(gettext("Choose one of your service codes, or type one"))
            else:
                self.service_code.errors.append(gettext("Enter the ICP filing service code from the console"))
        return not any(field.errors for field in self)

    @property
    def chosen_code(self) -> str:
        """The code to verify: the listed one chosen, else the one typed."""
        return _pick(self.code_choice.data, self.service_code.data)

    @staticmethod
    def posted_code(formdata) -> str:
        """The code a posted form chose, from the raw form before the form is built (to read it ahead)."""
        return _pick(formdata.get("code_choice"), _upper(formdata.get("service_code", "")))

    @property
    def code_field(self) -> str:
        """The field a refusal of the chosen code is shown next to."""
        chosen = self.code_choice.data
        return "code_choice" if chosen and chosen != TYPED else "service_code"

    def explain_conflicts(self, conflicts) -> None:
        """The list and the box hold one answer, the code: a conflict on either names the code bound now."""
        code_fields = {"code_choice", "service_code"}
        super().explain_conflicts([name for name in conflicts if name not in code_fields])
        if code_fields & set(conflicts):
            self.add_error(self.code_field, gettext(
                "This answer was changed in another window to “%(value)s” after this page was opened. Your "
                "answer is kept here: check it and save again to keep it.",
                value=self._stored_form.chosen_code or gettext("(blank)")))


class ApplyForCodeForm(BaseForm):
    """Apply for one new service code on one of the account's eligible instances, without leaving step 2."""

    instance_id = RadioField(_l("Apply for a new code on"), validate_choice=False)

    def __init__(self, *args, instances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible = {i["instance_id"] for i in instances}
        self.instance_id.choices = [
            (i["instance_id"], gettext("%(instance)s (%(instance_id)s), %(region)s", instance=i["name"],
                                       instance_id=i["instance_id"], region=i["region"])) for i in instances]

    def validate(self, extra_validators=None) -> bool:
        """An instance of the list must be chosen."""
        super().validate(extra_validators)
        if self.instance_id.data not in self.eligible:
            self.instance_id.errors.append(gettext("Choose the instance to apply for a code on"))
        return not any(field.errors for field in self)
