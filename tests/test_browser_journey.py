"""The whole applicant journey in Debian's chromium, with JavaScript on (axe on every page) and off."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp.filing import filing_key
from tests.browser import browser, check_accessible, fill_fields, needs_chromium, serve, submit, upload_each
from tests.images import jpeg_bytes, pdf_bytes
from tests.journey import BEIJING_ENTERPRISE, SUBJECT, WEBSITE, texted_code

pytestmark = [pytest.mark.browser, needs_chromium]


def _back_on_the_documents_step(page) -> None:
    """After an upload, the applicant is back on the documents step (with or without JavaScript)."""
    assert page.url.split("#")[0].endswith("/documents")


def _submit(page, form_selector: str = "main form"):
    """Press the form's primary button and wait for the next page."""
    submit(page, f"{form_selector} button[type=submit]")


def _logged_in(chromium, base: str, javascript: bool):
    """A tab of the demo applicant, logged in through the form."""
    page = chromium.new_page(java_script_enabled=javascript)
    page.goto(base + "/log-in")
    page.fill("#email", "applicant@example.com")
    page.fill("#password", "demo-password")
    _submit(page)
    return page


def _at_the_website_step(app) -> str:
    """An order of the demo applicant with steps 1 to 3 done (through HTTP); returns its number."""
    from tests.conftest import AuthActions
    from tests.journey import bind_code, save, start

    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    return filing_id


_check = check_accessible


@pytest.mark.parametrize("locale, javascript", [("en-GB", True), ("zh-CN", True), ("zh-CN", False)])
def test_whole_journey_in_the_browser(app, tmp_path, locale, javascript):
    photo = tmp_path / "scan.jpg"
    photo.write_bytes(jpeg_bytes(900, 600))
    fake = tmp_path / "statement.jpg"
    fake.write_bytes(pdf_bytes())
    table = app.extensions["icp_table"]
    with serve(app) as base, browser() as chromium:
        context = chromium.new_context(locale=locale, java_script_enabled=javascript)
        page = context.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)

        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        _submit(page)
        assert page.url.endswith("/filings")
        _check(page, javascript)

        page.goto(base + "/console/service-codes")
        _check(page, javascript)

        # step 1, first with a mistake: a wrong check digit
        page.goto(base + "/filings/new")
        _check(page, javascript)
        page.select_option("#province", BEIJING_ENTERPRISE["province"])
        page.check("#nature-0")
        page.select_option("#certificate_type", BEIJING_ENTERPRISE["certificate_type"])
        page.fill("#certificate_number", "91110108MA01ABCD0C")
        page.fill("#domain", BEIJING_ENTERPRISE["domain"])
        _submit(page)
        assert page.locator("#certificate_number-error").is_visible()
        assert page.input_value("#domain") == BEIJING_ENTERPRISE["domain"]  # nothing entered is lost
        _check(page, javascript)
        page.fill("#certificate_number", BEIJING_ENTERPRISE["certificate_number"])
        _submit(page)
        assert page.url.endswith("/instance")
        filing_id = page.url.split("/")[-2]
        _check(page, javascript)

        # step 2
        page.fill("#service_code", "DEMO7K2M9QX4LP8A")
        _submit(page)
        assert "47.94.10.11" in page.content()
        _check(page, javascript)
        with page.expect_navigation():
            page.locator("main a.button").first.click()
        assert page.url.endswith("/subject")
        _check(page, javascript)

        # step 3
        fill_fields(page, SUBJECT)
        _submit(page)
        assert page.url.endswith("/website")
        _check(page, javascript)

        # step 4
        page.fill("#name", WEBSITE["name"])
        page.check("input[name=service_content][value=online_shop]")
        page.check("input[name=languages][value=zh_hans]")
        page.check("#administrator_is_leader-0")
        _submit(page)
        assert page.url.endswith("/documents")
        _check(page, javascript)

        # step 5: the list of documents, each uploaded on its own page. A PDF named .jpg is refused on the
        # statement's page with its reason; then every required document goes up and the list shows it
        kinds = [s.get_attribute("id").removeprefix("document-") for s in page.locator("section.document").all()]
        assert page.locator("main input[type=file]").count() == 0, "no upload form on the list"
        with page.expect_navigation():
            page.click("#document-authenticity_statement a[href$='/documents/authenticity_statement']")
        _check(page, javascript)
        page.set_input_files("#file-authenticity_statement", str(fake))
        page.click("#upload-authenticity_statement button[type=submit]")
        page.wait_for_selector("#file-authenticity_statement-error")
        assert page.url.endswith("/documents/authenticity_statement")
        assert "PDF" in page.inner_text("#file-authenticity_statement-error")
        _check(page, javascript)
        page.goto(base + f"/filings/{filing_id}/documents")
        upload_each(page, kinds, photo, each=_back_on_the_documents_step)
        _check(page, javascript)
        with page.expect_navigation():
            page.locator("main a.button", has_text="").last.click()
        assert page.url.endswith("/check")
        _check(page, javascript)
        # the leader's mobile is confirmed with the code texted to it (read from the outbox, as the phone would)
        with page.expect_navigation():
            page.click("#mobile-code-leader form[action$='/send'] button[type=submit]")
        page.fill("#code-leader-code", texted_code(app.test_client(), filing_id, SUBJECT["leader_mobile"]))
        with page.expect_navigation():
            page.click("#mobile-code-leader form[action$='/confirm'] button[type=submit]")
        assert page.locator(".error-summary").count() == 0
        _check(page, javascript)

        # step 6
        _submit(page, "main form[action$='/check']")
        assert page.url.endswith("/submitted")
        assert filing_id in page.inner_text("main")
        _check(page, javascript)
        page.goto(base + f"/filings/{filing_id}")
        _check(page, javascript)
        page.goto(base + "/filings")
        _check(page, javascript)

        assert outside == [], f"third-party requests: {outside}"
        context.close()
    assert table.get(*filing_key(filing_id))["status"] == f.PROVIDER_REVIEW


