"""No signed URL, certificate number, phone number or password in any log, on either backend."""
from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

import pytest
from flask.testing import FlaskClient

from icp import logs, notify
from icp.seed import DEMO_ACCOUNTS
from tests.conftest import AuthActions
from tests.journey import ADMINISTRATOR, BEIJING_ENTERPRISE, SUBJECT
from tests.workflow_helpers import REVIEWER, passed_review, submitted_order

DEMO_APPLICANT_MOBILE = next(mobile for email, _role, mobile, _name in DEMO_ACCOUNTS
                             if email == "applicant@example.com")

# everything personal the journey below types in or the demo data holds
SECRETS = [
    "demo-password", DEMO_APPLICANT_MOBILE,
    BEIJING_ENTERPRISE["certificate_number"], SUBJECT["leader_certificate_number"],
    ADMINISTRATOR["administrator_certificate_number"],
    SUBJECT["leader_mobile"], SUBJECT["leader_emergency_phone"],
    ADMINISTRATOR["administrator_mobile"], ADMINISTRATOR["administrator_emergency_phone"],
    "X-Amz-Signature", "X-Amz-Credential", "signature=", "Signature=",
]


@pytest.mark.parametrize("line, kept, gone", [
    ('127.0.0.1 - - "GET /local-download/filings/AB/leader.jpg?expires=1764234000&signature=abc123 HTTP/1.1" 200',
     ["GET /local-download/filings/AB/leader.jpg?[signed query removed] HTTP/1.1", "200"], ["abc123", "expires"]),
    ("https://b.s3.amazonaws.com/k.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F&"
     "X-Amz-Signature=deadbeef", ["https://b.s3.amazonaws.com/k.jpg"], ["deadbeef", "AKIA"]),
    ("https://b.s3.amazonaws.com/k.jpg?AWSAccessKeyId=AKIA&Expires=1&Signature=zz", ["k.jpg"], ["AKIA", "zz"]),
    ("GET /filings/AB12/website?return=check", ["?return=check"], []),
    ("sms to 13911112222: code", ["sms to 139****2222"], ["13911112222"]),
    ("to +86 139 1111 2222 and 8613911112222", [], ["1111 2222", "13911112222"]),
    ("emergency 010-62345678 or 0755 8123 4567", ["010-****5678"], ["62345678", "8123 4567"]),
    ("leader 11010519491231002X and 440106199208150064", ["11**************2X"], ["0519491231", "1992081500"]),
    ("licence 91110108MA01ABCD0B", ["91**************0B"], ["91110108MA01ABCD0B"]),
    ("passport E12345678 permit H1234567801", [], ["E12345678", "H1234567801"]),
    ("password=hunter2-long&email=a@example.com", ["password=***", "email=a@example.com"], ["hunter2"]),
    ('{"password": "hunter2-long", "current_password": "old-one"}', [], ["hunter2", "old-one"]),
    # what must survive: order numbers, codes, times, ICP numbers, expiry stamps
    ("order HAKQYRQ6KZ code DEMO7K2M9QX4LP8A at 2026-11-27T09:00:00+00:00 京ICP备20231234号-1 expires 1764234000",
     ["HAKQYRQ6KZ", "DEMO7K2M9QX4LP8A", "2026-11-27T09:00:00+00:00", "京ICP备20231234号-1", "1764234000"], []),
])
def test_redact(line, kept, gone):
    redacted = logs.redact(line)
    for text in kept:
        assert text in redacted
    for text in gone:
        assert text not in redacted


def test_a_record_with_arguments_and_a_traceback_is_redacted(caplog):
    logs.install()
    log = logging.getLogger("icp.test")
    try:
        raise ValueError("bad leader 11010519491231002X")
    except ValueError:
        with caplog.at_level(logging.INFO, logger="icp.test"):
            log.exception("sending to %s failed", "13911112222")
    text = caplog.text
    assert "139****2222" in text and "11**************2X" in text
    assert "13911112222" not in text and "11010519491231002X" not in text


class AccessLoggedClient(FlaskClient):
    """A test client that writes the access log line each request would get: werkzeug's locally, Zappa's on aws."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        environ = response.request.environ
        if self.application.config["ICP_SETTINGS"].is_local:
            from werkzeug._internal import _log

            target = quote(environ["PATH_INFO"]) + (f"?{environ['QUERY_STRING']}" if environ["QUERY_STRING"] else "")
            # the message werkzeug's WSGIRequestHandler.log_request writes for `flask run`
            _log("info", '127.0.0.1 - - [27/Nov/2026 09:00:00] "%s" %s %s',
                 f"{environ['REQUEST_METHOD']} {target} HTTP/1.1", response.status_code, "-")
        else:
            from zappa.wsgi import common_log

            response.content = response.get_data()
            common_log(environ, response, response_time=1000)
        return response


def _open_documents(app, client, filing_id: str, kinds: list[str], prefix: str) -> int:
    """Open each document as a browser would: our page redirects to a signed URL, which the browser fetches."""
    followed = 0
    for kind in kinds:
        response = client.get(f"{prefix}/{filing_id}/documents/{kind}" + ("/view" if prefix == "/filings" else ""))
        assert response.status_code == 302, (kind, response.status_code)
        location = urlsplit(response.location)
        if location.path.startswith("/local-download/"):  # the local store answers on this app
            assert client.get(f"{location.path}?{location.query}").status_code == 200
            followed += 1
    return followed


def test_a_whole_journey_leaves_nothing_secret_in_the_logs(any_app, clock, caplog):
    app = any_app
    app.test_client_class = AccessLoggedClient
    # every logger at INFO (Zappa runs at WARNING); the service's own at DEBUG
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="icp")
    applicant, filing_id = submitted_order(app)
    kinds = ["subject_certificate", "leader_id_front", "leader_id_back", "admin_id_front", "admin_id_back"]
    followed = _open_documents(app, applicant, filing_id, kinds, "/filings")
    reviewer = app.test_client()
    AuthActions(reviewer).login(email=REVIEWER)
    reviewer.get(f"/review/{filing_id}")
    followed += _open_documents(app, reviewer, filing_id, kinds, "/review")
    passed_review(app, clock, filing_id)
    settings = app.config["ICP_SETTINGS"]
    notify.deliver(app.extensions["icp_table"], notify.LogSender(settings.data_dir), now=clock(), clock=clock)
    AuthActions(applicant).logout()

    text = caplog.text
    assert "GET /filings" in text and f"/review/{filing_id}" in text, "the access log was written"
    assert "sms to 1" in text, "messages were delivered and logged"
    if settings.is_local:
        assert followed == 2 * len(kinds)
        assert text.count(logs.SIGNED_QUERY_REMOVED) >= followed
    leaks = [secret for secret in SECRETS if secret in text]
    assert leaks == [], leaks
