"""Storage ports: a DynamoDB-shaped Table and an object-storage Blobs, with factories for both backends.

Importing this module must stay cheap (cold start): adapters, and boto3 with them, load in the factories.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Protocol


class Conflict(Exception):
    """A write's condition failed (item exists / version moved on)."""

    def __init__(self, message: str = "a write condition failed", *, failed: tuple[int, ...] = ()):
        super().__init__(message)
        # Positions (in the ops list) of the operations whose condition failed, when the backend knows them.
        self.failed = tuple(failed)


class UploadRefused(Exception):
    """An upload to the local blob store broke its signed policy; the message says why, in plain English."""

    def __init__(self, reason: str, code: str = "AccessDenied"):
        super().__init__(reason)
        self.reason = reason
        # S3's error code for the same refusal (EntityTooSmall, EntityTooLarge, AccessDenied; PolicyExpired is
        # ours: S3 says AccessDenied with "Policy expired")
        self.code = code
        # where the browser goes back to with the refusal, when the form's signature held (else None)
        self.location: str | None = None


# expect_version=ABSENT means "item must not exist"; so real versions start at 1.
ABSENT = 0

# DynamoDB refuses transactions of more than 100 operations; the local backend keeps the same limit.
MAX_OPS = 100


@dataclass(frozen=True)
class Put:
    """Store `item` whole (replacing any item with the same pk/sk), optionally under a version condition."""

    item: dict
    expect_version: int | None = None  # None = unconditional; ABSENT = must be absent; N = stored version == N


@dataclass(frozen=True)
class Delete:
    """Remove the item pk/sk (a no-op if absent), optionally under a version condition."""

    pk: str
    sk: str
    expect_version: int | None = None


# name -> (partition attribute, sort attribute); an item is in an index only when it has BOTH (sparse).
INDEXES: dict[str, tuple[str, str]] = {
    "owner": ("owner", "owner_sort"),
    "queue": ("queue", "queue_sort"),
    "deadline": ("due_key", "due_at"),
}

INDEX_ATTRIBUTES = frozenset(attr for pair in INDEXES.values() for attr in pair)
KEY_ATTRIBUTES = ("pk", "sk")

# name -> the attributes an index carries besides the keys (DynamoDB's INCLUDE projection), or None for the
# whole item (ALL). An index entry is rewritten whenever a projected attribute changes, so an index carries
# only what the queries on it show; a caller that needs more reads the item itself.
INDEX_PROJECTIONS: dict[str, tuple[str, ...] | None] = {
    # My filings shows each order's status, domain, last change and next step: a tenth of an order item, which
    # is 3-4 KB, so a save rewrites a one-unit entry instead of a copy of the order. The service-code console
    # and step 2 show instances and codes whole (each entry is one unit anyway); none of the three writes back
    # what it listed. tests/test_index_projections.py checks every attribute they use is here.
    "owner": (
        # orders (templates/filings/my-filings.html)
        "id", "order_type", "status", "verified", "updated_on", "discard_at", "icp_number",
        # what its next action depends on (icp.order.Order): the status's start, the administration's start and
        # the order's glance (icp.filing.glance: the stamped method and targets, the people texted, the backdrop)
        "status_since", "administration_since", "glance",
        # instances (icp.codes.instance_item)
        "instance_id", "name", "region", "public_ip", "billing", "subscription_months", "product", "codes_issued",
        # service codes (icp.codes.code_item)
        "code", "state", "filing_id", "created_at",
    ),
    # The staff queues (views.staff.queue: the reviewers' queues, the filed services, the administration's queue)
    # show an order's number, subject, service, type, time waiting, target and backdrop, and the retention
    # backfill its ending: about 1 KB of a 3-4 KB order, so a status change moves a one-unit entry twice where a
    # whole copy of the order was 4 units twice. Orders only: the outbox keeps its messages in partitions of the
    # table (icp.notify), not here, so queuing, claiming and sending one writes no index entry. Neither "status"
    # (the queue's key says it) nor "version" is here: each save would rewrite the entry. tests/
    # test_index_projections.py checks every attribute the queue pages use is here.
    "queue": (
        "id", "order_type", "verified", "status_since", "administration_since", "returns", "overdue", "deadline",
        "glance", "icp_number", "access_warning", "erased",
    ),
    # the sweep reads each due item again (strongly consistent) before acting: the keys and what is due are
    # enough, so saving a draft (new answers, new version) leaves this index alone
    "deadline": ("due_action",),
}


def index_projection(index: str) -> frozenset[str] | None:
    """The attributes an entry of `index` holds (table and index keys included), or None for the whole item."""
    include = INDEX_PROJECTIONS[index]
    if include is None:
        return None
    return frozenset((*KEY_ATTRIBUTES, *INDEXES[index], *include))


