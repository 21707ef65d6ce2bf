"""Helpers for browser tests: serve an app on 127.0.0.1 in a thread, drive Debian's chromium, run axe."""
from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def chromium_available() -> bool:
    """True when Debian's chromium is installed (CI installs it; see .ci/run)."""
    return shutil.which("chromium") is not None


@contextmanager
def serve(app):
    """Serve `app` on a free port of 127.0.0.1 for the duration of the block; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


# One chromium per test module, launched by the module's first browser() and closed when the module ends
# (tests/conftest.py's autouse fixture calls close_shared_browser): launching Playwright's driver and chromium
# costs ~2 s. Tests stay apart because each works in its own context (new_context/new_page: cookies, storage and
# cache are per context), and browser() closes every context a test opened when its block ends.
_shared: dict = {}


@contextmanager
def browser():
    """A headless Debian chromium driven by Playwright (never `playwright install`), shared within a test module;
    every context opened in the block is closed when it ends."""
    if "browser" not in _shared or not _shared["browser"].is_connected():
        from playwright.sync_api import sync_playwright

        close_shared_browser()
        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    instance = _shared["browser"]
    try:
        yield instance
    finally:
        for context in list(instance.contexts):
            context.close()


def close_shared_browser() -> None:
    """Close the module's chromium and its Playwright driver, if one was launched."""
    instance, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    try:
        if instance is not None:
            instance.close()
    finally:
        if playwright is not None:
            playwright.stop()


def submit(page, button: str = "main form button[type=submit]") -> None:
    """Press a form's button and wait for the page it leads to (with JavaScript off, a click returns
    before the answer arrives, so asserting right after it races the navigation)."""
    with page.expect_navigation():
        page.locator(button).first.click()


def fill_fields(page, answers: dict) -> None:
    """Type a step's answers as a person would: a select chosen, a checkbox ticked ("y"), a radio's option chosen
    by its value, any other field filled."""
    for name, value in answers.items():
        if page.locator(f"input[type=radio][name={name}]").count():
            page.check(f"input[type=radio][name={name}][value='{value}']")
            continue
        field = page.locator(f"#{name}")
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || '')")
        if kind == "select":
            page.select_option(f"#{name}", value)
        elif kind == "checkbox":
            field.set_checked(bool(value))
        else:
            page.fill(f"#{name}", value)


def upload_each(page, kinds: list[str], photo, *, each=None) -> None:
    """On the documents step, upload `photo` for each kind but the optional domain certificate, each from its own
    page, and wait until its section says it is up; `each(page)` runs after every upload (a test's own checks)."""
    for kind in kinds:
        if kind == "domain_certificate":
            continue
        with page.expect_navigation():
            page.click(f"#document-{kind} a[href$='/documents/{kind}']")
        page.set_input_files(f"#file-{kind}", str(photo))
        page.click(f"#upload-{kind} button[type=submit]")
        page.wait_for_selector(f"#document-{kind} .tag--green")
        if each is not None:
            each(page)


def check_accessible(page, javascript: bool) -> None:
    """Axe on the page when JavaScript runs (axe is itself JavaScript); a page without it is judged by the rest."""
    if javascript:
        assert_accessible(page)


def axe_violations(page) -> list:
    """Run axe-core on the page; returns the violations (each with id, help and the nodes)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds any violation."""
    violations = axe_violations(page)
    assert not violations, "\n".join(
        f"{page.url}: {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]} "
        f"{v['nodes'][0].get('failureSummary', '')[:300]}" for v in violations)


needs_chromium = pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")
