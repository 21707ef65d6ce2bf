"""Maintainer's tool: write the province of each mainland number prefix, after phonenumbers' geocoder, as data.

`python -m icp.phone_table` (after upgrading phonenumbers; tests/test_phone_regions.py fails until it is run)
reads the geocoder's Chinese descriptions of +86 prefixes ("江苏省常州市", "北京市"; "中国" when it knows only the
country) and writes icp/phone_regions.json, which icp.phone_regions reads. The geocoder's data is 40 MB for every
country and language, so the deploy package leaves it out (zappa_settings.json exclude_glob) and carries these
runs of prefixes instead (about 60 KB). Left out of the deploy package too.
"""
from __future__ import annotations

import json
import sys

from icp.phone_regions import MOBILE_PREFIX_DIGITS, PHONE_REGIONS_FILE
from icp.rules import PROVINCES

# the mobile prefixes the table spans: 13 to 19, then five more digits
_FIRST, _LAST = 1300000, 1999999


def _province(description: str) -> str | None:
    """The province code a Chinese description begins with (the longest name first), or None ("中国")."""
    for code, province in sorted(PROVINCES.items(), key=lambda item: -len(item[1].name_zh)):
        if description.startswith(province.name_zh):
            return code
    return None


def table() -> dict:
    """The whole file's content for the installed phonenumbers."""
    import phonenumbers
    from phonenumbers.geodata import GEOCODE_DATA

    mobiles: list[str | None] = [None] * (_LAST - _FIRST + 1)
    fixed: dict[str, str] = {}
    # shorter prefixes first, so a longer one overrides them, as the geocoder's longest match does
    for key in sorted((k for k in GEOCODE_DATA if k.startswith("86") and "zh" in GEOCODE_DATA[k]), key=len):
        digits, province = key[2:], _province(GEOCODE_DATA[key]["zh"])
        if digits[0] == "1" and digits != "10":  # 10 is Beijing's area code, not a mobile prefix
            width = MOBILE_PREFIX_DIGITS - len(digits)
            start = int(digits) * 10 ** width
            for n in range(max(start, _FIRST), min(start + 10 ** width, _LAST + 1)):
                mobiles[n - _FIRST] = province
        elif province:
            fixed[digits] = province
    # runs of equal provinces, each as (its first prefix less the previous run's, the province's index or -1)
    codes = list(PROVINCES)
    gaps, indexes, previous, last_start = [], [], "", _FIRST
    for offset, province in enumerate(mobiles):
        if province != previous:
            gaps.append(offset + _FIRST - last_start)
            indexes.append(codes.index(province) if province else -1)
            previous, last_start = province, offset + _FIRST
    return {"source": f"phonenumbers {phonenumbers.__version__} geocoder, Chinese descriptions of +86 prefixes",
            "provinces": codes, "first": _FIRST, "mobile_gaps": gaps, "mobile_provinces": indexes,
            "fixed_line": dict(sorted(fixed.items()))}


def main() -> int:
    """Write icp/phone_regions.json."""
    content = table()
    with open(PHONE_REGIONS_FILE, "w", encoding="utf-8") as out:
        json.dump(content, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print(f"{len(content['mobile_gaps'])} runs of mobile prefixes, {len(content['fixed_line'])} area codes "
          f"-> {PHONE_REGIONS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
