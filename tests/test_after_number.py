"""The orders after the number (issue 18): Filed with us, cancel access and cancel a website or app, on both
backends, through the pages as the applicant, the simulated administration and the outbox see them."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp import registry
from icp.seed_services import CERTIFICATE
from tests.conftest import AuthActions, page
from tests.journey import post_form
from tests.service_helpers import BLOG, SHOP, account_code, filed_rows
from tests.service_helpers import WEBSITE_ORDER as WEBSITE
from tests.workflow_helpers import admin_act, codes_texted, outbox, staff, stored


@pytest.fixture(params=["local", "aws"])
def any_app(request, tmp_path, clock):
    """The app on each backend with the demo applicant's approved orders (Filed with us)."""
    from tests.conftest import make_app

    if request.param == "aws":
        from moto import mock_aws

        with mock_aws():
            yield make_app("aws", tmp_path, clock, demo_services=True)
    else:
        yield make_app("local", tmp_path, clock, demo_services=True)


@pytest.fixture
def applicant(any_app):
    client = any_app.test_client()
    assert AuthActions(client).login().status_code == 302
    return client


def _table(app):
    return app.extensions["icp_table"]


def start_cancel_access(app, client, service_id: str) -> str:
    response = post_form(client, f"/filings/{service_id}/cancel-access", {})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    order_id = response.headers["Location"].split("/")[-2]
    assert stored(app, order_id)["order_type"] == "cancel_access_website"
    return order_id


def test_filed_with_us_lists_the_accounts_numbers_with_what_each_may_do(any_app, applicant):
    rows = filed_rows(applicant)
    assert set(rows) == {"粤ICP备18012345号-1", "粤ICP备18012345号-2A", "粤ICP备18012345号-3",
                         "粤ICP备18012345号-4"}
    assert rows["粤ICP备18012345号-3"] == ("Filed, accessed through us", ["Cancel access", "Cancel the website", "Change the website"])
    assert rows["粤ICP备18012345号-2A"][1] == ["Cancel access", "Cancel the app"]


def test_cancel_access_is_confirmed_by_the_account_code_and_applied_at_once_in_guangdong(any_app, applicant):
    explained = page(applicant.get(f"/filings/{SHOP}/cancel-access")).get_text(" ", strip=True)
    assert "stays with MIIT" in explained and "138****8000" in explained and "cannot be withdrawn" in explained
    assert "does not take add access yet" in explained and "add-access order" not in explained
    order_id = start_cancel_access(any_app, applicant, SHOP)
    # one order of a subject at a time: the other services offer nothing while it runs
    rows = filed_rows(applicant)
    assert rows["粤ICP备18012345号-1"][1] == [order_id]
    refused = applicant.get(f"/filings/{WEBSITE}/cancel", follow_redirects=True)
    assert f"Order {order_id} of this subject is in progress" in refused.get_data(as_text=True)
    assert stored(any_app, order_id)["status"] == f.DRAFT
    # a wrong code is refused at its field with the tries left, and nothing is sent
    wrong = post_form(applicant, f"/filings/{order_id}/confirm", {"code": "000000"})
    assert wrong.status_code == 422 and "4 tries left" in wrong.get_data(as_text=True)
    code = account_code(any_app, order_id)
    done = post_form(applicant, f"/filings/{order_id}/confirm", {"code": code})
    assert done.status_code == 302
    order = stored(any_app, order_id)
    assert order["status"] == f.APPROVED and order["icp_number"] == "粤ICP备18012345号-3"
    # the registry keeps the number and takes the domain off our access list
    item = _table(any_app).get(*registry._domain_key("yunfan-shop.cn"))
    assert item["icp_number"] == "粤ICP备18012345号-3" and item["accessed_by_us"] is False
    rows = filed_rows(applicant)
    assert rows["粤ICP备18012345号-3"] == ("Access cancelled: the number stays with MIIT", [])
    status = page(applicant.get(f"/filings/{order_id}")).get_text(" ", strip=True)
    # the way back it names is one the service says it does not offer, not an order it cannot take
    assert "Access cancelled" in status and "needs add access" in status and "does not take add access" in status
    assert "add-access order" not in status
    sent = {m["template"] for m in outbox(any_app) if m["params"].get("reference") == order_id}
    assert {"account_code", "cancel_access_sent", "access_cancelled"} <= sent


