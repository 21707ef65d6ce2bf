"""Robustness: Hypothesis posts arbitrary values to every form of the service (2,000 posts or more per run).

Each form is read from its page as a browser would (its fields and CSRF token), then posted with values drawn
from anything text can be: empty, very long, control characters, markup, other scripts, several values for
one name, names the form does not have, and bodies that are not UTF-8. Whatever arrives, the service answers
below 500, and every error it shows is attached to a field that is on the page (and linked from the summary).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icp.filing import filing_key
from tests.conftest import AuthActions, Clock, make_app
from tests.journey import SUBJECT, WEBSITE, bind_code, save, start
from tests.workflow_helpers import submitted_order

EXAMPLES = 60  # random posts per page, on top of the systematic ones (one per field and tricky value)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# values that break naive parsing: empty, whitespace, control characters, markup, URLs, dates, other scripts
TRICKY_VALUES = [
    "", " ", "\t", "\x00", "\r\n", "[]", "{}", "http://[", "http://[::1", "https://[example]/", "//evil.example",
    "0000-00-00", "2035-02-30", "9" * 400, "<script>alert(1)</script>", "' OR 1=1 --", "%00", "..", "中国shop!",
    "１２３", "😀", "\u202e", "ＡＢＣ", "-1", "1e309", "NaN", "on", "y",
]
TRICKY = st.sampled_from(TRICKY_VALUES)
VALUE = st.one_of(TRICKY, st.text(max_size=60), st.text(alphabet=st.characters(codec="utf-8"), max_size=300))


@pytest.fixture(scope="module")
def world():
    """One app with an order at each place the forms need; shared by the fuzzed posts (they only add noise)."""
    clock = Clock()
    app = make_app("local", Path(tempfile.mkdtemp()), clock)
    applicant = app.test_client()
    AuthActions(applicant).login()
    draft = start(applicant)
    bind_code(applicant, draft)
    save(applicant, draft, "subject", SUBJECT)
    save(applicant, draft, "website", WEBSITE)
    import tests.journey as journey
    import tests.workflow_helpers as helpers

    second_code = lambda client, filing_id: journey.bind_code(client, filing_id, "DEMO3H6T8RW5NB2C")  # noqa: E731
    original, helpers.bind_code = helpers.bind_code, second_code
    try:
        _client, in_review = submitted_order(app, province="tianjin", nature="enterprise",
                                             certificate_type="business_licence",
                                             certificate_number="91120116MA06QR7T0H", domain="haihe-data.cn")
    finally:
        helpers.bind_code = original
    reviewer, administration, anonymous = app.test_client(), app.test_client(), app.test_client()
    AuthActions(reviewer).login(email="reviewer@example.com")
    AuthActions(administration).login(email="administration@example.com")
    clients = {"applicant": applicant, "reviewer": reviewer, "administration": administration,
               "anonymous": anonymous}
    table = app.extensions["icp_table"]
    snapshot = table.get(*filing_key(in_review))

    def reset():
        """Put the order in review back as it was (a fuzzed return with a valid comment moves it on)."""
        from icp.store import Put

        stored = table.get(*filing_key(in_review))
        table.write([Put({**snapshot, "version": stored["version"] + 1})])

    return {"app": app, "clients": clients, "draft": draft, "in_review": in_review, "reset": reset}


ONE_BUTTON = ("/withdraw", "/remove", "/pass", "/send", "/approve", "/app-verified", "/check")


def _forms(client, path: str) -> list:
    """The POST forms on a page, each as (action, field names, the values the page fills in)."""
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    found = []
    for form in soup.find_all("form", method=lambda m: m and m.lower() == "post"):
        action = form.get("action", "")
        # forms of one button (log out, withdraw, pass, send, approve) have nothing to fuzz but would end the
        # order the other posts need
        if not action.startswith("/") or action in ("/log-out",) or action.endswith(ONE_BUTTON):
            continue
        # a form's fields are inside it or anywhere with form="<its id>" (the reviewer's comment boxes)
        fields = form.find_all(["input", "select", "textarea"]) + (
            soup.find_all(["input", "select", "textarea"], attrs={"form": form["id"]}) if form.get("id") else [])
        names = sorted({i["name"] for i in fields if i.get("name")})
        filled: dict[str, list] = {}
        for field in fields:
            name = field.get("name")
            if not name:
                continue
            if field.name == "select":
                chosen = field.find("option", selected=True)
                filled.setdefault(name, []).append(chosen.get("value", "") if chosen else "")
            elif field.name == "textarea":
                filled.setdefault(name, []).append(field.get_text())
            elif field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    filled.setdefault(name, []).append(field.get("value", "y"))
            elif field.get("type") != "file":
                filled.setdefault(name, []).append(field.get("value", ""))
        found.append((action, names, filled))
    return found


# (who, the page whose forms are posted)
PAGES = [
    ("anonymous", "/log-in"), ("anonymous", "/register"),
    ("applicant", "/filings/new"), ("applicant", "/filings/{draft}/instance"),
    ("applicant", "/filings/{draft}/subject"), ("applicant", "/filings/{draft}/website"),
    ("applicant", "/console/service-codes"),
    ("reviewer", "/review/{in_review}"),
]


def _assert_answer_is_sound(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code in (301, 302, 303):
        return
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find("h1"), f"{where}: a page with a heading, not a bare error"
    summary = soup.find(class_="error-summary")
    for message in soup.select(".error-message"):
        field_id = (message.get("id") or "").removesuffix("-error")
        assert field_id and soup.find(id=field_id), f"{where}: an error attached to no field: {message}"
        assert summary and summary.find("a", href=f"#{field_id}"), f"{where}: #{field_id} not in the summary"


def _page_forms(world, who: str, path: str) -> tuple:
    """The person's client and the forms of the page, the order in review put back as it was first."""
    client = world["clients"][who]
    page = path.format(**world)
    world["reset"]()
    forms = _forms(client, page)
    assert forms, f"no form on {page}"
    return client, forms


