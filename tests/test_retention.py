"""Retention as data: each way an order ends keeps its documents and personal answers for a period, then the
retention sweep (run by `flask icp run-jobs`) deletes them from storage, every version on S3, and leaves a tombstone."""
from __future__ import annotations

from datetime import timedelta

import pytest

from icp import filing as f
from icp import retention, rules
from icp.store import Put
from icp.workflow import retention as erasure
from tests.conftest import page
from tests.journey import post_form, ready_to_submit, upload
from tests.moto_patches import moto_reads_secure_transport  # noqa: F401
from tests.retention_helpers import retention_line, stored_versions
from tests.images import jpeg_bytes
from tests.workflow_helpers import REVIEWER, staff, stored


def test_every_ending_transition_has_its_retention_period():
    ended = retention.ended_statuses()
    assert ended == {f.REJECTED, f.DISCARDED, f.WITHDRAWN}
    endings = {t.action for t in f.TRANSITIONS if t.target in ended and t.source not in ended}
    assert endings <= set(rules.RETENTION_BY_ENDING), endings - set(rules.RETENTION_BY_ENDING)
    # an approved filing is not an ending: it keeps its record while it stands
    assert f.APPROVED not in ended
    assert all(r.days >= 0 and r.why and r.outcome for r in rules.RETENTION_BY_ENDING.values())
    assert rules.retention_for("withdraw") == 7 and rules.retention_for("discard") == 0
    assert rules.retention_for("a_new_ending") == rules.RETENTION_UNLISTED_DAYS == 30


@pytest.mark.usefixtures("moto_reads_secure_transport")
def test_a_withdrawn_order_is_erased_after_its_period_and_nothing_else(any_app, clock):
    app = any_app
    table = app.extensions["icp_table"]
    client, withdrawn = ready_to_submit(app)
    # a document replaced: on S3 the first copy stays as a noncurrent version under a delete marker
    assert upload(client, app, withdrawn, "leader_id_front", jpeg_bytes(820, 600)).status_code == 302
    before = stored_versions(app, withdrawn)
    assert before >= 7
    response = post_form(client, f"/filings/{withdrawn}/withdraw", {})
    assert response.status_code == 302
    ended_at = clock()
    due = table.get(*retention.retention_key(withdrawn))
    assert due["ending"] == "withdraw" and due["due_at"] == (ended_at + timedelta(days=7)).isoformat()

    # the subject is free again: the applicant starts over, and the new draft's documents must survive the sweep
    _client, kept = ready_to_submit(app)
    kept_versions = stored_versions(app, kept)
    assert kept_versions >= 7

    assert retention_line(app, ended_at + timedelta(days=6, hours=23)) == "retention: {}"
    assert stored_versions(app, withdrawn) == before

    line = retention_line(app, ended_at + timedelta(days=7, minutes=1))
    assert "'erased': 1" in line and f"'files_deleted': {before}" in line, line
    assert stored_versions(app, withdrawn) == 0
    assert stored_versions(app, kept) == kept_versions
    items = table.query(f.filing_partition(withdrawn))
    assert not [i for i in items if f.is_document(i["sk"])]
    assert table.get(*retention.retention_key(withdrawn)) is None

    tombstone = stored(app, withdrawn)
    assert tombstone["status"] == f.WITHDRAWN and tombstone["erased"]["ending"] == "withdraw"
    assert tombstone["verified"]["domain"] == "example-shop.cn" and tombstone["verified"]["province"] == "beijing"
    assert tombstone["verified"]["certificate_number"] == ""
    assert "subject" not in tombstone and "website" not in tombstone
    text = repr(items)
    for personal in ("王芳", "11010519491231002X", "13911112222", "李雷", "中关村"):
        assert personal not in text
    assert [e for e in items if f.is_event(e["sk"])][-1]["action"] == "erase"

    # the draft started after is whole
    assert stored(app, kept)["subject"]["leader"]["name"] == "王芳"

    # My filings and the order's page still say what it was and how it ended
    listing = page(client.get("/filings")).get_text(" ")
    assert withdrawn in listing
    status_page = page(client.get(f"/filings/{withdrawn}")).get_text(" ")
    assert "example-shop.cn" in status_page and "王芳" not in status_page
    assert "Documents and personal details deleted" in status_page
    # staff see the tombstone, never the deleted data
    reviewer_page = page(staff(app, REVIEWER).get(f"/review/{withdrawn}")).get_text(" ")
    assert "王芳" not in reviewer_page and "11010519491231002X" not in reviewer_page

    # idempotent: a second run finds nothing due
    assert retention_line(app, ended_at + timedelta(days=8)) == "retention: {}"


