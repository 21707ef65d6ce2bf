"""Dates and times as people read them: always China time, the zone named, one format per language.

Every date or time the service shows (pages, staff consoles, e-mails, text messages) goes through
`moment_text` or `day_text`, so a deadline reads the same wherever it appears. A date a person types is
read from three boxes (day, month, year) by `date_from_parts`, which says what is wrong in words.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone

from icp.rules import _  # the one marker pybabel extracts; translated where shown

# the administration and our reviewers work on China Standard Time; every deadline is stated in it.
# China has kept UTC+8 all year since 1991; a fixed offset needs no time-zone database on Lambda
CHINA = timezone(timedelta(hours=8))

# how a time and a day read in each language (CLDR patterns): no US month-first order, a 24-hour clock
MOMENT_PATTERNS = {"en": "d MMMM y, HH:mm", "zh": "y年M月d日 HH:mm"}
DAY_PATTERNS = {"en": "d MMMM y", "zh": "y年M月d日"}
# the zone is named in words, not as an offset
IN_CHINA_TIME = _("%(time)s China time")


class DateTextError(ValueError):
    """A stored value is not an ISO date or time with its UTC offset."""


def _language(language: str) -> str:
    return language if language in MOMENT_PATTERNS else "en"


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise DateTextError(f"{value!r} is not an ISO time") from None
    if moment.tzinfo is None:
        raise DateTextError(f"{value!r} has no UTC offset")
    return moment


def moment_text(value, language: str, gettext=lambda s: s) -> str:
    """A moment (datetime or ISO time with offset) in China time with the zone named: "15 January 2027, 08:27 China time"."""
    from babel.dates import format_datetime

    language = _language(language)
    local = format_datetime(_as_datetime(value).astimezone(CHINA), MOMENT_PATTERNS[language], locale=language)
    return gettext(IN_CHINA_TIME) % {"time": local}


def china_day(value) -> date:
    """The day in China of a date, a moment, or an ISO date or time (a moment's UTC date can be the day before)."""
    if isinstance(value, datetime):
        return _as_datetime(value).astimezone(CHINA).date()
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise DateTextError(f"{value!r} is not an ISO date") from None
    return _as_datetime(text).astimezone(CHINA).date()


def day_text(value, language: str) -> str:
    """A day (date, moment or ISO text) as its China date: "15 January 2027", "2027年1月15日"."""
    from babel.dates import format_date

    language = _language(language)
    return format_date(china_day(value), DAY_PATTERNS[language], locale=language)


def date_from_parts(day: str, month: str, year: str) -> date | None:
    """The date typed in three boxes, None when all three are empty; raises ValidationError saying what is wrong."""
    from icp.identifiers import ValidationError

    parts = [(p or "").strip() for p in (day, month, year)]
    if not any(parts):
        return None
    if not all(parts):
        missing = [name for name, part in zip(("day", "month", "year"), parts) if not part]
        if len(missing) > 1:
            raise ValidationError(_("Enter the whole date: day, month and year"))
        raise ValidationError({"day": _("Enter the day of the date"), "month": _("Enter the month of the date"),
                               "year": _("Enter the year of the date")}[missing[0]])
    if not all(part.isdigit() and part.isascii() for part in parts):
        raise ValidationError(_("Enter the day, month and year as numbers only"))
    day_number, month_number, year_number = (int(p) for p in parts)
    if len(parts[2]) != 4:
        raise ValidationError(_("Enter the year with 4 digits, like 2031"))
    if not 1 <= month_number <= 12:
        raise ValidationError(_("Enter a month from 1 to 12"))
    if not 1 <= day_number <= 31:
        raise ValidationError(_("Enter a day from 1 to 31"))
    days = calendar.monthrange(year_number, month_number)[1]
    if day_number > days:
        # 31 February and 31 April do not exist: say how many days that month has
        raise ValidationError(_("Enter a real date: month %(month)d of %(year)d has only %(days)d days"),
                              month=month_number, year=year_number, days=days)
    return date(year_number, month_number, day_number)
