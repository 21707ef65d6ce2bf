"""Dates: asked as day, month and year boxes; shown in China time, the zone named, one format per language."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from icp import dates
from icp.identifiers import ValidationError
from tests.conftest import AuthActions, field_error, page
from tests.journey import SUBJECT, bind_code, date_boxes, post_form, save, start

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


# ---- reading three boxes ------------------------------------------------------------------------

@pytest.mark.parametrize("day, month, year, expected", [
    ("30", "6", "2031", date(2031, 6, 30)),
    (" 01", "01 ", "2035", date(2035, 1, 1)),
    ("29", "2", "2028", date(2028, 2, 29)),
    ("", "", "", None),
])
def test_three_boxes_make_a_date(day, month, year, expected):
    assert dates.date_from_parts(day, month, year) == expected


@pytest.mark.parametrize("day, month, year, message", [
    ("31", "2", "2031", "month 2 of 2031 has only 28 days"),
    ("29", "2", "2027", "only 28 days"),
    ("31", "11", "2031", "only 30 days"),
    ("0", "6", "2031", "from 1 to 31"),
    ("1", "13", "2031", "from 1 to 12"),
    ("1", "1", "50101", "4 digits"),
    ("1", "1", "35", "4 digits"),
    ("1", "一", "2031", "numbers"),
    ("1", "", "2031", "month"),
    ("", "", "2031", "whole date"),
])
def test_impossible_dates_say_what_is_wrong(day, month, year, message):
    with pytest.raises(ValidationError) as refused:
        dates.date_from_parts(day, month, year)
    assert message in str(refused.value)


# ---- showing dates and times --------------------------------------------------------------------

@pytest.mark.parametrize("language, expected", [
    ("en", "15 January 2027, 08:27 China time"),
    ("zh", "2027年1月15日 08:27（北京时间）"),
])
def test_a_moment_reads_in_china_time_with_the_zone_named(app, language, expected):
    from babel.support import Translations

    gettext = Translations.load(str(ROOT / "translations"), [language]).gettext
    assert dates.moment_text("2027-01-15T00:27:04+00:00", language, gettext) == expected


def test_a_day_is_the_day_in_china():
    # 16:30 UTC on 14 January is already 15 January in Beijing
    moment = datetime(2027, 1, 14, 16, 30, tzinfo=timezone.utc)
    assert dates.day_text(moment, "en") == "15 January 2027"
    assert dates.day_text(moment.isoformat(), "zh") == "2027年1月15日"
    assert dates.day_text(date(2027, 1, 14), "en") == "14 January 2027"


# formatting a date anywhere but through icp.dates gives a second format (a US one, or a UTC date)
TEMPLATE_FORMATS = re.compile(r"\|\s*(dateformat|datetimeformat|timeformat)\b|format_date|format_datetime|"
                              r"format_time|strftime|isoformat|_at\[:\d+\]|\|\s*string\b[^}]*_at")
PYTHON_FORMATS = re.compile(r"\b(format_date|format_datetime|format_time|format_skeleton)\b|\.strftime\(")


def test_templates_format_dates_only_with_the_two_filters():
    offenders = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in sorted((ROOT / "templates").rglob("*.html"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if TEMPLATE_FORMATS.search(line)]
    assert not offenders, "format dates with |when or |day (icp/dates.py):\n" + "\n".join(offenders)


def test_code_that_shows_dates_uses_icp_dates():
    # the outbox message ids and the S3 policy's expiration are machine formats, not shown to people; the
    # extensions name Babel's formatters only to load babel.dates with the first date shown
    allowed = {"icp/dates.py", "icp/notify.py:message_id", "icp/store/policy.py", "views/extensions.py"}
    offenders = []
    for folder in ("views", "icp", "forms"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PYTHON_FORMATS.search(line) and name not in allowed and not (
                        f"{name}:message_id" in allowed and "message_id" in line):
                    offenders.append(f"{name}:{n}: {line.strip()}")
    assert not offenders, "show dates with icp.dates (views.when / views.day):\n" + "\n".join(offenders)


# ---- the submission deadline: one moment, one format, on every page of the draft ----------------

@pytest.fixture
def late_evening_draft(applicant, clock):
    """A draft started at 16:27 UTC, which is 00:27 the next day in China: the UTC date and the China date differ."""
    clock.now = datetime(2026, 12, 1, 16, 27, 4, tzinfo=timezone.utc)
    AuthActions(applicant).login()  # days later: the first session has passed its absolute limit
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    return filing_id


@pytest.mark.parametrize("language, deadline, utc_day", [
    ("en", "16 January 2027, 00:27 China time", "2027-01-15"),
    ("zh", "2027年1月16日 00:27（北京时间）", "2027-01-15"),
])
def test_the_status_page_states_the_deadline_once_and_the_same_way(applicant, late_evening_draft, language,
                                                                     deadline, utc_day):
    applicant.set_cookie("lang", language)
    text = page(applicant.get(f"/filings/{late_evening_draft}")).get_text(" ", strip=True)
    # the summary and the road to the ICP number give the same moment, in China time
    assert text.count(deadline) >= 2, text
    assert utc_day not in text and "2027-01-16" not in text
    assert not re.search(r"\b(AM|PM)\b|Jan \d", text), "no US format"


@pytest.mark.parametrize("language, deadline", [
    ("en", "Submit by 16 January 2027, 00:27 China time"),
    ("zh", "请在2027年1月16日 00:27（北京时间）前提交"),
])
def test_every_wizard_step_shows_the_submission_deadline(applicant, late_evening_draft, language, deadline):
    applicant.set_cookie("lang", language)
    save(applicant, late_evening_draft, "subject", SUBJECT)
    for step in ("type", "instance", "subject", "website"):
        soup = page(applicant.get(f"/filings/{late_evening_draft}/{step}"))
        assert deadline in soup.find(id="submission-deadline").get_text(" ", strip=True), step


def test_documents_and_check_pages_show_the_deadline(app, applicant, late_evening_draft):
    from tests.journey import WEBSITE

    save(applicant, late_evening_draft, "subject", SUBJECT)
    save(applicant, late_evening_draft, "website", WEBSITE)
    for path in ("documents", "documents/leader_id_front", "check"):
        soup = page(applicant.get(f"/filings/{late_evening_draft}/{path}"))
        assert "16 January 2027, 00:27 China time" in soup.find(id="submission-deadline").get_text(), path


# ---- the certificate's validity as three boxes --------------------------------------------------

@pytest.fixture
def at_subject(applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    return filing_id


@pytest.mark.parametrize("language, legend, order", [
    ("en", "Certificate valid until", ["Day", "Month", "Year"]),
    ("zh", "证件有效期至", ["年", "月", "日"]),
])
def test_the_validity_is_asked_as_labelled_boxes_in_a_fieldset(applicant, at_subject, language, legend, order):
    applicant.set_cookie("lang", language)
    soup = page(applicant.get(f"/filings/{at_subject}/subject"))
    assert not soup.find("input", attrs={"type": "date"}), "no browser date picker"
    group = soup.find("fieldset", id="leader_certificate_valid_until")
    assert group.legend.get_text(strip=True) == legend
    boxes = group.find_all("input")
    assert [soup.find("label", attrs={"for": box["id"]}).get_text(strip=True) for box in boxes] == order
    assert all(box["inputmode"] == "numeric" and box["type"] == "text" for box in boxes)
    assert "leader_certificate_valid_until-hint" in group["aria-describedby"]


def test_an_impossible_date_is_refused_at_the_field_and_kept(applicant, at_subject):
    soup = page(post_form(applicant, f"/filings/{at_subject}/subject",
                          {**SUBJECT, **date_boxes("leader_certificate_valid_until", "2031-02-31")}))
    assert "month 2 of 2031 has only 28 days" in field_error(soup, "leader_certificate_valid_until")
    assert [soup.find(id=f"leader_certificate_valid_until-{part}")["value"] for part in ("day", "month", "year")] \
        == ["31", "02", "2031"]
    assert soup.find(id="leader_certificate_valid_until-year")["aria-invalid"] == "true"


@pytest.mark.parametrize("language, example, not_shown", [
    ("en", "for example 30 6 2031", "2031-06-30"),
    ("zh", "2031、6、30", "2031-06-30"),
])
def test_a_missing_date_s_example_is_typed_as_the_boxes_read(applicant, at_subject, language, example, not_shown):
    """The boxes read day month year (年 月 日 in Chinese): the example says what to type in them, in that order."""
    applicant.set_cookie("lang", language)
    soup = page(post_form(applicant, f"/filings/{at_subject}/subject",
                          {**SUBJECT, **date_boxes("leader_certificate_valid_until")}))
    message = field_error(soup, "leader_certificate_valid_until")
    assert example in message and not_shown not in message
    if language == "zh":
        assert "年、月、日" in message


def test_a_saved_date_comes_back_in_its_boxes_and_reads_as_a_date_on_the_check_page(applicant, at_subject):
    save(applicant, at_subject, "subject", SUBJECT)
    soup = page(applicant.get(f"/filings/{at_subject}/subject"))
    assert [soup.find(id=f"leader_certificate_valid_until-{part}")["value"] for part in ("day", "month", "year")] \
        == ["1", "1", "2035"]
    from tests.journey import WEBSITE

    save(applicant, at_subject, "website", WEBSITE)
    status = page(applicant.get(f"/filings/{at_subject}/check")).get_text(" ", strip=True)
    assert "1 January 2035" in status and "2035-01-01" not in status


def test_a_half_typed_administrator_date_does_not_block_a_leader_administered_site(applicant, at_subject):
    from tests.journey import WEBSITE

    save(applicant, at_subject, "subject", SUBJECT)
    save(applicant, at_subject, "website", {**WEBSITE, "administrator_certificate_valid_until-day": "31"})
