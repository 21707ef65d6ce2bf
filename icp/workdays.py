"""China's workday calendar: public holidays and the weekend days worked in lieu count correctly.

Three sources, best first. chinese-calendar has the official schedule, make-up workdays included, but
only up to a known year (the State Council publishes each year's holidays late in the year before).
For later years (to 2060) the statutory holidays, computed from the law without make-up workdays by the
`holidays` package and shipped as data (icp/statutory_holidays.json, written by `python -m
icp.holiday_table`). Before or after both: Monday to Friday. A date counted beyond the official schedule is
an estimate, and is shown as one.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from icp.records import record


@lru_cache(maxsize=1)
def official_years() -> range:
    """The years chinese-calendar has the official schedule for."""
    from chinese_calendar.constants import holidays

    years = {day.year for day in holidays}
    return range(min(years), max(years) + 1)


STATUTORY_HOLIDAYS_FILE = Path(__file__).with_name("statutory_holidays.json")


@lru_cache(maxsize=1)
def _statutory_table() -> dict[int, frozenset[date]]:
    with STATUTORY_HOLIDAYS_FILE.open(encoding="utf-8") as handle:
        years = json.load(handle)["years"]
    return {int(year): frozenset(date.fromisoformat(d) for d in days) for year, days in years.items()}


def _statutory_holidays(year: int) -> frozenset[date]:
    """China's statutory holidays of a year beyond the official schedule (none known after the table's end)."""
    return _statutory_table().get(year, frozenset())


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def is_workday(d: date) -> bool:
    """Say whether people in mainland China work on this day."""
    import chinese_calendar

    d = _as_date(d)
    if d.year in official_years():
        return chinese_calendar.is_workday(d)
    if d.year >= official_years().stop and d in _statutory_holidays(d.year):
        return False
    # no make-up workdays are known in advance, and none before the data: the ordinary working week
    return d.weekday() < 5


def is_estimate(d: date) -> bool:
    """True when whether this day is a workday is guessed (its year has no official schedule yet)."""
    return _as_date(d).year not in official_years()


def add_workdays(start: date, n: int) -> date:
    """Return the day that is n workdays after start (before it when n is negative); n=0 gives start."""
    start = _as_date(start)
    step = timedelta(days=1 if n >= 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(a: date, b: date) -> int:
    """Count the workdays after a up to and including b, so add_workdays(a, n) is n workdays from a.

    When b is before a the count is negative: minus the workdays from b up to the day before a.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -sum(1 for k in range((a - b).days) if is_workday(b + timedelta(days=k)))
    return sum(1 for k in range(1, (b - a).days + 1) if is_workday(a + timedelta(days=k)))


@record
class Window:
    """When a decision is expected: between `earliest` and `latest`; `estimate` if a day counted is guessed."""

    earliest: date
    latest: date
    estimate: bool

    def overdue(self, day: date) -> bool:
        """True when `day` is past the window: the decision is late."""
        return _as_date(day) > self.latest


def decision_window(start: date, low: int, high: int) -> Window:
    """The window `low` to `high` workdays after start (e.g. the administration's 3 to 20 workdays)."""
    start = _as_date(start)
    if not 0 <= low <= high:
        raise ValueError(f"a window needs 0 <= low <= high, got {low} and {high}")
    latest = add_workdays(start, high)
    # every day after start up to the latest was counted: any of them guessed makes the window a guess
    counted_years = range((start + timedelta(days=1)).year, latest.year + 1)
    estimate = latest > start and any(year not in official_years() for year in counted_years)
    return Window(add_workdays(start, low), latest, estimate)
