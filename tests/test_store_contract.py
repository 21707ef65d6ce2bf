"""One contract for the Table and Blobs ports, run against SQLite/DynamoDB and a folder/S3 (moto server)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from botocore.exceptions import ClientError

from icp.provision import provision_bucket
from icp.store import ABSENT, Conflict, Delete, Put, UploadRefused, open_blobs, open_table
from icp.store.localfs import LocalBlobs
from icp.store.policy import decode_policy
from icp.store.s3 import S3Blobs
from tests.store_fixtures import (  # noqa: F401
    atomic_moto, aws_credentials, aws_settings, local_settings, moto_server, table,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(params=["localfs", "s3"])
def blobs(request, tmp_path):
    """A fresh, empty Blobs of each backend."""
    if request.param == "localfs":
        return open_blobs(local_settings(tmp_path))
    return request.getfixturevalue("s3_blobs")


@pytest.fixture
def s3_blobs(aws_credentials, moto_server, tmp_path):
    """S3Blobs on an empty, provisioned bucket of the moto server."""
    moto_server.reset()
    settings = aws_settings(tmp_path, moto_server.url)
    provision_bucket(settings)
    return open_blobs(settings)


@pytest.fixture
def local_blobs(tmp_path):
    """LocalBlobs in an empty folder."""
    return open_blobs(local_settings(tmp_path))


def put(table, item, expect_version=None):
    table.write([Put(item, expect_version)])


def filing(n, **extra):
    return {"pk": f"FILING#{n}", "sk": "META", "version": 1, **extra}


# ---------------------------------------------------------------- Table: items


def test_get_many_reads_several_items_at_once(table):
    items = [{"pk": f"A#{n}", "sk": "META", "version": 1, "n": n, "nested": {"k": [n]}} for n in range(3)]
    for item in items:
        put(table, item)
    got = table.get_many([("A#0", "META"), ("A#2", "META"), ("A#9", "META"), ("A#0", "META")])
    assert got == {("A#0", "META"): items[0], ("A#2", "META"): items[2]}
    assert table.get_many([]) == {}
    many = [{"pk": f"B#{n:03d}", "sk": "META", "version": 1} for n in range(100)]
    for start in range(0, 100, 25):
        table.write([Put(item) for item in many[start:start + 25]])
    assert len(table.get_many([(i["pk"], i["sk"]) for i in many])) == 100
    with pytest.raises(ValueError):
        table.get_many([(f"C#{n}", "META") for n in range(101)])
    with pytest.raises(ValueError):
        table.get_many([("", "META")])


def test_get_put_round_trip(table):
    item = {
        "pk": "FILING#1",
        "sk": "META",
        "version": 1,
        "count": 0,
        "big": 12345678901234,
        "negative": -7,
        "flag": True,
        "off": False,
        "nothing": None,
        "empty": "",
        "name": "示例网站",
        "nested": {"a": {"b": [1, "two", {"three": 3}]}, "n": 42},
        "list": [],
        "map": {},
        "ratio": 1.5,
    }
    assert table.get("FILING#1", "META") is None
    put(table, item)
    got = table.get("FILING#1", "META")
    assert got == item
    # Numbers come back as int on every backend (DynamoDB answers Decimal).
    assert type(got["count"]) is int and type(got["nested"]["a"]["b"][0]) is int
    assert type(got["flag"]) is bool

    # A Put replaces the whole item: attributes it leaves out are gone.
    put(table, {"pk": "FILING#1", "sk": "META", "version": 2})
    assert table.get("FILING#1", "META") == {"pk": "FILING#1", "sk": "META", "version": 2}


def test_query_by_prefix_sorted_limited_descending(table):
    sks = ["EVENT#2026-03-01#1", "EVENT#2026-03-01#2", "EVENT#2026-03-02#1", "DOC#id_front", "META"]
    table.write([Put({"pk": "FILING#1", "sk": sk, "v": i}) for i, sk in enumerate(sks)])
    put(table, {"pk": "FILING#2", "sk": "EVENT#2026-01-01#1"})  # another partition stays out

    events = sorted(sk for sk in sks if sk.startswith("EVENT#"))
    assert [i["sk"] for i in table.query("FILING#1", "EVENT#")] == events
    assert [i["sk"] for i in table.query("FILING#1")] == sorted(sks)
    assert [i["sk"] for i in table.query("FILING#1", "EVENT#", limit=2)] == events[:2]
    assert [i["sk"] for i in table.query("FILING#1", "EVENT#", descending=True)] == events[::-1]
    assert [i["sk"] for i in table.query("FILING#1", "EVENT#", descending=True, limit=1)] == events[-1:]
    assert table.query("FILING#1", "EVENT#2026-03-01") == [
        {"pk": "FILING#1", "sk": "EVENT#2026-03-01#1", "v": 0},
        {"pk": "FILING#1", "sk": "EVENT#2026-03-01#2", "v": 1},
    ]
    assert table.query("FILING#1", "NOPE") == []
    assert table.query("FILING#9") == []
    assert table.query("FILING#1", "EVENT#", limit=0) == []


def test_query_by_sort_key_range_bounds_inclusive_limited_descending(table):
    # the outbox's due query: one partition read up to a moment, paged on from after the last key seen
    sks = ["2026-03-01T09:00#a", "2026-03-01T09:00#b", "2026-03-02T09:00#a", "2026-03-03T09:00#a"]
    table.write([Put({"pk": "OUTBOX#PENDING", "sk": sk}) for sk in sks])
    put(table, {"pk": "OUTBOX#SENT", "sk": "2026-03-01T09:00#z"})  # another partition stays out

    def sk_of(**kwargs):
        return [i["sk"] for i in table.query("OUTBOX#PENDING", **kwargs)]

    assert sk_of(upper_bound="2026-03-02T09:00#~") == sks[:3]
    assert sk_of(upper_bound="2026-03-02T09:00#a") == sks[:3]  # inclusive
    assert sk_of(lower_bound="2026-03-01T09:00#a\x00") == sks[1:]  # strictly after a key seen
    assert sk_of(lower_bound="2026-03-01T09:00#b", upper_bound="2026-03-02T09:00#~", limit=1) == sks[1:2]
    assert sk_of(upper_bound="2026-03-02T09:00#~", descending=True, limit=2) == [sks[2], sks[1]]
    assert sk_of(lower_bound="2026-03-03", upper_bound="2026-03-02") == []
    assert sk_of(upper_bound="2026-02-28") == []
    with pytest.raises(ValueError):
        table.query("OUTBOX#PENDING", "2026", upper_bound="2026-03-02")


def test_query_index_bounds_limit_descending(table):
    table.write(
        [
            Put(filing(n, queue="PROVIDER_REVIEW", queue_sort=f"2026-03-0{n}T00:00:00Z#{n}"))
            for n in range(1, 6)
        ]
        + [Put(filing(9, queue="RETURNED", queue_sort="2026-03-01T00:00:00Z#9"))]
    )

    def ids(items):
        return [int(i["pk"].split("#")[1]) for i in items]

    assert ids(table.query_index("queue", "PROVIDER_REVIEW")) == [1, 2, 3, 4, 5]
    assert ids(table.query_index("queue", "PROVIDER_REVIEW", descending=True)) == [5, 4, 3, 2, 1]
    assert ids(table.query_index("queue", "PROVIDER_REVIEW", limit=2)) == [1, 2]
    assert ids(table.query_index("queue", "PROVIDER_REVIEW", limit=2, descending=True)) == [5, 4]
    # Bounds are inclusive.
    assert ids(table.query_index("queue", "PROVIDER_REVIEW", upper_bound="2026-03-03T00:00:00Z#3")) == [1, 2, 3]
    assert ids(table.query_index("queue", "PROVIDER_REVIEW", lower_bound="2026-03-04T00:00:00Z#4")) == [4, 5]
    assert ids(
        table.query_index(
            "queue", "PROVIDER_REVIEW", lower_bound="2026-03-02", upper_bound="2026-03-04", limit=10
        )
    ) == [2, 3]
    assert table.query_index("queue", "PROVIDER_REVIEW", lower_bound="2026-03-04", upper_bound="2026-03-02") == []
    assert ids(table.query_index("queue", "RETURNED")) == [9]
    assert table.query_index("queue", "APPROVED") == []
    with pytest.raises(ValueError):
        table.query_index("no-such-index", "x")


def test_query_index_returns_what_the_index_projects(table):
    # icp.store.INDEX_PROJECTIONS: the table's and the index's keys and the attributes listed, on both backends
    table.write([Put(filing(9, queue="RETURNED", queue_sort="2026-03-01T00:00:00Z#9", id="9", status="RETURNED",
                        returns=1, answers={"long": "x" * 2000})),
                 Put(filing(8, due_key="DUE", due_at="2026-03-03T09:00:00Z", due_action="discard", status="DRAFT"))])
    assert table.query_index("queue", "RETURNED") == [
        {"pk": "FILING#9", "sk": "META", "queue": "RETURNED", "queue_sort": "2026-03-01T00:00:00Z#9", "id": "9",
         "returns": 1}]
    assert table.query_index("deadline", "DUE") == [
        {"pk": "FILING#8", "sk": "META", "due_key": "DUE", "due_at": "2026-03-03T09:00:00Z", "due_action": "discard"}]
    # the item itself is whole
    assert table.get("FILING#9", "META")["answers"] == {"long": "x" * 2000}


def test_query_index_is_sparse(table):
    due = {"due_key": "DUE", "due_at": "2026-03-03T09:00:00Z"}
    table.write(
        [
            Put(filing(1, **due)),
            Put(filing(2, due_key="DUE")),  # only one of the two attributes: not in the index
            Put(filing(3, due_at="2026-03-03T09:00:00Z")),
            Put(filing(4)),
            Put(filing(5, due_key="DUE", due_at=None)),  # None counts as absent
            Put(filing(6, owner="a@example.com", owner_sort="2026-03-01")),  # another index only
        ]
    )
    assert [i["pk"] for i in table.query_index("deadline", "DUE")] == ["FILING#1"]
    assert table.get("FILING#5", "META") == filing(5, due_key="DUE")
    assert [i["pk"] for i in table.query_index("owner", "a@example.com")] == ["FILING#6"]

    # The deadline stops running: the item is put again without due_at and leaves the index.
    put(table, filing(1, version=2, due_key="DUE"), expect_version=1)
    assert table.query_index("deadline", "DUE") == []
    put(table, filing(1, version=3, **due), expect_version=2)
    assert [i["pk"] for i in table.query_index("deadline", "DUE", upper_bound="2026-03-03T09:00:00Z")] == ["FILING#1"]
    assert table.query_index("deadline", "DUE", upper_bound="2026-03-03T08:59:59Z") == []

    # increment's set_fields follows the same rule: None removes the attribute, and the item leaves the index.
    table.increment("FILING#1", "META", "reminders", set_fields={"due_at": None})
    assert table.query_index("deadline", "DUE") == []
    assert "due_at" not in table.get("FILING#1", "META")


def test_index_attributes_must_be_non_empty_strings(table):
    with pytest.raises(ValueError):
        put(table, filing(1, owner="", owner_sort="x"))
    with pytest.raises(ValueError):
        put(table, filing(1, due_key="DUE", due_at=17))
    with pytest.raises(ValueError):
        put(table, {"pk": "", "sk": "META"})
    assert table.get("FILING#1", "META") is None


# ---------------------------------------------------------------- Table: conditions


def test_write_is_all_or_nothing(table):
    put(table, filing(2))
    with pytest.raises(Conflict) as caught:
        table.write(
            [
                Put(filing(1), expect_version=ABSENT),
                Put(filing(2, version=2), expect_version=7),  # stale: fails
                Put({"pk": "FILING#1", "sk": "EVENT#1", "what": "created"}),
            ]
        )
    assert caught.value.failed == (1,)
    assert table.get("FILING#1", "META") is None
    assert table.get("FILING#1", "EVENT#1") is None
    assert table.get("FILING#2", "META") == filing(2)


def test_absent_condition(table):
    put(table, filing(1), expect_version=ABSENT)
    with pytest.raises(Conflict):
        put(table, filing(1, version=5, other=True), expect_version=ABSENT)
    assert table.get("FILING#1", "META") == filing(1)


def test_version_condition(table):
    with pytest.raises(Conflict):
        put(table, filing(1), expect_version=1)  # nothing stored yet: no version 1 either
    put(table, filing(1), expect_version=ABSENT)
    put(table, filing(1, version=2, step="contact"), expect_version=1)
    with pytest.raises(Conflict):
        put(table, filing(1, version=2, step="stale"), expect_version=1)
    assert table.get("FILING#1", "META") == filing(1, version=2, step="contact")


def test_delete_with_condition(table):
    put(table, filing(1, version=3))
    with pytest.raises(Conflict):
        table.write([Delete("FILING#1", "META", expect_version=2)])
    with pytest.raises(Conflict):
        table.write([Delete("FILING#1", "META", expect_version=ABSENT)])
    assert table.get("FILING#1", "META") is not None
    table.write([Delete("FILING#1", "META", expect_version=3)])
    assert table.get("FILING#1", "META") is None
    table.write([Delete("FILING#1", "META")])  # absent: unconditional delete is a no-op
    with pytest.raises(Conflict):
        table.write([Delete("FILING#1", "META", expect_version=3)])


def test_state_change_with_history_and_outbox_in_one_write(table):
    put(table, filing(1, status="DRAFT"), expect_version=ABSENT)
    table.write(
        [
            Put(filing(1, version=2, status="PROVIDER_REVIEW"), expect_version=1),
            Put({"pk": "FILING#1", "sk": "EVENT#2026-03-02T09:30:00Z#1", "action": "submit"}, ABSENT),
            Put({"pk": "OUTBOX#1", "sk": "META", "version": 1}, ABSENT),
            Delete("FILING#1", "DRAFT#autosave"),
        ]
    )
    assert table.get("FILING#1", "META")["status"] == "PROVIDER_REVIEW"
    assert len(table.query("FILING#1", "EVENT#")) == 1
    assert table.get("OUTBOX#1", "META") is not None


def test_write_limits(table):
    table.write([])  # nothing to do
    table.write([Put({"pk": "P", "sk": f"{i:03}"}) for i in range(100)])
    assert len(table.query("P")) == 100
    with pytest.raises(ValueError):
        table.write([Put({"pk": "Q", "sk": f"{i:03}"}) for i in range(101)])
    with pytest.raises(ValueError):
        table.write([Put({"pk": "R", "sk": "1"}), Delete("R", "1")])  # two ops on one item
    assert table.query("Q") == [] and table.query("R") == []


def test_concurrent_conflicting_writes_exactly_one_wins(table):
    put(table, filing(1, status="DRAFT"), expect_version=ABSENT)
    threads_n = 8
    # Every thread has read version 1 before any of them writes: a real race, not a queue.
    all_read = threading.Barrier(threads_n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def contender(n):
        current = table.get("FILING#1", "META")
        all_read.wait(timeout=10)
        try:
            put(table, {**current, "version": current["version"] + 1, "by": n}, expect_version=current["version"])
            result = f"won {current['version']}"
        except Conflict:
            result = f"conflict {current['version']}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=contender, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict 1"] * 7 + ["won 1"]
    stored = table.get("FILING#1", "META")
    assert stored["version"] == 2 and stored["by"] in range(threads_n)


def test_sqlite_is_safe_across_processes(tmp_path):
    """Two processes and this one bump one counter at once; SQLite's locking keeps every increment."""
    settings = local_settings(tmp_path)
    open_table(settings).increment("RATE#x", "W", "count", 0)  # create the file and schema first
    script = (
        "import sys; from icp.store import open_table; from tests.store_fixtures import local_settings; "
        "from pathlib import Path; t = open_table(local_settings(Path(sys.argv[1]))); "
        "[t.increment('RATE#x', 'W', 'count') for _ in range(50)]"
    )
    root = Path(__file__).resolve().parent.parent
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=root) for _ in range(2)
    ]
    table = open_table(settings)
    for _ in range(50):
        table.increment("RATE#x", "W", "count")
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert table.get("RATE#x", "W")["count"] == 150


