"""Identifier parsing: each valid form normalises, each invalid form gets its own message."""

from datetime import date

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from icp import identifiers
from icp.identifiers import Domain, IcpNumber, ValidationError
from icp.rules import CERTIFICATE_TYPES


def with_ric_check(body: str) -> str:
    """Complete 17 digits into a resident ID number with stdnum's check digit."""
    return body + ric.calc_check_digit(body + "0")


def with_uscc_check(body: str) -> str:
    """Complete 17 characters into a USCC with stdnum's check character."""
    return body + stdnum_uscc.calc_check_digit(body)


def message_of(function, *args) -> ValidationError:
    """Call the function and return the ValidationError it raises."""
    with pytest.raises(ValidationError) as caught:
        function(*args)
    return caught.value


def test_validation_error_carries_message_and_params():
    error = ValidationError("You entered %(length)s", length=3)
    assert isinstance(error, ValueError)
    assert error.message == "You entered %(length)s"
    assert error.params == {"length": 3}
    assert str(error) == "You entered 3"
    assert str(ValidationError("100% sure")) == "100% sure"


# --- resident identity card ---------------------------------------------------------------------

@pytest.mark.parametrize("entered, expected", [
    ("11010519491231002X", "11010519491231002X"),
    ("11010519491231002x", "11010519491231002X"),
    (" 110105 19491231 002X ", "11010519491231002X"),
    ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
    (with_ric_check("44030519900101001"), with_ric_check("44030519900101001")),
    (with_ric_check("11010520000229002"), with_ric_check("11010520000229002")),
])
def test_resident_id_valid(entered, expected):
    assert identifiers.resident_id(entered) == expected


# the region code is where the card was issued, not where the holder was born (issue 10, item 6; DOMAIN.md §8):
# a code that exists or ever existed is valid whatever the birth year
@pytest.mark.parametrize("entered", [
    "440524188001010014",                    # GB 11643-1999's own example: 潮阳县 (1983–1993), born 1880
    with_ric_check("44030419800101001"),     # 440304 (上埗区办事处 1983–1989, 福田区 since 1990), born 1980
    with_ric_check("44030419500101001"),     # the same code, born 1950: refused before, as the issue found
    with_ric_check("44030419900101001"),     # the same code, born 1990: passed before and still passes
    with_ric_check("44030520000101001"),     # 南山区, a code in use today
])
def test_resident_id_region_code_that_ever_existed_is_valid(entered):
    assert identifiers.resident_id(entered) == entered


@pytest.mark.parametrize("entered, message", [
    ("", "Enter the resident identity card number"),
    ("   ", "Enter the resident identity card number"),
    ("1101051949123100", "Resident identity card number must be 18 characters; you entered %(length)s"),
    ("11010519491231002XX", "Resident identity card number must be 18 characters; you entered %(length)s"),
    ("1101051949123100AX", "Resident identity card number must be 17 digits followed by a digit or X"),
    ("X10105194912310021", "Resident identity card number must be 17 digits followed by a digit or X"),
    (with_ric_check("11010519490231002"),
     "Resident identity card number holds an impossible birth date in characters 7 to 14"),
    (with_ric_check("11010519491301002"),
     "Resident identity card number holds an impossible birth date in characters 7 to 14"),
    (with_ric_check("11010520010229002"),
     "Resident identity card number holds an impossible birth date in characters 7 to 14"),
    (with_ric_check("11010529991231002"),
     "Resident identity card number holds an impossible birth date in characters 7 to 14"),
    ("110105194912310021",
     "The last character of the resident identity card number does not match the others: "
     "check the number for a typo"),
    ("11010519491213002X",  # two digits swapped
     "The last character of the resident identity card number does not match the others: "
     "check the number for a typo"),
    (with_ric_check("99010519491231002"),
     "The first 6 digits of the resident identity card number are not a known region code"),
])
def test_resident_id_invalid(entered, message):
    assert message_of(identifiers.resident_id, entered).message == message


def test_resident_id_wrong_length_says_how_long():
    assert message_of(identifiers.resident_id, "1101051949").params == {"length": 10}


def test_resident_id_birth_date_in_future_of_given_day():
    number = with_ric_check("11010520300101002")
    assert identifiers.resident_id(number, today=date(2031, 1, 1)) == number
    with pytest.raises(ValidationError):
        identifiers.resident_id(number, today=date(2029, 12, 31))


