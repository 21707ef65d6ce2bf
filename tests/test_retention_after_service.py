"""Retention of an approved order once its service is no longer ours (its access or its filing cancelled) or an
approved change replaced it: a row of rules.RETENTION_AFTER_SERVICE, started by the transition that closes the order,
and the retention sweep erasing it through the "erase" transition, keeping the number, the domain and the dates;
with it the phones' MOBILE# index items and the subject's pre-fill the order justified."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest

from icp import filing as f
from icp import mobiles, retention, rules
from icp.order_types import ORDER_TYPES
from icp.services import filed_services
from icp.store import Put
from icp.workflow import engine, filed_subject
from icp.workflow import retention as erasure
from tests.conftest import AuthActions, page
from tests.journey import post_form, save, submit, upload_required
from tests.moto_patches import moto_reads_secure_transport  # noqa: F401
from tests.retention_helpers import retention_line, stored_versions
from tests.orders import order_in
from tests.service_helpers import BLOG, SHOP, TIANJIN_WEBSITE, account_code, approved_website, filed_rows, start_change
from tests.workflow_helpers import (TIANJIN, TIANJIN_SUBJECT, admin_act, codes_texted, staff, stored,
                                    submitted_to_sms)

APPLICANT = "applicant@example.com"
PERIOD = rules.RETENTION_AFTER_SERVICE["access_cancelled"].days


# ---- the rows, as data ------------------------------------------------------------------------------------------

def test_each_way_a_service_stops_being_ours_has_its_row_and_its_transition():
    # what a service becomes after an order after the number (OrderType.leaves), and "superseded" by a change
    left = {t.leaves for t in ORDER_TYPES.values()} - {"accessed"}
    assert set(rules.RETENTION_AFTER_SERVICE) == left | {"superseded"} == set(f.CLOSE_ACTIONS)
    for key, row in rules.RETENTION_AFTER_SERVICE.items():
        assert row.ending == key and row.days >= 0 and row.why and row.outcome
        assert rules.retention_for(key) == row.days == 30
        # the transition that closes an approved order starts exactly its row's period
        (close,) = [t for t in f.TRANSITIONS if t.action == f.CLOSE_ACTIONS[key]]
        assert close.source == close.target == f.APPROVED and close.effects.retain == key
    # a cancellation's own approval starts the row of what it leaves the service as
    for order_type in ORDER_TYPES.values():
        approvals = [t for t in f.TRANSITIONS if t.action == "approve" and order_type.flow in t.flows]
        retained = {t.effects.retain for t in approvals}
        assert retained == ({None} if order_type.leaves == "accessed" else {order_type.leaves}), order_type.code
    # the rows of endings and of services stay apart: no key means two things
    assert not set(rules.RETENTION_BY_ENDING) & set(rules.RETENTION_AFTER_SERVICE)


@pytest.mark.parametrize("key", sorted(rules.RETENTION_AFTER_SERVICE))
def test_closing_an_approved_order_starts_its_rows_period_and_only_a_closed_one_may_be_erased(key, clock):
    standing = order_in(f.APPROVED, filing_id="STANDING01", now=clock())
    with pytest.raises(f.TransitionNotAllowed):
        engine.erased(standing, role="system", actor="system", now=clock(), ending=key)
    change = engine.transition(None, standing, f.CLOSE_ACTIONS[key], role="system", actor="system", now=clock())
    closed = change.filing
    assert f.is_closed(closed) and closed["status"] == f.APPROVED and retention.erasable(closed)
    due_at = (clock() + timedelta(days=rules.RETENTION_AFTER_SERVICE[key].days)).isoformat()
    assert closed["closed"] == {"as": key, "at": clock().isoformat(), "until": due_at}
    (item,) = [op.item for op in change.ops if isinstance(op, Put) and op.item["sk"] == retention.RETENTION_SK]
    assert item["ending"] == key and item["due_at"] == due_at and item["due_key"] == retention.ERASE_KEY
    assert engine.erased(closed, role="system", actor="system", now=clock(), ending=key).filing["erased"]


# ---- the sweep, on both backends --------------------------------------------------------------------------------

def _mobile_items(table, filing: dict) -> list[dict]:
    """The MOBILE# index items of the order's subject for each of its mobiles."""
    own = "SUBJECT#" + mobiles.subject_hash(filing["verified"]["certificate_number"])
    return [item for _who, mobile in mobiles.people_mobiles(filing)
            for item in table.query(mobiles.MOBILE_PARTITION + mobiles.mobile_hash(mobile))
            if item["sk"].startswith(own)]


