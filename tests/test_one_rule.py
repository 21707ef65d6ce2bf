"""Each rule lives once in icp/: the step's form and the check page (and so the reviewer) say the same thing."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from icp import checks
from icp.filing import filing_key
from tests.conftest import field_error, page
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, bind_code, post_form, save, start, upload_required, date_boxes


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


def stored(app, filing_id: str) -> dict:
    return app.extensions["icp_table"].get(*filing_key(filing_id))


def rewrite(app, filing_id: str, change) -> None:
    """Change the saved answers behind the forms' back, as answers saved before a rule existed would be."""
    from icp.store import Put

    filing = stored(app, filing_id)
    change(filing)
    app.extensions["icp_table"].write([Put(filing)])


def check_page_problems(client, filing_id: str) -> dict[str, str]:
    """The check page's problems by the field id their link goes to."""
    soup = page(client.get(f"/filings/{filing_id}/check"))
    summary = soup.find(id="verdict-title").find_parent(class_="error-summary")
    return {a["href"].rsplit("#", 1)[1]: a.get_text(" ", strip=True) for a in summary.find_all("a")
            if "#" in a["href"]}  # a document's link goes to its upload page


def soon(clock) -> str:
    """A validity date inside the three-month margin."""
    today = clock().date()
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1).isoformat()


# (step, form data that breaks the rule, how the same break looks in the saved answers, field, message)
CASES = [
    ("website", {"home_url": "http://www.example.com"},
     lambda f: f["website"].update(home_url="http://www.example.com"), "home_url",
     "Enter an address on the verified domain example-shop.cn, like http://www.example-shop.cn"),
    ("website", {"preapproval_items": ["news"], "approval_number": "京新闻审字[2026]1号", "approval_department": ""},
     lambda f: f["website"].update(preapproval_items=["news"], approval_number="京新闻审字[2026]1号",
                                   approval_department=""), "approval_department",
     "Enter the department that gave the approval"),
    ("subject", {"leader_emergency_phone": SUBJECT["leader_mobile"]},
     lambda f: f["subject"]["leader"].update(emergency_phone=SUBJECT["leader_mobile"]), "leader_emergency_phone",
     "Enter an emergency phone number different from the subject leader's mobile number"),
    ("website", {**ADMINISTRATOR, "administrator_email": SUBJECT["leader_email"]},
     lambda f: f["website"].update(administrator_is_leader=False, administrator={
         "name": "李雷", "certificate_type": "resident_id", "certificate_number": "440106199208150064",
         "certificate_valid_until": "2036-05-01", "certificate_long_term": False, "mobile": "13722223333",
         "emergency_phone": "020-81234567", "email": SUBJECT["leader_email"]}), "administrator_email",
     "The website administrator's email address must differ from the subject leader's"),
]


@pytest.mark.parametrize("step, data, change, field, message", CASES, ids=[c[3] for c in CASES])
def test_the_form_and_the_check_page_say_the_same(applicant, app, step, data, change, field, message):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    save(applicant, filing_id, "website", WEBSITE)
    upload_required(applicant, app, filing_id)
    base = SUBJECT if step == "subject" else WEBSITE
    soup = page(post_form(applicant, f"/filings/{filing_id}/{step}", {**base, **data}))
    assert field_error(soup, field) == message
    rewrite(app, filing_id, change)
    assert check_page_problems(applicant, filing_id).get(field) == message


def test_a_certificate_expiring_soon_reads_the_same_on_the_form_and_the_check_page(applicant, app, clock):
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    save(applicant, filing_id, "website", WEBSITE)
    upload_required(applicant, app, filing_id)
    soup = page(post_form(applicant, f"/filings/{filing_id}/subject",
                          {**SUBJECT, **date_boxes("leader_certificate_valid_until", soon(clock))}))
    on_form = field_error(soup, "leader_certificate_valid_until")
    rewrite(app, filing_id, lambda f: f["subject"]["leader"].update(certificate_valid_until=soon(clock)))
    assert check_page_problems(applicant, filing_id)["leader_certificate_valid_until"] == on_form
    assert "3 months" in on_form


def test_an_individuals_leader_must_be_the_subject_on_the_form_and_the_check_page(applicant, app):
    individual = {"province": "shanghai", "nature": "individual", "certificate_type": "resident_id",
                  "certificate_number": "310101198503120049", "domain": "zhangwei-blog.cn"}
    filing_id = start(applicant, **individual)
    bind_code(applicant, filing_id)
    leader = {**SUBJECT, "leader_name": "张伟", "leader_certificate_number": "310101198503120049",
              "investor": "张伟"}
    save(applicant, filing_id, "subject", leader)
    save(applicant, filing_id, "website", {**WEBSITE, "name": "张伟的读书笔记", "service_content": ["blog"],
                                           "home_url": "http://www.zhangwei-blog.cn"})
    message = ("For an individual, the subject leader is the subject: enter the certificate number filed with "
               "MIIT (310101198503120049)")
    soup = page(post_form(applicant, f"/filings/{filing_id}/subject",
                          {**leader, "leader_certificate_number": "11010519491231002X"}))
    assert field_error(soup, "leader_certificate_number") == message
    rewrite(app, filing_id, lambda f: f["subject"]["leader"].update(certificate_number="11010519491231002X"))
    assert check_page_problems(applicant, filing_id)["leader_certificate_number"] == message


def test_the_forms_hold_no_rule_of_their_own():
    """The rules the forms used to write themselves are gone from forms/ (they call icp.checks)."""
    import forms.people
    import forms.subject
    import forms.website

    assert not hasattr(forms.website, "home_url_problem")
    assert not hasattr(forms.website.WebsiteForm, "_check_contacts")
    for module in (forms.people, forms.subject, forms.website):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "CONTACT_RULES" not in source and "certificate_expires_too_soon" not in source
    assert callable(checks.home_url_problems) and callable(checks.leader_problems)
