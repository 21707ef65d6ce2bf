"""The home page and the log-in page in both languages, in a real browser, with axe finding nothing."""
from __future__ import annotations

import pytest

from tests.browser import assert_accessible, browser, needs_chromium, serve, submit

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("locale, heading", [("en-GB", "File a new website for ICP"), ("zh-CN", "ICP")])
@pytest.mark.parametrize("javascript", [True, False])
def test_home_and_log_in_are_accessible(app, locale, heading, javascript):
    with serve(app) as base, browser() as chromium:
        context = chromium.new_context(locale=locale, java_script_enabled=javascript)
        page = context.new_page()
        external = []
        page.on("request", lambda request: external.append(request.url)
                if not request.url.startswith(base) else None)
        page.goto(base + "/")
        assert heading in page.locator("h1").inner_text()
        if javascript:
            assert_accessible(page)
        page.click("text=Log in" if locale == "en-GB" else "text=登录")
        page.wait_for_url("**/log-in")
        if javascript:
            assert_accessible(page)
        # a wrong password shows the message next to the field, and the summary links to it
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "wrong-password")
        submit(page, "button[type=submit].button")
        assert page.locator("#password-error").is_visible()
        assert page.locator(".error-summary a[href='#password']").count() == 1
        if javascript:
            assert_accessible(page)
            assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        assert external == [], f"no third-party requests: {external}"
        context.close()


def test_language_switch_keeps_the_page(app):
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale="en-GB")
        page.goto(base + "/log-in")
        page.click("a[hreflang='zh-CN']")
        page.wait_for_url("**/log-in")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert_accessible(page)


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_terms_page_is_accessible(app, locale):
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale=locale)
        response = page.goto(base + "/terms")
        assert response.status == 200  # a 404 page is accessible too: it must be the terms page
        assert ("ICP filing terms" if locale == "en-GB" else "备案") in page.locator("h1").inner_text()
        assert page.locator("main dl, main table, main dt, main h2").count() > 0, "the terms are listed"
        assert_accessible(page)