@pytest.mark.parametrize("who, path", PAGES)
def test_each_field_given_each_tricky_value_gets_an_answer_below_500(world, who, path):
    """Systematic: the form as its page fills it (so every other check passes) with one field changed."""
    client, forms = _page_forms(world, who, path)
    posts = 0
    for action, names, filled in forms:
        for name in set(names) - {"csrf_token"}:
            for value in TRICKY_VALUES:
                response = client.post(action, data={**filled, name: value})
                _assert_answer_is_sound(response, f"POST {action} {name}={value!r}")
                posts += 1
    assert posts >= len(TRICKY_VALUES)


@pytest.mark.parametrize("who, path", PAGES)
def test_any_values_posted_to_a_form_get_an_answer_below_500(world, who, path):
    """Random: several fields at once, lists for single values, names the form does not have."""
    client, forms = _page_forms(world, who, path)
    names = sorted({n for _action, fields, _filled in forms for n in fields} - {"csrf_token"})

    @FUZZ
    @given(form=st.sampled_from(forms),
           values=st.dictionaries(st.sampled_from(names + ["Key", "next", "version", "a" * 300]) if names
                                  else st.just("x"), st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=12))
    def post(form, values):
        action, _fields, filled = form
        response = client.post(action, data={**filled, **values})
        _assert_answer_is_sound(response, f"POST {action} {values!r}"[:2000])

    post()


@FUZZ
@given(body=st.binary(max_size=300))
def test_bodies_that_are_not_utf8_get_an_answer_below_500(world, body):
    client = world["clients"]["applicant"]
    draft = world["draft"]
    token = _forms(client, f"/filings/{draft}/subject")[0][2]["csrf_token"][0]
    raw = b"csrf_token=" + token.encode() + b"&mailing_address=" + body + b"&investor=%FF%FE"
    response = client.post(f"/filings/{draft}/subject", data=raw,
                           content_type="application/x-www-form-urlencoded")
    _assert_answer_is_sound(response, f"raw body {body!r}")
