"""Every page and message tells the same story: the status page, My filings, the confirmation page and the
e-mails and text messages state the same next action, the same deadline and the same method for every status ×
verification method × SMS policy × people texted × language (issue 16 §1)."""
from __future__ import annotations

import re

import pytest

from icp import filing as f
from icp import messages
from icp.order import Order
from icp.store import Put
from icp.workflow.common import notify_applicant
from tests.conftest import AuthActions, page
from tests.orders import START, order_in

# (policy, province): backdrop + SMS, backdrop without SMS, phone + SMS, the Shanghai app
ROUTES = {
    "backdrop_sms": ("seed", "tianjin"),
    "backdrop_no_sms": ("seed", "beijing"),
    "phone_sms": ("current_practice", "beijing"),
    "app": ("seed", "shanghai"),
}
OWNER = "applicant@example.com"


def _reachable(status: str, route: str) -> bool:
    policy, province = ROUTES[route]
    order = Order(order_in(status, policy=policy, province=province))
    if status == f.APP_VERIFICATION_PENDING:
        return order.method == "app"
    if status in (f.PHOTO_PENDING, f.PHOTO_REVIEW):
        return order.method != "app"
    if status == f.SMS_PENDING:
        return order.sms
    return True


CASES = [(route, two, language) for route in ROUTES for two in (True, False) for language in ("en", "zh")]


def _text(element) -> str:
    # no separator at element edges: a number marked up inside a Chinese sentence gains no spaces
    return " ".join(element.get_text().split())


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def stored_order(app):
    """Put an order in any status straight into the table (a page test: no journey needed to reach it)."""
    table = app.extensions["icp_table"]

    def put(status, route, two, language):
        policy, province = ROUTES[route]
        # one order number per status, so every status sits in the same My filings at once
        filing_id = ("S" + status.replace("_", ""))[:10].ljust(10, "X")
        filing = order_in(status, policy=policy, province=province, two_people=two, owner=OWNER,
                          filing_id=filing_id)
        filing["language"] = language
        table.write([Put(filing)])
        return filing
    return put


@pytest.mark.parametrize("route, two, language", CASES)
def test_status_page_my_filings_and_messages_agree(app, clock, stored_order, route, two, language):
    client = app.test_client()
    AuthActions(client).login()
    client.get(f"/language/{language}")
    statuses = [status for status in f.STATUSES if _reachable(status, route)]
    orders = {status: stored_order(status, route, two, language) for status in statuses}
    # the orders' table (Filed with us, above it, lists the numbers and links an order in progress too)
    listing = page(client.get("/filings")).select_one("td.next-action").find_parent("table")
    for status, filing in orders.items():
        _agree(client, clock, listing, filing, language)


def _agree(client, clock, listing, filing, language):
    """The status page, the order's My filings row and its messages agree."""
    status = filing["status"]
    order = Order(filing)
    status_page = page(client.get(f"/filings/{filing['id']}"))
    next_action = _text(status_page.find(id="next-action"))
    assert next_action, "the status page states a next action"

    # My filings states the very same sentence for this order
    row = listing.find("a", string=filing["id"]).find_parent("tr")
    assert _text(row.select_one(".next-action")).endswith(next_action)

    # the status tag is the table's, for this order's method
    tag = _text(status_page.find(id="status-label"))
    assert tag == _text(row.select_one(".tag"))

    # the deadline shown is the one the next action names
    if order.next_action.due == "deadline":
        assert _text(status_page.find(id="deadline").find("strong")) in next_action

    # the administrator's verification method, once submitted, is the stamped one
    if filing.get("submitted_at"):
        method_label = _text(status_page.find(id="verification-method"))
        assert method_label
        if language == "en":
            assert method_label == f.VERIFICATION_LABELS[order.method]

    # every message the order can receive on entering this status says the same next action
    for transition in f.TRANSITIONS:
        if transition.target != status or not transition.effects.notify:
            continue
        if transition.when and transition.when not in f.routes(filing):
            continue
        params = {"count": 1, "tracking": "SF1234567890", "reason": "网站名称与主体不符", "low": 3, "high": 20,
                  "days": 45, "icp_number": filing.get("icp_number", ""), "review_workdays": 1,
                  "reason_code": "blurred", "comment": "", "deadline_at": START.isoformat()}
        for put in notify_applicant(filing, transition.effects.notify, now=clock(), url="https://x.test/f", **params):
            _subject, body = messages.render(put.item)
            assert next_action in _flat(body), (transition.effects.notify, next_action, body)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("policy", ["seed", "current_practice"])
def test_codes_page_and_code_texts_say_the_same_wrong_code_rule(app, clock, stored_order, language, policy):
    filing = stored_order(f.SMS_PENDING, "backdrop_sms" if policy == "seed" else "phone_sms", True, language)
    client = app.test_client()
    AuthActions(client).login()
    client.get(f"/language/{language}")
    said = _text(page(client.get(f"/filings/{filing['id']}")).find(id="wrong-codes"))
    from icp.workflow import sms

    for put in sms.code_messages(filing, {"leader": "123456", "administrator": "654321"}, now=clock()):
        _subject, body = messages.render(put.item)
        rule = said.split("。")[-2].strip() + "。" if language == "zh" else said.split(". ", 1)[1]
        assert rule in _flat(body), (rule, body)
    if policy == "seed":
        assert ("15" in said) and ("5" in said)
    else:
        assert ("5" in said) and ("rejected" in said or "驳回" in said)


@pytest.mark.parametrize("language, backdrop_words, two_words", [
    ("en", ("backdrop",), ("both", "two codes", "one to the")), ("zh", ("幕布",), ("两个", "分别", "二人"))])
@pytest.mark.parametrize("route, two", [("phone_sms", True), ("phone_sms", False), ("backdrop_sms", False),
                                        ("backdrop_sms", True), ("app", False)])
def test_the_confirmation_page_follows_the_orders_method_and_people(app, stored_order, route, two, language,
                                                                    backdrop_words, two_words):
    # issue 16, defects 1 and 17: the confirmation page spoke of a backdrop for a phone-photo order and of two
    # people when one mobile is texted
    filing = stored_order(f.PROVIDER_REVIEW, route, two, language)
    client = app.test_client()
    AuthActions(client).login()
    client.get(f"/language/{language}")
    confirmation = page(client.get(f"/filings/{filing['id']}/submitted"))
    said = _text(confirmation.find("main"))
    # a phone-photo order may say it needs no backdrop, and nothing else of one
    unsaid = said.replace("no backdrop is needed", "").replace("No backdrop is needed", "").replace("无需幕布", "")
    status_page = page(client.get(f"/filings/{filing['id']}"))
    assert _text(confirmation.find(id="next-action")) == _text(status_page.find(id="next-action"))
    if route != "backdrop_sms":
        assert not any(word in unsaid.lower() for word in backdrop_words), said
    else:
        assert any(word in said.lower() for word in backdrop_words), said
    if not two:
        assert not any(word in said.lower() for word in two_words), said
