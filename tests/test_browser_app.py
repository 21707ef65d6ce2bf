"""An app order in a real browser, both languages, JavaScript on and off: step 1 with the name and domains, the
app step with its platforms (typed), the icon, the check page; axe on every page where JavaScript runs."""
from __future__ import annotations

import pytest

from tests.browser import browser, check_accessible as _check, fill_fields, needs_chromium, serve, submit
from tests.images import jpeg_bytes
from tests.journey import APP, BEIJING_APP, SUBJECT, texted_code

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("locale, javascript", [("en-GB", True), ("zh-CN", True), ("en-GB", False)])
def test_an_app_from_step_1_to_submitted_in_the_browser(app, tmp_path, locale, javascript):
    icon = tmp_path / "icon.jpg"
    icon.write_bytes(jpeg_bytes(256, 256))
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(jpeg_bytes(800, 600))
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale=locale, java_script_enabled=javascript, viewport={"width": 375, "height": 800})
        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        submit(page)
        with page.expect_navigation():
            page.click("a[href='/filings/new-app']")
        _check(page, javascript)

        # step 1: a www. domain is refused at its field, with what was typed kept
        page.select_option("#province", BEIJING_APP["province"])
        page.check("#nature-0")
        page.select_option("#certificate_type", BEIJING_APP["certificate_type"])
        page.fill("#certificate_number", BEIJING_APP["certificate_number"])
        page.fill("#app_name", BEIJING_APP["app_name"])
        page.fill("#domains", "www.example-shop.cn")
        submit(page)
        assert "www." in page.inner_text("#domains-error")
        assert page.input_value("#app_name") == BEIJING_APP["app_name"]
        _check(page, javascript)
        page.fill("#domains", BEIJING_APP["domains"])
        submit(page)
        assert page.url.endswith("/instance")
        filing_id = page.url.split("/")[-2]

        # steps 2 and 3 as for a website
        page.fill("#service_code", "DEMO7K2M9QX4LP8A")
        submit(page)
        page.goto(base + f"/filings/{filing_id}/subject")
        fill_fields(page, SUBJECT)
        submit(page)
        assert page.url.endswith("/app")
        _check(page, javascript)

        # step 4, the app: Android typed (its fields show once ticked with JavaScript, always without)
        assert page.locator("#android_package").is_visible() is (not javascript)
        page.check("input[name=service_content][value=other]")
        page.check("input[name=language][value=zh_hans]")
        page.check("#sdk_offered-1")
        page.check("#platform_android")
        assert page.locator("#android_package").is_visible()
        page.fill("#android_package", APP["android_package"])
        page.fill("#android_public_key", APP["android_public_key"])
        page.fill("#android_md5", APP["android_md5"])
        page.check("#administrator_is_leader-0")
        submit(page)
        assert page.url.endswith("/documents"), page.url
        _check(page, javascript)

        # step 5: the icon on its own page, with the icon's rules; then the other documents
        kinds = [s.get_attribute("id").removeprefix("document-") for s in page.locator("section.document").all()]
        assert "app_icon" in kinds
        for kind in kinds:
            if kind == "domain_certificate":
                continue
            with page.expect_navigation():
                page.click(f"#document-{kind} a[href$='/documents/{kind}']")
            if kind == "app_icon":
                assert "108" in page.inner_text("#upload-rules")
                _check(page, javascript)
            page.set_input_files(f"#file-{kind}", str(icon if kind == "app_icon" else scan))
            if javascript:
                page.click(f"#upload-{kind} button[type=submit]")
                page.wait_for_selector(f"#document-{kind} .tag--green")
            else:
                submit(page, f"#upload-{kind} button[type=submit]")
        page.goto(base + f"/filings/{filing_id}/check")
        assert BEIJING_APP["app_name"] in page.inner_text("main")
        _check(page, javascript)
        # the leader's mobile is confirmed with the code texted to it (read from the outbox, as the phone would)
        submit(page, "#mobile-code-leader form[action$='/send'] button[type=submit]")
        page.fill("#code-leader-code", texted_code(app.test_client(), filing_id, SUBJECT["leader_mobile"]))
        submit(page, "#mobile-code-leader form[action$='/confirm'] button[type=submit]")
        submit(page, "main form[action$='/check'] button[type=submit]")
        assert page.url.endswith("/submitted"), page.url
        _check(page, javascript)
        page.goto(base + f"/filings/{filing_id}/app/apk")
        assert page.url.endswith(f"/filings/{filing_id}")  # submitted: the APK page leads to the status page
        page.goto(base + f"/filings/{filing_id}")
        _check(page, javascript)


@pytest.fixture(scope="module")
def release_apk(tmp_path_factory):
    """A release APK signed with a release key, built with the Debian tools (skips without them)."""
    from tests import apk_factory

    missing = apk_factory.missing_tools()
    if missing:
        pytest.skip(f"building a test APK needs {', '.join(missing)}")
    return apk_factory.release_apk(tmp_path_factory.mktemp("apk"))


@pytest.mark.apk
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_choosing_the_release_apk_fills_in_android_with_javascript(app, release_apk, locale):
    """With JavaScript the APK goes up with a progress bar and the app step comes back with Android filled in."""
    from tests.apk_factory import PACKAGE
    from tests.conftest import AuthActions
    from tests.journey import bind_code, save, start_app

    client = app.test_client()
    AuthActions(client).login()
    filing_id = start_app(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale=locale, viewport={"width": 375, "height": 800})
        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        submit(page)
        page.goto(base + f"/filings/{filing_id}/app")
        page.check("#platform_android")  # its fields, and the way to read them from the APK, show once ticked
        with page.expect_navigation():
            page.click("#read-apk")
        _check(page, True)
        page.set_input_files("#file-apk", str(release_apk))
        page.click("#upload-apk button[type=submit]")
        page.wait_for_selector("#apk-facts")
        assert page.input_value("#android_package") == PACKAGE
        assert page.locator("#platform_android").is_checked()
        _check(page, True)
        # the applicant confirms by saving the step with the rest of its answers
        page.check("input[name=service_content][value=other]")
        page.check("input[name=language][value=zh_hans]")
        page.check("#sdk_offered-1")
        page.check("#administrator_is_leader-0")
        submit(page, "main form[action$='/app'] button[type=submit]")
        assert page.url.endswith("/documents"), page.url
