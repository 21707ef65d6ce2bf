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


def demo_app(name: str, backend: str = "local"):
    """An app built the way the tests build it (tests/conftest.make_app): provisioned, demo data seeded."""
    from tests.conftest import Clock, make_app

    clock = Clock()
    return make_app(backend, scratch(name), clock), clock


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

    @property
    def is_read(self) -> bool:
        return self.method in READS


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

    def _note(self, method: str, items: int, key: str) -> None:
        self.ops.append(Op(method, items, key, _caller(), self.in_session))

    def get(self, pk, sk):
        item = self._inner.get(pk, sk)
        self._note("get", int(item is not None), _family(pk))
        return item

    def get_many(self, keys):
        keys = list(keys)
        found = self._inner.get_many(keys)
        self._note("get_many", len(found), "+".join(sorted({_family(pk) for pk, _sk in keys})))
        return found

    def query(self, pk, sk_prefix="", **kwargs):
        items = self._inner.query(pk, sk_prefix, **kwargs)
        self._note("query", len(items), _family(pk) + (f"{sk_prefix}" if sk_prefix else ""))
        return items

    def query_index(self, index, key, **kwargs):
        items = self._inner.query_index(index, key, **kwargs)
        self._note("query_index", len(items), f"{index}:{_family(key) if '#' in key else key}")
        return items

    def write(self, ops):
        ops = list(ops)
        self._inner.write(ops)
        families = sorted({_family(op.item["pk"] if hasattr(op, "item") else op.pk) for op in ops})
        self._note("write", len(ops), "+".join(families))

    def increment(self, pk, sk, field, by=1, **kwargs):
        value = self._inner.increment(pk, sk, field, by, **kwargs)
        self._note("increment", 1, _family(pk))
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
    """Counts of a list of operations: table reads/writes (session loading apart), items written."""
    table_ops = [op for op in ops if not op.session]
    return {
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
