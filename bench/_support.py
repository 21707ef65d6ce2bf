"""What the benchmarks share: a private scratch folder, fake AWS credentials, a demo app, a counting Table.

Importing this module first keeps every benchmark away from the project's own data: the module-level app
(`app.app`) is built in a temporary folder on the local backend, and boto3 only ever sees fake credentials
(moto answers in-process; nothing leaves 127.0.0.1).
"""
from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = str(Path(__file__).resolve().parent)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="icp-bench-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)

# `import app` builds an app from the environment: give it a throwaway data folder and the local backend
os.environ["ICP_DATA_DIR"] = str(SCRATCH / "module-app")
os.environ.pop("ICP_BACKEND", None)
# never a real account: boto3 sees fake credentials, no profile, no config file
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "cn-north-1",
    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)


def scratch(name: str) -> Path:
    """A new empty folder under the scratch folder."""
    path = SCRATCH / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def median(values) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Result:
    """One headline figure of a benchmark, for the summary `python -m bench` prints at the end."""

    name: str
    figure: str
    budget: str
    ok: bool | None  # None: reported only, no budget to hold it against


def demo_app(name: str, backend: str = "local", **extra):
    """An app built the way the tests build it (tests/conftest.make_app): provisioned, demo data seeded."""
    from tests.conftest import Clock, make_app

    clock = Clock()
    return make_app(backend, scratch(name), clock, **extra), clock


# ---- counting the Table port's operations ----

READS = ("get", "get_many", "query", "query_index")
WRITES = ("write", "increment")


@dataclass(frozen=True)
class Op:
    """One call on the Table port."""

    method: str  # get | get_many | query | query_index | write | increment
    items: int  # items returned (reads) or items written (writes)
    key: str  # which item family: the key's prefix (e.g. "FILING#"), or "index:key-prefix"
    caller: str  # the function that called the port (module.function)
    session: bool  # made while Flask-Login loaded the session's user
    rcu: float = 0.0  # DynamoDB read capacity units this call costs (see `units`)
    wcu: float = 0.0  # write capacity units on the table itself
    index_wcu: float = 0.0  # write capacity units of the index entries the write adds, changes or removes
    # a write's units item by item: (item kind, table WCU, ((index, WCU), ...)); see item_kind
    by_item: tuple = ()

    @property
    def is_read(self) -> bool:
        return self.method in READS


# ---- DynamoDB's capacity units, computed from the items (the rules of the DynamoDB developer guide) ----


def attribute_size(value) -> int:
    """Bytes DynamoDB counts for one attribute value (strings UTF-8, numbers ~1 byte per 2 digits + 1)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, (int, float)):
        digits = len(str(abs(value)).replace(".", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, dict):
        return 3 + sum(len(k.encode("utf-8")) + attribute_size(v) + 1 for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return 3 + sum(attribute_size(v) + 1 for v in value)
    return len(str(value))


def item_size(item: dict | None) -> int:
    """Bytes of an item: every attribute's name and value."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + attribute_size(value) for name, value in item.items())


def projected(index: str, item: dict | None) -> dict | None:
    """The entry `item` has in `index` (None when it is not in that sparse index), as DynamoDB's index projects
    the item as stored (an order packed: icp.store.packing)."""
    from icp.store import INDEXES, KEY_ATTRIBUTES
    from icp.store.packing import pack, stored_projection

    part, sort = INDEXES[index]
    if not item or item.get(part) is None or item.get(sort) is None:
        return None
    include = stored_projection(index)
    stored = pack(item)
    if include is None:
        return stored
    keep = {*KEY_ATTRIBUTES, part, sort, *include}
    return {k: v for k, v in stored.items() if k in keep}


def write_units(old: dict | None, new: dict | None, *, transaction: bool) -> tuple[float, float]:
    """(table WCU, index WCU) of replacing `old` by `new` (None = absent): 1 WCU per KB, x2 in a transaction.

    Each index: an entry added or removed is one write; a changed key is a delete and a put; an entry whose
    key stays is rewritten only when a projected attribute changes.
    """
    table, by_index = write_units_by_index(old, new, transaction=transaction)
    return table, float(sum(by_index.values()))


