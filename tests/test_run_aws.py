"""`make run-aws`: the app served over real HTTP with the environment tools.run_aws sets, against a moto server.

Nothing here uses the Flask test client: a person's log-in and upload go through sockets, as from a browser on
the laptop (requests, and Debian's chromium where it is installed), to catch what only plain http shows (a
Secure cookie never comes back) and what only a browser enforces (the CSP's form-action, the bucket's CORS).
"""
from __future__ import annotations

import threading
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from tests import images
from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.document_uploads import documents_url, make_ready_filing, parts, upload_form, upload_url
from tests.laptop import laptop  # noqa: F401 (the fixture: the app on a moto server as make run-aws runs it)

APPLICANT = "applicant@example.com"


def soup_of(response: requests.Response) -> BeautifulSoup:
    """Parse a page after checking it answered 200."""
    assert response.status_code == 200, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


def log_in(site_url: str) -> requests.Session:
    """Log the demo applicant in through the real form; returns the session holding the cookie."""
    session = requests.Session()
    form = soup_of(session.get(f"{site_url}/log-in", timeout=10))
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    answer = session.post(f"{site_url}/log-in", data={"csrf_token": token, "email": APPLICANT,
                                                       "password": "demo-password"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:2000]
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie, "plain http on 127.0.0.1: a Secure cookie would never be sent back"
    return session


def test_log_in_and_upload_over_http_against_the_moto_server(laptop):
    site_url, moto_url, app = laptop
    settings = app.config["ICP_SETTINGS"]
    assert settings.backend == "aws" and settings.s3_endpoint_url == moto_url
    home = requests.get(f"{site_url}/", timeout=10)
    assert "form-action 'self' " + moto_url in home.headers["Content-Security-Policy"]
    assert "connect-src 'self' " + moto_url in home.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in home.headers
    assert requests.get(f"{site_url}/local-outbox", timeout=10).status_code == 404, "the aws backend's pages"

    session = log_in(site_url)
    assert APPLICANT in session.get(f"{site_url}/filings", timeout=10).text, "the cookie came back: logged in"

    filing = make_ready_filing(app, now=datetime.now(timezone.utc))
    action, fields = upload_form(soup_of(session.get(site_url + upload_url(filing, "leader_id_front"), timeout=10)),
                                 "leader_id_front")
    assert action == f"{moto_url}/{settings.bucket_name}", "the form posts straight to the bucket"
    # the upload page's script posts from the site's origin with a progress listener, so chromium asks first
    preflight = requests.options(action, headers={"Origin": site_url, "Access-Control-Request-Method": "POST"},
                                 timeout=10)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == site_url
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]

    data = images.jpeg_bytes(1200, 800)
    stored = requests.post(action, data=fields, files={"file": ("scan.jpg", data, "image/jpeg")},
                           allow_redirects=False, timeout=10)
    assert stored.status_code == 303, stored.text
    location = stored.headers["Location"]
    assert location.startswith(f"{site_url}/filings/{filing['id']}/documents/leader_id_front/confirm?")
    assert parse_qs(urlsplit(location).query)["key"] == [fields["key"]]
    confirmed = session.get(location, timeout=10)
    assert urlsplit(confirmed.url).path == documents_url(filing)
    assert "Subject leader's ID, front uploaded." in soup_of(confirmed).get_text(" ")
    document = parts(app, filing)[1]["leader_id_front"]
    # the stored document is the clean copy re-encoded from the upload's pixels (icp.rules.CLEAN_COPY)
    import io

    from PIL import Image

    stored_bytes = app.extensions["icp_blobs"].read(document["key"])
    with Image.open(io.BytesIO(stored_bytes)) as clean, Image.open(io.BytesIO(data)) as uploaded:
        assert clean.format == "JPEG" and clean.size == uploaded.size, "the clean copy is in the moto bucket"


@pytest.mark.browser
@needs_chromium
def test_a_browser_logs_in_and_uploads_against_the_moto_server(laptop):
    from playwright.sync_api import sync_playwright

    site_url, moto_url, app = laptop
    filing = make_ready_filing(app, now=datetime.now(timezone.utc))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for javascript, kind in ((False, "leader_id_front"), (True, "leader_id_back")):
                tab = chromium.new_context(java_script_enabled=javascript).new_page()
                refused = []  # a CSP or CORS refusal shows only on the console
                tab.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
                tab.goto(f"{site_url}/log-in")
                tab.fill("#email", APPLICANT)
                tab.fill("#password", "demo-password")
                with tab.expect_navigation():
                    tab.click("main button[type=submit]")
                tab.goto(site_url + upload_url(filing, kind))
                tab.set_input_files(f"#file-{kind}", files=[
                    {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg_bytes()}])
                tab.click(f"#upload-{kind} button[type=submit]")
                tab.wait_for_selector(".notice--success")
                assert urlsplit(tab.url).path == documents_url(filing), (javascript, tab.url)
                assert kind in parts(app, filing)[1], javascript
                # S3's 303 leads the script's request back to our confirm page from another origin, which
                # chromium reports; upload.js expects it (see its "error" listener) and opens that page itself
                expected = (f"Access to XMLHttpRequest at '{site_url}/filings/", "Failed to load resource: net::ERR_FAILED")
                blocked = [text for text in refused if not text.startswith(expected)]
                assert blocked == [], (javascript, blocked)
                tab.context.close()
        finally:
            chromium.close()


def test_the_jobs_thread_runs_the_outbox_every_minute_and_the_sweep_every_quarter_hour(monkeypatch):
    from icp import jobs
    from tools import run_aws

    calls, stop = [], threading.Event()

    def outbox(event, context):
        calls.append("outbox")
        if len(calls) == 1:
            raise RuntimeError("SES is down")  # logged; the next minute runs all the same

    def sweep(event, context):
        calls.append("sweep")
        stop.set()

    monkeypatch.setattr(jobs, "deliver_outbox", outbox)
    monkeypatch.setattr(jobs, "sweep_deadlines", sweep)
    run_aws.run_jobs(stop, period=0)  # no waiting between "minutes"
    assert calls == ["outbox"] * 15 + ["sweep"]
