"""Deadline sweep scaling (DESIGN.md budget: work in proportion to due items; 100x more filings, same time).

A table holds N draft filings whose first reminder is 30 days away plus DUE=150 drafts whose reminder fell due
yesterday (more than the sweep's page of 100, so it pages). `icp.workflow.sweep.sweep` runs again and again, alternating between the tables of each size;
before each timed run the 10 due filings are put back as they were (one untimed write), so every run does
the same work. Printed per backend and N:

    busy   the median time of a sweep that acts on the 10 due filings
    idle   the median time of a sweep with nothing due (only the deadline-index query)
    reads  table operations of one busy sweep (counted by a proxy): reads, items read, writes

and the ratios busy(N large)/busy(N small), idle(N large)/idle(N small); budget ~1.

SQLite: N = 1,000 and 100,000 (9 busy, 21 idle runs each). DynamoDB under moto (in-process mock, no network):
N = 100 and 1,000 with 15 due and a page of 10, one busy and 5 idle runs each. moto answers a GSI query by walking every item of the table
and applies a transaction in time proportional to the table, so its ratios measure moto, not DynamoDB; the
operation counts are what carries over to DynamoDB (a Query on the sparse index reads only the due items).

    python -m bench.sweep
"""
from __future__ import annotations

import sys
import time
from datetime import timedelta
from types import SimpleNamespace

from bench import _support
from bench._support import CountingTable, Result, median, print_results, summarise

# more due filings than the sweep's page (icp.workflow.sweep.PAGE = 100), so a sweep pages
DUE = 150
SQLITE_SIZES = (1_000, 100_000)
# moto applies a transaction in time that grows with the table (it copies it for a rollback): its sweep acts
# on 15 due filings with a page of 10, which exercises the same paging at a tenth of the cost
MOTO_DUE = 15
MOTO_PAGE = 10
MOTO_SIZES = (100, 1_000)


class _Recorder:
    """A Table that only collects writes: start_filing builds the real items, we write them in big batches."""

    def __init__(self):
        self.ops: list = []

    def write(self, ops):
        self.ops += list(ops)


def filing_ops(index: int, *, created) -> tuple[list, dict]:
    """The ops start_filing would write for a filing created at `created` (and its main item)."""
    from icp.workflow.drafting import VerifiedType, start_filing

    recorder = _Recorder()
    verified = VerifiedType(
        province="beijing", nature="enterprise", certificate_type="business_licence",
        certificate_number=f"91110108BENCH{index:05d}", domain=f"bench-{index}.cn", domain_ascii=f"bench-{index}.cn",
        filing_type="new_subject_new_website", subject_name="北京示例科技有限公司", subject_icp_number="")
    filing = start_filing(recorder, owner=f"owner{index % 97}@example.com", owner_mobile="13800138000",
                          verified=verified, language="en", now=created, filing_id=f"BENCH{index:07d}")
    return recorder.ops, filing


def fill(bulk_put, n: int, *, now, due_count: int = DUE) -> list[dict]:
    """Write n drafts with a deadline 30 days ahead plus due_count drafts due now; returns the due filings' items.

    start_filing builds one filing of each kind; the others are copies with their own number, certificate
    and domain (100,000 calls of start_filing would take minutes, and every copy has the same shape).
    """
    import json

    templates = {}
    for kind, created in (("later", now), ("due", now - timedelta(days=31))):
        ops, _filing = filing_ops(0, created=created)
        templates[kind] = json.dumps([op.item for op in ops], ensure_ascii=False)
    due: list[dict] = []
    for start in range(0, n + due_count, 10_000):
        items: list[dict] = []
        for index in range(start, min(n + due_count, start + 10_000)):
            is_due = index >= n
            text = templates["due" if is_due else "later"].replace("BENCH0000000", f"BENCH{index:07d}") \
                .replace("91110108BENCH00000", f"91110108BENCH{index:05d}").replace("bench-0.cn", f"bench-{index}.cn")
            copy = json.loads(text)
            if is_due:
                due.append(next(item for item in copy if item["sk"] == "META"))
            items += copy
        bulk_put(items)
    return due


