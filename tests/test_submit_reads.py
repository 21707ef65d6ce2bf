"""Submitting reads the session, the order, its documents, its code, the code's instance and the registrar's
answer in one round trip (views.reads_ahead with submission.submission_keys), on both backends."""
from __future__ import annotations

from bs4 import BeautifulSoup

from icp import codes, registry
from icp import filing as f
from tests.conftest import AuthActions
from tests.journey import ready_to_submit
from tests.round_trips import count_round_trips


def submit_form(client, filing_id: str) -> dict:
    path = f"/filings/{filing_id}/check"
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    form = soup.find("form", action=path)
    return {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}


def test_submit_is_one_read_round_trip_the_session_included(any_app):
    client, filing_id = ready_to_submit(any_app)
    fields = submit_form(client, filing_id)
    assert fields["prefetch"].split() == [codes.code_key("DEMO7K2M9QX4LP8A")[0], codes.instance_key("i-bp1demo0001")[0],
                                          registry.holder_key("example-shop.cn")[0]]
    counter = count_round_trips(any_app)
    response = client.post(f"/filings/{filing_id}/check", data=fields)
    assert response.status_code == 302 and response.location.endswith("/submitted")
    # the session, the order, its documents and everything its checks need, in one get_many; one write
    assert (counter.reads, counter.writes) == (1, 1)
    assert counter.inner.get(*f.filing_key(filing_id))["status"] == f.PROVIDER_REVIEW


def test_a_wrong_hint_costs_a_read_and_changes_nothing(any_app):
    client, filing_id = ready_to_submit(any_app)
    fields = {**submit_form(client, filing_id), "prefetch": "CODE#NOSUCHCODE INSTANCE#i-other ACCOUNT#x"}
    counter = count_round_trips(any_app)
    response = client.post(f"/filings/{filing_id}/check", data=fields)
    assert response.status_code == 302 and response.location.endswith("/submitted")
    assert counter.reads == 2
    assert counter.inner.get(*f.filing_key(filing_id))["status"] == f.PROVIDER_REVIEW


def test_someone_elses_order_is_not_found_whatever_the_hint(app):
    _client, filing_id = ready_to_submit(app)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    token = BeautifulSoup(other.get("/filings/new").get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": "csrf_token"})["value"]
    response = other.post(f"/filings/{filing_id}/check", data={"csrf_token": token, "prefetch": "CODE#X"})
    assert response.status_code == 404
    assert app.extensions["icp_table"].get(*f.filing_key(filing_id))["status"] == f.DRAFT
