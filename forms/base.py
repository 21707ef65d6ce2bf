"""What every form of the service shares."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField
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

    def problems(self) -> list[tuple[str, str]]:
        """Every message shown at the fields, as (field id, message), in the order the page shows them.

        The error summary lists exactly these: a field with two errors has two lines there too.
        """
        return [(field.id, message) for field in self if field.type != "CSRFTokenField"
                for message in field.errors]

    def add_error(self, field_name: str, message: str) -> None:
        """Attach a message found after validation (a business rule) to a field."""
        getattr(self, field_name).errors = [*getattr(self, field_name).errors, message]


def rule_message(message: str, params: dict) -> str:
    """A domain rule's message in the person's language.

    Text quoted from the answer (a tuple of characters, words or a prefix) is put in quotation marks, one by
    one, so "must not contain “!”." stays readable and a list reads naturally in either language; other text
    parameters are labels and are translated.
    """
    from flask_babel import get_locale, gettext

    separator = "、" if get_locale().language == "zh" else ", "
    values = {}
    for key, value in params.items():
        if isinstance(value, (tuple, list)):
            values[key] = separator.join(f"“{item}”" for item in value)
        elif isinstance(value, str):
            values[key] = gettext(value)
        else:
            values[key] = value
    return gettext(message, **values)


def append_fields(form_class, fields: dict) -> None:
    """Add fields after the ones a form class declares itself, so the page and its error summary show them last.

    WTForms orders fields by when they were created; fields made by a helper before the class body ran (one
    person's fields, shared by two steps) would otherwise come first in the form, and first in the summary.
    """
    for name, unbound in fields.items():
        setattr(form_class, name, unbound)


class InChinese:
    """Marks a field MIIT records in Chinese (field.flags.chinese): pages in other languages say so at its label."""

    field_flags = {"chinese": True}

    def __call__(self, form, field):
        return None  # a marker only: what the answer may contain is checked by the field's own rules


class FilingForm(BaseForm):
    """A form that edits an order: it carries the order's version and its answers' fingerprints as shown.

    A save from a page shown before the order last changed merges only the answers that page changed
    (icp.merge); an answer another window changed differently is refused with both values shown.
    """

    shown_version = HiddenField()
    shown_answers = HiddenField()

    _NOT_ANSWERS = frozenset({"csrf_token", "shown_version", "shown_answers"})

    def answer_values(self) -> dict:
        """The answers on the page, by field name."""
        return {name: field.data for name, field in self._fields.items() if name not in self._NOT_ANSWERS}

    def show(self, version: int, answers: dict | None = None) -> None:
        """Stamp the order's version and the fingerprints of the answers shown (this form's, by default)."""
        from icp import merge

        self.shown_version.data = str(version)
        self.shown_answers.data = merge.fingerprints(self.answer_values() if answers is None else answers)

    def is_stale(self, version: int) -> bool:
        """Whether this posted page was shown before the order's last change (or carries no version)."""
        return self.is_submitted() and self.shown_version.data != str(version)

    def catch_up(self, version: int, stored: "FilingForm") -> tuple[str, ...]:
        """Merge this stale page's answers into `stored` (the same form filled from the order as it is now).

        The fields take the merged values and the page is stamped as showing the stored order, so saving it
        again after a conflict keeps the person's answer. Returns the names of the conflicting fields; call
        `explain_conflicts` after validating, which clears errors.
        """
        from icp import merge

        theirs = stored.answer_values()
        merged = merge.three_way(merge.parse_fingerprints(self.shown_answers.data), self.answer_values(), theirs)
        for name, value in merged.values.items():
            self[name].data = value
        self.show(version, theirs)
        self._stored_form = stored
        return merged.conflicts

    def explain_conflicts(self, conflicts) -> None:
        """Put, next to each conflicting field, the value the other window saved; this page's value stays."""
        from flask_babel import gettext

        for name in conflicts:
            shown = _shown_value(self._stored_form[name]) or gettext("(blank)")
            self.add_error(name, gettext(
                "This answer was changed in another window to “%(value)s” after this page was opened. Your "
                "answer is kept here: check it and save again to keep it.", value=shown))


def _shown_value(field) -> str:
    """A field's value as the person reads it: choices by their labels, yes or no, dates and text as text."""
    from flask_babel import gettext

    from icp.merge import canonical

    data = field.data
    if isinstance(field, BooleanField):
        return gettext("Yes") if data else gettext("No")
    if isinstance(field, (SelectField, RadioField, SelectMultipleField)):
        labels = {str(value): str(label) for value, label, *_rest in field.iter_choices()}
        chosen = data if isinstance(data, (list, tuple)) else ([data] if data not in (None, "") else [])
        return ", ".join(labels.get(str(value), str(value)) for value in chosen)
    return canonical(data)


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
    for problem in problems:
        field = getattr(form, problem.field, None)
        if field is not None and not field.errors:
            field.errors = [*field.errors, rule_message(problem.message, problem.params)]
