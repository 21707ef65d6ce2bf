"""The owner index carries only what its pages show (icp.store.INDEX_PROJECTIONS), and they show it all.

Both backends answer an index query with the projected attributes only (SQLite imitates DynamoDB), so a page
that used an attribute left out would show a blank: these tests look for each column's content.
"""
from __future__ import annotations

import json

import pytest
import re
from datetime import datetime, timezone
from pathlib import Path

from icp import codes
from icp import filing as f
from icp.store import index_projection
from tests.conftest import AuthActions, page
from tests.journey import BEIJING_ENTERPRISE, start
from tests.workflow_helpers import submitted_order

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = BEIJING_ENTERPRISE["domain"]
OWNER = index_projection("owner")


def test_instances_and_codes_are_projected_whole():
    instance = codes.instance_item(instance_id="i-1", owner="a@example.com", name="web", region="cn-beijing",
                                   public_ip="198.51.100.7", billing="subscription", subscription_months=12)
    code = codes.code_item(code="ICPSC", owner="a@example.com", instance_id="i-1",
                           created_at=datetime(2026, 11, 30, tzinfo=timezone.utc))
    # version is left out on purpose: nothing that lists them writes them back
    assert set(instance) - {"version"} <= OWNER
    assert set(code) - {"version"} <= OWNER


def test_my_filings_uses_only_projected_attributes_of_an_order():
    template = (ROOT / "templates/filings/my-filings.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\bfiling\.([a-z_]+)", template))
    assert used and used <= OWNER, used - OWNER


@pytest.mark.parametrize("status", sorted(f.STATUSES))
@pytest.mark.parametrize("policy, province, two", [("seed", "tianjin", True), ("seed", "beijing", False),
                                                  ("current_practice", "beijing", False), ("seed", "shanghai", True)])
def test_an_owner_entry_states_the_same_next_action_as_the_order(status, policy, province, two):
    # My filings reads the owner index, the status page the order: both read the status table through Order
    from icp.order import Order
    from tests.orders import order_in

    for backdrop in ("none", "applied", "mailed"):
        order = order_in(status, policy=policy, province=province, two_people=two, backdrop=backdrop)
        entry = {key: value for key, value in order.items() if key in OWNER}
        assert Order(entry).next_action == Order(order).next_action
        assert Order(entry).label == Order(order).label and Order(entry).tone == Order(order).tone


def test_my_filings_shows_each_column_from_the_index_on_both_backends(any_app, clock):
    _client, submitted = submitted_order(any_app)
    clock.advance(minutes=5)
    client = any_app.test_client()
    AuthActions(client).login()
    # a second subject (one order per subject may be in progress)
    draft = start(client, province="hainan", nature="individual", certificate_type="resident_id",
                  certificate_number="460100199007150020", domain="lina-notes.cn")
    listing = page(client.get("/filings"))
    orders_table = listing.find("caption", string=lambda text: "newest first" in (text or "")).find_parent("table")
    rows = {row.find("a").get_text(strip=True): row for row in orders_table.select("tbody tr")}
    assert set(rows) >= {submitted, draft}
    # the owner index sorts orders by when they were started, and the caption says so
    assert list(rows).index(draft) < list(rows).index(submitted)
    for filing_id, domain, status in ((submitted, DOMAIN, f.PROVIDER_REVIEW), (draft, "lina-notes.cn", f.DRAFT)):
        cells = [c.get_text(" ", strip=True) for c in rows[filing_id].find_all("td")]
        assert domain in cells[1]
        assert cells[2] == f.STATUS_LABELS[status], cells
        assert re.search(r"\d{4}", cells[3]), cells  # when it last changed
    assert "submit it by" in rows[draft].find_all("td")[4].get_text()  # from the draft's discard_at
    assert "we review the order" in rows[submitted].find_all("td")[4].get_text()