def test_dynamodb_cancellation_reasons(aws_credentials):
    """TransactionConflict is a Conflict too; a transaction cancelled for any other reason is not."""
    from botocore.stub import Stubber

    from icp.store.dynamodb import DynamoTable

    table = DynamoTable("t", region="eu-west-1")
    with Stubber(table.client) as stub:
        for reasons in (["None", "TransactionConflict"], ["ValidationError", "None"]):
            stub.add_client_error(
                "transact_write_items",
                service_error_code="TransactionCanceledException",
                service_message=f"Transaction cancelled [{', '.join(reasons)}]",
                http_status_code=400,
                response_meta={},
                modeled_fields={"CancellationReasons": [{"Code": code} for code in reasons]},
            )
        ops = [Put({"pk": "A", "sk": "1"}), Put({"pk": "B", "sk": "1"})]
        with pytest.raises(Conflict) as caught:
            table.write(ops)
        assert caught.value.failed == (1,)
        with pytest.raises(ClientError):
            table.write(ops)


def test_dynamodb_queries_follow_pages_until_the_limit(aws_credentials):
    """DynamoDB pages stop at 1 MB: the adapter asks again from LastEvaluatedKey for what is still missing."""
    from botocore.stub import Stubber

    from icp.store.dynamodb import DynamoTable, to_dynamo

    table = DynamoTable("t", region="eu-west-1")
    items = [to_dynamo(filing(n, due_key="DUE", due_at=f"2026-03-0{n}")) for n in range(1, 5)]
    last = {"pk": {"S": "x"}, "sk": {"S": "y"}}
    common = {
        "TableName": "t",
        "IndexName": "deadline",
        "KeyConditionExpression": "#p = :key AND #s <= :hi",
        "ExpressionAttributeNames": {"#p": "due_key", "#s": "due_at"},
        "ExpressionAttributeValues": {":key": {"S": "DUE"}, ":hi": {"S": "2026-03-09"}},
        "ScanIndexForward": True,
    }
    with Stubber(table.client) as stub:
        stub.add_response("query", {"Items": items[:2], "LastEvaluatedKey": last}, {**common, "Limit": 3})
        stub.add_response(
            "query", {"Items": items[2:3], "LastEvaluatedKey": last}, {**common, "Limit": 1, "ExclusiveStartKey": last}
        )
        got = table.query_index("deadline", "DUE", upper_bound="2026-03-09", limit=3)
        stub.assert_no_pending_responses()
    assert [i["pk"] for i in got] == ["FILING#1", "FILING#2", "FILING#3"]


