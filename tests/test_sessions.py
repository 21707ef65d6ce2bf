"""Server-side sessions: a copied cookie is worth nothing after log-out, a password change, or the limits."""
from __future__ import annotations

from contextlib import contextmanager

from datetime import timedelta

import pytest

from icp import accounts, sessions
from tests.conftest import START, AuthActions, csrf_token, field_error, page
from tests.store_fixtures import aws_credentials, atomic_moto, moto_server, table  # noqa: F401 (fixtures)

LIMITS = sessions.SessionLimits(idle=timedelta(hours=2), absolute=timedelta(hours=12),
                                touch_every=timedelta(minutes=5))


# ---- the domain, on both tables ----

def test_a_session_is_read_back_until_it_is_ended(table):
    started = sessions.start_session(table, email="A@example.com", role="applicant", now=START, limits=LIMITS)
    found = sessions.check_session(table, started.session_id, now=START + timedelta(minutes=1), limits=LIMITS)
    assert (found.email, found.role) == ("a@example.com", "applicant")
    sessions.end_session(table, started.session_id)
    assert sessions.check_session(table, started.session_id, now=START, limits=LIMITS) is None
    assert table.query(*sessions.session_links("a@example.com")) == []


def test_each_log_in_gets_a_new_unguessable_id(table):
    ids = {sessions.start_session(table, email="a@example.com", role="applicant", now=START,
                                  limits=LIMITS).session_id for _ in range(3)}
    assert len(ids) == 3
    assert all(len(i) >= 40 for i in ids)


@pytest.mark.parametrize("session_id", ["", "x" * 500, "../ACCOUNT#a@example.com", None, 7, "no such id"])
def test_a_made_up_session_id_is_nobody(table, session_id):
    assert sessions.check_session(table, session_id, now=START, limits=LIMITS) is None
    sessions.end_session(table, session_id)  # and ending it is harmless


def test_the_idle_limit_ends_a_session(table):
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    # used every hour: still alive after four hours
    for hour in range(1, 5):
        assert sessions.check_session(table, started.session_id, now=START + timedelta(hours=hour), limits=LIMITS)
    later = START + timedelta(hours=4) + LIMITS.idle + timedelta(seconds=1)
    assert sessions.check_session(table, started.session_id, now=later, limits=LIMITS) is None
    assert table.get(*sessions.session_key(started.session_id)) is None


def test_the_absolute_limit_ends_a_session_in_use(table):
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    moment = START
    while moment < START + LIMITS.absolute:
        assert sessions.check_session(table, started.session_id, now=moment, limits=LIMITS)
        moment += timedelta(hours=1)
    assert sessions.check_session(table, started.session_id, now=moment + timedelta(seconds=1),
                                  limits=LIMITS) is None


def test_a_page_view_writes_only_when_last_seen_is_stale(table):
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    key = sessions.session_key(started.session_id)
    sessions.check_session(table, started.session_id, now=START + timedelta(minutes=4), limits=LIMITS)
    assert table.get(*key)["version"] == 1  # no write within touch_every
    sessions.check_session(table, started.session_id, now=START + timedelta(minutes=6), limits=LIMITS)
    item = table.get(*key)
    assert (item["version"], item["last_seen_at"]) == (2, (START + timedelta(minutes=6)).isoformat())


def test_a_touch_never_brings_back_an_ended_session(table):
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    stale = table.get(*sessions.session_key(started.session_id))
    sessions.end_session(table, started.session_id)

    class EndedMeanwhile:
        """The table as a request sees it when a log-out lands between its read and its touch."""

        def __init__(self):
            self.first_read = True

        def get(self, pk, sk):
            if self.first_read:
                self.first_read = False
                return stale
            return table.get(pk, sk)

        def write(self, ops):
            return table.write(ops)

    found = sessions.check_session(EndedMeanwhile(), started.session_id, now=START + timedelta(minutes=30),
                                   limits=LIMITS)
    assert found is None
    assert table.get(*sessions.session_key(started.session_id)) is None


def test_ending_all_sessions_ends_every_one_of_the_account_only(table):
    mine = [sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
            for _ in range(60)]  # more than one atomic write holds
    other = sessions.start_session(table, email="b@example.com", role="applicant", now=START, limits=LIMITS)
    assert sessions.end_all_sessions(table, "a@example.com") == 60
    assert all(sessions.check_session(table, s.session_id, now=START, limits=LIMITS) is None for s in mine)
    assert sessions.check_session(table, other.session_id, now=START, limits=LIMITS)


def test_a_log_in_clears_away_the_accounts_finished_sessions(table):
    old = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    sessions.start_session(table, email="a@example.com", role="applicant",
                           now=START + LIMITS.absolute + timedelta(hours=1), limits=LIMITS)
    assert table.get(*sessions.session_key(old.session_id)) is None
    assert len(table.query(*sessions.session_links("a@example.com"))) == 1


def test_a_password_change_ends_every_session_and_checks_the_current_password(table):
    accounts.create_account(table, email="a@example.com", password="first-password", mobile="13912345678",
                            now=START)
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    with pytest.raises(accounts.LoginRefused, match="current password"):
        accounts.change_password(table, email="a@example.com", current_password="wrong-password",
                                 new_password="second-password", address="1.2.3.4", now=START)
    assert sessions.check_session(table, started.session_id, now=START, limits=LIMITS)
    accounts.change_password(table, email="a@example.com", current_password="first-password",
                             new_password="second-password", address="1.2.3.4", now=START)
    assert sessions.check_session(table, started.session_id, now=START, limits=LIMITS) is None
    assert accounts.authenticate(table, email="a@example.com", password="second-password", address="1.2.3.4",
                                 now=START).email == "a@example.com"