def test_an_unsubmitted_order_discarded_after_45_days_is_erased_at_the_next_run(app, clock):
    client, filing_id = ready_to_submit(app)
    later = clock() + timedelta(days=45, minutes=1)
    first = app.test_cli_runner().invoke(args=["icp", "run-jobs", "--now", later.isoformat()])
    assert "'discard': 1" in first.output and "'erased': 1" in first.output, first.output
    assert stored_versions(app, filing_id) == 0
    assert stored(app, filing_id)["status"] == f.DISCARDED


class _Failing:
    """A document store whose folder deletes fail for one order."""

    def __init__(self, blobs, filing_id):
        self.blobs, self.filing_id = blobs, filing_id

    def delete_prefix(self, prefix):
        if self.filing_id in prefix:
            raise OSError("disk failure")
        return self.blobs.delete_prefix(prefix)


def test_one_failing_order_is_counted_left_due_and_does_not_stop_the_others(app, clock):
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    client, first = ready_to_submit(app)
    post_form(client, f"/filings/{first}/withdraw", {})
    _client, second = ready_to_submit(app)
    post_form(_client, f"/filings/{second}/withdraw", {})
    later = clock() + timedelta(days=8)

    result = erasure.sweep(table, _Failing(blobs, first), now=later)
    assert result["failed"] == 1 and result["erased"] == 1, result
    assert stored_versions(app, second) == 0 and stored_versions(app, first) > 0
    assert table.get(*retention.retention_key(first)) is not None  # still due
    assert not retention.is_erased(stored(app, first))

    assert erasure.sweep(table, blobs, now=later)["erased"] == 1
    assert stored_versions(app, first) == 0
    assert erasure.sweep(table, blobs, now=later) == {}


def test_the_sweep_drains_past_its_page_and_reads_only_what_is_due(app, clock):
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    client, filing_id = ready_to_submit(app)
    post_form(client, f"/filings/{filing_id}/withdraw", {})
    # retention items of orders whose item has gone (a hand-deleted order): drained and removed, not erased
    now = clock()
    table.write([Put(retention.retention_item(f"GONE{n:04d}", "withdraw", now=now - timedelta(days=8)))
                 for n in range(12)])
    result = erasure.sweep(table, blobs, now=now + timedelta(days=8), page=5)
    assert result["erased"] == 1 and result["no_longer_due"] == 12, result
    assert table.query_index("deadline", retention.ERASE_KEY, limit=100) == []


@pytest.mark.parametrize("ending", sorted(rules.RETENTION_BY_ENDING))
def test_each_ending_starts_its_own_period(ending, clock):
    item = retention.retention_item("ABC", ending, now=clock())
    assert item["due_at"] == (clock() + timedelta(days=rules.RETENTION_BY_ENDING[ending].days)).isoformat()
    assert item["due_key"] == retention.ERASE_KEY


def test_orders_ended_before_retention_existed_get_their_period_from_the_backfill(any_app, clock):
    from tests.orders import order_in

    app = any_app
    table = app.extensions["icp_table"]
    ended = clock() - timedelta(days=40)
    rejected = order_in(f.REJECTED, filing_id="OLDREJECT1", now=ended)
    withdrawn = order_in(f.WITHDRAWN, filing_id="OLDWITHDR1", now=clock())
    table.write([Put(rejected), Put(withdrawn),
                 Put(f.event_item("OLDREJECT1", now=ended, actor="system", action="expire_sms", status=f.REJECTED))])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["icp", "retention-backfill"])
    assert "'added': 2" in first.output, first.output
    assert table.get(*retention.retention_key("OLDREJECT1"))["ending"] == "expire_sms"
    assert table.get(*retention.retention_key("OLDWITHDR1"))["due_at"] == (clock() + timedelta(days=7)).isoformat()
    assert "'added': 0, 'present': 2" in runner.invoke(args=["icp", "retention-backfill"]).output
    # the rejection ended 40 days ago, past its 30: the next sweep erases it, and only it
    result = erasure.sweep(table, app.extensions["icp_blobs"], now=clock())
    assert result["erased"] == 1 and retention.is_erased(stored(app, "OLDREJECT1"))
    assert not retention.is_erased(stored(app, "OLDWITHDR1"))
