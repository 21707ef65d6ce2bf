"""Access: every route of the app, for one order, as anonymous, another applicant and each staff role.

The route list is read from the app itself, so a route added later is covered (or this test fails asking
what it may show). Nobody may see or change an order that is not theirs to see: no page, document, download
link or history entry of it leaks, and its version is unchanged after every attempt.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import AuthActions, csrf_token
from tests.workflow_helpers import documents, stored, submitted_order

# what would betray the victim's order if it appeared in a response
SECRETS = ("91110108MA01ABCD0B", "13911112222", "王芳", "wang@example-shop.cn", "440106199208150064")
DOCUMENT_KIND = "leader_id_front"

# who may use which route prefix: everyone else gets 404 (never a hint that the page exists) or is sent to log in
STAFF_ROUTES = {"reviewer": (r"/review", r"/staff/"),
                 # the administration simulator opens the order's documents through the staff document route
                 "administration": (r"/administration", r"/review/[^/]+/documents/")}
PUBLIC = ("/", "/terms", "/log-in", "/register", "/language/", "/static/", "/local-outbox", "/log-out", "/favicon.ico")


def _concrete(rule, filing_id: str) -> str:
    """The rule's URL with the victim's order and a sample of every other argument."""
    path = rule.rule
    path = path.replace("<filing_id>", filing_id).replace("<message_id>", "0" * 26)
    path = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip().strip("'"), path)
    path = path.replace("<kind>", DOCUMENT_KIND).replace("<token>", "A" * 43)
    path = path.replace("<path:key>", f"documents/{filing_id}/{DOCUMENT_KIND}")
    path = path.replace("<path:filename>", "site.css").replace("<code>", "zh")
    assert "<" not in path, f"teach this test the arguments of {rule.rule}"
    return path


def _actor(app, who: str):
    client = app.test_client()
    if who == "other applicant":
        assert AuthActions(client).register(email="mallory@example.com").status_code == 302
    elif who != "anonymous":
        assert AuthActions(client).login(email=f"{who}@example.com").status_code == 302
    return client


def _allowed(who: str, path: str) -> bool:
    """Whether this person may legitimately see what the path shows of the victim's order."""
    return any(re.match(prefix, path) for prefix in STAFF_ROUTES.get(who, ()))


@pytest.mark.parametrize("who", ["anonymous", "other applicant", "reviewer", "administration"])
def test_no_route_shows_or_changes_another_persons_order(app, clock, who):
    _owner, victim = submitted_order(app)
    before = stored(app, victim)["version"]
    client = _actor(app, who)
    # a valid token of the person's own session (the log-out form in every page's header carries one), so
    # that what stops them is the access check, not CSRF
    token = csrf_token(client, "/log-in" if who == "anonymous" else "/")
    checked = 0
    for rule in app.url_map.iter_rules():
        path = _concrete(rule, victim)
        if any(path == p or (len(p) > 1 and p.endswith("/") and path.startswith(p)) for p in PUBLIC):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            body = response.get_data(as_text=True)
            checked += 1
            assert response.status_code < 500, f"{method} {path} as {who}: {response.status_code}"
            if _allowed(who, path):
                continue
            if not any(arg in rule.arguments for arg in ("filing_id", "key", "message_id")):
                # the person's own pages (My filings, service codes, a new order): theirs to see, but not
                # a trace of the victim's order
                assert not [s for s in SECRETS if s in body], f"{method} {path} as {who} shows the order"
                continue
            assert response.status_code in (302, 303, 400, 403, 404, 405), f"{method} {path} as {who}"
            if response.status_code in (302, 303):
                location = response.location or ""
                assert "/log-in" in location or who != "anonymous" and victim not in location, \
                    f"{method} {path} as {who} redirected to {location}"
            leaked = [s for s in SECRETS if s in body]
            assert not leaked, f"{method} {path} as {who} shows {leaked}"
            assert not re.search(r"X-Amz-Signature|[?&]signature=", body), f"{method} {path} gives a signed link"
    assert checked > 40
    assert stored(app, victim)["version"] == before, f"{who} changed the order"


def test_a_documents_storage_key_without_its_signature_is_refused(app, clock):
    _owner, victim = submitted_order(app)
    key = documents(app, victim)[DOCUMENT_KIND]["key"]
    for who in ("anonymous", "other applicant", "reviewer"):
        response = _actor(app, who).get(f"/local-download/{key}")
        assert response.status_code == 403, who
        assert not response.get_data().startswith(b"\xff\xd8"), "no image bytes without a valid signature"


def test_the_owners_signed_link_does_not_open_another_document(app, clock):
    owner, victim = submitted_order(app)
    view = owner.get(f"/filings/{victim}/documents/{DOCUMENT_KIND}/view")
    assert view.status_code in (302, 303)
    signed = view.location
    other_key = documents(app, victim)["leader_id_back"]["key"]
    forged = re.sub(r"/local-download/[^?]+", f"/local-download/{other_key}", signed)
    assert forged != signed
    assert app.test_client().get(forged).status_code == 403


@pytest.mark.parametrize("who", ["applicant", "reviewer", "administration"])
def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(app, clock, who):
    _owner, order = submitted_order(app)
    before = stored(app, order)["version"]
    client = _actor(app, who)
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) > 20
    for rule in posts:
        path = _concrete(rule, order)
        if path == "/local-upload":
            continue  # a storage endpoint: authorised by its signed policy, as S3 is (tested with the uploads)
        response = client.post(path, data={"csrf_token": "forged"})
        assert response.status_code in (400, 404), f"POST {path} as {who} without a valid token: {response.status_code}"
    assert stored(app, order)["version"] == before


def test_every_kind_of_response_carries_the_security_headers(app, clock):
    """Pages, redirects, errors of each kind, static files, document downloads and storage refusals."""
    owner, order = submitted_order(app)
    view = owner.get(f"/filings/{order}/documents/{DOCUMENT_KIND}/view")
    download = view.location
    responses = {
        "page": owner.get(f"/filings/{order}"),
        "redirect": app.test_client().get("/filings"),
        "not found": owner.get("/no-such-page"),
        "bad request (CSRF)": owner.post(f"/filings/{order}/withdraw", data={}),
        "method not allowed": owner.put("/filings"),
        "static file": owner.get("/static/site.css"),
        "document download": owner.get(download),
        "forged download": owner.get(download.replace("signature=", "signature=0")),
        "storage refusal": owner.post("/local-upload", data={"key": "x"}),
    }
    for kind, response in responses.items():
        headers = response.headers
        assert response.status_code < 500, kind
        assert "default-src 'self'" in headers.get("Content-Security-Policy", ""), kind
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], kind
        assert headers.get("X-Frame-Options") == "DENY", kind
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("Referrer-Policy") == "same-origin", kind
        response.close()
    # pages and documents hold personal data: never in a shared cache
    for kind in ("page", "document download", "not found"):
        assert "no-store" in responses[kind].headers.get("Cache-Control", ""), kind