def test_resident_id_birth_date():
    assert identifiers.resident_id_birth_date("11010519491231002X") == date(1949, 12, 31)


def test_resident_id_birth_date_refuses_invalid_number():
    with pytest.raises(ValidationError):
        identifiers.resident_id_birth_date("110105194912310021")


# --- unified social credit code -----------------------------------------------------------------

@pytest.mark.parametrize("entered, expected", [
    ("91350100M000100Y43", "91350100M000100Y43"),
    ("91350100m000100y43", "91350100M000100Y43"),
    ("9135 0100 M000 100Y 43", "91350100M000100Y43"),
    ("91350100-M000100Y4-3", "91350100M000100Y43"),
    ("91110000600037341L", "91110000600037341L"),
    (with_uscc_check("12100000400000770"), with_uscc_check("12100000400000770")),
    # a letter as registration authority (N: rural collective economic organisations)
    (with_uscc_check("N2330102MF0000000"), with_uscc_check("N2330102MF0000000")),
])
def test_uscc_valid(entered, expected):
    assert identifiers.uscc(entered) == expected


@pytest.mark.parametrize("entered, message", [
    ("", "Enter the unified social credit code"),
    ("91350100M000100Y4", "Unified social credit code must be 18 characters; you entered %(length)s"),
    ("91350100M000100Y433", "Unified social credit code must be 18 characters; you entered %(length)s"),
    ("91350100M000100I43",
     "Unified social credit code must contain only digits and capital letters other than I, O, S, V and Z"),
    ("91350100M00O100Y43",
     "Unified social credit code must contain only digits and capital letters other than I, O, S, V and Z"),
    ("9135010*M000100Y43",
     "Unified social credit code must contain only digits and capital letters other than I, O, S, V and Z"),
    (with_uscc_check("9135A100M000100Y4"), "Characters 3 to 8 of the unified social credit code must be digits"),
    ("91350100M000100Y44",
     "The last character of the unified social credit code does not match the others: check the code for a typo"),
    ("91350100M000010Y43",
     "The last character of the unified social credit code does not match the others: check the code for a typo"),
])
def test_uscc_invalid(entered, message):
    assert message_of(identifiers.uscc, entered).message == message


# --- other certificates -------------------------------------------------------------------------

@pytest.mark.parametrize("entered, expected", [
    ("M000100Y-4", "M000100Y-4"),      # the organisation code inside 91350100M000100Y43
    ("M000100Y4", "M000100Y-4"),
    ("m000100y-4", "M000100Y-4"),
    ("60003734-1", "60003734-1"),      # the organisation code inside 91110000600037341L
])
def test_organisation_code_valid(entered, expected):
    assert identifiers.organisation_code(entered) == expected


@pytest.mark.parametrize("entered, message", [
    ("", "Enter the organisation code"),
    ("M000100Y", "Organisation code must be 9 characters: 8, a hyphen, then 1"),
    ("M000100Y-45", "Organisation code must be 9 characters: 8, a hyphen, then 1"),
    ("M000100Y-A", "Organisation code must contain only digits and capital letters, and end in a digit or X"),
    ("M00010!Y-4", "Organisation code must contain only digits and capital letters, and end in a digit or X"),
    ("M000100Y-5",
     "The last character of the organisation code does not match the others: check it for a typo"),
])
def test_organisation_code_invalid(entered, message):
    assert message_of(identifiers.organisation_code, entered).message == message


@pytest.mark.parametrize("function, entered, expected", [
    (identifiers.passport, "E12345678", "E12345678"),
    (identifiers.passport, " e1234 5678 ", "E12345678"),
    (identifiers.passport, "A1234", "A1234"),
    (identifiers.hmt_permit, "H12345678", "H12345678"),
    (identifiers.hmt_permit, "m1234567890", "M1234567890"),
    (identifiers.hmt_permit, "12345678", "12345678"),
    (identifiers.foreign_permanent_id, "USA123456789012", "USA123456789012"),
    (identifiers.foreign_permanent_id, "usa 1234 5678 9012", "USA123456789012"),
    (identifiers.foreign_permanent_id, "91108401990010100X", "91108401990010100X"),
])
def test_person_certificates_valid(function, entered, expected):
    assert function(entered) == expected