def test_a_submitted_orders_owner_entry_is_one_write_unit_of_a_larger_item(app):
    from tests.workflow_helpers import stored

    _client, filing_id = submitted_order(app)
    order = stored(app, filing_id)
    entry = {k: v for k, v in order.items() if k in OWNER}
    size = lambda item: len(json.dumps(item, ensure_ascii=False).encode())  # noqa: E731 (DynamoDB counts UTF-8)
    assert size(entry) <= 1024 < size(order), (size(entry), size(order))


QUEUE = index_projection("queue")
QUEUE_PAGES = ("templates/review/queues.html", "templates/review/filed.html", "templates/administration/queue.html")


@pytest.mark.parametrize("path", QUEUE_PAGES)
def test_the_staff_queues_use_only_projected_attributes_of_an_order(path):
    # views.staff.queue adds the status (the queue's key says it); every other attribute comes from the entry
    template = (ROOT / path).read_text(encoding="utf-8")
    used = set(re.findall(r"\b(?:row\.filing|filing|o)\.([a-z_]+)", template))
    assert used and used <= QUEUE | {"status"}, used - QUEUE


def test_an_outbox_message_is_in_no_index():
    # the outbox keeps its messages in partitions of the table (icp.notify): queuing, claiming and sending one
    # writes no index entry
    from icp import notify
    from icp.store import INDEX_ATTRIBUTES

    [message] = notify.message_items(template="submitted", params={"reference": "T42RRGQXZJ"},
                                     email="a@example.com", mobile="13800138000", language="en",
                                     now=datetime(2026, 12, 6, tzinfo=timezone.utc))
    assert not set(message) & INDEX_ATTRIBUTES


def test_the_staff_queues_show_each_column_from_the_index_on_both_backends(any_app, clock):
    from tests.workflow_helpers import staff

    _client, filing_id = submitted_order(any_app)
    reviewer = staff(any_app, "reviewer@example.com")
    queues = page(reviewer.get("/review"))
    row = next(tr for tr in queues.select("tbody tr") if tr.find("a", string=filing_id))
    cells = [c.get_text(" ", strip=True) for c in row.find_all("td")]
    assert cells[1].startswith("北京示例科技有限公司") and "911" in cells[1] and "0B" in cells[1]  # masked
    assert DOMAIN in cells[2]
    assert re.search(r"\d+ hours?", cells[3]), cells


def test_a_submitted_orders_queue_entry_is_one_write_unit_of_a_larger_item(app):
    from tests.workflow_helpers import stored

    _client, filing_id = submitted_order(app)
    order = stored(app, filing_id)
    entry = {k: v for k, v in order.items() if k in QUEUE}
    assert dynamodb_size(entry) <= 1024 < dynamodb_size(order), (dynamodb_size(entry), dynamodb_size(order))


def dynamodb_size(value) -> int:
    """Bytes DynamoDB bills for an item or value: names and strings in UTF-8, a number about a byte per two
    digits, a map or list 3 bytes and one per element (the developer guide's item size rules)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, (int, float)):
        return (len(str(abs(value)).replace(".", "").lstrip("0")) + 1) // 2 + 1
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, dict):
        return 3 + sum(len(k.encode("utf-8")) + dynamodb_size(v) + 1 for k, v in value.items())
    return 3 + sum(dynamodb_size(v) + 1 for v in value)


def test_a_save_later_the_same_day_leaves_the_owner_entry_as_it_was_and_the_next_day_moves_it(app, client, auth, clock):
    from icp.filing import index_fields
    from tests.journey import SUBJECT, bind_code, save
    from tests.workflow_helpers import stored

    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    entry = lambda: {k: v for k, v in stored(app, filing_id).items() if k in OWNER}  # noqa: E731
    before = entry()
    clock.advance(minutes=40)
    save(client, filing_id, "subject", SUBJECT)
    assert stored(app, filing_id)["updated_at"] != before.get("updated_at")  # the order did change
    assert entry() == before  # its entry in the owner index did not: a day, not a moment, says when
    clock.advance(days=1)
    auth.login()  # the session's idle limit passed overnight
    save(client, filing_id, "subject", SUBJECT)
    assert entry()["updated_on"] > before["updated_on"]
    assert index_fields(stored(app, filing_id))["updated_on"] == entry()["updated_on"]