class Table(Protocol):
    def get(self, pk: str, sk: str) -> dict | None: ...

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]: ...

    # sk_prefix, or a range of sort keys (lower_bound <= sk <= upper_bound, either side open), not both: DynamoDB's
    # key condition takes one sort-key test
    def query(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        limit: int | None = None,
        descending: bool = False,
        lower_bound: str | None = None,
        upper_bound: str | None = None,
    ) -> list[dict]: ...

    def query_index(
        self,
        index: str,
        key: str,
        *,
        upper_bound: str | None = None,
        lower_bound: str | None = None,
        limit: int = 100,
        descending: bool = False,
    ) -> list[dict]: ...

    def write(self, ops: list[Put | Delete]) -> None: ...

    def increment(
        self, pk: str, sk: str, field: str, by: int = 1, *, set_fields: dict | None = None
    ) -> int: ...


class Blobs(Protocol):
    upload_origin: str  # scheme://host the upload form posts to ("" = this app), for the CSP form-action

    def presign_upload(
        self,
        key: str,
        *,
        max_bytes: int,
        content_type_prefix: str,
        redirect_url: str,
        now: datetime,
        expires_in: int = 900,
    ) -> dict: ...

    def size(self, key: str) -> int | None: ...

    def read(self, key: str, max_bytes: int | None = None) -> bytes: ...

    # `length` bytes from `start` (fewer at the end, b"" past it), in one request that fetches only them
    # (S3: a ranged GET); KeyError if absent
    def read_range(self, key: str, start: int, length: int) -> bytes: ...

    # the first max_bytes bytes and the whole size, in one request; KeyError if absent
    def fetch(self, key: str, max_bytes: int) -> tuple[bytes, int]: ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    # store what `pieces` yields under key, holding at most one part (S3: a multipart upload) in memory; nothing is
    # stored if the pieces raise; returns the bytes stored
    def put_stream(self, key: str, pieces: Iterable[bytes], content_type: str) -> int: ...

    def download_url(
        self,
        key: str,
        *,
        now: datetime,
        expires_in: int = 300,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> str: ...

    def copy(self, source_key: str, target_key: str) -> None: ...  # KeyError if the source is absent

    def delete(self, key: str) -> None: ...

    # every object under the folder `prefix` ("documents/<order>/"), every version of it on S3; returns the count
    def delete_prefix(self, prefix: str) -> int: ...


def check_prefix(prefix: str) -> str:
    """Refuse a prefix that is not a folder of at least two levels ("documents/<order>/"), so a bug can never
    empty the whole store."""
    parts = prefix.split("/") if isinstance(prefix, str) else []
    if len(parts) < 3 or parts[-1] != "" or not all(parts[:-1]):
        raise ValueError(f"a prefix to delete is a folder like 'documents/<order>/', got {prefix!r}")
    return prefix


def open_table(settings: Any) -> Table:
    """Return the Table for settings.backend ("local": SQLite file, "aws": DynamoDB)."""
    backend = getattr(settings, "backend", "local")
    if backend == "aws":
        from .dynamodb import DynamoTable

        return DynamoTable(
            settings.table_name,
            region=getattr(settings, "aws_region", None),
            endpoint_url=getattr(settings, "dynamodb_endpoint_url", None),
        )
    if backend == "local":
        from .sqlite import SQLiteTable

        return SQLiteTable(sqlite_path(settings))
    raise ValueError(f"unknown storage backend {backend!r} (expected 'local' or 'aws')")


def open_blobs(settings: Any) -> Blobs:
    """Return the Blobs for settings.backend ("local": a folder, "aws": S3)."""
    backend = getattr(settings, "backend", "local")
    if backend == "aws":
        from .s3 import S3Blobs

        return S3Blobs(
            settings.bucket_name,
            region=getattr(settings, "aws_region", None),
            endpoint_url=getattr(settings, "s3_endpoint_url", None),
        )
    if backend == "local":
        from .localfs import LocalBlobs

        return LocalBlobs(
            blobs_dir(settings),
            secret_key=settings.secret_key,
            bucket=getattr(settings, "bucket_name", None) or "local",
        )
    raise ValueError(f"unknown storage backend {backend!r} (expected 'local' or 'aws')")


def unavailable_errors(settings: Any) -> tuple[type[BaseException], ...]:
    """What the backend's table and document store raise when they cannot be reached or refuse for load.

    Only the backend in use is imported: the aws backend never loads sqlite3, the local one never botocore.
    """
    if getattr(settings, "backend", "local") == "aws":
        from botocore.exceptions import BotoCoreError, ClientError

        return (ClientError, BotoCoreError)
    import sqlite3

    return (sqlite3.OperationalError,)


def sqlite_path(settings: Any) -> str:
    """Return the path of the local backend's SQLite file."""
    return os.path.join(settings.data_dir, "icp.sqlite3")


def blobs_dir(settings: Any) -> str:
    """Return the folder that holds the local backend's blobs."""
    return os.path.join(settings.data_dir, "blobs")


# ---- validation shared by both Table adapters, so they accept and refuse exactly the same things ----


def _check_key(name: str, value: Any) -> None:
    # Key attributes are strings and never empty in DynamoDB; refuse the same locally.
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")


def prepare_item(item: dict) -> dict:
    """Return a copy of item ready to store: keys checked, None-valued index attributes dropped."""
    if not isinstance(item, dict):
        raise TypeError(f"an item is a dict, got {type(item).__name__}")
    for name in KEY_ATTRIBUTES:
        _check_key(name, item.get(name))
    clean = dict(item)
    for attr in INDEX_ATTRIBUTES:
        if attr in clean:
            # None means "not in this index" (e.g. no deadline running); DynamoDB refuses NULL index keys.
            if clean[attr] is None:
                del clean[attr]
            else:
                _check_key(attr, clean[attr])
    return clean


def check_range(sk_prefix: str, lower_bound: str | None, upper_bound: str | None) -> None:
    """Refuse a query that asks for a prefix and a range at once (DynamoDB takes one sort-key condition)."""
    if sk_prefix and (lower_bound is not None or upper_bound is not None):
        raise ValueError("a query takes a sort-key prefix or bounds, not both")


def check_ops(ops: list[Put | Delete]) -> list[Put | Delete]:
    """Validate a write batch (size, types, one op per item) and return it with Put items prepared."""
    ops = list(ops)
    if len(ops) > MAX_OPS:
        raise ValueError(f"a write holds at most {MAX_OPS} operations, got {len(ops)}")
    prepared: list[Put | Delete] = []
    seen: set[tuple[str, str]] = set()
    for op in ops:
        if isinstance(op, Put):
            op = Put(prepare_item(op.item), op.expect_version)
            key = (op.item["pk"], op.item["sk"])
        elif isinstance(op, Delete):
            _check_key("pk", op.pk)
            _check_key("sk", op.sk)
            key = (op.pk, op.sk)
        else:
            raise TypeError(f"a write op is Put or Delete, got {type(op).__name__}")
        if op.expect_version is not None and (
            isinstance(op.expect_version, bool) or not isinstance(op.expect_version, int)
        ):
            raise TypeError(f"expect_version must be an int or None, got {op.expect_version!r}")
        # DynamoDB refuses two operations on one item in a transaction; refuse it locally too.
        if key in seen:
            raise ValueError(f"more than one operation on item {key} in one write")
        seen.add(key)
        prepared.append(op)
    return prepared


def check_keys(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Validate the keys of a get_many: non-empty strings, at most 100 (DynamoDB's limit), no repeats."""
    keys = list(dict.fromkeys((pk, sk) for pk, sk in keys))
    if len(keys) > 100:
        raise ValueError("get_many reads at most 100 keys")
    for pk, sk in keys:
        _check_key("pk", pk)
        _check_key("sk", sk)
    return keys


def read_key(table: Table, key: tuple[str, str], known: dict | None = None) -> dict | None:
    """The item at `key` (None: absent): from `known` when it holds the key (read already, e.g. with the session
    in the same round trip), else with one get."""
    return known[key] if known is not None and key in known else table.get(*key)


def read_all(table: Table, keys: list[tuple[str, str]]) -> dict:
    """The items at any number of keys, by key (absent ones left out): one get_many for each hundred (DynamoDB's
    limit for one BatchGetItem)."""
    keys = list(dict.fromkeys(keys))
    found: dict = {}
    for start in range(0, len(keys), 100):
        found.update(table.get_many(keys[start:start + 100]))
    return found


def read_keys(table: Table, keys: list[tuple[str, str]], known: dict | None = None) -> dict:
    """The items at `keys` by key (None: absent): those `known` holds as they are, the others in one get_many
    (no read at all when `known` holds every key)."""
    known = known or {}
    missing = [key for key in dict.fromkeys(keys) if key not in known]
    found = table.get_many(missing) if missing else {}
    return {key: known[key] if key in known else found.get(key) for key in keys}


def check_increment(pk: str, sk: str, field: str, by: int, set_fields: dict | None) -> dict:
    """Validate an increment's arguments and return set_fields as a dict."""
    _check_key("pk", pk)
    _check_key("sk", sk)
    if isinstance(by, bool) or not isinstance(by, int):
        raise TypeError(f"by must be an int, got {by!r}")
    fields = dict(set_fields or {})
    for name in (*KEY_ATTRIBUTES, field):
        if name in fields:
            raise ValueError(f"set_fields cannot set {name!r}")
    if field in KEY_ATTRIBUTES or field in INDEX_ATTRIBUTES:
        raise ValueError(f"cannot increment {field!r}")
    for attr in INDEX_ATTRIBUTES & fields.keys():
        if fields[attr] is not None:
            _check_key(attr, fields[attr])
    return fields


def index_attributes(index: str) -> tuple[str, str]:
    """Return (partition attribute, sort attribute) of a named index, or raise ValueError."""
    try:
        return INDEXES[index]
    except KeyError:
        raise ValueError(f"unknown index {index!r} (known: {', '.join(INDEXES)})") from None


def require_aware(now: datetime) -> datetime:
    """Return now, refusing a naive datetime (times are compared across machines and zones)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now


def content_disposition(filename: str) -> str:
    """Return an `attachment` Content-Disposition for filename, with an RFC 5987 UTF-8 form for non-ASCII names."""
    from urllib.parse import quote

    # Quotes, backslashes and control characters would break the header; non-ASCII goes into filename*.
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename) or "download"
    value = f'attachment; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value
