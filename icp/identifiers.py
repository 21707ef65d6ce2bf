"""Parse and validate the identifiers a filing holds: certificates, phones, e-mail, domains, ICP numbers.

Each function returns the normalised value or raises ValidationError with a message that says what
is wrong and how to put it right. Checksums come from python-stdnum, phones from phonenumbers and
domains from idna (IDNA 2008); those libraries are imported on first use to keep cold starts short.
"""

from __future__ import annotations

import functools

import re
import unicodedata
from datetime import date
from typing import Any, Callable

from icp.records import record
from icp.rules import (
    APPROVED_TLDS, CERTIFICATE_TYPES, ICP_ABBR_MISTAKES, ICP_SERVICE_SUFFIXES, PROVINCE_BY_ICP_ABBR, PROVINCES, _,
    approved_suffix,
)


class ValidationError(ValueError):
    """A value a person entered is not valid; `message` is the English translation key."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def _clean(s: str, drop: str = r"\s") -> str:
    """Fold fullwidth forms to ASCII, upper-case, and drop spaces (and any other characters given)."""
    return re.sub(f"[{drop}]", "", unicodedata.normalize("NFKC", s or "")).upper()


# --- people's certificates ----------------------------------------------------------------------

def resident_id(s: str, *, today: date | None = None) -> str:
    """Return an 18-character resident identity card number with an upper-case X, or raise."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as StdnumError

    number = _clean(s)
    if not number:
        raise ValidationError(_("Enter the resident identity card number"))
    if len(number) != 18:
        raise ValidationError(
            _("Resident identity card number must be 18 characters; you entered %(length)s"), length=len(number))
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(_("Resident identity card number must be 17 digits followed by a digit or X"))
    try:
        birth = ric.get_birth_date(number)
    except StdnumError:
        birth = None
    if birth is None or birth > (today or date.today()):
        raise ValidationError(
            _("Resident identity card number holds an impossible birth date in characters 7 to 14"))
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("The last character of the resident identity card number does not match the others: "
              "check the number for a typo"))
    if not _region_code_ever_existed(number[:6]):
        raise ValidationError(
            _("The first 6 digits of the resident identity card number are not a known region code"))
    return number


def _region_code_ever_existed(code: str) -> bool:
    """Say whether a six-digit region code exists today or existed at any time.

    The code is where the card was issued, which may be decades after the birth, so python-stdnum's
    get_birth_place() (which asks whether the code existed in the birth year) is the wrong question
    (DOMAIN.md §8). Its table of codes, with the years each was in use, answers the right one.
    """
    return code in _county_codes()


@functools.cache
def _county_codes() -> frozenset[str]:
    """Every six-digit code python-stdnum's region table (stdnum/cn/loc.dat) names a county, read once.

    stdnum's numdb parses that table into its general prefix tree, ~20 ms at the first resident ID a new
    instance checks; the table has two levels (a province's 2 digits, then its codes' 4, each a county),
    which this reads directly (tests/test_identifiers.py checks it agrees with numdb for every code).
    """
    import importlib.resources

    codes, province = set(), ""
    with importlib.resources.files("stdnum").joinpath("cn/loc.dat").open(encoding="utf-8") as table:
        for line in table:
            if line.startswith("#") or not line.strip():
                continue
            code, _, props = line.strip().partition(" ")
            if not line.startswith(" "):
                province = code
            elif "county=" in props:
                codes.add(province + code)
    return frozenset(codes)


def resident_id_birth_date(s: str) -> date:
    """Return the birth date held in a valid resident identity card number."""
    from stdnum.cn import ric

    return ric.get_birth_date(resident_id(s))


def passport(s: str) -> str:
    """Return a passport number in capitals without spaces, or raise."""
    number = _clean(s)
    if not number:
        raise ValidationError(_("Enter the passport number"))
    if not re.fullmatch(r"[A-Z0-9]+", number):
        raise ValidationError(_("Passport number must contain only letters and digits"))
    if not 5 <= len(number) <= 20:
        raise ValidationError(_("Passport number must be 5 to 20 characters"))
    return number


def hmt_permit(s: str) -> str:
    """Return a Mainland travel permit number for Hong Kong, Macao or Taiwan residents, or raise."""
    number = _clean(s)
    if not number:
        raise ValidationError(_("Enter the permit number"))
    if not re.fullmatch(r"[A-Z0-9]+", number):
        raise ValidationError(_("Permit number must contain only letters and digits"))
    # Hong Kong and Macao: H or M then 8 digits (10 on older permits); Taiwan: 8 digits
    if not re.fullmatch(r"[HM][0-9]{8}(?:[0-9]{2})?|[0-9]{8}", number):
        raise ValidationError(
            _("Enter the permit number as H or M followed by 8 or 10 digits, or 8 digits for a Taiwan resident"))
    return number