# ---------------------------------------------------------------- Table: counters


def test_increment_from_absent(table):
    assert table.increment("RATE#login#1.2.3.4", "2026-03-02T09", "count", set_fields={"expires_at": 1772445600}) == 1
    assert table.increment("RATE#login#1.2.3.4", "2026-03-02T09", "count", 4) == 5
    assert table.get("RATE#login#1.2.3.4", "2026-03-02T09") == {
        "pk": "RATE#login#1.2.3.4",
        "sk": "2026-03-02T09",
        "count": 5,
        "expires_at": 1772445600,
    }
    # A counter on an existing item keeps its other attributes.
    put(table, filing(1, status="SMS_PENDING"))
    assert table.increment("FILING#1", "META", "sms_attempts", set_fields={"last_attempt": "09:30"}) == 1
    assert table.get("FILING#1", "META") == filing(1, status="SMS_PENDING", sms_attempts=1, last_attempt="09:30")
    with pytest.raises(ValueError):
        table.increment("FILING#1", "META", "count", set_fields={"pk": "other"})


def test_increment_concurrently_sums(table):
    threads_n, per_thread = 8, 10
    start = threading.Barrier(threads_n)
    results: list[int] = []
    lock = threading.Lock()

    def bump():
        start.wait(timeout=10)
        for _ in range(per_thread):
            value = table.increment("RATE#sms#13800000000", "W1", "count")
            with lock:
                results.append(value)

    threads = [threading.Thread(target=bump) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    total = threads_n * per_thread
    assert table.get("RATE#sms#13800000000", "W1")["count"] == total
    # Each increment saw a distinct new value: no two callers were told the same count.
    assert sorted(results) == list(range(1, total + 1))


# ---------------------------------------------------------------- Blobs: contract


def test_blob_put_size_read_delete(blobs):
    key = "filings/1/id_front"
    assert blobs.size(key) is None
    with pytest.raises(KeyError):
        blobs.read(key)
    data = bytes(range(256)) * 10
    blobs.put(key, data, "image/jpeg")
    assert blobs.size(key) == len(data)
    assert blobs.read(key) == data
    assert blobs.read(key, max_bytes=16) == data[:16]
    assert blobs.read(key, max_bytes=10_000) == data
    blobs.put(key, b"new", "image/png")  # overwrite
    assert blobs.read(key) == b"new"
    blobs.delete(key)
    assert blobs.size(key) is None
    blobs.delete(key)  # idempotent

    blobs.put("filings/1/empty", b"", "application/octet-stream")
    assert blobs.size("filings/1/empty") == 0
    assert blobs.read("filings/1/empty", max_bytes=8) == b""


def test_blob_put_stream_stores_the_pieces_in_parts(blobs):
    # more than one S3 part: 8 MiB parts, the last one shorter
    piece = bytes(range(256)) * 4096  # 1 MiB
    pieces = [piece] * 9 + [b"end"]
    assert blobs.put_stream("exports/a1/copy.zip", iter(pieces), "application/zip") == 9 * len(piece) + 3
    assert blobs.size("exports/a1/copy.zip") == 9 * len(piece) + 3
    assert blobs.read_range("exports/a1/copy.zip", 8 * len(piece) - 2, 4) == piece[-2:] + piece[:2]
    assert blobs.put_stream("exports/a1/small.zip", iter([b"one", b"two"]), "application/zip") == 6
    assert blobs.read("exports/a1/small.zip") == b"onetwo"


def test_blob_put_stream_leaves_nothing_when_the_pieces_fail(blobs):
    def failing():
        yield b"x" * (9 * 1024 * 1024)  # a whole part has gone out already (S3)
        raise RuntimeError("the ZIP could not be made")

    with pytest.raises(RuntimeError):
        blobs.put_stream("exports/a2/copy.zip", failing(), "application/zip")
    assert blobs.size("exports/a2/copy.zip") is None
    if isinstance(blobs, S3Blobs):
        import boto3  # a stock client: the app's trimmed one has no ListMultipartUploads

        stock = boto3.client("s3", region_name=blobs.region, endpoint_url=blobs.endpoint_url)
        assert not stock.list_multipart_uploads(Bucket=blobs.bucket).get("Uploads")
    else:
        assert not list(blobs.root.rglob("*.part"))


def test_blob_copy(blobs):
    blobs.put("pending/1/photo", b"\xff\xd8\xffphoto", "image/jpeg")
    blobs.copy("pending/1/photo", "documents/1/photo/abc.jpg")
    blobs.delete("pending/1/photo")
    assert blobs.read("documents/1/photo/abc.jpg") == b"\xff\xd8\xffphoto"
    blobs.put("pending/1/photo", b"again", "image/jpeg")
    blobs.copy("pending/1/photo", "documents/1/photo/abc.jpg")  # overwrite
    assert blobs.read("documents/1/photo/abc.jpg") == b"again"
    with pytest.raises(KeyError):
        blobs.copy("pending/1/none", "documents/1/none")
    assert blobs.size("documents/1/none") is None


def _versions_under(blobs, prefix: str) -> int:
    """Every stored version and delete marker under prefix (S3), or every file (the local folder)."""
    if hasattr(blobs, "client"):
        page = blobs.client.list_object_versions(Bucket=blobs.bucket, Prefix=prefix)
        return len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))
    folder = blobs.root.joinpath(*prefix.strip("/").split("/"))
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def test_blob_delete_prefix_removes_every_version_and_nothing_else(blobs):
    blobs.put("documents/A1/leader_id_front/x.jpg", b"first", "image/jpeg")
    blobs.put("documents/A1/leader_id_front/x.jpg", b"second", "image/jpeg")  # overwritten: an older version
    blobs.put("documents/A1/photo/y.jpg", b"photo", "image/jpeg")
    blobs.delete("documents/A1/photo/y.jpg")  # deleted: on S3 a delete marker over a noncurrent version
    blobs.put("documents/A10/leader_id_front/z.jpg", b"another order", "image/jpeg")  # shares "A1" as a prefix
    before = _versions_under(blobs, "documents/A1/")
    assert before == (4 if hasattr(blobs, "client") else 1)  # S3 keeps versions; the folder keeps the file

    assert blobs.delete_prefix("documents/A1/") == before
    assert _versions_under(blobs, "documents/A1/") == 0
    assert blobs.size("documents/A1/leader_id_front/x.jpg") is None
    assert blobs.read("documents/A10/leader_id_front/z.jpg") == b"another order"
    assert blobs.delete_prefix("documents/A1/") == 0  # idempotent
    for dangerous in ("", "documents/", "documents", "documents/A1", "/A1/"):
        with pytest.raises(ValueError):
            blobs.delete_prefix(dangerous)


