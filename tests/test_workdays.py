"""China workdays: the 2025 National Day week, its make-up Sunday and Saturday, and years beyond the data."""

from datetime import date, datetime

import pytest

from icp.workdays import add_workdays, is_workday, workdays_between


@pytest.mark.parametrize("day, workday", [
    (date(2025, 9, 26), True),    # Friday
    (date(2025, 9, 27), False),   # Saturday
    (date(2025, 9, 28), True),    # Sunday worked in lieu
    (date(2025, 9, 30), True),
    *[(date(2025, 10, d), False) for d in range(1, 9)],   # National Day and Mid-Autumn holiday
    (date(2025, 10, 9), True),
    (date(2025, 10, 11), True),   # Saturday worked in lieu
    (date(2025, 10, 12), False),  # Sunday
    (date(2025, 10, 13), True),
])
def test_is_workday_2025_national_day(day, workday):
    assert is_workday(day) is workday


@pytest.mark.parametrize("day, workday", [
    (date(2030, 1, 4), True),     # Friday, beyond chinese-calendar's data: Monday to Friday
    (date(2030, 1, 5), False),
    (date(2030, 1, 6), False),
    (date(2003, 6, 6), True),     # before its data
    (date(2003, 6, 7), False),
])
def test_is_workday_beyond_the_data_falls_back_to_the_week(day, workday):
    assert is_workday(day) is workday


def test_is_workday_accepts_datetime():
    assert is_workday(datetime(2025, 10, 1, 9, 30)) is False


@pytest.mark.parametrize("start, n, expected", [
    (date(2025, 9, 30), 0, date(2025, 9, 30)),
    (date(2025, 9, 26), 1, date(2025, 9, 28)),    # Friday + 1 is the make-up Sunday
    (date(2025, 9, 30), 1, date(2025, 10, 9)),    # over the holiday
    (date(2025, 9, 30), 3, date(2025, 10, 11)),   # the make-up Saturday
    (date(2025, 9, 30), 4, date(2025, 10, 13)),
    (date(2025, 9, 30), 20, date(2025, 11, 4)),   # the longest administration review
    (date(2025, 10, 3), 1, date(2025, 10, 9)),    # from inside the holiday
    (date(2025, 10, 9), -1, date(2025, 9, 30)),
    (date(2025, 9, 29), -1, date(2025, 9, 28)),
    (date(2030, 1, 4), 1, date(2030, 1, 7)),      # beyond the data
    (date(2026, 12, 31), 1, date(2027, 1, 1)),    # leaving the data: New Year's Day is guessed a workday
])
def test_add_workdays(start, n, expected):
    assert add_workdays(start, n) == expected


@pytest.mark.parametrize("a, b, expected", [
    (date(2025, 9, 30), date(2025, 9, 30), 0),
    (date(2025, 9, 30), date(2025, 10, 8), 0),
    (date(2025, 9, 30), date(2025, 10, 11), 3),
    (date(2025, 9, 26), date(2025, 10, 12), 6),
    (date(2025, 10, 11), date(2025, 9, 30), -3),
    (date(2030, 1, 4), date(2030, 1, 11), 5),
])
def test_workdays_between(a, b, expected):
    assert workdays_between(a, b) == expected


@pytest.mark.parametrize("n", range(-12, 25))
def test_workdays_between_undoes_add_workdays(n):
    start = date(2025, 9, 30)
    assert workdays_between(start, add_workdays(start, n)) == n


def test_workdays_accept_datetimes():
    assert add_workdays(datetime(2025, 9, 30, 18, 0), 1) == date(2025, 10, 9)
    assert workdays_between(datetime(2025, 9, 30, 18), datetime(2025, 10, 11, 8)) == 3
