"""Change a website in a real browser (变更网站; README "Change a website, step by step"): from Filed with us on the
demo services, the start page with what stays as filed, the answers prefilled, one answer changed, old → new on the
check page, submit. English and Chinese, 1280 and 375 pixels, JavaScript on (axe on every page) and off; nothing
on any page scrolls sideways.

Set ICP_SCREENSHOTS=<folder> to also save a full-page screenshot of each page to <folder>/change/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from icp import filing as f
from tests.browser import browser, check_accessible, needs_chromium, serve, submit, upload_each
from tests.conftest import make_app
from tests.images import jpeg_bytes
from tests.journey import texted_code

pytestmark = [pytest.mark.browser, needs_chromium]

SERVICE = "YFSHOPSITE"  # yunfan-shop.cn, 粤ICP备18012345号-3: Guangdong, a backdrop photo, no SMS under the seed
NEW_NAME = "云帆优选商城"


@pytest.fixture
def services_app(tmp_path, clock):
    return make_app("local", tmp_path, clock, demo_services=True)


# the text nodes of running text (paragraphs, list items) in main that hold an ICP number outside .icp-number
_LOOSE_NUMBERS = """[...document.querySelectorAll('main p, main li')].flatMap(block => {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (/ICP备\\d+号/.test(node.textContent) && !node.parentElement.closest('.icp-number')) {
      found.push(node.textContent.trim());
    }
  }
  return found;
})"""


class Pages:
    """Each page the walk reaches: axe when JavaScript runs, no sideways scrolling, a screenshot if asked for."""

    def __init__(self, page, javascript: bool, name: str):
        self.page, self.javascript, self.name = page, javascript, name
        folder = os.environ.get("ICP_SCREENSHOTS")
        self.shots = Path(folder) / "change" if folder else None
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)

    def look(self, step: str) -> None:
        """Judge the page as it is now."""
        check_accessible(self.page, self.javascript)
        # WCAG 1.4.10: a long domain, number or Chinese sentence must wrap, not push the page wide
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{step}: the page scrolls {overflow} px sideways"
        # an ICP number in a sentence is one unbreakable piece (views.text.icp_number): never 粤ICP备18012345 / 号-3
        loose = self.page.evaluate(_LOOSE_NUMBERS)
        assert not loose, f"{step}: ICP numbers that may break across lines: {loose}"
        broken = self.page.evaluate("[...document.querySelectorAll('main .icp-number')]"
                                    ".filter(e => e.getClientRects().length > 1).map(e => e.textContent)")
        assert not broken, f"{step}: ICP numbers broken across lines: {broken}"
        if self.shots:
            self.page.screenshot(path=str(self.shots / f"{self.name}-{step}.png"), full_page=True)


@pytest.mark.parametrize("locale, width, javascript", [
    ("en-GB", 1280, True), ("en-GB", 375, True), ("zh-CN", 1280, True), ("zh-CN", 375, True),
    ("en-GB", 375, False), ("zh-CN", 1280, False),
])
def test_change_a_website_in_the_browser(services_app, tmp_path, locale, width, javascript):
    app = services_app
    table = app.extensions["icp_table"]
    zh = locale.startswith("zh")
    photo = tmp_path / "scan.jpg"
    photo.write_bytes(jpeg_bytes(800, 600))
    with serve(app) as base, browser() as chromium:
        page = chromium.new_page(locale=locale, java_script_enabled=javascript,
                                 viewport={"width": width, "height": 900})
        pages = Pages(page, javascript, f"{locale[:2]}-{width}{'' if javascript else '-nojs'}")
        page.goto(base + "/log-in")
        page.fill("#email", "applicant@example.com")
        page.fill("#password", "demo-password")
        submit(page)

        # Filed with us: the shop's number, with Change the website
        page.goto(base + "/filings")
        assert "粤ICP备18012345号-3" in page.inner_text("#filed ~ table")
        pages.look("1-filed-with-us")
        with page.expect_navigation():
            page.click(f"a[href='/filings/{SERVICE}/change']")

        # the start page: the province, the certificate number and the domain stay as filed
        fixed = page.inner_text("#fixed")
        assert "yunfan-shop.cn" in fixed and "91440101MA5CX8T10J" in fixed
        assert ("广东" if zh else "Guangdong") in fixed
        assert page.locator("#fixed a, #fixed input").count() == 0  # nothing there can be edited
        pages.look("2-start")
        submit(page)
        change_id = page.url.split("/")[-2]
        assert page.url.endswith(f"/filings/{change_id}/subject")

        # the subject's answers start as approved, the step says which website is changed
        assert page.input_value("#mailing_address") == "广州市天河区天河路385号太古汇一座2001室"
        assert "粤ICP备18012345号-3" in page.inner_text("#change-notice")
        pages.look("3-subject")
        submit(page, "main form button[type=submit]")
        assert page.url.endswith("/website")

        # the website's answers start as approved; its name is changed
        assert page.input_value("#name") == "云帆商城"
        assert page.input_value("#home_url") == "https://www.yunfan-shop.cn/"
        pages.look("4-website")
        page.fill("#name", NEW_NAME)
        submit(page, "main form button[type=submit]")
        assert page.url.endswith("/documents")

        # the documents are asked again, as for a new website: each uploaded on its own page
        pages.look("5-documents")
        kinds = [s.get_attribute("id").removeprefix("document-") for s in page.locator("section.document").all()]
        assert "authenticity_statement" in kinds and "commitment_letter" in kinds
        upload_each(page, kinds, photo)
        with page.expect_navigation():
            page.locator("main a.button").last.click()
        assert page.url.endswith("/check")

        # the check page: old → new, as our reviewer will read it; the filed facts without a Change link
        rows = page.locator("#service-changes tbody tr")
        assert rows.count() == 1
        assert "云帆商城" in rows.first.inner_text() and NEW_NAME in rows.first.inner_text()
        assert page.locator("#filed-website a").count() == 0
        # each mobile on the order is confirmed with the code texted to it, as the person would
        stored = table.get(*f.filing_key(change_id))
        from icp import mobiles

        for who, mobile in mobiles.unconfirmed(stored):
            with page.expect_navigation():
                page.click(f"#mobile-code-{who} form[action$='/send'] button[type=submit]")
            page.fill(f"#code-{who}-code", texted_code(app.test_client(), change_id, mobile))
            with page.expect_navigation():
                page.click(f"#mobile-code-{who} form[action$='/confirm'] button[type=submit]")
        assert page.locator(".error-summary").count() == 0
        pages.look("6-check")

        submit(page, "main form[action$='/check'] button[type=submit]")
        assert page.url.endswith(f"/filings/{change_id}/submitted")
        assert change_id in page.inner_text("main")
        pages.look("7-submitted")
        page.goto(base + f"/filings/{change_id}")
        pages.look("8-status")

    changed = table.get(*f.filing_key(change_id))
    assert changed["status"] == f.PROVIDER_REVIEW and changed["website"]["name"] == NEW_NAME
