"""What every form of the service shares."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


def strip_whitespace(value):
    """Trim surrounding spaces from text input, so ' 11010519491231002X ' is read as meant."""
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A CSRF-protected form that trims whitespace from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            # lists and sub-forms take no filters: their own fields are trimmed when they are bound
            if getattr(unbound_field.field_class, "__name__", "") in ("FieldList", "FormField"):
                return unbound_field.bind(form=form, **options)
            if strip_whitespace not in filters:
                unbound_field.kwargs["filters"] = [strip_whitespace, *filters]
            return unbound_field.bind(form=form, **options)

    def add_error(self, field_name: str, message: str) -> None:
        """Attach a message found after validation (a business rule) to a field."""
        getattr(self, field_name).errors = [*getattr(self, field_name).errors, message]


class Identifier:
    """Validate a field with a parser from icp.identifiers, keeping the normalised value it returns."""

    def __init__(self, parse):
        self.parse = parse

    def __call__(self, form, field):
        from flask_babel import gettext
        from wtforms.validators import StopValidation

        from icp.identifiers import ValidationError as IdentifierError

        if not field.data:
            return
        try:
            field.data = self.parse(field.data)
        except IdentifierError as error:
            raise StopValidation(gettext(error.message, **error.params)) from error


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in a fieldset (rendered by components/field.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def translated_choices(mapping: dict, label=lambda item: item.label) -> list[tuple[str, str]]:
    """(code, translated label) pairs from a rules table, built per request so the language is right."""
    from flask_babel import gettext

    return [(code, gettext(label(item))) for code, item in mapping.items()]


def province_choices() -> list[tuple[str, str]]:
    """Provinces in the person's language, with the other language alongside for foreign applicants."""
    from flask_babel import get_locale

    from icp.rules import PROVINCES

    chinese = get_locale().language == "zh"
    return [(code, f"{p.name_zh}" if chinese else f"{p.name_en} {p.name_zh}") for code, p in PROVINCES.items()]


def attach_problems(form, problems) -> None:
    """Show the domain's problems (icp.checks.Problem) next to their fields, translated; a field already in
    error keeps its first message, and problems about fields this form does not have are left to their own step."""
    from flask_babel import gettext

    for problem in problems:
        field = getattr(form, problem.field, None)
        if field is not None and not field.errors:
            params = {k: gettext(v) if isinstance(v, str) else v for k, v in problem.params.items()}
            field.errors = [*field.errors, gettext(problem.message, **params)]
