"""The province a mainland mobile or fixed-line number belongs to, read from icp/phone_regions.json.

The table is phonenumbers' geocoder reduced to provinces (icp.phone_table writes it): the geocoder's own data is
40 MB and stays out of the deploy package. A number the geocoder places only in "China" (a virtual operator's
range, a prefix too new) has no province here, and no rule judges it.
"""
from __future__ import annotations

import bisect
import functools
import json
from pathlib import Path

PHONE_REGIONS_FILE = Path(__file__).with_name("phone_regions.json")
# a mobile's province is decided by its first 7 digits (1 + network + the region's 4 digits)
MOBILE_PREFIX_DIGITS = 7


@functools.cache
def _table() -> tuple[list[int], list[str | None], dict[str, str]]:
    """The runs' first prefixes, their provinces and the area codes, read once per process."""
    content = json.loads(PHONE_REGIONS_FILE.read_text(encoding="utf-8"))
    codes, starts, start = content["provinces"], [], content["first"]
    for gap in content["mobile_gaps"]:
        start += gap
        starts.append(start)
    provinces = [codes[i] if i >= 0 else None for i in content["mobile_provinces"]]
    return starts, provinces, content["fixed_line"]


def province_of(number: str) -> str | None:
    """The province code of a normalised number (icp.identifiers: 11 digits, or 0<area>-<local>), or None."""
    starts, provinces, fixed = _table()
    if len(number) == 11 and number.startswith("1") and number.isdigit():
        prefix = int(number[:MOBILE_PREFIX_DIGITS])
        index = bisect.bisect_right(starts, prefix) - 1
        return provinces[index] if index >= 0 else None
    area = number.split("-", 1)[0].removeprefix("0")
    return fixed.get(area) if area.isdigit() else None