def foreign_permanent_id(s: str) -> str:
    """Return a foreign permanent resident ID number (15-character 2004 or 18-digit 2023 card), or raise."""
    number = _clean(s)
    if not number:
        raise ValidationError(_("Enter the foreign permanent resident ID number"))
    if not re.fullmatch(r"[A-Z0-9]+", number):
        raise ValidationError(_("Foreign permanent resident ID number must contain only letters and digits"))
    if len(number) not in (15, 18):
        raise ValidationError(_("Foreign permanent resident ID number must be 15 or 18 characters"))
    if not re.fullmatch(r"[A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X]", number):
        raise ValidationError(
            _("Foreign permanent resident ID number must be 3 letters and 12 digits, or 18 digits starting with 9"))
    return number


# --- organisations' certificates ----------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(s: str) -> str:
    """Return an 18-character unified social credit code, or raise."""
    from stdnum.cn import uscc as stdnum_uscc

    code = _clean(s, r"\s\-")
    if not code:
        raise ValidationError(_("Enter the unified social credit code"))
    if len(code) != 18:
        raise ValidationError(
            _("Unified social credit code must be 18 characters; you entered %(length)s"), length=len(code))
    if any(c not in _USCC_ALPHABET for c in code):
        raise ValidationError(
            _("Unified social credit code must contain only digits and capital letters other than I, O, S, V and Z"))
    # the first character may be a letter (e.g. N for rural collectives), which stdnum's validate() refuses,
    # so the format is checked here and only the check character is computed by stdnum
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of the unified social credit code must be digits"))
    if code[-1] != stdnum_uscc.calc_check_digit(code[:17]):
        raise ValidationError(
            _("The last character of the unified social credit code does not match the others: "
              "check the code for a typo"))
    return code


# GB 11714-1997 weights; python-stdnum has no organisation code module and the check is this short
_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(s: str) -> str:
    """Return an organisation code as XXXXXXXX-X, or raise."""
    code = _clean(s, r"\s\-")
    if not code:
        raise ValidationError(_("Enter the organisation code"))
    if len(code) != 9:
        raise ValidationError(_("Organisation code must be 9 characters: 8, a hyphen, then 1"))
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        raise ValidationError(
            _("Organisation code must contain only digits and capital letters, and end in a digit or X"))
    total = sum(int(c, 36) * w for c, w in zip(code, _ORGANISATION_CODE_WEIGHTS))
    check = "0123456789X0"[11 - total % 11]
    if code[-1] != check:
        raise ValidationError(
            _("The last character of the organisation code does not match the others: check it for a typo"))
    return f"{code[:8]}-{code[8]}"


_CERTIFICATE_VALIDATORS: dict[str, Callable[[str], str]] = {
    "uscc": uscc,
    "resident_id": resident_id,
    "passport": passport,
    "hmt_permit": hmt_permit,
    "foreign_permanent_id": foreign_permanent_id,
    "organisation_code": organisation_code,
    "registration_certificate": uscc,
}


def certificate_number(cert_type_code: str, s: str) -> str:
    """Validate a certificate number with the validator its certificate type names in rules."""
    return _CERTIFICATE_VALIDATORS[CERTIFICATE_TYPES[cert_type_code].validator](s)


# --- phones and e-mail --------------------------------------------------------------------------

def _parse_phone(s: str, empty_message: str, not_a_number_message: str) -> Any:
    """Parse a number as dialled in mainland China, refusing letters phonenumbers would map to digits."""
    import phonenumbers

    text = unicodedata.normalize("NFKC", s or "").strip()
    if not text:
        raise ValidationError(empty_message)
    if not re.fullmatch(r"[0-9+()\-.\s]+", text) or not re.search(r"[0-9]", text):
        raise ValidationError(not_a_number_message)
    try:
        return phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(not_a_number_message) from None


