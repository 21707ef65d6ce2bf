"""Your account in Debian's chromium: the privacy notice, Download my data and Delete my account, axe on each page."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from icp.accounts import account_key
from tests.browser import browser, check_accessible, needs_chromium, serve, submit

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_export_then_delete_the_account_in_the_browser(app, locale):
    table = app.extensions["icp_table"]
    with serve(app) as base, browser() as chromium:
        context = chromium.new_context(locale=locale, accept_downloads=True)
        page = context.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)

        page.goto(base + "/register")
        page.click("main a[href='/privacy']")
        assert page.url == base + "/privacy"
        check_accessible(page, True)

        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        submit(page)
        page.click("header a[href='/account']")
        check_accessible(page, True)

        page.click("main a[href='/account/download']")
        check_accessible(page, True)
        page.fill("#password", "wrong-password")
        submit(page)
        assert page.locator("#password-error").count() == 1
        check_accessible(page, True)
        page.fill("#password", "demo-password")
        with page.expect_download() as download:
            page.locator("main form button[type=submit]").click()
        with open(download.value.path(), "rb") as stream:
            data = json.loads(zipfile.ZipFile(io.BytesIO(stream.read())).read("data.json"))
        assert data["account"]["email"] == "applicant@example.com"

        page.goto(base + "/account/delete")
        check_accessible(page, True)
        # at a phone's 320 px nothing scrolls sideways (the retention table stacks its cells)
        page.set_viewport_size({"width": 320, "height": 800})
        for path in ("/privacy", "/account", "/account/delete"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path
        page.set_viewport_size({"width": 1280, "height": 800})
        page.fill("#password", "demo-password")
        submit(page)
        assert page.url == base + "/"
        assert page.locator(".notice--success").count() == 1
        check_accessible(page, True)
        assert table.get(*account_key("applicant@example.com")) is None
        page.goto(base + "/filings")
        assert "/log-in" in page.url  # logged out
        assert outside == []


def test_a_copy_too_large_for_one_response_downloads_through_its_link(app, monkeypatch):
    """Beyond rules.EXPORT_STREAM_LIMIT (and always on Lambda) the browser follows a 303 to the copy's signed link
    (here the local stand-in of S3) and saves it under its name, as it saves a streamed one."""
    from icp import rules

    monkeypatch.setattr(rules, "EXPORT_STREAM_LIMIT", 0)
    with serve(app) as base, browser() as chromium:
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        submit(page)
        page.goto(base + "/account/download")
        page.fill("#password", "demo-password")
        with page.expect_download() as download:
            page.locator("main form button[type=submit]").click()
        assert download.value.url.startswith(base + "/local-download/exports/")
        assert download.value.suggested_filename.startswith("icp-filing-my-data-")
        with open(download.value.path(), "rb") as stream:
            data = json.loads(zipfile.ZipFile(io.BytesIO(stream.read())).read("data.json"))
        assert data["account"]["email"] == "applicant@example.com"