def _person_items(table, filing: dict) -> list[dict]:
    """The PERSONID# index items of the order's people (icp.certificate_index)."""
    from icp import certificate_index

    return [item for pk, _sk in certificate_index.index_keys(filing) for item in table.query(pk)]


@pytest.mark.usefixtures("moto_reads_secure_transport")
def test_an_approved_website_whose_access_is_cancelled_is_erased_after_its_period(any_app, clock):
    app = any_app
    table = app.extensions["icp_table"]
    applicant, service_id, number = approved_website(app)
    service = stored(app, service_id)
    files = stored_versions(app, service_id)
    assert files >= 7 and len(_mobile_items(table, service)) == 2  # the leader's and the administrator's
    assert len(_person_items(table, service)) == 2  # and their certificates
    assert not f.is_closed(service) and table.get(*retention.retention_key(service_id)) is None

    # cancel access, confirmed by the account's code; Tianjin applies it at once
    response = post_form(applicant, f"/filings/{service_id}/cancel-access", {})
    cancel_id = response.headers["Location"].split("/")[-2]
    assert post_form(applicant, f"/filings/{cancel_id}/confirm",
                     {"code": account_code(app, cancel_id)}).status_code == 302
    closed_at = clock()
    due_at = (closed_at + timedelta(days=PERIOD)).isoformat()
    for order_id in (service_id, cancel_id):  # the website's order, and the cancellation holding a copy
        order = stored(app, order_id)
        assert order["status"] == f.APPROVED and order["closed"]["as"] == "access_cancelled"
        kept = table.get(*retention.retention_key(order_id))
        assert kept["ending"] == "access_cancelled" and kept["due_at"] == due_at
    soup = page(applicant.get(f"/filings/{service_id}"))
    status = soup.find(id="closed").get_text(" ", strip=True)
    assert "no longer the record" in status and "are deleted on" in status
    # the panel says what became of the website, not what to do with a number in use
    assert "access through us was cancelled" in soup.find(id="closed-as").get_text(" ", strip=True)
    assert soup.find(id="footer-snippet") is None and "Resolve" not in soup.find(id="approved").get_text()
    # and the summary agrees: nobody acts, nothing to show on a home page
    assert soup.find(id="status-label").get_text(strip=True) == "Access cancelled"
    assert soup.find(id="next-actor").get_text(strip=True).startswith("Nobody")
    assert "home page" not in soup.find(id="next-action").get_text() and "stays with MIIT" in soup.find(
        id="next-action").get_text()

    # before the period: untouched
    assert retention_line(app, closed_at + timedelta(days=PERIOD - 1, hours=23)) == "retention: {}"
    assert stored_versions(app, service_id) == files
    assert stored(app, service_id)["subject"]["leader"]["name"] == "王芳"

    # past it: the documents (every version), the answers and the mobile index's items go
    line = retention_line(app, closed_at + timedelta(days=PERIOD, minutes=1))
    assert "'erased': 2" in line and f"'files_deleted': {files}" in line, line
    assert stored_versions(app, service_id) == 0
    assert _mobile_items(table, service) == [] and _person_items(table, service) == []
    assert filed_subject.last_approved(table, certificate_number=TIANJIN["certificate_number"], owner=APPLICANT) is None
    for order_id in (service_id, cancel_id):
        tombstone = stored(app, order_id)
        assert retention.is_erased(tombstone) and tombstone["erased"]["ending"] == "access_cancelled"
        assert tombstone["status"] == f.APPROVED and tombstone["icp_number"] == number
        assert tombstone["verified"]["domain"] == "haihe-data.cn" and tombstone["verified"]["certificate_number"] == ""
        assert "subject" not in tombstone and "website" not in tombstone
        items = table.query(f.filing_partition(order_id))
        assert not [i for i in items if f.is_document(i["sk"])]
        assert table.get(*retention.retention_key(order_id)) is None
        for personal in ("王芳", "11010519491231002X", "13911112222", "李雷", "13722223333", "海河路1号"):
            assert personal not in repr(items), personal

    # the number, the domain and the dates still read: Filed with us, My filings and the status page
    clock.advance(days=PERIOD, minutes=2)
    assert AuthActions(applicant).login().status_code == 302  # a session lasts 12 hours at most
    assert filed_rows(applicant)[number] == ("Access cancelled: the number stays with MIIT", [])
    listing = page(applicant.get("/filings")).get_text(" ", strip=True)
    assert "haihe-data.cn" in listing and cancel_id in listing
    status = page(applicant.get(f"/filings/{service_id}"))
    text = status.get_text(" ", strip=True)
    assert number in text and "haihe-data.cn" in text and "王芳" not in text
    assert "were deleted on" in status.find(id="closed").get_text(" ", strip=True)
    assert "Documents and personal details deleted" in text  # the history says it

    # idempotent
    assert retention_line(app, closed_at + timedelta(days=PERIOD + 1)) == "retention: {}"