def mobile(s: str) -> str:
    """Return a mainland China mobile number as 11 digits, or raise."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    number = _parse_phone(s, _("Enter a mobile number"),
                          _("Enter a mobile number using digits only, like 138 0013 8000"))
    digits = phonenumbers.national_significant_number(number)
    valid = number.country_code == 86 and phonenumbers.is_valid_number(number)
    if valid and phonenumbers.number_type(number) in (PhoneNumberType.MOBILE,
                                                      PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return digits
    if number.country_code == 86 and not valid and _mobile_like(digits):
        raise ValidationError(_MOBILE_LENGTH, length=len(digits))
    raise ValidationError(_("Enter a mainland China mobile number: 11 digits starting with 13 to 19"))


def _mobile_like(digits: str) -> bool:
    """Say whether digits that are not a valid number were meant as a mobile (13 to 19; 10 is Beijing)."""
    return re.match(r"1[3-9]", digits) is not None and len(digits) != 11


_MOBILE_LENGTH = _("A mainland China mobile number has 11 digits; you entered %(length)s")


def phone(s: str) -> str:
    """Return a mainland mobile (11 digits) or fixed line with area code (like 010-12345678), or raise."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    number = _parse_phone(s, _("Enter a phone number"),
                          _("Enter a phone number using digits only, like 010 1234 5678"))
    digits = phonenumbers.national_significant_number(number)
    kind = phonenumbers.number_type(number)
    valid = number.country_code == 86 and phonenumbers.is_valid_number(number)
    if valid and kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE) \
            and len(digits) == 11 and digits.startswith("1"):
        return digits
    if valid and kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        area = phonenumbers.length_of_geographical_area_code(number)
        if area:
            return f"0{digits[:area]}-{digits[area:]}"
    if number.country_code == 86 and not valid:
        if _mobile_like(digits):
            raise ValidationError(_MOBILE_LENGTH, length=len(digits))
        if len(digits) in (7, 8):
            raise ValidationError(_("Enter the area code before a fixed-line number, like 010 1234 5678"))
    raise ValidationError(
        _("Enter a mainland China mobile number, or a fixed-line number with its area code like 010 1234 5678"))


def email(s: str) -> str:
    """Return an e-mail address with its domain in lower case, or raise."""
    import idna

    text = unicodedata.normalize("NFKC", s or "").strip()
    if not text:
        raise ValidationError(_("Enter an email address"))
    wrong = ValidationError(_("Enter an email address in the correct format, like name@example.com"))
    local, at, domain_part = text.rpartition("@")
    if (not at or not local or len(text) > 254 or len(local) > 64 or "." not in domain_part
            or re.search(r'[\s@<>()\[\]\\,;:"]', local) or local.startswith(".") or local.endswith(".")
            or ".." in local):
        raise wrong
    try:
        domain_unicode = idna.decode(idna.encode(domain_part.rstrip("."), uts46=True))
    except idna.IDNAError:
        raise wrong from None
    return f"{local}@{domain_unicode}"


# --- domains ------------------------------------------------------------------------------------

@record
class Domain:
    """A website domain in Unicode and in punycode, with the approved suffix it is registered under."""

    unicode: str
    ascii: str
    tld: str

    def __str__(self) -> str:
        return self.unicode


def domain(s: str) -> Domain:
    """Return the registered domain a person entered, checked against the approved suffixes, or raise."""
    import idna

    text = unicodedata.normalize("NFKC", s or "").strip().lower()
    # ideographic full stops separate labels too (UTS 46)
    text = re.sub("[\u3002\uff61]", ".", text)
    if not text:
        raise ValidationError(_("Enter the domain"))
    if re.search(r"[/:?#@\\]", text):
        raise ValidationError(
            _("Enter just the domain, like example.com, without http://, a path or a port number"))
    text = text.removesuffix(".")
    if text.startswith("www.") and text.count(".") >= 2:
        raise ValidationError(_("Enter the domain without www."))
    if "." not in text:
        raise ValidationError(_("Enter the whole domain including its ending, like example.com"))
    try:
        ascii_form = idna.encode(text, uts46=True).decode("ascii")
        unicode_form = idna.decode(ascii_form)
    except idna.IDNAError:
        raise ValidationError(
            _("%(domain)s is not a valid domain. Use letters, digits and hyphens, with dots between the parts"),
            domain=text) from None
    if unicode_form in APPROVED_TLDS:
        raise ValidationError(_("Enter your own domain, not only the ending .%(tld)s"), tld=unicode_form)
    suffix = approved_suffix(unicode_form)
    if suffix is None:
        raise ValidationError(
            _("Domains ending in .%(tld)s cannot be filed: MIIT has not approved that top-level domain"),
            tld=unicode_form.rsplit(".", 1)[-1])
    labels = unicode_form[: -len(suffix) - 1].split(".")
    if len(labels) > 1:
        # a filing covers the registered domain; its subdomains need no filing of their own
        raise ValidationError(_("Enter the domain you registered, %(registered)s, not a subdomain of it"),
                              registered=f"{labels[-1]}.{suffix}")
    return Domain(unicode_form, ascii_form, suffix)