@pytest.mark.parametrize("function, entered, message", [
    (identifiers.passport, "", "Enter the passport number"),
    (identifiers.passport, "E1234!678", "Passport number must contain only letters and digits"),
    (identifiers.passport, "E123", "Passport number must be 5 to 20 characters"),
    (identifiers.passport, "E" * 21, "Passport number must be 5 to 20 characters"),
    (identifiers.hmt_permit, "", "Enter the permit number"),
    (identifiers.hmt_permit, "H1234-5678", "Permit number must contain only letters and digits"),
    (identifiers.hmt_permit, "X12345678",
     "Enter the permit number as H or M followed by 8 or 10 digits, or 8 digits for a Taiwan resident"),
    (identifiers.hmt_permit, "H1234567",
     "Enter the permit number as H or M followed by 8 or 10 digits, or 8 digits for a Taiwan resident"),
    (identifiers.hmt_permit, "H123456789",
     "Enter the permit number as H or M followed by 8 or 10 digits, or 8 digits for a Taiwan resident"),
    (identifiers.foreign_permanent_id, "", "Enter the foreign permanent resident ID number"),
    (identifiers.foreign_permanent_id, "USA12345678901#",
     "Foreign permanent resident ID number must contain only letters and digits"),
    (identifiers.foreign_permanent_id, "USA12345678901",
     "Foreign permanent resident ID number must be 15 or 18 characters"),
    (identifiers.foreign_permanent_id, "US1123456789012",
     "Foreign permanent resident ID number must be 3 letters and 12 digits, or 18 digits starting with 9"),
    (identifiers.foreign_permanent_id, "110105194912310021",
     "Foreign permanent resident ID number must be 3 letters and 12 digits, or 18 digits starting with 9"),
])
def test_person_certificates_invalid(function, entered, message):
    assert message_of(function, entered).message == message


@pytest.mark.parametrize("cert_type, entered, expected", [
    ("business_licence", "91350100m000100y43", "91350100M000100Y43"),
    ("organisation_code", "M000100Y4", "M000100Y-4"),
    ("resident_id", "11010519491231002x", "11010519491231002X"),
    ("passport", "e12345678", "E12345678"),
    ("hmt_permit", "h12345678", "H12345678"),
    ("foreign_permanent_id", "USA123456789012", "USA123456789012"),
    ("government_certificate", "91350100M000100Y43", "91350100M000100Y43"),
    ("public_institution_certificate", "91350100M000100Y43", "91350100M000100Y43"),
    ("social_organisation_certificate", "91350100M000100Y43", "91350100M000100Y43"),
    ("private_non_enterprise_certificate", "91350100M000100Y43", "91350100M000100Y43"),
])
def test_certificate_number_dispatches_by_type(cert_type, entered, expected):
    assert identifiers.certificate_number(cert_type, entered) == expected


def test_certificate_number_reports_the_type_validators_message():
    error = message_of(identifiers.certificate_number, "business_licence", "E12345678")
    assert error.message == "Unified social credit code must be 18 characters; you entered %(length)s"


def test_every_certificate_type_has_a_validator():
    assert {c.validator for c in CERTIFICATE_TYPES.values()} <= set(identifiers._CERTIFICATE_VALIDATORS)


def test_certificate_number_unknown_type():
    with pytest.raises(KeyError):
        identifiers.certificate_number("driving_licence", "123")


# --- phones and e-mail --------------------------------------------------------------------------

@pytest.mark.parametrize("entered", [
    "13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000",
    "0086 138-0013-8000", "(+86) 13800138000", "１３８００１３８０００",
])
def test_mobile_valid(entered):
    assert identifiers.mobile(entered) == "13800138000"


@pytest.mark.parametrize("entered", ["19912345678", "16612345678", "14712345678", "17012345678"])
def test_mobile_other_ranges(entered):
    assert identifiers.mobile(entered) == entered


@pytest.mark.parametrize("entered, message", [
    ("", "Enter a mobile number"),
    ("mobile", "Enter a mobile number using digits only, like 138 0013 8000"),
    ("1-800-FLOWERS", "Enter a mobile number using digits only, like 138 0013 8000"),
    ("+", "Enter a mobile number using digits only, like 138 0013 8000"),
    ("1380013800", "A mainland China mobile number has 11 digits; you entered %(length)s"),
    ("138001380001", "A mainland China mobile number has 11 digits; you entered %(length)s"),
    ("12000138000", "Enter a mainland China mobile number: 11 digits starting with 13 to 19"),
    ("010 1234 5678", "Enter a mainland China mobile number: 11 digits starting with 13 to 19"),
    ("+852 9123 4567", "Enter a mainland China mobile number: 11 digits starting with 13 to 19"),
    ("+1 650 253 0000", "Enter a mainland China mobile number: 11 digits starting with 13 to 19"),
])
def test_mobile_invalid(entered, message):
    assert message_of(identifiers.mobile, entered).message == message


