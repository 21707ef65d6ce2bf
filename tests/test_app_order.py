"""Adding an app (新增APP): step 1 through the registry, and the order it starts (DOMAIN.md §13)."""
from __future__ import annotations

import pytest

from tests.conftest import page
from tests.journey import BEIJING_APP, errors, post_form, start_app


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


def stored(app, filing_id: str) -> dict:
    from icp import filing as f

    return app.extensions["icp_table"].get(*f.filing_key(filing_id))


def test_my_filings_offers_an_app_beside_a_website(applicant):
    soup = page(applicant.get("/filings"))
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main a.button")}
    assert links["Add an app"] == "/filings/new-app"
    assert links["Add a website"] == "/filings/new"


def test_step_one_of_an_app_asks_its_name_and_domains_not_a_domain(applicant):
    soup = page(applicant.get("/filings/new-app"))
    assert soup.find(id="app_name") and soup.find(id="domains")
    assert soup.find(id="domain") is None
    assert "Mini programs" in soup.get_text()


def test_an_app_order_starts_with_its_name_and_bare_domains(app, applicant):
    filing_id = start_app(applicant)
    filing = stored(app, filing_id)
    assert filing["order_type"] == "app"
    assert filing["verified"]["app_name"] == "青松天气"
    assert filing["verified"]["domains"] == ["example-shop.cn", "example-tech.cn"]
    assert filing["verified"]["domain"] == "" and "app" in filing and "website" not in filing
    # its steps are the app's: the indicator names the app step, the caption names the app
    soup = page(applicant.get(f"/filings/{filing_id}/instance"))
    titles = [item.find(["a", "span"]).get_text(strip=True) for item in soup.select(".steps__item")]
    assert titles == ["Filing type", "Server", "Subject", "App", "Documents", "Check and submit"]
    assert "青松天气" in soup.select_one(".caption").get_text()


def test_an_app_may_not_call_a_www_domain(applicant):
    response = post_form(applicant, "/filings/new-app", {**BEIJING_APP, "domains": "www.example-shop.cn"})
    assert response.status_code == 200
    assert any("www." in message for message in errors(response))


def test_an_app_name_the_subject_already_filed_is_explained(app, applicant):
    response = post_form(applicant, "/filings/new-app", {
        **BEIJING_APP, "province": "guangdong", "certificate_number": "91440101MA5CX8T10J", "app_name": "云帆助手"})
    assert response.status_code == 200
    soup = page(response)
    assert "App already filed" in soup.find("h1").get_text()
    # the answers go back to step 1 of an app, to be corrected
    form = soup.find("form", attrs={"action": "/filings/new-app"})
    assert form.find("input", attrs={"name": "app_name"})["value"] == "云帆助手"


def test_a_subject_not_filed_is_a_first_filing(applicant):
    response = post_form(applicant, "/filings/new-app", {
        **BEIJING_APP, "certificate_number": "91110000100000000C"})
    assert response.status_code == 200


def test_a_website_and_an_app_of_one_subject_are_not_in_progress_at_once(app, applicant):
    from tests.journey import start

    start(applicant)
    response = post_form(applicant, "/filings/new-app", BEIJING_APP)
    assert response.status_code == 200
    assert page(response).find(id="order-in-progress")


@pytest.mark.parametrize("field, value, message", [
    ("app_name", "微信助手", "Remove “微信” from the app name: the names and nicknames of other popular apps are refused"),
    ("app_name", "天气", "“天气” alone is a category, not an app name: add the brand or what makes the app yours, like "
                       "青松“天气”"),
    ("domains", "www.example.com", "MIIT's system refuses www. for an app: give the domain itself, like example.com"),
    ("domains", "example.com\nexample.com", "example.com is listed twice: enter each domain once"),
    ("domains", "", "Enter the domains the app uses to reach its servers, one per line"),
])
def test_step_one_refuses_a_name_or_domain_the_rules_refuse_at_its_field(applicant, field, value, message):
    """The name and the domains are fixed for the order, so their refusals come at step 1, next to the field."""
    response = post_form(applicant, "/filings/new-app", {**BEIJING_APP, field: value})
    assert response.status_code == 200
    soup = page(response)
    assert message in soup.find(id=f"{field}-error").get_text(" ", strip=True)
    # what was typed is kept
    kept = soup.find(id=field)
    assert (kept.get("value") if kept.name == "input" else kept.get_text()).strip() == value.strip() or not value
