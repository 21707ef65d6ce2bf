"""After submission, in Debian's chromium: the reviewer console, the applicant's verification pages, the phone
page, the local outbox and the administration simulator, with axe on every page (JavaScript on) and the same
actions with JavaScript off. The applicant's part up to submission is done through HTTP (its own browser test
walks it)."""
from __future__ import annotations

import re

import pytest

from icp import filing as f
from icp import notify
from tests.browser import assert_accessible, browser, needs_chromium, serve
from tests.images import jpeg_bytes
from tests.laptop import laptop  # noqa: F401 (the fixture: the app on a moto server as make run-aws runs it)
from tests.workflow_helpers import TIANJIN, stored, submitted_order

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 375, "height": 740}


class Actor:
    """One person in their own browser context: logs in, opens pages, presses buttons, runs axe."""

    def __init__(self, chromium, base: str, *, locale: str, javascript: bool, viewport: dict | None = None):
        self.base, self.javascript = base, javascript
        self.context = chromium.new_context(locale=locale, java_script_enabled=javascript,
                                            viewport=viewport or {"width": 1280, "height": 900})
        self.page = self.context.new_page()

    def log_in(self, email: str, password: str = "demo-password") -> "Actor":
        self.open("/log-in")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.press("main form button[type=submit]")
        return self

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status < 400, f"{path} answered {response.status}"
        self.check()

    def press(self, selector: str) -> None:
        """Click a submit button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.check()

    def check(self) -> None:
        """Every page: no 5xx, no sideways scroll at its width, axe clean when JavaScript runs (axe is JS)."""
        assert "Internal Server Error" not in self.page.content()
        if self.javascript:
            assert_accessible(self.page)
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{self.page.url} scrolls sideways by {overflow} px"

    def text(self) -> str:
        return self.page.inner_text("main")


@pytest.mark.parametrize("locale, javascript", [("en-GB", True), ("zh-CN", True), ("en-GB", False)])
def test_three_actors_from_review_to_the_icp_number(app, clock, tmp_path, locale, javascript):
    with serve(app) as base:
        _three_actors(app, base, tmp_path, locale, javascript)


@pytest.mark.parametrize("locale, javascript", [("zh-CN", True), ("en-GB", False)])
def test_three_actors_on_the_aws_backend_against_a_moto_server(laptop, tmp_path, locale, javascript):
    """The same procedure on the production backend: DynamoDB and S3 on a moto server, as `make run-aws` runs."""
    site_url, _moto_url, app = laptop
    _three_actors(app, site_url, tmp_path, locale, javascript)


def _three_actors(app, base: str, tmp_path, locale: str, javascript: bool) -> None:
    """Review with a return, the backdrop photo rejected then passed, the SMS codes, the approval."""
    local = app.config["ICP_SETTINGS"].is_local
    photo = tmp_path / "administrator.jpg"
    photo.write_bytes(jpeg_bytes(800, 1000))
    _client, filing_id = submitted_order(app, **TIANJIN)
    with browser() as chromium:
        reviewer = Actor(chromium, base, locale=locale, javascript=javascript).log_in("reviewer@example.com")
        applicant = Actor(chromium, base, locale=locale, javascript=javascript).log_in("applicant@example.com")
        administration = Actor(chromium, base, locale=locale, javascript=javascript).log_in(
            "administration@example.com")

        # our review: the queue lists the order; the reviewer returns it with a comment on the website name
        assert reviewer.page.url.endswith("/review")
        assert filing_id in reviewer.text()
        with reviewer.page.expect_navigation():
            reviewer.page.click(f"main a[href='/review/{filing_id}']")
        reviewer.check()
        # the comment box next to the website name, posted by the return form further down (form="return-form")
        reviewer.page.fill("#comment-website-name", "Use the name on the licence")
        reviewer.press(f"form[action='/review/{filing_id}/return'] button[type=submit]")
        assert stored(app, filing_id)["status"] == f.RETURNED

        # the applicant sees the comment at the field, changes the name and submits again
        applicant.open(f"/filings/{filing_id}")
        applicant.open(f"/filings/{filing_id}/website")
        assert "Use the name on the licence" in applicant.page.inner_text("#name-comment")
        applicant.page.fill("#name", "海河数据商城")
        applicant.press("main form button[type=submit]")
        applicant.open(f"/filings/{filing_id}/check")
        applicant.press(f"main form[action='/filings/{filing_id}/check'] button[type=submit]")
        assert stored(app, filing_id)["status"] == f.PROVIDER_REVIEW

        # the reviewer sees what changed and passes
        reviewer.open(f"/review/{filing_id}")
        assert "海河数据商城" in reviewer.text()
        reviewer.press(f"form[action='/review/{filing_id}/pass'] button[type=submit]")
        assert stored(app, filing_id)["status"] == f.PHOTO_PENDING

        # the backdrop (the seed's verification): applied for, mailed, photo uploaded, rejected, then passed
        applicant.open(f"/filings/{filing_id}")
        applicant.open(f"/filings/{filing_id}/backdrop")
        applicant.page.fill("#recipient", "李雷")
        applicant.page.fill("#address", "天津市滨海新区海河路1号2号楼301室")
        applicant.page.fill("#phone", "13722223333")
        applicant.press(f"main form[action='/filings/{filing_id}/backdrop'] button[type=submit]")
        reviewer.open(f"/review/{filing_id}")
        reviewer.page.fill("#tracking", "SF1234567890")
        reviewer.press(f"form[action='/review/{filing_id}/backdrop-mailed'] button[type=submit]")
        for attempt in ("reject", "pass"):
            applicant.open(f"/filings/{filing_id}/photo")
            applicant.page.set_input_files("#file-administrator_photo", str(photo))
            applicant.press("#upload-administrator_photo button[type=submit]")
            assert stored(app, filing_id)["status"] == f.PHOTO_REVIEW, attempt
            reviewer.open(f"/review/{filing_id}")
            if attempt == "reject":
                reviewer.page.select_option("#reason", "blurred")
                reviewer.press(f"form[action='/review/{filing_id}/photo/reject'] button[type=submit]")
                applicant.open(f"/filings/{filing_id}")
                assert stored(app, filing_id)["status"] == f.PHOTO_PENDING
            else:
                reviewer.press(f"form[action='/review/{filing_id}/photo/pass'] button[type=submit]")
        reviewer.open(f"/review/{filing_id}")
        reviewer.press(f"form[action='/review/{filing_id}/send'] button[type=submit]")
        assert stored(app, filing_id)["status"] == f.SMS_PENDING

        # the MIIT codes, read from the local outbox page as a tester without the phones would (the aws
        # backend has no such page: `make run-aws` writes them to its outbox.log)
        codes = {}
        for who in ("leader", "administrator"):
            message = next(m for m in notify.pending_messages(app.extensions["icp_table"], limit=500)
                           if m["template"] == f"sms_code_{who}" and m["params"]["reference"] == filing_id)
            codes[who] = message["params"]["code"]
        if local:
            applicant.open("/local-outbox")
            for who, code in codes.items():
                assert re.search(rf"\b{code}\b", applicant.text()), f"the {who}'s code is on the outbox page"
        applicant.open(f"/filings/{filing_id}")
        applicant.page.fill("#leader", codes["leader"])
        applicant.page.fill("#administrator", codes["administrator"])
        applicant.press(f"main form[action='/filings/{filing_id}/codes'] button[type=submit]")
        assert stored(app, filing_id)["status"] == f.ADMINISTRATION_REVIEW

        # the administration simulator approves; the applicant gets the number and the footer snippet
        administration.open("/administration")
        assert filing_id in administration.text()
        administration.open(f"/administration/{filing_id}")
        administration.press(f"form[action='/administration/{filing_id}/approve'] button[type=submit]")
        approved = stored(app, filing_id)
        assert approved["status"] == f.APPROVED
        applicant.open(f"/filings/{filing_id}")
        assert approved["icp_number"] in applicant.text()
        assert approved["icp_number"] in applicant.page.input_value("#footer-snippet")
        applicant.open("/filings")
        reviewer.open("/review")
        reviewer.open("/staff/outbox/failed")
        for actor in (reviewer, applicant, administration):
            actor.context.close()


@pytest.mark.parametrize("locale, javascript", [("zh-CN", True), ("en-GB", False)])
def test_the_phone_page_takes_the_photo_without_an_account(tmp_path, clock, locale, javascript):
    from tests.conftest import make_app

    app = make_app("local", tmp_path, clock, deadline_policy="current_practice")
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(jpeg_bytes(800, 1000))
    _client, filing_id = submitted_order(app)
    from tests.workflow_helpers import passed_review

    passed_review(app, clock, filing_id)
    with serve(app) as base, browser() as chromium:
        applicant = Actor(chromium, base, locale=locale, javascript=javascript).log_in("applicant@example.com")
        applicant.open(f"/filings/{filing_id}")
        applicant.press(f"main form[action='/filings/{filing_id}/phone-link'] button[type=submit]")
        assert applicant.page.locator("main svg").count() == 1  # the QR code, inline
        link = applicant.page.inner_text("#phone-link").strip()
        # the copy button is JavaScript's; without it the link is text to select
        assert applicant.page.locator("button[data-copy='phone-link']").is_visible() == javascript
        # the administrator's phone: no account, a phone-sized screen
        phone = Actor(chromium, base, locale=locale, javascript=javascript, viewport=PHONE)
        phone.page.goto(link)
        phone.check()
        upload = phone.page.locator("input[type=file]")
        assert upload.get_attribute("capture") == "user" and upload.get_attribute("accept") == "image/*"
        # the big button is the camera's label; with JavaScript the send button waits for a photo
        assert phone.page.locator("label.camera__button").is_visible()
        send = phone.page.locator("#upload-administrator_photo button[type=submit]")
        assert send.is_visible() != javascript
        upload.set_input_files(str(photo))
        if javascript:
            # the photo taken is shown before it is sent, and the page stays accessible with it
            preview = phone.page.locator("#file-administrator_photo-preview img")
            assert preview.is_visible() and preview.get_attribute("src").startswith("blob:")
            assert send.is_visible()
            phone.check()
        phone.press("#upload-administrator_photo button[type=submit]")
        assert stored(app, filing_id)["status"] == f.PHOTO_REVIEW
        # single use: the same link now says it has been used or has expired, in a page, not an error
        response = phone.page.goto(link)
        assert response.status == 404
        phone.check()
        phone.context.close()
        applicant.context.close()


def test_step_1_with_the_keyboard_alone(app):
    """Tab to each field, choose with the keys a select and radio buttons answer to, submit with Enter."""
    with serve(app) as base, browser() as chromium:
        person = Actor(chromium, base, locale="en-GB", javascript=True).log_in("applicant@example.com")
        page = person.page
        page.goto(base + "/filings/new")

        def tab_to(field_id: str) -> None:
            for _press in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement && document.activeElement.id") == field_id:
                    return
            raise AssertionError(f"Tab never reaches #{field_id}")

        tab_to("province")
        page.keyboard.type("Beijing")
        tab_to("nature-0")
        page.keyboard.press("Space")  # the first nature: enterprise
        tab_to("certificate_type")
        page.keyboard.type("Business")
        tab_to("certificate_number")
        page.keyboard.type("91110108MA01ABCD0B")
        tab_to("domain")
        page.keyboard.type("example-shop.cn")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/instance"), page.url
        assert page.evaluate("document.activeElement !== null")
        person.context.close()