def _busy_sweep(table, due: list[dict], bulk_put, *, now, page: int) -> tuple[float, CountingTable]:
    """Put the due filings back (untimed), then time one sweep that acts on them."""
    from icp.workflow.sweep import sweep

    bulk_put(due)
    counter = CountingTable(table)  # its bookkeeping costs microseconds against milliseconds of I/O
    t0 = time.perf_counter()
    done = sweep(counter, now=now, page=page, budget_seconds=3600)
    elapsed = time.perf_counter() - t0
    if len(done) != 1 or not next(iter(done)).startswith("remind") or sum(done.values()) != len(due):
        raise RuntimeError(f"the sweep did {done}, expected {len(due)} reminders")
    return elapsed, counter


def _idle_sweep(table, *, now) -> float:
    from icp.workflow.sweep import sweep

    t0 = time.perf_counter()
    nothing = sweep(table, now=now)
    elapsed = time.perf_counter() - t0
    if nothing:
        raise RuntimeError(f"a sweep with nothing due did {nothing}")
    return elapsed


def measure(make_backend, sizes, *, now, busy_repeats: int, idle_repeats: int, due_count: int = DUE,
            page: int = 100) -> list[dict]:
    """Fill one table per size, then time busy and idle sweeps, alternating between the sizes.

    Alternating keeps the machine's passing load (other processes, disk flushes) from landing on one size.
    """
    rows = []
    for n in sizes:
        table, bulk_put = make_backend(n)
        started = time.perf_counter()
        due = fill(bulk_put, n, now=now, due_count=due_count)
        rows.append({"n": n, "table": table, "bulk_put": bulk_put, "due": due, "busy": [], "idle": [],
                     "fill_s": time.perf_counter() - started})
    for repeat in range(busy_repeats):
        for row in rows:
            elapsed, counter = _busy_sweep(row["table"], row["due"], row["bulk_put"], now=now, page=page)
            row["busy"].append(elapsed)
            if repeat == 0:
                row.update(summarise(counter.ops))
                row["items_read"] = sum(op.items for op in counter.ops if op.is_read)
                row["index_queries"] = sum(op.method == "query_index" for op in counter.ops)
    for _ in range(idle_repeats):
        for row in rows:
            row["idle"].append(_idle_sweep(row["table"], now=now))
    for row in rows:
        row["busy"], row["idle"] = median(row["busy"]), median(row["idle"])
        del row["table"], row["bulk_put"], row["due"]
    return rows


def sqlite_backend(n: int):
    """A fresh SQLite table, and a bulk put through the Table port (writes of MAX_OPS items)."""
    from icp.store import MAX_OPS, Put
    from icp.store.sqlite import SQLiteTable

    table = SQLiteTable(str(_support.scratch(f"sweep-sqlite-{n}") / "icp.sqlite3"))
    table.ensure_schema()

    def bulk_put(items):
        for start in range(0, len(items), MAX_OPS):
            table.write([Put(item) for item in items[start:start + MAX_OPS]])

    return table, bulk_put


def dynamo_backend(n: int):
    """A fresh DynamoDB table under moto, and a bulk put with BatchWriteItem.

    moto applies a TransactWriteItems in time proportional to the whole table (about 0.3 s per operation at
    8,000 items), so filling through Table.write would take minutes; BatchWriteItem is the bulk loader's call.
    """
    import boto3

    from icp.provision import provision_table
    from icp.store import prepare_item
    from icp.store.dynamodb import DynamoTable, to_dynamo

    settings = SimpleNamespace(table_name=f"bench-sweep-{n}", aws_region="cn-north-1", dynamodb_endpoint_url=None)
    provision_table(settings, sleep=lambda _s: None)
    table = DynamoTable(settings.table_name, region="cn-north-1")
    # a stock client: the app's own session knows only the operations the app calls (icp.store.botocore_trim)
    loader = boto3.session.Session().client("dynamodb", region_name="cn-north-1")

    def bulk_put(items):
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": to_dynamo(prepare_item(item))}} for item in items[start:start + 25]]
            loader.batch_write_item(RequestItems={settings.table_name: requests})

    return table, bulk_put