def test_mobile_wrong_length_says_how_long():
    assert message_of(identifiers.mobile, "138 0013 800").params == {"length": 10}


@pytest.mark.parametrize("entered, expected", [
    ("13800138000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("010-12345678", "010-12345678"),
    ("010 1234 5678", "010-12345678"),
    ("+86 10 1234 5678", "010-12345678"),
    ("021-6666 8888", "021-66668888"),
    ("0755 8888 8888", "0755-88888888"),
    ("0931 1234567", "0931-1234567"),
])
def test_phone_valid(entered, expected):
    assert identifiers.phone(entered) == expected


@pytest.mark.parametrize("entered, message", [
    ("", "Enter a phone number"),
    ("call me", "Enter a phone number using digits only, like 010 1234 5678"),
    ("6234 5678", "Enter the area code before a fixed-line number, like 010 1234 5678"),
    ("1380013800", "A mainland China mobile number has 11 digits; you entered %(length)s"),
    ("400 820 8820",
     "Enter a mainland China mobile number, or a fixed-line number with its area code like 010 1234 5678"),
    ("+1 650 253 0000",
     "Enter a mainland China mobile number, or a fixed-line number with its area code like 010 1234 5678"),
    ("010 1234 567",
     "Enter a mainland China mobile number, or a fixed-line number with its area code like 010 1234 5678"),
    ("+86 10 1234 567",
     "Enter a mainland China mobile number, or a fixed-line number with its area code like 010 1234 5678"),
    ("138 0013", "A mainland China mobile number has 11 digits; you entered %(length)s"),
])
def test_phone_invalid(entered, message):
    assert message_of(identifiers.phone, entered).message == message


@pytest.mark.parametrize("entered, expected", [
    ("name@example.com", "name@example.com"),
    (" Name@Example.COM ", "Name@example.com"),
    ("a.b+c@例子.中国", "a.b+c@例子.中国"),
    ("x@XN--FSQU00A.XN--FIQS8S", "x@例子.中国"),
])
def test_email_valid(entered, expected):
    assert identifiers.email(entered) == expected


@pytest.mark.parametrize("entered", [
    "no-at-sign", "a@b", "@example.com", "a b@example.com", ".a@example.com", "a.@example.com",
    "a..b@example.com", "a@-example.com", "a@exa_mple.com", "a@@example.com", "<a>@example.com",
    "a" * 65 + "@example.com",
])
def test_email_invalid(entered):
    assert message_of(identifiers.email, entered).message == (
        "Enter an email address in the correct format, like name@example.com")


def test_email_missing():
    assert message_of(identifiers.email, "  ").message == "Enter an email address"


# --- domains ------------------------------------------------------------------------------------

@pytest.mark.parametrize("entered, expected", [
    ("example.com", Domain("example.com", "example.com", "com")),
    (" Example.COM ", Domain("example.com", "example.com", "com")),
    ("example.com.", Domain("example.com", "example.com", "com")),
    ("ｅｘａｍｐｌｅ．ｃｏｍ", Domain("example.com", "example.com", "com")),
    ("example.com.cn", Domain("example.com.cn", "example.com.cn", "com.cn")),
    ("example.gov.cn", Domain("example.gov.cn", "example.gov.cn", "gov.cn")),
    ("example.gd.cn", Domain("example.gd.cn", "example.gd.cn", "gd.cn")),
    ("my-site.cn", Domain("my-site.cn", "my-site.cn", "cn")),
    ("例子.中国", Domain("例子.中国", "xn--fsqu00a.xn--fiqs8s", "中国")),
    ("例子。中国", Domain("例子.中国", "xn--fsqu00a.xn--fiqs8s", "中国")),
    ("xn--fsqu00a.xn--fiqs8s", Domain("例子.中国", "xn--fsqu00a.xn--fiqs8s", "中国")),
    ("Bücher.公司", Domain("bücher.公司", "xn--bcher-kva.xn--55qx5d", "公司")),
    ("www.cn", Domain("www.cn", "www.cn", "cn")),
    # issue 10, item 5: providers list these as fileable; example.政务.cn was refused as a subdomain of 政务.cn
    ("example.政务.cn", Domain("example.政务.cn", "example.xn--zfr164b.cn", "政务.cn")),
    ("example.公益.cn", Domain("example.公益.cn", "example.xn--55qw42g.cn", "公益.cn")),
    ("example.fashion", Domain("example.fashion", "example.fashion", "fashion")),
    ("例子.商店", Domain("例子.商店", "xn--fsqu00a.xn--czrs0t", "商店")),
])
def test_domain_valid(entered, expected):
    assert identifiers.domain(entered) == expected


def test_domain_prints_as_unicode():
    assert str(identifiers.domain("xn--fsqu00a.xn--fiqs8s")) == "例子.中国"


@pytest.mark.parametrize("entered, message, params", [
    ("", "Enter the domain", {}),
    ("http://example.com", "Enter just the domain, like example.com, without http://, a path or a port number", {}),
    ("example.com/about", "Enter just the domain, like example.com, without http://, a path or a port number", {}),
    ("example.com:8080", "Enter just the domain, like example.com, without http://, a path or a port number", {}),
    ("www.example.com", "Enter the domain without www.", {}),
    ("WWW.example.com.cn", "Enter the domain without www.", {}),
    ("example", "Enter the whole domain including its ending, like example.com", {}),
    ("exa_mple.com",
     "%(domain)s is not a valid domain. Use letters, digits and hyphens, with dots between the parts",
     {"domain": "exa_mple.com"}),
    ("-example.com",
     "%(domain)s is not a valid domain. Use letters, digits and hyphens, with dots between the parts",
     {"domain": "-example.com"}),
    ("exa mple.com",
     "%(domain)s is not a valid domain. Use letters, digits and hyphens, with dots between the parts",
     {"domain": "exa mple.com"}),
    ("example..com",
     "%(domain)s is not a valid domain. Use letters, digits and hyphens, with dots between the parts",
     {"domain": "example..com"}),
    ("example.io", "Domains ending in .%(tld)s cannot be filed: MIIT has not approved that top-level domain",
     {"tld": "io"}),
    ("example.app", "Domains ending in .%(tld)s cannot be filed: MIIT has not approved that top-level domain",
     {"tld": "app"}),
    # issue 10, item 5: in neither provider list nor in the copy of MIIT's list
    ("example.software", "Domains ending in .%(tld)s cannot be filed: MIIT has not approved that top-level domain",
     {"tld": "software"}),
    ("example.name", "Domains ending in .%(tld)s cannot be filed: MIIT has not approved that top-level domain",
     {"tld": "name"}),
    ("com.cn", "Enter your own domain, not only the ending .%(tld)s", {"tld": "com.cn"}),
    ("shop.example.com", "Enter the domain you registered, %(registered)s, not a subdomain of it",
     {"registered": "example.com"}),
    ("a.b.example.com.cn", "Enter the domain you registered, %(registered)s, not a subdomain of it",
     {"registered": "example.com.cn"}),
])
def test_domain_invalid(entered, message, params):
    error = message_of(identifiers.domain, entered)
    assert (error.message, error.params) == (message, params)


# --- ICP numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize("entered, expected", [
    ("京ICP备16059763号", IcpNumber("beijing", "16059763")),
    ("京ICP备16059763号-2", IcpNumber("beijing", "16059763", 2)),
    (" 京 icp 备 16059763 号 － 12", IcpNumber("beijing", "16059763", 12)),
    ("粤ICP备123456号", IcpNumber("guangdong", "123456")),
    ("沪ICP备1234567890号-1", IcpNumber("shanghai", "1234567890", 1)),
    ("蜀ICP备12345678号", IcpNumber("sichuan", "12345678")),
    ("滇ICP备12345678号", IcpNumber("yunnan", "12345678")),
    ("陇ICP备12345678号", IcpNumber("gansu", "12345678")),
    ("蒙ICP备12345678号", IcpNumber("inner_mongolia", "12345678")),
])
def test_icp_number_valid(entered, expected):
    assert identifiers.icp_number(entered) == expected