@pytest.mark.parametrize("javascript", [True, False])
def test_administrator_fields_show_when_another_person_is_chosen(app, javascript):
    filing_id = _at_the_website_step(app)
    with serve(app) as base, browser() as chromium:
        page = _logged_in(chromium, base, javascript)
        page.goto(base + f"/filings/{filing_id}/website")
        # without JavaScript every field is there; with it, the administrator's appear once chosen
        assert page.locator("#administrator_name").is_visible() is (not javascript)
        page.check("#administrator_is_leader-1")
        assert page.locator("#administrator_name").is_visible()
        page.check("#administrator_is_leader-0")
        assert page.locator("#administrator_name").is_visible() is (not javascript)


@pytest.mark.parametrize("javascript", [True, False])
def test_certificate_types_follow_the_chosen_nature(app, javascript):
    with serve(app) as base, browser() as chromium:
        page = _logged_in(chromium, base, javascript)
        page.goto(base + "/filings/new")
        everything = page.locator("#certificate_type option").count()
        page.select_option("#certificate_type", "business_licence")
        page.check("input[name=nature][value=individual]")
        offered = page.eval_on_selector_all("#certificate_type option", "options => options.map(o => o.value)")
        if javascript:
            # an individual is offered a person's certificates only, and the enterprise's choice is undone
            assert offered == ["", "resident_id", "passport", "hmt_permit", "foreign_permanent_id"]
            assert page.input_value("#certificate_type") == ""
        else:
            # every type, each under its nature; the server refuses a type the nature may not use
            assert len(offered) == everything > 5


@pytest.mark.parametrize("javascript", [True, False])
def test_approval_fields_show_when_a_pre_approval_is_ticked(app, javascript):
    filing_id = _at_the_website_step(app)
    with serve(app) as base, browser() as chromium:
        page = _logged_in(chromium, base, javascript)
        page.goto(base + f"/filings/{filing_id}/website")
        assert page.locator("#approval_number").is_visible() is (not javascript)
        page.check("input[name=preapproval_items] >> nth=0")
        assert page.locator("#approval_number").is_visible() and page.locator("#approval_department").is_visible()
        page.uncheck("input[name=preapproval_items] >> nth=0")
        assert page.locator("#approval_number").is_visible() is (not javascript)