def home_url(s: str, *, domain: str, domain_ascii: str) -> str:
    """Return the website's home page address if it is on the verified domain (or its www.), else raise.

    Every way a URL can fail to parse (an unclosed IPv6 bracket, a bad port, ...) is a ValidationError,
    never a ValueError that would reach the person as a server error.
    """
    from urllib.parse import urlsplit

    text = (s or "").strip()
    if not text:
        raise ValidationError(_("Enter the home page address, like http://www.example.cn"))
    wrong_domain = ValidationError(
        _("Enter an address on the verified domain %(domain)s, like http://www.%(domain)s"), domain=domain)
    try:
        parts = urlsplit(text if "://" in text else f"http://{text}")
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - reading it checks the port is a number in range
    except ValueError:
        raise wrong_domain from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("Enter a web address starting with http:// or https://"))
    domains = {domain.lower(), domain_ascii.lower()}
    if host not in domains and host not in {f"www.{d}" for d in domains}:
        raise wrong_domain
    return text


# --- ICP numbers --------------------------------------------------------------------------------

@record
class IcpNumber:
    """An ICP filing number: the subject's number, with the service's serial when it has one.

    Websites and apps share the subject's serial; an app's number ends in A after it (京ICP备16059763号-2A).
    """

    province_code: str
    digits: str
    site_suffix: int | None = None
    service: str = "website"  # a key of ICP_SERVICE_SUFFIXES; only a number with a serial names one

    @property
    def abbr(self) -> str:
        return PROVINCES[self.province_code].icp_abbr

    @property
    def subject_number(self) -> str:
        return f"{self.abbr}ICP备{self.digits}号"

    def __str__(self) -> str:
        if self.site_suffix is None:
            return self.subject_number
        return f"{self.subject_number}-{self.site_suffix}{ICP_SERVICE_SUFFIXES[self.service]}"


# commercial ICP licence numbers: 京ICP证030173号(-N), and the value-added telecom licences B1/B2 such as
# 粤B2-20090059(-N) that providers show beside them. source: DOMAIN.md §8; issue 10 (京ICP证030173号-1,
# 粤B2-20090059-5 as shown on real website footers)
_LICENCE_NUMBER = re.compile(r".ICP证[0-9]+号(?:-[0-9]+)?|.B[12]-[0-9]+(?:-[0-9]+)?")


def icp_number(s: str) -> IcpNumber:
    """Parse `<province abbreviation>ICP备<6, 8 or 10 digits>号[-N]`, with A after N for an app, or raise."""
    text = _clean(s)
    if not text:
        raise ValidationError(_("Enter the ICP number"))
    if _LICENCE_NUMBER.fullmatch(text):
        # a commercial ICP licence (经营许可证) is not a filing number, though the same subject may hold both
        raise ValidationError(
            _("%(number)s is a commercial ICP licence number, not a filing number. Enter the ICP filing number, "
              "the one with 备, like 京ICP备16059763号-1"), number=text)
    letters = "".join(suffix for suffix in ICP_SERVICE_SUFFIXES.values() if suffix)
    match = re.fullmatch(rf"(?P<abbr>.)ICP备(?P<digits>[0-9]+)号(?:-(?P<site>[0-9]+)(?P<kind>[{letters}])?)?", text)
    if match is None:
        raise ValidationError(
            _("Enter the ICP number like 京ICP备16059763号, or 京ICP备16059763号-1 for a website"))
    abbr, digits, site = match["abbr"], match["digits"], match["site"]
    if abbr in ICP_ABBR_MISTAKES:
        raise ValidationError(_("Use %(abbr)s, not %(wrong)s, at the start of the ICP number"),
                              abbr=PROVINCES[ICP_ABBR_MISTAKES[abbr]].icp_abbr, wrong=abbr)
    if abbr not in PROVINCE_BY_ICP_ABBR:
        raise ValidationError(
            _("An ICP number begins with a province abbreviation, like 京 for Beijing; %(abbr)s is not one"),
            abbr=abbr)
    if len(digits) not in (6, 8, 10):
        raise ValidationError(_("An ICP number has 6, 8 or 10 digits between ICP备 and 号"))
    if site is not None and (site.startswith("0")):
        raise ValidationError(_("The website number after the hyphen must be 1 or more, without leading zeros"))
    service = {suffix: kind for kind, suffix in ICP_SERVICE_SUFFIXES.items()}[match["kind"] or ""]
    return IcpNumber(PROVINCE_BY_ICP_ABBR[abbr].code, digits, int(site) if site else None, service)


def format_website_icp_number(subject_number: str | IcpNumber, n: int) -> str:
    """Return the ICP number of a subject's n-th website, like 京ICP备16059763号-2."""
    parsed = subject_number if isinstance(subject_number, IcpNumber) else icp_number(subject_number)
    if parsed.site_suffix is not None:
        raise ValueError(f"{parsed} is a website's number, not a subject's")
    if n < 1:
        raise ValueError(f"website number must be 1 or more, not {n}")
    return f"{parsed.subject_number}-{n}"