@pytest.fixture
def served(blobs, monkeypatch):
    """A list that gathers how many bytes storage hands over for each read (S3: each GET's Content-Length)."""
    counts: list[int] = []
    if isinstance(blobs, S3Blobs):
        def count(http_response, **kwargs):
            counts.append(int(http_response.headers.get("content-length", 0)))

        blobs.client.meta.events.register("after-call.s3.GetObject", count)
    else:
        real_open = Path.open

        class Counted:
            def __init__(self, f):
                self._f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._f.close()

            def __getattr__(self, name):
                return getattr(self._f, name)

            def read(self, *args):
                data = self._f.read(*args)
                counts.append(len(data))
                return data

        monkeypatch.setattr(Path, "open", lambda path, *a, **k: Counted(real_open(path, *a, **k)))
    return counts


def test_blob_read_range_reads_only_the_range(blobs, served):
    key = "pending/1/apk/abc"
    data = bytes(range(256)) * 4096  # 1 MiB
    blobs.put(key, data, "application/vnd.android.package-archive")
    served.clear()
    assert blobs.read_range(key, 1000, 10) == data[1000:1010]
    assert blobs.read_range(key, len(data) - 22, 22) == data[-22:]
    assert blobs.read_range(key, len(data) - 5, 100) == data[-5:]  # fewer at the end
    # a whole-object read would hand over 1 MiB at least once: each read is its range's size
    assert served == [10, 22, 5]
    assert blobs.read_range(key, len(data), 10) == b""  # past the end
    assert blobs.read_range(key, 0, 0) == b""
    assert sum(served) < 1024  # (S3 answers a range past the end with a short XML error)
    with pytest.raises(ValueError):
        blobs.read_range(key, -1, 10)
    with pytest.raises(KeyError):
        blobs.read_range("pending/1/apk/none", 0, 10)
    with pytest.raises(KeyError):
        blobs.read_range("pending/1/apk/none", 0, 0)