def test_a_change_supersedes_the_order_it_replaces_which_goes_after_its_period(app, clock):
    table = app.extensions["icp_table"]
    applicant, service_id, number = approved_website(app)
    change_id = start_change(applicant, service_id)
    save(applicant, change_id, "subject", {**TIANJIN_SUBJECT, "mailing_address": "天津市滨海新区海河路8号"})
    save(applicant, change_id, "website", TIANJIN_WEBSITE)
    upload_required(applicant, app, change_id)
    assert submit(applicant, change_id).status_code == 302
    submitted_to_sms(app, applicant, change_id)
    assert post_form(applicant, f"/filings/{change_id}/codes", codes_texted(app, change_id)).status_code == 302
    assert admin_act(staff(app, "administration@example.com"), change_id, "approve").status_code == 302
    approved_at = clock()

    replaced = stored(app, service_id)
    assert replaced["closed"]["as"] == "superseded" and "close_superseded" in [
        e["action"] for e in table.query(f.filing_partition(service_id), f.EVENT_PREFIX)]
    assert not f.is_closed(stored(app, change_id))  # the change is the record now
    replaced_page = page(applicant.get(f"/filings/{service_id}"))
    assert "replaced this order" in replaced_page.find(id="closed-as").get_text(" ", strip=True)
    assert replaced_page.find(id="status-label").get_text(strip=True) == "Replaced by a change"
    assert table.get(*retention.retention_key(change_id)) is None
    change_files = stored_versions(app, change_id)

    result = erasure.sweep(table, app.extensions["icp_blobs"], now=approved_at + timedelta(days=30, minutes=1))
    assert result["erased"] == 1, result
    assert retention.is_erased(stored(app, service_id)) and stored_versions(app, service_id) == 0
    kept = stored(app, change_id)
    assert kept["subject"]["mailing_address"] == "天津市滨海新区海河路8号" and stored_versions(app, change_id) == change_files
    # the change's own mobile index items stay: it still justifies them
    assert len(_mobile_items(table, kept)) == 2
    # the pre-fill of the subject is the change's, untouched
    assert filed_subject.last_approved(table, certificate_number=TIANJIN["certificate_number"],
                                       owner=APPLICANT)["filing_id"] == change_id
    (service,) = [s for s in filed_services(list(table.query_index("owner", APPLICANT))) if s.number == number]
    assert service.order["id"] == change_id and service.state == "accessed"


