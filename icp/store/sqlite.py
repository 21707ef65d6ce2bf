"""Table adapter on one SQLite file: the local backend, safe across threads and processes."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import closing, contextmanager
from typing import Iterator

from . import (
    ABSENT,
    INDEXES,
    Conflict,
    Delete,
    Put,
    check_increment,
    check_keys,
    check_ops,
    check_range,
    index_attributes,
    index_projection,
    prepare_item,
)

# Index columns mirror the item attributes of the same names; they are filled only when an item
# has both attributes of an index, so the SQL indexes are sparse like DynamoDB's GSIs.
_INDEX_COLUMNS = [attr for pair in INDEXES.values() for attr in pair]
_COLUMNS = ["pk", "sk", "body", "version", *_INDEX_COLUMNS]

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS items ("
    "pk TEXT NOT NULL, sk TEXT NOT NULL, body TEXT NOT NULL, version INTEGER, "
    + ", ".join(f"{c} TEXT" for c in _INDEX_COLUMNS)
    + ", PRIMARY KEY (pk, sk)) WITHOUT ROWID",
    *(
        f"CREATE INDEX IF NOT EXISTS items_{name} ON items({p}, {s}) WHERE {p} IS NOT NULL"
        for name, (p, s) in INDEXES.items()
    ),
]

# Writers wait this long for another writer's lock before giving up ("database is locked").
_BUSY_TIMEOUT_S = 30.0


class SQLiteTable:
    """The Table port on a SQLite file (WAL mode; one connection per thread, kept open)."""

    def __init__(self, path: str):
        self.path = path
        self._ready = False
        self._ready_lock = threading.Lock()
        self._local = threading.local()

    # ---- connections ----

    def ensure_schema(self) -> None:
        """Create the file, table and indexes if missing, and switch the file to WAL mode."""
        with self._ready_lock:
            if self._ready:
                return
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            with closing(self._connect_raw()) as conn:
                # WAL lets readers proceed while one writer commits; the mode is stored in the file.
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute("COMMIT")
            self._ready = True

    def _connect_raw(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so the write lock is taken
        # before conditions are read (no upgrade deadlocks, no stale reads inside a write).
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, and much faster
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # One connection per thread, kept open: opening one costs a file open and schema read, and closing
        # the last one checkpoints the WAL (an fsync per call). A forked child opens its own (the pid check),
        # since SQLite connections must not cross a fork.
        if not self._ready:
            self.ensure_schema()
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.conn, local.pid = self._connect_raw(), os.getpid()
        yield local.conn

    def close(self) -> None:
        """Close this thread's connection (the next call opens a new one)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local.__dict__.clear()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ---- reads ----

    def get(self, pk: str, sk: str) -> dict | None:
        """Return the item pk/sk, or None."""
        with self._connection() as conn:
            row = conn.execute("SELECT body FROM items WHERE pk = ? AND sk = ?", (pk, sk)).fetchone()
        return json.loads(row[0]) if row else None

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Return the items at these (pk, sk) keys in one read, by key; absent keys are left out."""
        keys = check_keys(keys)
        if not keys:
            return {}
        where = " OR ".join(["(pk = ? AND sk = ?)"] * len(keys))
        with self._connection() as conn:
            rows = conn.execute(f"SELECT pk, sk, body FROM items WHERE {where}",
                                [part for key in keys for part in key]).fetchall()
        return {(pk, sk): json.loads(body) for pk, sk, body in rows}

    def query(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        limit: int | None = None,
        descending: bool = False,
        lower_bound: str | None = None,
        upper_bound: str | None = None,
    ) -> list[dict]:
        """Return the items of pk whose sk starts with sk_prefix, or lies within lower_bound..upper_bound (both
        inclusive), sorted by sk, at most limit."""
        check_range(sk_prefix, lower_bound, upper_bound)
        if limit is not None and limit <= 0:
            return []
        order = "DESC" if descending else "ASC"
        # `sk >= prefix` lets the primary key range-scan; substr() keeps only true prefix matches.
        sql = "SELECT body FROM items WHERE pk = ? AND sk >= ? AND substr(sk, 1, ?) = ?"
        args: list = [pk, sk_prefix, len(sk_prefix), sk_prefix]
        if lower_bound is not None:
            sql += " AND sk >= ?"
            args.append(lower_bound)
        if upper_bound is not None:
            sql += " AND sk <= ?"
            args.append(upper_bound)
        sql += f" ORDER BY sk {order}"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._connection() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [json.loads(body) for (body,) in rows]

    def query_index(
        self,
        index: str,
        key: str,
        *,
        upper_bound: str | None = None,
        lower_bound: str | None = None,
        limit: int = 100,
        descending: bool = False,
    ) -> list[dict]:
        """Return items with index partition attribute == key and lower_bound <= sort attribute <= upper_bound."""
        part, sort = index_attributes(index)
        if limit <= 0:
            return []
        sql = f"SELECT body FROM items WHERE {part} = ?"
        args: list = [key]
        if lower_bound is not None:
            sql += f" AND {sort} >= ?"
            args.append(lower_bound)
        if upper_bound is not None:
            sql += f" AND {sort} <= ?"
            args.append(upper_bound)
        order = "DESC" if descending else "ASC"
        # pk, sk break ties so equal sort values come back in a stable order.
        sql += f" ORDER BY {sort} {order}, pk {order}, sk {order} LIMIT ?"
        args.append(limit)
        with self._connection() as conn:
            rows = conn.execute(sql, args).fetchall()
        keep = index_projection(index)
        # the same attributes DynamoDB's index projection returns, so both backends answer alike
        return [json.loads(body) if keep is None else {k: v for k, v in json.loads(body).items() if k in keep}
                for (body,) in rows]

    # ---- writes ----

    def write(self, ops: list[Put | Delete]) -> None:
        """Apply all ops in one transaction, or none of them if any condition fails (Conflict)."""
        ops = check_ops(ops)
        if not ops:
            return
        with self._transaction() as conn:
            failed = [i for i, op in enumerate(ops) if not _condition_holds(conn, op)]
            if failed:
                # Raising inside the transaction rolls it back; nothing has been written yet anyway.
                raise Conflict(f"write condition failed for operation(s) {failed}", failed=tuple(failed))
            for op in ops:
                if isinstance(op, Put):
                    _upsert(conn, op.item)
                else:
                    conn.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (op.pk, op.sk))

    def increment(
        self, pk: str, sk: str, field: str, by: int = 1, *, set_fields: dict | None = None
    ) -> int:
        """Add `by` to the item's counter `field` (creating the item at 0), set set_fields, return the new value."""
        fields = check_increment(pk, sk, field, by, set_fields)
        with self._transaction() as conn:
            row = conn.execute("SELECT body FROM items WHERE pk = ? AND sk = ?", (pk, sk)).fetchone()
            item = json.loads(row[0]) if row else {"pk": pk, "sk": sk}
            current = item.get(field, 0)
            if isinstance(current, bool) or not isinstance(current, int):
                raise ValueError(f"{field!r} of {pk}/{sk} is not a number: {current!r}")
            item[field] = current + by
            item.update(fields)
            _upsert(conn, prepare_item(item))
        return item[field]


def _condition_holds(conn: sqlite3.Connection, op: Put | Delete) -> bool:
    if op.expect_version is None:
        return True
    pk, sk = (op.item["pk"], op.item["sk"]) if isinstance(op, Put) else (op.pk, op.sk)
    row = conn.execute("SELECT version FROM items WHERE pk = ? AND sk = ?", (pk, sk)).fetchone()
    if op.expect_version == ABSENT:
        return row is None
    return row is not None and row[0] == op.expect_version


def _upsert(conn: sqlite3.Connection, item: dict) -> None:
    version = item.get("version")
    values = [
        item["pk"],
        item["sk"],
        json.dumps(item, ensure_ascii=False, separators=(",", ":")),
        version if isinstance(version, int) and not isinstance(version, bool) else None,
    ]
    for part, sort in INDEXES.values():
        indexed = item.get(part) is not None and item.get(sort) is not None
        values += [item[part], item[sort]] if indexed else [None, None]
    placeholders = ", ".join("?" for _ in _COLUMNS)
    conn.execute(f"INSERT OR REPLACE INTO items ({', '.join(_COLUMNS)}) VALUES ({placeholders})", values)