@pytest.mark.parametrize("text", ["京ICP备16059763号", "京ICP备16059763号-3", "陇ICP备123456号"])
def test_icp_number_round_trips(text):
    assert str(identifiers.icp_number(text)) == text


def test_icp_number_subject_number():
    number = identifiers.icp_number("京ICP备16059763号-3")
    assert (number.abbr, number.subject_number) == ("京", "京ICP备16059763号")


@pytest.mark.parametrize("entered, message, params", [
    ("", "Enter the ICP number", {}),
    ("16059763", "Enter the ICP number like 京ICP备16059763号, or 京ICP备16059763号-1 for a website", {}),
    ("京ICP备16059763", "Enter the ICP number like 京ICP备16059763号, or 京ICP备16059763号-1 for a website", {}),
    ("川ICP备12345678号", "Use %(abbr)s, not %(wrong)s, at the start of the ICP number", {"abbr": "蜀", "wrong": "川"}),
    ("云ICP备12345678号", "Use %(abbr)s, not %(wrong)s, at the start of the ICP number", {"abbr": "滇", "wrong": "云"}),
    ("甘ICP备12345678号", "Use %(abbr)s, not %(wrong)s, at the start of the ICP number", {"abbr": "陇", "wrong": "甘"}),
    ("港ICP备12345678号",
     "An ICP number begins with a province abbreviation, like 京 for Beijing; %(abbr)s is not one", {"abbr": "港"}),
    ("京ICP备1234567号", "An ICP number has 6, 8 or 10 digits between ICP备 and 号", {}),
    ("京ICP备123456789012号", "An ICP number has 6, 8 or 10 digits between ICP备 and 号", {}),
    ("京ICP备16059763号-0", "The website number after the hyphen must be 1 or more, without leading zeros", {}),
    ("京ICP备16059763号-01", "The website number after the hyphen must be 1 or more, without leading zeros", {}),
])
def test_icp_number_invalid(entered, message, params):
    error = message_of(identifiers.icp_number, entered)
    assert (error.message, error.params) == (message, params)


