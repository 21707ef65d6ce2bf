"""China's workday calendar: public holidays and the weekend days worked in lieu count correctly.

The holidays come from chinese-calendar, whose data stops at a known year (the State Council
publishes each year's holidays late in the year before); beyond its data a workday is Monday to Friday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def is_workday(d: date) -> bool:
    """Say whether people in mainland China work on this day."""
    import chinese_calendar

    if isinstance(d, datetime):
        d = d.date()
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        # no holiday data for that year yet: the best guess is the ordinary working week
        return d.weekday() < 5


def add_workdays(start: date, n: int) -> date:
    """Return the day that is n workdays after start (before it when n is negative); n=0 gives start."""
    if isinstance(start, datetime):
        start = start.date()
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
    if isinstance(a, datetime):
        a = a.date()
    if isinstance(b, datetime):
        b = b.date()
    if b < a:
        return -sum(1 for k in range((a - b).days) if is_workday(b + timedelta(days=k)))
    return sum(1 for k in range(1, (b - a).days + 1) if is_workday(a + timedelta(days=k)))


def official(year: int) -> bool:
    """True when chinese-calendar has the State Council's holiday schedule for this year."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
