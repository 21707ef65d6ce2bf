"""Step 2: verify the server with an ICP filing service code."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from forms.base import FilingForm
from icp import rules


def _upper(value):
    return value.upper().replace(" ", "") if isinstance(value, str) else value


class InstanceForm(FilingForm):
    """Product type and the service code applied for in the console."""

    product_type = SelectField(_l("Product type"), validators=[DataRequired(_l("Select the product type"))])
    service_code = StringField(_l("ICP filing service code"), filters=[_upper], validators=[
        DataRequired(_l("Enter the ICP filing service code from the console")),
        Length(min=16, max=16, message=_l("Enter the 16 characters of the service code")),
        Regexp(r"^[A-Z0-9]+$", message=_l("Enter the service code with letters and digits only")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_type.choices = [(code, gettext(label)) for code, label in
                                     rules.SERVICE_CODE_POLICY.product_types.items()]