def test_a_cancellation_closes_every_approved_order_of_the_number_and_the_provider_cancelled_access_too(
        tmp_path, clock):
    from tests.conftest import make_app

    from icp.workflow import after_number, sweep

    app = make_app("local", tmp_path, clock, demo_services=True)
    table = app.extensions["icp_table"]
    applicant = app.test_client()
    assert AuthActions(applicant).login().status_code == 302
    # cancel the blog: asked twice, MIIT's code, applied at once in Guangdong
    response = post_form(applicant, f"/filings/{BLOG}/cancel", {"understood": "y"})
    cancel_id = response.headers["Location"].split("/")[-2]
    post_form(applicant, f"/filings/{cancel_id}/confirm", {"typed": "yunfan-blog.cn"})
    post_form(applicant, f"/filings/{cancel_id}/codes", codes_texted(app, cancel_id))
    for order_id in (BLOG, cancel_id):
        assert stored(app, order_id)["closed"]["as"] == "cancelled"
    blog = page(applicant.get(f"/filings/{BLOG}"))
    assert "MIIT deleted the number" in blog.find(id="closed-as").get_text(" ", strip=True)
    assert blog.find(id="status-label").get_text(strip=True) == "Cancelled"
    # since the day it was cancelled, not the day it was approved
    assert "27 November 2026" in blog.find(id="status-label").parent.get_text(" ", strip=True)
    assert "take it off the website" in blog.find(id="next-action").get_text()
    # the shop: warned by a reviewer, not fixed in time, its access cancelled by the sweep on our own order
    shop = stored(app, SHOP)
    after_number.warn_access(table, shop, "not_resolving", actor="reviewer@example.com", now=clock())
    clock.advance(days=rules.ACCESS_WARNING_PERIOD.days, minutes=1)
    assert sweep.sweep(table, now=clock()).get("end_access") == 1
    assert stored(app, SHOP)["closed"]["as"] == "access_cancelled"
    untouched = [o for o in table.query_index("owner", APPLICANT) if o.get("id") not in (BLOG, SHOP, cancel_id)
                 and o.get("order_type") in ("website", "app")]
    assert untouched and not any(f.is_closed(stored(app, o["id"])) for o in untouched)

    result = erasure.sweep(table, app.extensions["icp_blobs"], now=clock() + timedelta(days=31))
    assert result["erased"] == 4, result  # the blog and its cancellation, the shop and ours
    assert AuthActions(applicant).login().status_code == 302
    rows = filed_rows(applicant)
    assert rows["粤ICP备18012345号-4"] == ("Cancelled: the number is retired", [])
    assert rows["粤ICP备18012345号-3"] == ("Access cancelled: the number stays with MIIT", [])
    assert rows["粤ICP备18012345号-1"][0] == "Filed, accessed through us"  # the standing filings stay whole
    assert all(stored(app, o["id"]).get("subject") for o in untouched)


def test_a_retention_item_of_a_standing_filing_is_dropped_and_the_filing_stays_whole(app, clock):
    table = app.extensions["icp_table"]
    table.write([Put(order_in(f.APPROVED, filing_id="STANDING01", now=clock())),
                 Put(retention.retention_item("STANDING01", "access_cancelled", now=clock() - timedelta(days=40)))])
    result = erasure.sweep(table, app.extensions["icp_blobs"], now=clock())
    assert result == {"no_longer_due": 1, "files_deleted": 0, "items_deleted": 0}
    assert stored(app, "STANDING01")["subject"]["leader"]["name"] == "王海"


# ---- the phones' index ---------------------------------------------------------------------------------------

def test_each_order_has_its_own_mobile_items_and_the_same_subject_counts_once(app):
    table = app.extensions["icp_table"]
    table.write([Put(mobiles.index_item("13911112222", "SUBJECT-A", source="order", at="t", filing_id=order_id))
                 for order_id in ("F1", "F2")])
    assert len(table.query(mobiles.MOBILE_PARTITION + mobiles.mobile_hash("13911112222"))) == 2
    assert mobiles.used_by_other_subjects(table, "13911112222", "SUBJECT-B") == 1
    assert mobiles.used_by_other_subjects(table, "13911112222", "SUBJECT-A") == 0


