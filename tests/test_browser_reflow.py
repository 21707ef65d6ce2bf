"""Every page fits a 320-pixel screen in English and Chinese: nothing scrolls sideways (WCAG 1.4.10 Reflow).

Set ICP_SCREENSHOTS=<folder> to also save full-page screenshots of every page at 320, 375 and 1280 pixels.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from icp import accounts, codes, notify
from icp.store import Put
from icp.workflow import administration, review
from tests.browser import browser, needs_chromium, serve
from tests.conftest import AuthActions, csrf_token, make_app
from tests.journey import (ADMINISTRATOR, APP, SUBJECT, WEBSITE, post_form, save, start, start_app, submit,
                           upload_required)
from tests.workflow_helpers import (ADMINISTRATION, REVIEWER, TIANJIN, TIANJIN_ADMINISTRATOR, TIANJIN_SUBJECT,
                                    backdrop_mailed, ready_for_administration, stored)

pytestmark = [pytest.mark.browser, needs_chromium]

APPLICANT = "applicant@example.com"
LONG_EMAIL = "the-website-administrator-of-the-company@subsidiary.example-enterprise.com.cn"
GUANGDONG = {"province": "guangdong", "nature": "enterprise", "certificate_type": "business_licence",
             "certificate_number": "91440101MA5CX8T10J", "domain": "yunfan-cloud.cn"}
# an internationalised domain and a long unbroken e-mail address: the tokens that push tables wide
HAINAN_INDIVIDUAL = {"province": "hainan", "nature": "individual", "certificate_type": "resident_id",
                     "certificate_number": "460100199007150020", "domain": "lina-notes.cn"}
BEIJING_IDN = {"province": "beijing", "nature": "enterprise", "certificate_type": "business_licence",
               "certificate_number": "91110108MA01ABCD0B", "domain": "示例.中国"}


def _order(app, client, code: str, type_answers: dict, subject: dict, website: dict) -> str:
    """An order taken by the applicant's client through every step and submitted; returns its number."""
    filing_id = start(client, **type_answers)
    response = post_form(client, f"/filings/{filing_id}/instance", {"product_type": "alibaba_cloud",
                                                                     "service_code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    save(client, filing_id, "subject", subject)
    save(client, filing_id, "website", website)
    upload_required(client, app, filing_id)
    assert submit(client, filing_id).status_code == 302
    return filing_id


def _failed_message(app, clock) -> None:
    """One e-mail that failed every attempt, for the staff list of failed messages."""
    table = app.extensions["icp_table"]
    items = notify.message_items(template="submitted", params={"reference": "F123", "domain": "example.cn",
                                 "url": "http://127.0.0.1:5000/filings/F123"},
                                 email="a-very-long-mailbox-name-without-breaks@example-enterprise.com.cn",
                                 mobile="13800138000", language="en", now=clock(), channels=("email",))
    table.write([Put(item) for item in items])

    class Refusing:
        def send(self, item, subject, body):
            # only this address fails: the other queued messages go out and stay off the failed list
            if "a-very-long-mailbox" in item["to"]:
                raise ConnectionError(f"mailbox {item['to']} does not exist")

    for wait in (timedelta(0), *notify.BACKOFF):
        notify.deliver(table, Refusing(), now=clock.advance(seconds=wait.total_seconds()))


def seed_world(app, clock) -> dict[str, list[str]]:
    """Orders at every stage the pages show; returns the paths each account can visit."""
    table = app.extensions["icp_table"]
    applicant = app.test_client()
    AuthActions(applicant).login()
    fresh = codes.apply_for_codes(table, owner=APPLICANT, instance_id="i-uf6demo0002", count=5, now=clock())
    website = {**WEBSITE, **ADMINISTRATOR}

    approved = _order(app, applicant, "DEMO7K2M9QX4LP8A", {}, SUBJECT, website)
    ready_for_administration(app, applicant, clock, approved)
    review.send_to_administration(table, stored(app, approved), actor=REVIEWER, now=clock())
    administration.approve(table, stored(app, approved), actor=ADMINISTRATION, now=clock())

    sms = _order(app, applicant, "DEMO3H6T8RW5NB2C", TIANJIN, TIANJIN_SUBJECT,
                 {**WEBSITE, **TIANJIN_ADMINISTRATOR, "home_url": "http://www.haihe-data.cn"})
    ready_for_administration(app, applicant, clock, sms)
    review.send_to_administration(table, stored(app, sms), actor=REVIEWER, now=clock())

    deciding = _order(app, applicant, fresh[0], GUANGDONG, SUBJECT,
                      {**website, "home_url": "http://www.yunfan-cloud.cn"})
    ready_for_administration(app, applicant, clock, deciding)
    review.send_to_administration(table, stored(app, deciding), actor=REVIEWER, now=clock())

    # an individual's order waiting for the backdrop photo (Hainan: backdrop, then the SMS check)
    photo = _order(app, applicant, fresh[2], HAINAN_INDIVIDUAL,
                   {**SUBJECT, "investor": "李娜", "leader_name": "李娜", "leader_certificate_number": "460100199007150020"},
                   {**website, "name": "读书笔记分享", "service_content": ["blog"], "home_url": "http://www.lina-notes.cn"})
    review.pass_review(table, stored(app, photo), actor=REVIEWER, now=clock())
    backdrop_mailed(app, photo)  # the photo page opens once the backdrop is on its way

    # a draft with every step answered, on the internationalised domain
    draft = start(applicant, **BEIJING_IDN)
    post_form(applicant, f"/filings/{draft}/instance", {"product_type": "alibaba_cloud", "service_code": fresh[1]})
    save(applicant, draft, "subject", SUBJECT)
    save(applicant, draft, "website", {**website, "home_url": "http://www.示例.中国"})
    _failed_message(app, clock)
    # a long e-mail address in the header must wrap, not push the page wide
    accounts.create_account(table, email=LONG_EMAIL, password="demo-password", mobile="13912340000", now=clock(),
                            role="applicant")

    # an app of the Shanghai individual, its app step answered: the app's own pages (step 1, the app step with
    # every platform, the APK page, the icon's page, the check page)
    AuthActions(applicant).login()  # the failed message's back-off moved the clock past the session's life
    app_draft = start_app(applicant, province="shanghai", nature="individual", certificate_type="resident_id",
                          certificate_number="310101198503120049", domains="zhangwei-blog.cn")
    post_form(applicant, f"/filings/{app_draft}/instance", {"product_type": "alibaba_cloud",
                                                             "service_code": fresh[4]})
    save(applicant, app_draft, "subject", {**SUBJECT, "investor": "张伟", "leader_name": "张伟",
                                           "leader_certificate_number": "310101198503120049"})
    save(applicant, app_draft, "app", APP)
    app_pages = [f"/filings/{app_draft}/{page}" for page in ("app", "app/apk", "documents", "documents/app_icon",
                                                              "check")]

    public = ["/", "/log-in", "/register", "/terms", "/local-outbox"]
    wizard = ["type", "instance", "subject", "website", "documents", "documents/authenticity_statement",
              "documents/authenticity-statement", "documents/authorisation-letter", "check", "withdraw"]
    applicant_paths = ["/filings", "/console/service-codes", "/filings/new", "/filings/new-app", *app_pages,
                       *(f"/filings/{draft}/{step}" for step in wizard),
                       f"/filings/{approved}", f"/filings/{approved}/submitted", f"/filings/{sms}",
                       f"/filings/{deciding}", f"/filings/{photo}", f"/filings/{photo}/backdrop",
                       f"/filings/{photo}/photo"]
    staff_paths = {
        REVIEWER: ["/review", f"/review/{approved}", f"/review/{sms}", f"/review/{photo}", "/staff/outbox/failed"],
        ADMINISTRATION: ["/administration", f"/administration/{deciding}"],
    }
    return {"": public, APPLICANT: applicant_paths, **staff_paths, LONG_EMAIL: ["/filings"]}


def photo_world(tmp_path, clock) -> tuple:
    """An app under current practice with an order waiting for the phone verification; returns (app, phone path)."""
    app = make_app("local", tmp_path / "practice", clock, deadline_policy="current_practice")
    table = app.extensions["icp_table"]
    applicant = app.test_client()
    AuthActions(applicant).login()
    filing_id = _order(app, applicant, "DEMO7K2M9QX4LP8A", {}, SUBJECT, {**WEBSITE, **ADMINISTRATOR})
    review.pass_review(table, stored(app, filing_id), actor=REVIEWER, now=clock())
    token = csrf_token(applicant, f"/filings/{filing_id}")
    response = applicant.post(f"/filings/{filing_id}/phone-link", data={"csrf_token": token})
    link = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="phone-link").get_text(strip=True)
    return app, f"/filings/{filing_id}", "/" + link.split("//", 1)[1].split("/", 1)[1]


def _overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# the innermost elements that reach past the window's right edge, to say what to fix
_CULPRITS = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " «" + (e.textContent || "").trim().slice(0, 40) + "»")"""


def _visit_all(chromium, base: str, visits: dict, locale: str, width: int, shots: Path | None) -> list[str]:
    """Visit every path as its account at one width; returns what is too wide."""
    problems = []
    for email, paths in visits.items():
        context = chromium.new_context(locale=locale, viewport={"width": width, "height": 800})
        # the browser asks for the icon after the page has loaded; a request cut short by the next page would
        # leave the test server's thread with a broken connection, and the icon is not under test
        # (the pattern takes the content hash of the icon's URL too: /static/favicon.svg?v=...)
        context.route("**/favicon.svg*", lambda route: route.fulfill(
            status=200, content_type="image/svg+xml", body="<svg xmlns='http://www.w3.org/2000/svg'/>"))
        page = context.new_page()
        if email:
            page.goto(base + "/log-in")
            page.fill("#email", email)
            page.fill("#password", "demo-password")
            with page.expect_navigation():
                page.click("main button[type=submit]")
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, f"{path} answered {response.status}"
            if width <= 375 and (extra := _overflow(page)) > 0:
                problems.append(f"{locale} {width}px {path}: {extra}px too wide: {page.evaluate(_CULPRITS)}")
            if shots:
                name = f"{width}-{locale[:2]}-{email.split('@')[0] or 'visitor'}{path.replace('/', '_')}.png"
                page.screenshot(path=str(shots / name), full_page=True)
        context.close()
    return problems


def test_no_page_scrolls_sideways_at_320_pixels(app, tmp_path, clock):
    visits = seed_world(app, clock)
    practice, status_path, phone_path = photo_world(tmp_path, clock)
    shots = Path(os.environ["ICP_SCREENSHOTS"]) if os.environ.get("ICP_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    widths = (320, 375, 1280) if shots else (320,)
    problems = []
    with browser() as chromium:
        with serve(app) as base:
            for locale in ("en-GB", "zh-CN"):
                for width in widths:
                    problems += _visit_all(chromium, base, visits, locale, width, shots)
        with serve(practice) as base:
            for locale in ("en-GB", "zh-CN"):
                for width in widths:
                    problems += _visit_all(chromium, base, {"": [phone_path], APPLICANT: [status_path]},
                                           locale, width, shots)
    assert not problems, "\n".join(problems)
