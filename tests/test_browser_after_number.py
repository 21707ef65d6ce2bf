"""The orders after the number in a real browser, both languages, JavaScript on and off, at phone width: Filed
with us, cancelling access with the account's code, cancelling a website asked twice and its MIIT codes; axe on
every page where JavaScript runs."""
from __future__ import annotations

import pytest

from tests.browser import browser, check_accessible as _check, needs_chromium, serve, submit
from tests.conftest import make_app
from tests.workflow_helpers import codes_texted, outbox

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def services_app(tmp_path, clock):
    return make_app("local", tmp_path, clock, demo_services=True)


def _log_in(page, base):
    page.goto(base + "/log-in")
    page.fill("#email", "applicant@example.com")
    page.fill("#password", "demo-password")
    submit(page)


@pytest.mark.parametrize("locale, javascript", [("en-GB", True), ("zh-CN", True), ("en-GB", False)])
def test_cancel_access_then_cancel_a_website_in_the_browser(services_app, locale, javascript):
    app = services_app
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale=locale, java_script_enabled=javascript,
                                 viewport={"width": 375, "height": 800})
        _log_in(page, base)
        page.goto(base + "/filings")
        assert page.locator("#filed").is_visible()
        _check(page, javascript)

        # cancel access to the shop: explained, a code to the account's mobile, sent, applied at once
        with page.expect_navigation():
            page.click("a[href='/filings/YFSHOPSITE/cancel-access']")
        _check(page, javascript)
        submit(page)
        order_id = page.url.split("/")[-2]
        _check(page, javascript)
        page.fill("#code", "12")
        submit(page, "main form button.button--warning")
        assert page.locator("#code-error").is_visible()
        code = [m for m in outbox(app) if m["template"] == "account_code"][-1]["params"]["code"]
        page.fill("#code", code)
        submit(page, "main form button.button--warning")
        assert page.url.endswith(f"/filings/{order_id}")
        assert page.locator("#service-ended").is_visible()
        _check(page, javascript)

        # cancel the blog: asked twice, then the MIIT code on the status page
        page.goto(base + "/filings/YFBLOGSITE/cancel")
        submit(page, "main form button.button--warning")
        assert page.locator("#understood-error").is_visible()
        page.check("#understood")
        submit(page, "main form button.button--warning")
        cancel_id = page.url.split("/")[-2]
        _check(page, javascript)
        page.fill("#typed", "yunfan-blog.cn")
        submit(page, "main form button.button--warning")
        assert "#codes" in page.url or page.url.endswith(f"/filings/{cancel_id}")
        _check(page, javascript)
        page.fill("#leader", codes_texted(app, cancel_id)["leader"])
        submit(page, "#codes ~ form button[type=submit]")
        assert page.locator("#service-ended").is_visible()
        page.goto(base + "/filings")
        text = page.inner_text("#filed ~ table")
        assert "粤ICP备18012345号-4" in text
        _check(page, javascript)
