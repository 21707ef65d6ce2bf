"""Maintainer's tool: write China's statutory holidays after chinese-calendar's official schedule, as data.

`python -m icp.holiday_table` (after upgrading chinesecalendar or holidays; tests/test_workdays.py fails until
it is run) computes each year's statutory holidays with the `holidays` package's China calendar (from the law:
New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day; lunar dates
converted) and writes them to icp/statutory_holidays.json, which icp.workdays reads. The package itself is a
development requirement only: it imports all of its ~250 countries to give one (~170 ms the first time a
deadline reaches such a year, on every new Lambda instance) and was 2.7 MB of the 14 MB deploy package.
Left out of the deploy package (zappa_settings.json exclude_glob).
"""
from __future__ import annotations

import json
import sys

from icp.workdays import STATUTORY_HOLIDAYS_FILE, official_years

# deadlines are weeks or months ahead; a year after this counts Monday to Friday (and says it is an estimate)
LAST_YEAR = 2060


def statutory_holidays(first: int, last: int) -> dict[str, list[str]]:
    """{year: [ISO dates of its statutory holidays]} for first..last, from the `holidays` package."""
    import holidays

    return {str(year): sorted(day.isoformat() for day in holidays.China(years=year))
            for year in range(first, last + 1)}


def table() -> dict:
    """The whole file's content for the installed packages."""
    return {"source": "python holidays package, China calendar (statutory holidays, no make-up workdays)",
            "years": statutory_holidays(official_years().stop, LAST_YEAR)}


def main() -> int:
    """Write icp/statutory_holidays.json."""
    content = table()
    years = content["years"]
    # one year a line, so a change reads as the years it changed
    lines = ",\n".join(f"    {json.dumps(year)}: {json.dumps(days)}" for year, days in years.items())
    STATUTORY_HOLIDAYS_FILE.write_text(
        f'{{\n  "source": {json.dumps(content["source"])},\n  "years": {{\n{lines}\n  }}\n}}\n', encoding="utf-8")
    print(f"wrote {STATUTORY_HOLIDAYS_FILE.name}: {min(years)}-{max(years)}, "
          f"{sum(len(d) for d in years.values())} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
