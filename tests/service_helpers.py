"""Helpers for the orders after the number and the services filed with us: the demo services' order numbers, an
approved Tianjin website taken to its number, the account code read from the outbox, My filings' Filed with us table,
and starting a change (shared by tests/test_after_number.py, tests/test_change_website.py and
tests/test_retention_after_service.py)."""
from __future__ import annotations

from icp import filing as f
from tests.conftest import page
from tests.journey import WEBSITE, post_form
from tests.workflow_helpers import (TIANJIN, TIANJIN_ADMINISTRATOR, admin_act, codes_texted, outbox, staff, stored,
                                    submitted_order, submitted_to_sms)

# the demo applicant's approved orders (icp.seed_services)
SHOP, BLOG, WEBSITE_ORDER, APP = "YFSHOPSITE", "YFBLOGSITE", "YFWEBSITE1", "YFAPPZHUSH"

TIANJIN_WEBSITE = {**WEBSITE, **TIANJIN_ADMINISTRATOR, "home_url": "http://www.haihe-data.cn"}


def account_code(app, order_id: str) -> str:
    """The code texted to the account's mobile, read from the outbox as a tester reads the local outbox page."""
    found = [m for m in outbox(app) if m["template"] == "account_code" and m["params"]["reference"] == order_id]
    return found[-1]["params"]["code"]


def filed_rows(client) -> dict:
    """My filings' Filed with us table: {number: (state, [link texts])}."""
    soup = page(client.get("/filings"))
    table = soup.find(id="filed").find_next("table")
    rows = {}
    for row in table.find("tbody").find_all("tr"):
        cells = row.find_all("td")
        rows[cells[0].get_text(strip=True)] = (cells[2].get_text(strip=True),
                                                [a.get_text(strip=True) for a in cells[3].find_all("a")])
    return rows


def approved_website(app) -> tuple:
    """A Tianjin website of the demo applicant taken to its number, two minutes ago; (applicant's client, order number,
    number)."""
    applicant, filing_id = submitted_order(app, **TIANJIN)
    submitted_to_sms(app, applicant, filing_id)
    assert post_form(applicant, f"/filings/{filing_id}/codes", codes_texted(app, filing_id)).status_code == 302
    assert admin_act(staff(app, "administration@example.com"), filing_id, "approve").status_code == 302
    approved = stored(app, filing_id)
    assert approved["status"] == f.APPROVED
    app.config["ICP_CLOCK"].advance(minutes=2)
    return applicant, filing_id, approved["icp_number"]


def start_change(client, service_id: str) -> str:
    """Press Start the change on the service's start page; returns the change order's number."""
    response = post_form(client, f"/filings/{service_id}/change", {})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.location.endswith("/subject"), response.location
    return response.location.split("/")[2]