def test_cancel_access_elsewhere_waits_for_the_administration_and_cannot_be_withdrawn(any_app, applicant,
                                                                                        monkeypatch):
    from icp import rules

    monkeypatch.setattr(rules, "CANCELLATION_AT_ONCE_PROVINCES", frozenset())
    order_id = start_cancel_access(any_app, applicant, BLOG)
    assert post_form(applicant, f"/filings/{order_id}/confirm",
                     {"code": account_code(any_app, order_id)}).status_code == 302
    order = stored(any_app, order_id)
    assert order["status"] == f.ADMINISTRATION_REVIEW
    assert "withdraw" not in f.allowed_actions(order, "applicant")
    refused = applicant.get(f"/filings/{order_id}/withdraw", follow_redirects=True)
    assert "can no longer be withdrawn" in refused.get_data(as_text=True)
    assert stored(any_app, order_id)["status"] == f.ADMINISTRATION_REVIEW
    administration = staff(any_app, "administration@example.com")
    console = page(administration.get(f"/administration/{order_id}")).get_text(" ", strip=True)
    assert "Apply: cancel its access (the number stays)" in console and "粤ICP备18012345号-4" in console
    assert "give the ICP number" not in console
    assert admin_act(administration, order_id, "approve").status_code == 302
    assert stored(any_app, order_id)["status"] == f.APPROVED


def test_cancelling_a_website_asks_twice_then_texts_both_people_and_retires_the_number(any_app, applicant):
    first = page(applicant.get(f"/filings/{BLOG}/cancel")).get_text(" ", strip=True)
    assert "cannot be undone" in first and "never given again" in first
    refused = post_form(applicant, f"/filings/{BLOG}/cancel", {})
    assert refused.status_code == 200 and "Tick the box" in refused.get_data(as_text=True)
    response = post_form(applicant, f"/filings/{BLOG}/cancel", {"understood": "y"})
    order_id = response.headers["Location"].split("/")[-2]
    assert stored(any_app, order_id)["order_type"] == "cancel_website"
    mistyped = post_form(applicant, f"/filings/{order_id}/confirm", {"typed": "yunfan.com"})
    assert mistyped.status_code == 422 and stored(any_app, order_id)["status"] == f.DRAFT
    assert post_form(applicant, f"/filings/{order_id}/confirm", {"typed": "YUNFAN-BLOG.CN"}).status_code == 302
    order = stored(any_app, order_id)
    assert order["status"] == f.SMS_PENDING
    assert order["deadline"]["name"] == "sms"
    codes = codes_texted(any_app, order_id)
    assert set(codes) == {"leader"}  # the leader administers the blog: one code
    assert post_form(applicant, f"/filings/{order_id}/codes", {"leader": codes["leader"]}).status_code == 302
    order = stored(any_app, order_id)
    assert order["status"] == f.APPROVED  # Guangdong applies cancellations at once (rules, simulator)
    table = _table(any_app)
    assert table.get(*registry._domain_key("yunfan-blog.cn")) is None
    subject = registry.find_subject(table, CERTIFICATE)
    assert subject.websites == 4  # the serial never goes back: -4 is not given again
    assert "粤ICP备18012345号-4" in table.get(*registry._subject_key(CERTIFICATE))["retired"]
    assert filed_rows(applicant)["粤ICP备18012345号-4"] == ("Cancelled: the number is retired", [])


def test_another_accounts_service_cannot_be_seen_or_started(any_app):
    other = any_app.test_client()
    assert AuthActions(other).register(email="other@example.com").status_code == 302
    for path in (f"/filings/{SHOP}/cancel-access", f"/filings/{SHOP}/cancel", f"/filings/{SHOP}/confirm"):
        assert other.get(path).status_code == 404
    assert "Filed with us" not in page(other.get("/filings")).get_text()