def test_erasing_an_order_deletes_its_mobile_items_and_an_orders_shared_item_but_never_the_registrys(app, clock):
    table = app.extensions["icp_table"]
    withdrawn = order_in(f.WITHDRAWN, filing_id="WITHDRAWN1", now=clock())
    other = order_in(f.WITHDRAWN, filing_id="WITHDRAWN2", now=clock())
    number = withdrawn["verified"]["certificate_number"]
    leader, administrator = (m for _w, m in mobiles.people_mobiles(withdrawn))
    table.write([Put(withdrawn), Put(other), *mobiles.index_ops(withdrawn, at="t"), *mobiles.index_ops(other, at="t"),
                 # written before orders had their own items: an order's (the leader's), the registry's (the other)
                 Put(mobiles.index_item(leader, number, source="order", at="t")),
                 Put(mobiles.index_item(administrator, number, source="registry", at="t"))])
    erasure.erase(table, app.extensions["icp_blobs"], withdrawn, now=clock(), ending="withdraw")
    left = {(i["sk"].split("#ORDER#") + [""])[1] or i["source"]
            for mobile in (leader, administrator)
            for i in table.query(mobiles.MOBILE_PARTITION + mobiles.mobile_hash(mobile))}
    assert left == {"WITHDRAWN2", "registry"}


# ---- telling the user ------------------------------------------------------------------------------------------

def test_the_privacy_notice_gives_the_periods_after_a_service_in_both_languages(client, monkeypatch):
    from dataclasses import replace

    english = page(client.get("/privacy")).find(id="after-service")
    rows = [tr.get_text(" ", strip=True) for tr in english.select("tbody tr")]
    assert len(rows) == len(rules.RETENTION_AFTER_SERVICE)
    assert any("access through us was cancelled" in r and "30 days after it happened" in r for r in rows)
    assert any("A change of the website was approved" in r for r in rows)
    monkeypatch.setitem(rules.RETENTION_AFTER_SERVICE, "cancelled",
                        replace(rules.RETENTION_AFTER_SERVICE["cancelled"], days=12))
    client.get("/language/zh")
    chinese = page(client.get("/privacy"))
    rows = [tr.get_text(" ", strip=True) for tr in chinese.find(id="after-service").select("tbody tr")]
    assert any("注销" in r and "发生后12天" in r for r in rows), rows
    assert any("取消接入" in r and "发生后30天" in r for r in rows), rows
    assert "已不由我们接入" in chinese.find(id="after-service").get_text()


def test_the_data_export_states_each_period_and_each_orders(app, clock):
    client = app.test_client()
    AuthActions(client).login()
    table = app.extensions["icp_table"]
    table.write([Put(order_in(f.APPROVED, filing_id="STANDING01", now=clock()))])
    closing = engine.transition(table, order_in(f.APPROVED, filing_id="CLOSED0001", now=clock()),
                                "close_cancelled", role="system", actor="system", now=clock())
    table.write([Put(closing.filing), *closing.ops[1:]])  # the closed order as the transition leaves it
    response = post_form(client, "/account/download", {"password": "demo-password"})
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.get_data())).read("data.json"))
    periods = data["retention_periods"]
    assert periods["approved_filing_no_longer_ours"]["access_cancelled"]["days"] == PERIOD
    assert periods["order_ended"]["withdraw"]["days"] == 7
    orders = {o["id"]: o["personal_data"] for o in data["orders"]}
    assert orders["STANDING01"] == {"state": "kept_while_the_filing_stands"}
    assert orders["CLOSED0001"]["state"] == "kept_until" and orders["CLOSED0001"]["because"] == "cancelled"
    assert orders["CLOSED0001"]["delete_after"] == (clock() + timedelta(days=30)).isoformat()