LICENCE_MESSAGE = ("%(number)s is a commercial ICP licence number, not a filing number. Enter the ICP filing number, "
                   "the one with 备, like 京ICP备16059763号-1")


# licence numbers where a filing number is asked (issue 10, item 7; DOMAIN.md §8): real footers show
# 京ICP证030173号-1 and Tencent's 粤B2-20090059-5 beside their filing numbers
@pytest.mark.parametrize("entered, number", [
    ("京ICP证030173号-1", "京ICP证030173号-1"),
    ("京ICP证030173号", "京ICP证030173号"),
    ("京ICP证16059763号", "京ICP证16059763号"),
    ("粤B2-20090059-5", "粤B2-20090059-5"),
    ("粤B2-20090059", "粤B2-20090059"),
    (" 粤 b2－20090059 ", "粤B2-20090059"),
    ("京B1-20180001", "京B1-20180001"),
])
def test_icp_licence_number_asks_for_the_filing_number(entered, number):
    error = message_of(identifiers.icp_number, entered)
    assert (error.message, error.params) == (LICENCE_MESSAGE, {"number": number})


# Tencent Cloud's filing number, shown beside its licence on the same footer, still parses
def test_filing_number_beside_a_licence_still_parses():
    assert identifiers.icp_number("京ICP备11018762号") == IcpNumber("beijing", "11018762")


def test_format_website_icp_number():
    assert identifiers.format_website_icp_number("京ICP备16059763号", 3) == "京ICP备16059763号-3"
    assert identifiers.format_website_icp_number(IcpNumber("sichuan", "123456"), 1) == "蜀ICP备123456号-1"


@pytest.mark.parametrize("subject_number, n", [("京ICP备16059763号-1", 2), ("京ICP备16059763号", 0)])
def test_format_website_icp_number_refuses(subject_number, n):
    with pytest.raises(ValueError):
        identifiers.format_website_icp_number(subject_number, n)


def test_the_county_codes_read_directly_agree_with_stdnums_numdb_for_every_code():
    from stdnum import numdb

    from icp.identifiers import _county_codes

    database = numdb.get("cn/loc")

    def numdb_says(code: str) -> bool:
        return "county" in {k for _part, props in database.info(code) for k in props}

    ours = _county_codes()
    assert len(ours) > 3000
    # every code under a province the table knows, and the first code of each province it does not
    provinces = {code[:2] for code in ours}
    for province in provinces:
        for rest in range(10000):
            code = f"{province}{rest:04d}"
            assert (code in ours) == numdb_says(code), code
    for province in range(100):
        if f"{province:02d}" not in provinces:
            assert not numdb_says(f"{province:02d}0101")
