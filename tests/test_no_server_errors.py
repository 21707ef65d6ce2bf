"""Every route, for every role, answers malformed paths, queries and forms with a 4xx or a page, never a 5xx."""
from __future__ import annotations

import re

import pytest

from tests.conftest import AuthActions, csrf_token, make_app
from tests.journey import start

WEIRD_VALUES = ["%0D%0Ax", "%00", "%FF%FE", "[", "http:%2F%2F[", "..%2F..%2Fetc", "%E2%80%AE", "x" * 300]
WEIRD_QUERY = "next=%2F%0D%0Ax&return=%0A&key=%00&_method=x&filing_id=x&code=%5B&lang=%FF&count=1e999&page=-1"
FORM_VALUES = ["", "\x00", "[", "http://[", "\r\nx", "9" * 400, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
SKIP = ("static", "local_storage.")  # static files; the local upload and download are another part of issue 7


def _routes(app):
    """(rule, methods) of every route but the skipped ones."""
    return [(rule, rule.methods & {"GET", "POST"}) for rule in app.url_map.iter_rules()
            if not rule.endpoint.startswith(SKIP)]


def _fill(rule, value: str, filing_id: str) -> str:
    """The rule's path with every variable set to value (filing ids to a real order's number, to reach the view)."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", filing_id if name == "filing_id" else value, path)
    return path


@pytest.mark.parametrize("email", [None, "applicant@example.com", "reviewer@example.com",
                                   "administration@example.com"])
def test_no_route_answers_malformed_input_with_a_server_error(tmp_path, clock, email):
    app = make_app("local", tmp_path, clock, TESTING=False)
    client = app.test_client()
    filing_id = "NOSUCH0000"
    if email:
        AuthActions(client).login(email=email)
        if email.startswith("applicant"):
            filing_id = start(client)
    token = csrf_token(client, "/" if email else "/log-in")
    failures = []
    for rule, methods in _routes(app):
        for value in WEIRD_VALUES:
            path = _fill(rule, value, filing_id)
            if "GET" in methods:
                response = client.get(f"{path}?{WEIRD_QUERY}")
                if response.status_code >= 500:
                    failures.append(("GET", path))
            if "POST" in methods and rule.endpoint != "auth.log_out":
                for form_value in FORM_VALUES:
                    fields = {name: form_value for name in (
                        "service_code", "home_url", "name", "count", "instance_id", "version", "code", "comments",
                        "domain", "province", "email", "password", "mobile", "certificate_number", "reason")}
                    response = client.post(f"{path}?{WEIRD_QUERY}", data={"csrf_token": token, **fields})
                    if response.status_code >= 500:
                        failures.append(("POST", path, form_value))
    assert failures == []