def test_deleting_an_account_ends_its_sessions(table):
    accounts.create_account(table, email="a@example.com", password="first-password", mobile="13912345678",
                            now=START)
    started = sessions.start_session(table, email="a@example.com", role="applicant", now=START, limits=LIMITS)
    assert accounts.delete_account(table, "a@example.com") is True
    assert sessions.check_session(table, started.session_id, now=START, limits=LIMITS) is None
    assert accounts.get_account(table, "a@example.com") is None
    assert accounts.delete_account(table, "a@example.com") is False


# ---- through the site, on both backends ----

def _copied_cookie(app, client):
    """A second browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_is_worth_nothing_after_log_out(any_app):
    client = any_app.test_client()
    AuthActions(client).login()
    thief = _copied_cookie(any_app, client)
    assert "My filings" in thief.get("/filings").get_data(as_text=True)  # the copy works while logged in
    AuthActions(client).logout()
    response = thief.get("/filings")
    assert response.status_code == 302 and response.location.startswith("/log-in")


def test_the_idle_and_absolute_limits_log_out_on_the_site(any_app, clock):
    client = any_app.test_client()
    AuthActions(client).login()
    clock.advance(hours=1, minutes=59)
    assert client.get("/filings").status_code == 200
    clock.advance(hours=2, minutes=1)
    assert client.get("/filings").status_code == 302


def test_the_limits_are_settings(tmp_path, clock):
    from tests.conftest import make_app

    app = make_app("local", tmp_path, clock, session_idle_minutes=10, session_absolute_hours=1)
    client = app.test_client()
    AuthActions(client).login()
    clock.advance(minutes=9)
    assert client.get("/filings").status_code == 200
    clock.advance(minutes=11)
    assert client.get("/filings").status_code == 302


def test_a_new_session_id_at_log_in(app):
    client = app.test_client()
    client.get("/log-in")
    before = client.get_cookie("session").value
    AuthActions(client).login()
    assert client.get_cookie("session").value != before
    AuthActions(client).logout()
    AuthActions(client).login()
    # a second log-in is a new session: the first one's cookie stays dead
    with client.session_transaction() as flask_session:
        second = flask_session["_user_id"]
    assert app.extensions["icp_table"].query(*sessions.session_links("applicant@example.com"))[0]["session_id"] == second


def test_changing_the_password_logs_out_other_browsers_and_keeps_this_one(any_app):
    client = any_app.test_client()
    AuthActions(client).login()
    other = any_app.test_client()
    AuthActions(other).login()
    response = client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": "demo-password",
        "password": "a-new-long-password", "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert client.get("/filings").status_code == 200
    assert other.get("/filings").status_code == 302
    AuthActions(client).logout()
    assert AuthActions(client).login(password="a-new-long-password").location == "/filings"


@pytest.mark.parametrize("values, field, message", [
    ({"current_password": "wrong-password"}, "current_password", "current password is not right"),
    ({"current_password": ""}, "current_password", "Enter your current password"),
    ({"password": "short", "confirm": "short"}, "password", "at least 10 characters"),
    ({"confirm": "something-else"}, "confirm", "Enter the same password in both fields"),
])
def test_password_change_refusals_are_next_to_the_field(client, auth, values, field, message):
    auth.login()
    data = {"current_password": "demo-password", "password": "a-new-long-password",
            "confirm": "a-new-long-password", **values}
    soup = page(client.post("/account/password", data={"csrf_token": csrf_token(client, "/account/password"),
                                                        **data}))
    assert message.lower() in field_error(soup, field).lower()
    assert client.get("/filings").status_code == 200  # still logged in


@contextmanager
def table_reads(app):
    """Within the block, the names of the table's read calls, in order."""
    table = app.extensions["icp_table"]
    calls: list[str] = []
    reads = ("get", "get_many", "query", "query_index")
    for name in reads:
        original = getattr(table, name)
        setattr(table, name, lambda *a, _name=name, _original=original, **k: (calls.append(_name), _original(*a, **k))[1])
    try:
        yield calls
    finally:
        for name in reads:
            del table.__dict__[name]


def test_a_step_reads_the_session_and_the_order_in_one_round_trip(app, clock):
    """Steps 3 and 4 and the other pages of the order alone: one get_many, no other read of either."""
    from tests.journey import SUBJECT, bind_code, post_form, start

    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    bind_code(client, filing_id)
    with table_reads(app) as calls:
        page_response = client.get(f"/filings/{filing_id}/subject")
        assert page_response.status_code == 200
        assert calls == ["get_many"], calls
        calls.clear()
        response = post_form(client, f"/filings/{filing_id}/subject", SUBJECT)
    assert response.status_code == 302
    # post_form fetched the page for its token (one get_many), then the POST read once more, together
    assert calls == ["get_many", "get_many"], calls


def test_step_2_binds_a_code_without_listing_the_accounts_codes(app, clock):
    """A successful POST of step 2 reads the session, the order, the code and the code's instance (named by the
    page's hint) in one get_many: the two queries that list the account's codes and instances are for showing
    the page."""
    from tests.journey import start

    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    path = f"/filings/{filing_id}/instance"
    from bs4 import BeautifulSoup

    form = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser").find("form", action=path)
    shown = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
    with table_reads(app) as calls:
        response = client.post(path, data={**shown, "product_type": "alibaba_cloud",
                                           "code_choice": "typed", "service_code": "DEMO7K2M9QX4LP8A"})
    assert response.status_code == 302
    assert calls == ["get_many"], calls
