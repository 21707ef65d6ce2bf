"""Fixtures: an app on either backend, its client and CLI runner, a settable clock, and log-in helpers."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup

# AWS is never reached: boto3 gets fake credentials and moto answers
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_SECURITY_TOKEN", "testing")
os.environ.setdefault("AWS_SESSION_TOKEN", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "cn-north-1")
# importing app.py builds the module-level app (Zappa's and `flask run`'s entry point), which on the local
# backend creates a secret key in its data folder: point that folder outside the checkout for the tests
if "ICP_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["ICP_DATA_DIR"] = tempfile.mkdtemp(prefix="icp-tests-")
# the moto server and the app under test listen on 127.0.0.1: never send that traffic through a proxy
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, ["127.0.0.1,localhost", os.environ.get(_name, "")]))

# production hashes passwords with scrypt at N=2**15 (icp.accounts.PASSWORD_METHOD): ~0.1-1 s a hash on a shared
# core, and every seeded app hashes three passwords and every log-in one. The tests hash at N=2**10 (same
# algorithm and code path, ~30x cheaper); test_auth.py checks production's value with the real work factor.
import icp.accounts  # noqa: E402

PRODUCTION_PASSWORD_METHOD = icp.accounts.PASSWORD_METHOD
icp.accounts.PASSWORD_METHOD = "scrypt:1024:8:1"

START = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)

# The files that take longest, started first (`--dist loadfile` runs each file on one worker, in the order
# pytest_collection_modifyitems leaves them): a long file begun last leaves the other worker idle until it ends.
# Longest first, as measured on 2026-12-06 (test_zappa first: on a fresh clone it builds the package's
# virtualenv). After these come the other files with a `slow`, `browser` or `apk` test, then the rest in
# pytest's order. A file missing here only costs balance, never a test.
LONG_FILES = (
    "test_zappa.py", "test_browser_consoles.py", "test_fuzz_forms.py", "test_browser_app.py",
    "test_browser_journey.py", "test_app_journey.py", "test_no_server_errors.py", "test_apk.py", "test_workflow.py",
    "test_step_reads.py", "test_workflow_more.py", "test_change_website.py", "test_after_number.py",
    "test_browser_change.py", "test_retention_after_service.py", "test_data_export.py",
    "test_faults.py", "test_documents.py", "test_steps.py", "test_staff_verification.py", "test_logs.py",
    "test_status_story.py", "test_browser_reflow.py", "test_identifiers.py",
)
_MARKED_FIRST = ("slow", "browser", "apk")


def pytest_configure(config):
    """Keep the file order set below: xdist would otherwise start the files with most tests first, which puts
    the long files of few tests (the browser journeys, the Zappa package) last."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """Long files first (see LONG_FILES); each file's tests stay together and in their order."""
    rank: dict[str, int] = {}
    for item in items:
        name = item.path.name
        if name in LONG_FILES:
            rank[name] = LONG_FILES.index(name)
        elif any(item.get_closest_marker(mark) for mark in _MARKED_FIRST):
            rank[name] = len(LONG_FILES)
    # a stable sort by file rank: files stay contiguous, tests keep their order within a file
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FILES) + 1))


class Clock:
    """A clock tests move by hand, so nothing depends on the wall clock."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        """Move the clock forward."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(scope="module", autouse=True)
def _shared_browser_per_module():
    """Close the chromium a module's browser tests shared (tests/browser.py) when the module ends."""
    yield
    import sys

    shared = sys.modules.get("tests.browser")
    if shared is not None:
        shared.close_shared_browser()


@pytest.fixture
def clock():
    """A clock pinned at 2026-11-27 09:00 UTC."""
    return Clock()


def make_app(backend: str, tmp_path, clock, **extra):
    """Build an app on the local (SQLite + folder) or aws (moto) backend, provisioned and seeded."""
    from app import create_app
    from icp.provision import provision
    from icp.seed import seed_demo

    services = extra.pop("demo_services", False)  # the demo applicant's approved orders (icp.seed_services)
    config = {"data_dir": str(tmp_path / "data"), "secret_key": "test-secret-key-" + "x" * 32,
              "TESTING": True, "ICP_CLOCK": clock, **extra}
    if backend == "aws":
        config.update(backend="aws", table_name="icp-test", bucket_name="icp-test-documents",
                      aws_region="cn-north-1", notify_channel="log")
    app = create_app(config)
    provision(app.config["ICP_SETTINGS"])
    seed_demo(app.extensions["icp_table"], now=clock(), services=services)
    return app


@pytest.fixture(params=["local", "aws"])
def any_app(request, tmp_path, clock):
    """The app on each backend in turn (the aws one under moto)."""
    if request.param == "aws":
        from moto import mock_aws

        with mock_aws():
            yield make_app("aws", tmp_path, clock)
    else:
        yield make_app("local", tmp_path, clock)


@pytest.fixture
def app(tmp_path, clock):
    """The app on the local backend with demo data."""
    return make_app("local", tmp_path, clock)


@pytest.fixture
def client(app):
    """A test client of the local app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the local app."""
    return app.test_cli_runner()


def page(response, status: int = 200) -> BeautifulSoup:
    """Parse a response as HTML after checking what every page must have."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.title and soup.title.string.strip(), "every page has a title"
    assert soup.find("h1"), "every page has a heading"
    for form in soup.find_all("form"):
        assert form.get("action"), "every form says where it posts"
        if form.get("method", "get").lower() == "post" and not form.get("action", "").startswith("http"):
            assert form.find("input", attrs={"name": "csrf_token"}), "every POST form carries a CSRF token"
    return soup


def csrf_token(client, path: str) -> str:
    """The CSRF token of the first POST form on a page."""
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def form_fields(client, path: str) -> dict:
    """The hidden fields (CSRF token, the version and answers shown) of the first POST form on a page."""
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    # the page's own form is the one that carries the version shown; the header's log-out form does not
    form = (soup.find("input", attrs={"name": "shown_version"})
            or soup.find("input", attrs={"name": "csrf_token"})).find_parent("form")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def field_error(soup: BeautifulSoup, field_id: str) -> str | None:
    """The error message shown next to a field, also checking it is linked from the error summary."""
    message = soup.find(id=f"{field_id}-error")
    if message is None:
        return None
    summary = soup.find(class_="error-summary")
    assert summary is not None, "a page with field errors has an error summary"
    assert summary.find("a", href=f"#{field_id}"), f"the summary links to #{field_id}"
    target = soup.find(id=field_id)
    assert target is not None, f"the summary's link target #{field_id} exists"
    return message.get_text(" ", strip=True).removeprefix("Error:").strip()


class AuthActions:
    """Register, log in and log out through the real forms."""

    def __init__(self, client):
        self.client = client

    def register(self, email="new@example.com", password="a-long-password", mobile="13912345678",
                 confirm=None):
        """Post the registration form."""
        token = csrf_token(self.client, "/register")
        return self.client.post("/register", data={
            "csrf_token": token, "email": email, "mobile": mobile, "password": password,
            "confirm": password if confirm is None else confirm,
        })

    def login(self, email="applicant@example.com", password="demo-password"):
        """Post the log-in form."""
        token = csrf_token(self.client, "/log-in")
        return self.client.post("/log-in", data={"csrf_token": token, "email": email, "password": password})

    def logout(self):
        """Press the log-out button."""
        token = csrf_token(self.client, "/")
        return self.client.post("/log-out", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    """Log-in helpers bound to the local client."""
    return AuthActions(client)