def test_deleting_the_account_erases_a_closed_approved_order_at_once(app, clock):
    client = app.test_client()
    AuthActions(client).login()
    table = app.extensions["icp_table"]
    closing = engine.transition(table, order_in(f.APPROVED, filing_id="CLOSED0001", now=clock()),
                                "close_access_cancelled", role="system", actor="system", now=clock())
    table.write([Put(closing.filing), *closing.ops[1:]])
    delete_page = page(client.get("/account/delete")).get_text(" ", strip=True)
    assert "no longer ours" in delete_page and "Your approved filings stay" not in delete_page
    assert post_form(client, "/account/delete", {"password": "demo-password"}).status_code == 302
    gone = stored(app, "CLOSED0001")
    assert retention.is_erased(gone) and "owner" not in gone and "subject" not in gone
    assert table.get(*retention.retention_key("CLOSED0001")) is None


# ---- orders kept from before this release ----------------------------------------------------------------------

def _approved(filing_id: str, at, **fields) -> dict:
    order = {**order_in(f.APPROVED, filing_id=filing_id, now=at), **fields}
    return {**order, **f.index_fields(order)}


def test_the_backfill_closes_what_stopped_being_ours_before_and_gives_each_order_its_mobile_items(app, clock):
    table = app.extensions["icp_table"]
    start = clock() - timedelta(days=100)
    cancelled_at = clock() - timedelta(days=10)
    service = _approved("SERVICE001", start)
    cancellation = _approved("CANCEL0001", cancelled_at, order_type="cancel_access_website",
                             verified={**service["verified"], "service_id": "SERVICE001",
                                       "service_number": service["icp_number"]})
    first = _approved("FIRST00001", start, icp_number="津ICP备12345678号-3")
    changed = _approved("CHANGE0001", cancelled_at, icp_number="津ICP备12345678号-3", order_type="change_website")
    standing = _approved("STANDING01", start, icp_number="津ICP备12345678号-5")
    number = service["verified"]["certificate_number"]
    leader = mobiles.people_mobiles(standing)[0][1]
    table.write([Put(o) for o in (service, cancellation, first, changed, standing)] + [
        Put(mobiles.index_item(leader, number, source="order", at="t")),  # shared by the orders, as before
        Put(mobiles.index_item(leader, "REGISTRY-SUBJECT", source="registry", at="t"))])

    counts = erasure.backfill(table)
    assert counts["closed"] == 3 and counts["shared_mobile_items_deleted"] == 1, counts
    due = (cancelled_at + timedelta(days=30)).isoformat()
    for order_id, why in (("SERVICE001", "access_cancelled"), ("CANCEL0001", "access_cancelled"),
                          ("FIRST00001", "superseded")):
        assert stored(app, order_id)["closed"]["as"] == why
        assert table.get(*retention.retention_key(order_id))["due_at"] == due
    for order_id in ("CHANGE0001", "STANDING01"):
        assert not f.is_closed(stored(app, order_id))
    # every website order has its own items now (the cancellation never wrote any); the registry's stays
    items = table.query(mobiles.MOBILE_PARTITION + mobiles.mobile_hash(leader))
    assert {i["sk"].split("#ORDER#")[1] for i in items if "#ORDER#" in i["sk"]} == {
        "SERVICE001", "FIRST00001", "CHANGE0001", "STANDING01"}
    assert [i["source"] for i in items if "#ORDER#" not in i["sk"]] == ["registry"]
    again = erasure.backfill(table)
    assert again["closed"] == 0 and again["shared_mobile_items_deleted"] == 0
    # the sweep erases the closed ones when their period passes, and only them
    result = erasure.sweep(table, app.extensions["icp_blobs"], now=cancelled_at + timedelta(days=30, minutes=1))
    assert result["erased"] == 3, result
    assert stored(app, "STANDING01")["subject"] and stored(app, "CHANGE0001")["subject"]
