"""A date asked as three labelled boxes (day, month, year; 年 月 日 in Chinese), never a browser date picker.

Browsers show `<input type="date">` in the browser's locale (mm/dd/yyyy in an English browser) whatever the
page says, and typing into it mangles years. Three text boxes read the same everywhere and work without
JavaScript; components/field.html wraps them in a fieldset whose legend is the question.
"""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape
from wtforms import Field
from wtforms.utils import unset_value

from icp import dates

PARTS = ("day", "month", "year")


class _Boxes:
    """The posted form seen by one field: its three boxes as the field's own list of values."""

    def __init__(self, name: str, values: list[str]):
        self.name, self.values = name, values

    def __contains__(self, key):
        return key == self.name

    def getlist(self, key):
        """The three boxes, in day, month, year order."""
        return list(self.values) if key == self.name else []


class DateBoxesWidget:
    """Three labelled numeric text boxes, in the order the page's language writes a date."""

    def __call__(self, field, **kwargs):
        invalid = ' aria-invalid="true"' if field.errors else ""
        html = ['<div class="date-input">']
        for part, label, value in field.boxes():
            box_id = f"{field.id}-{part}"
            width = "4" if part == "year" else "2"
            html.append(
                f'<div class="date-input__item"><label class="date-input__label" for="{box_id}">{escape(label)}</label>'
                f'<input class="input input--width-{width}{" input--error" if invalid else ""}" id="{box_id}" '
                f'name="{escape(field.name)}-{part}" type="text" inputmode="numeric" autocomplete="off" '
                f'maxlength="{4 if part == "year" else 2}" value="{escape(value)}"'
                f'{invalid}></div>')
        html.append("</div>")
        return Markup("".join(html))


class DateBoxesField(Field):
    """A date typed as day, month and year; `data` is a date, or None when all three boxes are empty.

    A box left out, a letter, or a date that does not exist (31 February) is a message at the field, and the
    boxes keep what was typed so nothing is lost.
    """

    widget = DateBoxesWidget()

    def process(self, formdata, data=unset_value, extra_filters=None):
        """Read the three boxes `<name>-day`, `<name>-month`, `<name>-year` as this field's input."""
        if formdata is not None:
            keys = [f"{self.name}-{part}" for part in PARTS]
            posted = [formdata.get(key, "") for key in keys] if any(key in formdata for key in keys) else []
            formdata = _Boxes(self.name, posted) if posted else _Boxes("", [])
        super().process(formdata, data, extra_filters)

    def process_data(self, value):
        """A saved date (or its ISO text) shown in the boxes."""
        if isinstance(value, str) and value:
            value = date.fromisoformat(value)
        self.data = value if isinstance(value, date) else None

    def process_formdata(self, valuelist):
        """The date of the three boxes; a message (in the page's language) when they do not make a real date."""
        from flask_babel import gettext

        from icp.identifiers import ValidationError

        if not valuelist:
            return
        self.data = None
        try:
            self.data = dates.date_from_parts(*valuelist)
        except ValidationError as error:
            raise ValueError(gettext(error.message, **error.params)) from error

    def boxes(self) -> list[tuple[str, str, str]]:
        """(part, label, value) of each box, in the page language's order: day month year, or 年 月 日."""
        from flask_babel import get_locale, gettext

        if self.raw_data:
            values = dict(zip(PARTS, self.raw_data))
        elif self.data:
            values = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        else:
            values = dict.fromkeys(PARTS, "")
        labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
        order = ("year", "month", "day") if get_locale().language == "zh" else PARTS
        return [(part, labels[part], values[part]) for part in order]