def write_units_by_index(old: dict | None, new: dict | None, *, transaction: bool) -> tuple[float, dict[str, float]]:
    """(table WCU, {index: WCU}) of replacing `old` by `new`: write_units with the indexes apart."""
    from icp.store import INDEXES

    from icp.store.packing import pack

    factor = 2 if transaction else 1
    # DynamoDB bills the item as stored: an order packed (icp.store.packing)
    stored_old, stored_new = (pack(i) if i else i for i in (old, new))
    table = factor * max(1, -(-max(item_size(stored_old), item_size(stored_new)) // 1024))
    by_index: dict[str, float] = {}
    for name, (part, sort) in INDEXES.items():
        before, after = projected(name, old), projected(name, new)
        units = 0
        if before is None and after is None:
            continue
        if before is None or after is None:
            units = max(1, -(-item_size(before or after) // 1024))
        elif (before[part], before[sort]) != (after[part], after[sort]):
            units = max(1, -(-item_size(before) // 1024)) + max(1, -(-item_size(after) // 1024))
        elif before != after:
            units = max(1, -(-item_size(after) // 1024))
        if units:
            by_index[name] = float(units)
    return float(table), by_index


def item_kind(pk: str, sk: str) -> str:
    """What kind of item a key names, for the units by item kind ("FILING#…", "EVENT#…" -> "FILING# EVENT#"); a sort
    key that starts with no kind's name (an outbox item's "<time>#<id>" or id) is shown as "…"."""
    family = _family(sk)
    return f"{_family(pk)} {family if family.rstrip('#').isalpha() else '…'}"


def read_units(items: list[dict], *, consistent: bool, per_item: bool) -> float:
    """RCU of a read: 4 KB a unit, strongly consistent; half that eventually consistent (every index query).

    A GetItem or each item of a BatchGetItem rounds up on its own; a Query rounds up the sum of what it read.
    """
    from icp.store.packing import pack

    factor = 1.0 if consistent else 0.5
    sizes = [item_size(pack(i)) for i in items]  # as stored: an order packed (icp.store.packing)
    if per_item:
        return factor * sum(max(1, -(-size // 4096)) for size in sizes) if items else factor
    return factor * max(1, -(-sum(sizes) // 4096))


def _family(value: str) -> str:
    """The prefix of a key that names its kind of item ("FILING#F7K2..." -> "FILING#")."""
    head, sep, _rest = value.partition("#")
    return head + sep if sep else value


def _caller(depth: int = 3) -> str:
    """The project functions (icp.*, views.*) that led to this call, outermost first, at most `depth` of them."""
    frame = sys._getframe(2)
    chain: list[str] = []
    while frame is not None and len(chain) < depth:
        module = frame.f_globals.get("__name__", "?")
        if not frame.f_code.co_filename.startswith(BENCH_DIR) and module.split(".")[0] in ("icp", "views", "app") \
                and frame.f_code.co_name != "wrapped":  # the role_required decorator
            chain.append(f"{module}.{frame.f_code.co_name}")
        frame = frame.f_back
    return " > ".join(reversed(chain)) or "?"


class CountingTable:
    """A Table that passes every call to the real one and records it (method, items, key family, caller)."""

    def __init__(self, inner):
        self._inner = inner
        self.ops: list[Op] = []
        self.in_session = False
        # the largest order written, as stored (packed) and as the code sees it: the margin under 1 KB
        self.largest_order = (0, 0)

    def _note(self, method: str, items: int, key: str, rcu: float = 0.0, wcu: float = 0.0,
              index_wcu: float = 0.0, by_item: tuple = ()) -> None:
        self.ops.append(Op(method, items, key, _caller(), self.in_session, rcu, wcu, index_wcu, by_item))

    def get(self, pk, sk):
        item = self._inner.get(pk, sk)
        self._note("get", int(item is not None), _family(pk), read_units([item] if item else [], consistent=True,
                                                                          per_item=True))
        return item

    def get_many(self, keys):
        keys = list(keys)
        found = self._inner.get_many(keys)
        # an absent item is priced as a GetItem of it is (read_units of nothing): the minimum unit, to be safe
        absent = len(set(keys)) - len(found)
        self._note("get_many", len(found), "+".join(sorted({_family(pk) for pk, _sk in keys})),
                   read_units(list(found.values()), consistent=True, per_item=True) + absent * 1.0)
        return found

    def query(self, pk, sk_prefix="", **kwargs):
        items = self._inner.query(pk, sk_prefix, **kwargs)
        self._note("query", len(items), _family(pk) + (f"{sk_prefix}" if sk_prefix else ""),
                   read_units(items, consistent=True, per_item=False))
        return items

    def query_index(self, index, key, **kwargs):
        items = self._inner.query_index(index, key, **kwargs)
        self._note("query_index", len(items), f"{index}:{_family(key) if '#' in key else key}",
                   read_units(items, consistent=False, per_item=False))
        return items

    def write(self, ops):
        from icp.store import Put, packing, prepare_item

        ops = list(ops)
        # the items as they were, to price the write (these reads are the benchmark's, not counted)
        keys = [(op.item["pk"], op.item["sk"]) if isinstance(op, Put) else (op.pk, op.sk) for op in ops]
        before = self._inner.get_many(keys) if keys else {}
        self._inner.write(ops)
        wcu = index_wcu = 0.0
        by_item = []
        for op, key in zip(ops, keys):
            new = prepare_item(op.item) if isinstance(op, Put) else None
            if new is not None and packing.packs(new):
                self.largest_order = max(self.largest_order, (item_size(packing.pack(new)), item_size(new)))
            table_units, by_index = write_units_by_index(before.get(key), new, transaction=len(ops) > 1)
            wcu, index_wcu = wcu + table_units, index_wcu + sum(by_index.values())
            by_item.append((item_kind(*key), table_units, tuple(sorted(by_index.items()))))
        families = sorted({_family(op.item["pk"] if hasattr(op, "item") else op.pk) for op in ops})
        self._note("write", len(ops), "+".join(families), wcu=wcu, index_wcu=index_wcu, by_item=tuple(by_item))

    def increment(self, pk, sk, field, by=1, **kwargs):
        old = self._inner.get(pk, sk)
        value = self._inner.increment(pk, sk, field, by, **kwargs)
        new = self._inner.get(pk, sk)
        wcu, by_index = write_units_by_index(old, new, transaction=False)
        self._note("increment", 1, _family(pk), wcu=wcu, index_wcu=sum(by_index.values()),
                   by_item=((item_kind(pk, sk), wcu, tuple(sorted(by_index.items()))),))
        return value

    def __getattr__(self, name):
        return getattr(self._inner, name)

    # ---- reading the record ----

    def mark(self) -> int:
        return len(self.ops)

    def since(self, mark: int) -> list[Op]:
        return self.ops[mark:]


def install_counter(app) -> CountingTable:
    """Put a CountingTable in front of the app's table, and flag the reads Flask-Login makes for the session."""
    from views.extensions import login_manager

    counter = CountingTable(app.extensions["icp_table"])
    app.extensions["icp_table"] = counter
    original = login_manager._user_callback
    if original is not None and not getattr(original, "_bench_wrapped", False):
        def load_user(user_id, _original=original):
            table = _current_counter()
            if table is None:
                return _original(user_id)
            table.in_session = True
            try:
                return _original(user_id)
            finally:
                table.in_session = False

        load_user._bench_wrapped = True
        login_manager._user_callback = load_user
    return counter


def _current_counter():
    from flask import current_app

    table = current_app.extensions.get("icp_table")
    return table if isinstance(table, CountingTable) else None


def summarise(ops: list[Op]) -> dict:
    """Counts of a list of operations: table reads/writes (session loading apart), items written, units."""
    table_ops = [op for op in ops if not op.session]
    return {
        "rcu": sum(op.rcu for op in ops), "wcu": sum(op.wcu for op in ops),
        "index_wcu": sum(op.index_wcu for op in ops),
        "reads": sum(op.is_read for op in table_ops),
        "writes": sum(not op.is_read for op in table_ops),
        "items_written": sum(op.items for op in table_ops if not op.is_read),
        "session_reads": sum(op.is_read for op in ops if op.session),
        "session_writes": sum(not op.is_read for op in ops if op.session),
    }


def print_results(run) -> int:
    """Run one benchmark on its own (`python -m bench.<name>`), printing each result; the exit code is 0."""
    for result in run():
        print(result)
    return 0


# ---- the aws backend against a moto server on 127.0.0.1 ----

AWS_REGION = "ap-southeast-1"
SECRET_PARAMETER = "/icp-filing/bench/secret-key"


class MotoStack:
    """A moto server on 127.0.0.1 holding a provisioned table and bucket and the secret-key parameter.

    `env` is the environment a child interpreter needs to run the app on the aws backend against it:
    ICP_BACKEND=aws, the names of the table, bucket and parameter, fake credentials, AWS_ENDPOINT_URL.
    """

    def __init__(self, name: str = "bench"):
        import secrets
        from types import SimpleNamespace

        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the moto server logs every request otherwise
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        self.env = {
            **os.environ, "ICP_BACKEND": "aws", "ICP_TABLE": f"{name}-table", "ICP_BUCKET": f"{name}-documents",
            "ICP_SECRET_KEY_PARAMETER": SECRET_PARAMETER, "AWS_REGION": AWS_REGION, "AWS_DEFAULT_REGION": AWS_REGION,
            "AWS_ENDPOINT_URL": self.url, "ICP_NOTIFY": "log", "PYTHONPATH": str(ROOT),
            "ICP_DATA_DIR": str(scratch(f"{name}-data")), "NO_PROXY": "127.0.0.1,localhost",
        }
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.settings = SimpleNamespace(
            backend="aws", table_name=self.env["ICP_TABLE"], bucket_name=self.env["ICP_BUCKET"],
            aws_region=AWS_REGION, dynamodb_endpoint_url=self.url, s3_endpoint_url=self.url,
            upload_origins=["*"])
        import boto3

        from icp.provision import provision

        provision(self.settings, sleep=lambda _s: None)
        # the app's own session has SSM's GetParameter only (icp.store.botocore_trim): the operator's call
        boto3.session.Session().client("ssm", region_name=AWS_REGION, endpoint_url=self.url).put_parameter(
            Name=SECRET_PARAMETER, Value=secrets.token_hex(32), Type="SecureString", Overwrite=True)

    def close(self) -> None:
        self._server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