def test_blob_size_reads_no_content(blobs, served):
    blobs.put("pending/1/apk/abc", b"x" * 100_000, "application/zip")
    served.clear()
    assert blobs.size("pending/1/apk/abc") == 100_000
    assert sum(served) == 0


def test_presign_upload_policy(blobs):
    now = datetime.now(timezone.utc) if isinstance(blobs, S3Blobs) else NOW
    post = blobs.presign_upload(
        "pending/1/photo",
        max_bytes=5_000_000,
        content_type_prefix="image/",
        redirect_url="http://localhost:5000/filings/1/photo/uploaded?doc=photo",
        now=now,
        expires_in=900,
    )
    fields = post["fields"]
    assert isinstance(post["url"], str) and post["url"]
    assert fields["key"] == "pending/1/photo"
    assert fields["Content-Type"] == "image/jpeg"
    assert fields["success_action_redirect"] == "http://localhost:5000/filings/1/photo/uploaded?doc=photo"

    policy = decode_policy(fields)
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 5_000_000] in conditions
    assert ["starts-with", "$Content-Type", "image/"] in conditions
    assert {"success_action_redirect": fields["success_action_redirect"]} in conditions
    assert {"key": "pending/1/photo"} in conditions
    expiration = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    # S3 signs with the wall clock; allow for the seconds between `now` and signing.
    assert abs(expiration - (now + timedelta(seconds=900))) <= timedelta(seconds=60)
    # Every posted field is either exempt or covered by a condition (S3 refuses uncovered fields).
    covered = {name.lower() for c in conditions if isinstance(c, dict) for name in c}
    covered |= {c[1].lstrip("$").lower() for c in conditions if isinstance(c, list) and c[0] != "content-length-range"}
    for name in fields:
        assert name.lower() in covered | {"policy", "signature", "x-amz-signature"}, name


