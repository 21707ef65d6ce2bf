"""XSS: markup typed into every free-text answer, by the applicant and by staff, is shown as text on every page
that shows it (the applicant's pages, both staff consoles, the printable letters and the outbox), never run.

The assertions read the raw HTML: escaped markup reads `&lt;script&gt;`, so the payload's literal tags must
not occur anywhere in it, and the page's text must show the payload (so a page that silently drops the answer
does not pass for escaping it).
"""
from __future__ import annotations

import pytest

from icp import filing as f
from tests.conftest import AuthActions
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, bind_code, save, start, submit, upload_required
from tests.workflow_helpers import admin_act, review_act, staff
from tests.workflow_helpers import stored

PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>"
RAW_TAGS = ("<script>alert(1)", "<img src=x")


def _assert_escaped(response, where: str, *, shown: bool = True) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 200, f"{where}: {response.status_code}"
    for tag in RAW_TAGS:
        assert tag not in html, f"{where} runs the markup: {tag!r} is in the HTML"
    if shown:
        from bs4 import BeautifulSoup

        text = BeautifulSoup(html, "html.parser").get_text()
        values = [i.get("value", "") for i in BeautifulSoup(html, "html.parser").find_all(["input", "textarea"])]
        assert PAYLOAD in text or any(PAYLOAD in v for v in values), f"{where} does not show the answer at all"


@pytest.fixture
def marked_order(app, clock):
    """An order whose free-text answers all carry the payload, submitted."""
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", {**SUBJECT, "mailing_address": SUBJECT["mailing_address"] + PAYLOAD})
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR, "remarks": PAYLOAD})
    upload_required(client, app, filing_id)
    # while it is a draft, the applicant's own pages show the answers
    for path in (f"/filings/{filing_id}/subject", f"/filings/{filing_id}/website", f"/filings/{filing_id}/check"):
        _assert_escaped(client.get(path), path)
    _assert_escaped(client.get(f"/filings/{filing_id}/documents/authenticity-statement"),
                    "authenticity statement", shown=False)
    assert submit(client, filing_id).status_code == 302
    return client, filing_id


def test_the_applicants_answers_are_shown_as_text_on_every_page(app, marked_order):
    client, filing_id = marked_order
    _assert_escaped(client.get(f"/filings/{filing_id}"), "status page", shown=False)
    reviewer = staff(app, "reviewer@example.com")
    _assert_escaped(reviewer.get(f"/review/{filing_id}"), "reviewer's order page")
    _assert_escaped(reviewer.get("/review"), "review queue", shown=False)


def test_staff_comments_and_reasons_are_shown_as_text_to_the_applicant(app, clock, marked_order):
    client, filing_id = marked_order
    reviewer = staff(app, "reviewer@example.com")
    response = review_act(reviewer, filing_id, "return", {
        "comment-website-name": PAYLOAD})
    assert response.status_code == 302
    for path in (f"/filings/{filing_id}", f"/filings/{filing_id}/website", f"/filings/{filing_id}/check"):
        _assert_escaped(client.get(path), f"{path} with the reviewer's comment")
    _assert_escaped(reviewer.get(f"/review/{filing_id}"), "reviewer's order page with the comment")
    _assert_escaped(app.test_client().get("/local-outbox"), "local outbox", shown=False)
    # the administration's reason for a rejection reaches the applicant too
    assert submit(client, filing_id).status_code == 302
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    from icp.workflow import load_filing, review
    from tests.workflow_helpers import photo_uploaded

    table = app.extensions["icp_table"]
    photo_uploaded(app, client, filing_id)
    review.pass_photo(table, load_filing(table, filing_id), actor="reviewer@example.com", now=clock())
    review.send_to_administration(table, load_filing(table, filing_id), actor="reviewer@example.com", now=clock())
    administration = staff(app, "administration@example.com")
    _assert_escaped(administration.get(f"/administration/{filing_id}"), "administration's order page")
    assert admin_act(administration, filing_id, "reject", {"reason": PAYLOAD}).status_code == 302
    assert stored(app, filing_id)["status"] == f.REJECTED
    _assert_escaped(client.get(f"/filings/{filing_id}"), "status page with the administration's reason")
