"""China workdays: the 2025 National Day week, its make-up Sunday and Saturday, and years beyond the data."""

from datetime import date, datetime

import pytest

from icp.workdays import add_workdays, decision_window, is_estimate, is_workday, official_years, workdays_between


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
    (date(2030, 1, 4), True),     # Friday, beyond chinese-calendar's data, no holiday
    (date(2030, 1, 5), False),
    (date(2030, 1, 6), False),
    (date(2003, 6, 6), True),     # before any data: Monday to Friday
    (date(2003, 6, 7), False),
    (date(2003, 1, 1), True),     # New Year's Day, but nothing knows 2003's schedule
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
    (date(2026, 12, 31), 1, date(2027, 1, 4)),    # leaving the data: New Year's Day 2027 from `holidays`
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


def test_chinese_calendar_covers_2025_and_2026_but_not_2027():
    assert {2025, 2026} <= set(official_years()) and 2027 not in official_years()


@pytest.mark.parametrize("day, workday", [
    (date(2026, 2, 13), True),    # Friday before the Spring Festival
    (date(2026, 2, 14), True),    # Saturday worked in lieu
    *[(date(2026, 2, d), False) for d in range(15, 24)],   # Spring Festival, nine days
    (date(2026, 2, 24), True),
    (date(2026, 2, 28), True),    # Saturday worked in lieu
])
def test_is_workday_2026_spring_festival(day, workday):
    assert is_workday(day) is workday


@pytest.mark.parametrize("day, workday", [
    (date(2027, 1, 1), False),    # New Year's Day, a Friday
    (date(2027, 2, 5), False),    # Spring Festival's Eve, a Friday
    (date(2027, 2, 8), False),    # Spring Festival, a Monday
    (date(2027, 2, 11), True),    # the day after the statutory days (and their observed days)
    (date(2027, 10, 1), False),   # National Day
    (date(2027, 1, 4), True),
])
def test_is_workday_beyond_chinese_calendar_uses_the_statutory_holidays(day, workday):
    assert is_estimate(day)
    assert is_workday(day) is workday


def test_a_window_within_the_official_data_is_not_an_estimate():
    # 2026-02-13 (Friday): the make-up Saturday counts, the nine Spring Festival days do not
    window = decision_window(date(2026, 2, 13), 3, 20)
    assert window.earliest == date(2026, 2, 25)   # Sat 14th, Tue 24th, Wed 25th
    assert window.latest == date(2026, 3, 19)
    assert window.estimate is False


def test_a_window_reaching_a_year_without_data_is_an_estimate():
    window = decision_window(date(2026, 12, 21), 3, 20)
    assert window.earliest == date(2026, 12, 24)
    assert window.latest == date(2027, 1, 19)    # 1 January 2027 is skipped
    assert window.estimate is True


def test_a_window_that_ends_on_new_years_eve_is_not_an_estimate():
    window = decision_window(date(2026, 12, 28), 0, 3)
    assert window.latest == date(2026, 12, 31) and window.estimate is False


@pytest.mark.parametrize("day, overdue", [
    (date(2026, 3, 18), False),
    (date(2026, 3, 19), False),   # the last day of the window is still on time
    (date(2026, 3, 20), True),
    (datetime(2026, 3, 20, 0, 5), True),
])
def test_overdue_is_past_the_last_day(day, overdue):
    assert decision_window(date(2026, 2, 13), 3, 20).overdue(day) is overdue


def test_a_window_needs_low_at_most_high():
    with pytest.raises(ValueError):
        decision_window(date(2026, 2, 13), 5, 3)


def test_the_shipped_statutory_holidays_are_what_the_holidays_package_computes():
    import json

    from icp.holiday_table import table
    from icp.workdays import STATUTORY_HOLIDAYS_FILE

    shipped = json.loads(STATUTORY_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert shipped == table(), "run `python -m icp.holiday_table` after upgrading chinesecalendar or holidays"
    assert min(shipped["years"]) == str(official_years().stop)  # it starts where the official schedule ends


def test_counting_workdays_beyond_the_official_schedule_does_not_load_the_holidays_package():
    import subprocess
    import sys

    code = ("import sys, datetime; from icp import workdays; "
            "assert workdays.add_workdays(datetime.date(2027, 9, 30), 1) == datetime.date(2027, 10, 6); "
            "print(any(m == 'holidays' or m.startswith('holidays.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_after_the_table_the_ordinary_week_counts_and_says_it_is_a_guess():
    assert is_workday(date(2061, 1, 3)) is True   # a Monday; no holiday is known that far ahead
    assert is_estimate(date(2061, 1, 3))