# ---------------------------------------------------------------- Blobs: S3 specifics


def test_s3_presigned_post_lands_the_file_and_redirects(s3_blobs):
    post = s3_blobs.presign_upload(
        "pending/7/licence",
        max_bytes=1000,
        content_type_prefix="image/",
        redirect_url="http://localhost:5000/filings/7/documents/uploaded?doc=licence",
        now=datetime.now(timezone.utc),
    )
    fields = post["fields"]
    # SigV4 POST fields (required by every region opened since 2014).
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    response = requests.post(
        post["url"],
        data=fields,
        files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n-fake-", "image/png")},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/filings/7/documents/uploaded"
    query = parse_qs(location.query)
    assert query["key"] == ["pending/7/licence"] and query["doc"] == ["licence"]
    assert query["bucket"] == [s3_blobs.bucket]
    assert s3_blobs.read("pending/7/licence") == b"\x89PNG\r\n\x1a\n-fake-"
    head = s3_blobs.client.head_object(Bucket=s3_blobs.bucket, Key="pending/7/licence")
    assert head["ContentType"] == "image/jpeg"  # the form's field, not the browser's part header
    assert head.get("ServerSideEncryption") in (None, "AES256")


def test_s3_download_url_is_fetchable(s3_blobs):
    s3_blobs.put("filings/7/licence", b"PDFDATA", "application/pdf")
    url = s3_blobs.download_url(
        "filings/7/licence", now=datetime.now(timezone.utc), filename="营业执照.pdf", content_type="application/pdf"
    )
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    response = requests.get(url, timeout=10)
    assert response.status_code == 200 and response.content == b"PDFDATA"
    assert response.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in response.headers["Content-Disposition"]


# ---------------------------------------------------------------- Blobs: local specifics


def test_local_download_url_is_signed_and_expires(local_blobs):
    local_blobs.put("filings/7/licence", b"PDFDATA", "application/pdf")
    url = local_blobs.download_url("filings/7/licence", now=NOW, filename="营业执照.pdf", content_type="application/pdf")
    parts = urlsplit(url)
    assert parts.path == "/local-download/filings/7/licence"
    args = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert local_blobs.verify_download("filings/7/licence", args, NOW + timedelta(seconds=300))
    assert not local_blobs.verify_download("filings/7/licence", args, NOW + timedelta(seconds=301))
    assert not local_blobs.verify_download("filings/7/other", args, NOW)
    assert not local_blobs.verify_download("filings/7/licence", {**args, "filename": "x.pdf"}, NOW)
    assert not local_blobs.verify_download("filings/7/licence", {**args, "expires": str(int(args["expires"]) + 999)}, NOW)
    assert not local_blobs.verify_download("filings/7/licence", {**args, "signature": "签名"}, NOW)
    assert not local_blobs.verify_download("filings/7/licence", {}, NOW)
    headers = local_blobs.download_headers(args)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith('attachment; filename="')


@pytest.mark.parametrize("key", ["../escape", "/abs/path", "a/../b", "a//b", "", "a\\b", ".hidden", "a/./b"])
def test_local_refuses_keys_outside_the_folder(local_blobs, key):
    with pytest.raises(ValueError):
        local_blobs.put(key, b"x", "text/plain")
    with pytest.raises(ValueError):
        local_blobs.presign_upload(
            key, max_bytes=10, content_type_prefix="image/", redirect_url="http://x/", now=NOW
        )


REDIRECT = "http://localhost:5000/filings/3/documents/uploaded?doc=id_front"


def presign(local_blobs, **overrides):
    args = dict(max_bytes=100, content_type_prefix="image/", redirect_url=REDIRECT, now=NOW, expires_in=900)
    args.update(overrides)
    return local_blobs.presign_upload("pending/3/id_front", **args)["fields"]


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_local_upload_accepted(local_blobs):
    fields = presign(local_blobs)
    data = b"\xff\xd8\xff" + b"x" * 97  # exactly max_bytes
    location = local_blobs.accept_upload({**fields, "Content-Type": "image/png"}, io.BytesIO(data), now=NOW)
    parts = urlsplit(location)
    assert location.startswith("http://localhost:5000/filings/3/documents/uploaded?")
    query = parse_qs(parts.query)
    assert query == {
        "doc": ["id_front"],
        "bucket": [local_blobs.bucket],
        "key": ["pending/3/id_front"],
        "etag": [f'"{hashlib.md5(data).hexdigest()}"'],
    }
    assert local_blobs.read("pending/3/id_front") == data
    assert files_under(local_blobs.root) == [local_blobs.path_for("pending/3/id_front")]


def tamper(fields, **changes):
    return {**fields, **changes}


@pytest.mark.parametrize(
    "case",
    [
        "forged signature",
        "signature missing",
        "policy swapped",
        "expired",
        "key changed",
        "content type outside prefix",
        "too large",
        "empty file",
        "redirect tampered",
        "extra field",
        "field missing",
    ],
)
def test_local_upload_refused(local_blobs, case):
    fields = presign(local_blobs)
    other = presign(local_blobs, max_bytes=10_000)  # a genuine policy, for another upload
    data = b"\xff\xd8\xff" + b"x" * 50
    now = NOW
    if case == "forged signature":
        fields = tamper(fields, signature="0" * 64)
    elif case == "signature missing":
        fields = {k: v for k, v in fields.items() if k != "signature"}
    elif case == "policy swapped":
        fields = tamper(fields, policy=other["policy"])  # valid policy, but signed for other fields
    elif case == "expired":
        now = NOW + timedelta(seconds=900)
    elif case == "key changed":
        fields = tamper(fields, key="filings/3/id_front")
    elif case == "content type outside prefix":
        fields = tamper(fields, **{"Content-Type": "text/html"})
    elif case == "too large":
        data = b"x" * 101
    elif case == "empty file":
        data = b""
    elif case == "redirect tampered":
        fields = tamper(fields, success_action_redirect="https://evil.example/steal")
    elif case == "extra field":
        fields = tamper(fields, acl="public-read")
    elif case == "field missing":
        fields = {k: v for k, v in fields.items() if k != "success_action_redirect"}

    with pytest.raises(UploadRefused) as caught:
        local_blobs.accept_upload(fields, io.BytesIO(data), now=now)
    assert caught.value.reason and str(caught.value) == caught.value.reason
    assert files_under(local_blobs.root) == []


def test_local_upload_refusal_keeps_an_earlier_file(local_blobs):
    fields = presign(local_blobs)
    local_blobs.accept_upload(fields, io.BytesIO(b"first"), now=NOW)
    with pytest.raises(UploadRefused):
        local_blobs.accept_upload(fields, io.BytesIO(b"y" * 1000), now=NOW)
    with pytest.raises(UploadRefused):
        local_blobs.accept_upload(fields, io.BytesIO(b""), now=NOW)
    assert local_blobs.read("pending/3/id_front") == b"first"
    assert len(files_under(local_blobs.root)) == 1


def test_local_upload_reads_at_most_one_byte_too_many(local_blobs):
    class Endless(io.RawIOBase):
        consumed = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.consumed += len(buffer)
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(UploadRefused, match="larger"):
        local_blobs.accept_upload(presign(local_blobs), stream, now=NOW)
    assert stream.consumed == 101


def test_local_secret_key_matters(tmp_path):
    fields = presign(open_blobs(local_settings(tmp_path, secret_key=b"one")))
    other = open_blobs(local_settings(tmp_path, secret_key="two"))
    with pytest.raises(UploadRefused, match="signature"):
        other.accept_upload(fields, io.BytesIO(b"data"), now=NOW)


def test_naive_now_is_refused(local_blobs):
    with pytest.raises(ValueError):
        presign(local_blobs, now=datetime(2026, 3, 2, 9, 30))


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "cn-northwest-1"])
@pytest.mark.parametrize("bucket", ["icp-documents", "icp.documents"])
def test_s3_upload_origin_matches_the_presigned_post(aws_credentials, region, bucket):
    blobs = S3Blobs(bucket, region=region)
    origin = blobs.upload_origin
    assert not blobs._client.made  # app start-up reads it: no boto3 client is made for it
    post = blobs.presign_upload(
        "pending/k", max_bytes=10, content_type_prefix="image/", redirect_url="http://x/", now=datetime.now(timezone.utc)
    )
    parts = urlsplit(post["url"])
    assert origin == f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("region", ["us-east-1", "cn-north-1"])
@pytest.mark.parametrize("bucket", ["icp-documents", "icp.documents"])
def test_s3_download_links_come_from_the_upload_origin(aws_credentials, region, bucket):
    # the pages' CSP img-src admits the upload origin: reviewers' thumbnails load from signed links there
    blobs = S3Blobs(bucket, region=region)
    url = blobs.download_url("documents/F/kind/t.jpg", now=datetime.now(timezone.utc), content_type="image/jpeg")
    parts = urlsplit(url)
    assert blobs.upload_origin == f"{parts.scheme}://{parts.netloc}"


def test_s3_upload_origin_with_an_endpoint(s3_blobs):
    post = s3_blobs.presign_upload(
        "pending/k", max_bytes=10, content_type_prefix="image/", redirect_url="http://x/", now=datetime.now(timezone.utc)
    )
    assert post["url"].startswith(s3_blobs.upload_origin + "/")
    assert LocalBlobs("/nowhere", secret_key=b"k").upload_origin == ""


def test_factories(tmp_path):
    assert isinstance(open_blobs(local_settings(tmp_path)), LocalBlobs)
    with pytest.raises(ValueError):
        open_table(local_settings(tmp_path, backend="cloud"))