def test_an_unsubmitted_cancellation_is_deleted_after_the_drafts_life(any_app, applicant, clock):
    from icp.workflow import sweep

    response = post_form(applicant, f"/filings/{BLOG}/cancel", {"understood": "y"})
    order_id = response.headers["Location"].split("/")[-2]
    clock.advance(days=46)
    sweep.sweep(_table(any_app), now=clock())
    assert stored(any_app, order_id)["status"] == f.DISCARDED
    assert AuthActions(applicant).login().status_code == 302  # a session lasts 12 hours at most
    assert filed_rows(applicant)["粤ICP备18012345号-4"][1] == ["Cancel access", "Cancel the website", "Change the website"]


def test_a_cancellations_sms_window_is_24_hours_and_its_expiry_refuses_it(any_app, applicant, clock):
    from icp.workflow import sweep

    response = post_form(applicant, f"/filings/{BLOG}/cancel", {"understood": "y"})
    order_id = response.headers["Location"].split("/")[-2]
    post_form(applicant, f"/filings/{order_id}/confirm", {"typed": "yunfan-blog.cn"})
    clock.advance(hours=25)
    sweep.sweep(_table(any_app), now=clock())
    order = stored(any_app, order_id)
    assert order["status"] == f.REJECTED
    assert AuthActions(applicant).login().status_code == 302
    status = page(applicant.get(f"/filings/{order_id}")).get_text(" ", strip=True)
    assert "The cancellation was refused." in status and "service code" not in status
    told = [m for m in outbox(any_app) if m["params"].get("reference") == order_id]
    assert "cancel:sms_expired" in {m["template"] for m in told}  # no "filing rejected", no service code freed


def test_a_warned_service_not_fixed_in_time_has_its_access_cancelled_by_the_sweep(any_app, applicant, clock):
    from icp import rules
    from icp.workflow import sweep
    from tests.workflow_helpers import review_act

    reviewer = staff(any_app, "reviewer@example.com")
    listed = page(reviewer.get("/review/filed")).get_text(" ", strip=True)
    assert "粤ICP备18012345号-3" in listed
    refused = review_act(reviewer, SHOP, "access-warning", {"reason": ""})
    assert refused.status_code == 400 and "Choose why" in refused.get_data(as_text=True)
    assert review_act(reviewer, SHOP, "access-warning", {"reason": "not_resolving"}).status_code == 302
    service = stored(any_app, SHOP)
    assert service["status"] == f.APPROVED and service["deadline"]["end_action"] == "end_access"
    warned = [m for m in outbox(any_app) if m["template"] == "access_warning"]
    assert warned and warned[0]["params"]["reason_code"] == "not_resolving"
    # the applicant reads the deadline on the status page and in My filings
    status = page(applicant.get(f"/filings/{SHOP}")).get_text(" ", strip=True)
    assert "resolve to our servers in mainland China by" in status
    assert "resolve to our servers" in page(applicant.get("/filings")).get_text(" ", strip=True)
    clock.advance(days=rules.ACCESS_WARNING_PERIOD.days, minutes=1)
    done = sweep.sweep(_table(any_app), now=clock())
    assert done.get("end_access") == 1
    service = stored(any_app, SHOP)
    assert not service.get("access_warning") and not service.get("deadline")
    orders = [o for o in _table(any_app).query_index("owner", "applicant@example.com")
              if o.get("order_type") == "cancel_access_website"]
    assert len(orders) == 1 and orders[0]["status"] == f.APPROVED  # Guangdong: applied at once
    assert _table(any_app).get(*registry._domain_key("yunfan-shop.cn"))["accessed_by_us"] is False
    assert sweep.sweep(_table(any_app), now=clock()) == {}  # once


def test_a_warning_the_applicant_answers_ends_without_a_cancellation(any_app, applicant, clock):
    from icp.workflow import sweep
    from tests.workflow_helpers import review_act

    reviewer = staff(any_app, "reviewer@example.com")
    assert review_act(reviewer, BLOG, "access-warning", {"reason": "no_traffic"}).status_code == 302
    assert post_form(applicant, f"/filings/{BLOG}/access-fixed", {}).status_code == 302
    assert not stored(any_app, BLOG).get("access_warning")
    clock.advance(days=30)
    assert "end_access" not in sweep.sweep(_table(any_app), now=clock())
    assert filed_rows_after_login(applicant)["粤ICP备18012345号-4"][0] == "Filed, accessed through us"


def filed_rows_after_login(client) -> dict:
    assert AuthActions(client).login().status_code == 302
    return filed_rows(client)
