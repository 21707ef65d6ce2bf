"""China's administrative regions by GB/T 2260 names and codes, read from python-stdnum's table (stdnum/cn/loc.dat):
the province a resident ID was issued in, and the province and city an address begins with.

The same table decides whether a resident ID's region code exists (icp.identifiers), so an address and an ID are
judged by one list of regions. Names include those of regions since renamed or merged (崇文区), as an address or
a certificate may still carry them.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata

from icp.records import record
from icp.rules import PROVINCES

# what ends a province's or a city's full name; the short name is what remains (广东省 -> 广东, 深圳市 -> 深圳)
_PROVINCE_ENDINGS = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")
_CITY_ENDINGS = ("自治州", "地区", "市", "盟")
# table rows that name a group of counties, not a place
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"})


@record
class _Regions:
    """The table read once: each province's GB/T 2260 code, its cities' and its counties' names."""

    province_by_gb_code: dict[str, str]       # "44" -> "guangdong"
    province_names: tuple[tuple[str, str], ...]  # (name, province code), longest first: full and short names
    places: dict[str, frozenset[str]]         # province code -> every city and county name in it, full and short
    city_province: dict[str, frozenset[str]]  # a prefecture-level city's name -> the provinces that have one


def _short(name: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return name


@functools.cache
def _regions() -> _Regions:
    """Read stdnum/cn/loc.dat: a province line (`44 province="广东省"`), then its codes (`  0300 county="深圳市"`)."""
    by_zh = {p.name_zh: code for code, p in PROVINCES.items()}
    by_gb, names, places, cities = {}, [], {}, {}
    province = None
    with importlib.resources.files("stdnum").joinpath("cn/loc.dat").open(encoding="utf-8") as table:
        for line in table:
            if line.startswith("#") or not line.strip():
                continue
            code, _sep, props = line.strip().partition(" ")
            name = re.sub(r"\[[0-9-]*\]", "", props.partition('"')[2].rstrip('"'))
            if not line.startswith(" "):
                province = by_zh.get(name)  # Taiwan, Hong Kong and Macao are not filing provinces
                if province:
                    by_gb[code] = province
                    names += [(name, province), (_short(name, _PROVINCE_ENDINGS), province)]
                    places[province] = set()
                continue
            if province is None or name in _NOT_PLACES or code == "0000":
                continue
            short = _short(name, _CITY_ENDINGS) if code.endswith("00") else name
            places[province] |= {name, short}
            if code.endswith("00"):
                for form in {name, short}:
                    cities.setdefault(form, set()).add(province)
    return _Regions(by_gb, tuple(sorted(set(names), key=lambda n: -len(n[0]))),
                    {p: frozenset(v) for p, v in places.items()}, {c: frozenset(v) for c, v in cities.items()})


def id_province(resident_id: str) -> str | None:
    """The filing province whose code begins a resident ID (its first two digits), or None (Taiwan, Hong Kong…)."""
    return _regions().province_by_gb_code.get(resident_id[:2])


@record
class AddressRegion:
    """Where an address says it is: its province (None when it names none) and the city or county after it."""

    province: str | None
    city: str | None
    province_named: bool  # False when the province was taken from the city (an address starting 深圳市…)
    rest: str = ""        # what follows the province's name, when the address names one


def address_region(address: str) -> AddressRegion:
    """Read the province and the city (or a municipality's district) an address begins with.

    An address may leave the province out and start with its city ("广州市天河区…"): the province is then the
    one that city is in, when only one has it.
    """
    regions = _regions()
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", address or "")).removeprefix("中国")
    for name, province in regions.province_names:
        if text.startswith(name):
            rest = text[len(name):]
            city = next((place for place in sorted(regions.places[province], key=len, reverse=True)
                         if rest.startswith(place)), None)
            return AddressRegion(province, city, True, rest)
    for city in sorted(regions.city_province, key=len, reverse=True):
        if text.startswith(city) and len(city) >= 2 and len(regions.city_province[city]) == 1:
            return AddressRegion(next(iter(regions.city_province[city])), city, False)
    return AddressRegion(None, None, False)