def run_backend(name: str, sizes, make_backend, *, now, out, busy_repeats: int, idle_repeats: int,
                due_count: int = DUE, page: int = 100) -> list[dict]:
    rows = measure(make_backend, sizes, now=now, busy_repeats=busy_repeats, idle_repeats=idle_repeats,
                   due_count=due_count, page=page)
    for row in rows:
        print(f"  {name:<16} N={row['n']:>7,} (+{due_count} due, page {page})  busy {row['busy'] * 1000:8.1f} ms   "
              f"idle {row['idle'] * 1000:7.2f} ms   reads {row['reads']} ({row['items_read']} items), "
              f"index queries {row['index_queries']}, writes {row['writes']} ({row['items_written']} items)   [fill {row['fill_s']:.1f} s]", file=out)
    small, large = rows[0], rows[-1]
    scale = large["n"] / small["n"]
    print(f"  {name:<16} {scale:.0f}x more filings: busy ratio {large['busy'] / small['busy']:.2f}, "
          f"idle ratio {large['idle'] / small['idle']:.2f}, items read {small['items_read']} -> "
          f"{large['items_read']}", file=out)
    return rows


def run(out=sys.stdout) -> list[Result]:
    from tests.conftest import START

    now = START
    print(f"Deadline sweep: N drafts not due + {DUE} due past the sweep's page of 100 ({MOTO_DUE} due past a page of"
          f" {MOTO_PAGE} on moto); median of repeated sweeps (the sizes take turns)", file=out)
    results = []
    rows = run_backend("sqlite", SQLITE_SIZES, sqlite_backend, now=now, out=out, busy_repeats=9, idle_repeats=21)
    ratio = rows[-1]["busy"] / rows[0]["busy"]
    # "not measurably slower": within 1.5x, the noise of a few-millisecond measurement
    results.append(Result(f"sweep sqlite busy time N={rows[-1]['n']:,}/N={rows[0]['n']:,}", f"{ratio:.2f}",
                          "~1 (<=1.5)", ratio <= 1.5))
    idle = rows[-1]["idle"] / rows[0]["idle"]
    results.append(Result(f"sweep sqlite idle (query-only) time N={rows[-1]['n']:,}/N={rows[0]['n']:,}",
                          f"{idle:.2f}", "~1 (<=1.5)", idle <= 1.5))
    same_reads = rows[0]["items_read"] == rows[-1]["items_read"]
    results.append(Result("sweep sqlite items read N large vs small",
                          f"{rows[0]['items_read']} -> {rows[-1]['items_read']}", "same", same_reads))

    try:
        from moto import mock_aws
    except ImportError:
        print("  dynamodb (moto)  skipped: moto is not installed", file=out)
        return results
    with mock_aws():
        # one busy sweep per size: moto's transactions cost seconds at 2,000 filings (see dynamo_backend)
        rows = run_backend("dynamodb (moto)", MOTO_SIZES, dynamo_backend, now=now, out=out, busy_repeats=1,
                           idle_repeats=5, due_count=MOTO_DUE, page=MOTO_PAGE)
    ratio = rows[-1]["busy"] / rows[0]["busy"]
    results.append(Result(f"sweep moto busy time N={rows[-1]['n']:,}/N={rows[0]['n']:,}", f"{ratio:.2f}",
                          "reported (moto scans)", None))
    results.append(Result("sweep moto items read N large vs small",
                          f"{rows[0]['items_read']} -> {rows[-1]['items_read']}", "same",
                          rows[0]["items_read"] == rows[-1]["items_read"]))
    results.append(Result("sweep DynamoDB index queries N large vs small",
                          f"{rows[0]['index_queries']} -> {rows[-1]['index_queries']}", "same",
                          rows[0]["index_queries"] == rows[-1]["index_queries"]))
    return results


if __name__ == "__main__":
    sys.exit(print_results(run))
