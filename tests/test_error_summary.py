"""The error summary lists every message shown at the fields, in the order the page shows them."""
from __future__ import annotations

import pytest

from tests.conftest import page
from tests.journey import SUBJECT, bind_code, post_form, save, start


def summary_and_fields(response) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(field id, message) pairs in the summary, and the same pairs read from the fields, top to bottom."""
    soup = page(response, 400) if response.status_code == 400 else page(response)
    summary = [(a["href"].removeprefix("#"), a.get_text(" ", strip=True))
               for a in soup.select(".error-summary a")]
    at_fields = []
    for error in soup.select(".error-message"):
        field_id = error["id"].removesuffix("-error")
        for line in error.decode_contents().split("<br/>"):
            text = " ".join(type(soup)(line, "html.parser").get_text(" ", strip=True).split()[1:])
            at_fields.append((field_id, text))
    return summary, at_fields


@pytest.fixture
def at_subject(client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    return filing_id


def test_step_3_lists_the_addresses_first_as_the_page_does(client, at_subject):
    response = post_form(client, f"/filings/{at_subject}/subject", {})
    summary, at_fields = summary_and_fields(response)
    assert [field for field, _ in summary][:5] == ["certificate_address", "mailing_address", "investor",
                                                   "subject_certificate_valid_until", "leader_name"]
    assert summary == at_fields


def test_a_field_with_two_errors_has_two_lines_in_the_summary(client, at_subject):
    save(client, at_subject, "subject", SUBJECT)
    response = post_form(client, f"/filings/{at_subject}/website", {"name": "中国shop!"})
    summary, at_fields = summary_and_fields(response)
    name_lines = [message for field, message in summary if field == "name"]
    assert len(name_lines) == 2
    assert summary == at_fields
    # the characters quoted from the answer stand in quotation marks, not run into the full stop
    assert "must not contain “!”." in name_lines[0]
    assert "must not begin with “中国”" in name_lines[1]


def test_quoted_words_use_chinese_punctuation_in_chinese(client, auth):
    auth.login()
    client.get("/language/zh")
    filing_id = start(client, province="hainan", nature="individual", certificate_type="resident_id",
                      certificate_number="460100199007150020", domain="lina-notes.cn")
    bind_code(client, filing_id)
    save(client, filing_id, "subject", {**SUBJECT, "investor": "李娜", "leader_name": "李娜",
                                        "leader_certificate_number": "460100199007150020"})
    response = post_form(client, f"/filings/{filing_id}/website", {"name": "李娜论坛社区"})
    summary, at_fields = summary_and_fields(response)
    [words] = [m for f, m in summary if f == "name" and "论坛" in m]
    assert "“论坛”、“社区”" in words
    assert summary == at_fields


def test_step_1_and_the_log_in_page_list_every_error_in_page_order(client, auth):
    summary, at_fields = summary_and_fields(post_form(client, "/register", {}))
    assert summary and summary == at_fields
    auth.login()
    summary, at_fields = summary_and_fields(post_form(client, "/filings/new", {}))
    assert summary and summary == at_fields
