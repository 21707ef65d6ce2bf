"""Packed orders: how an order item is stored on DynamoDB, where every kilobyte of an item is a write unit.

An order is written some twenty times between step 1 and the ICP number, nearly always in a transaction (its
history event and messages go with it), which DynamoDB bills at two units a kilobyte. Stored as it is, an order
is 3-4 KB: eight units a write. Stored packed, it is its keys, its index keys and its version as they are (a
condition or an index reads them) and two deflated JSON values:

- ``card``: what the owner and queue indexes show of an order (icp.store.INDEX_PROJECTIONS), so an index entry
  stays one unit and is rewritten only when the card changes;
- ``body``: everything else (the answers, the stamped policy, the backdrop, the codes' hashes, the dates).

Both are deflated against a preset dictionary (zlib's ``zdict``) made of what every order has in common (the
attribute names, the policy stamp's fields, the enumerations, dates' shape and the words of Chinese addresses and
company names), so what is left to store is what this order says that others do not: under 1 KB for the demo
order at its largest (bench.table_ops prints it). A value starts with the number of the dictionary it was packed
with; a new dictionary gets a new number and the old ones stay, so an order packed years ago still unpacks.

Only the DynamoDB adapter packs (icp.store.dynamodb): callers read and write plain dicts on both backends, and
the local backend, which bills nothing, stores them as they are.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path

from . import INDEX_ATTRIBUTES, INDEX_PROJECTIONS, KEY_ATTRIBUTES

CARD = "card"
BODY = "body"
# the indexes an order is in whose projection its card carries (the deadline index projects due_action only)
CARD_INDEXES = ("owner", "queue")
# attributes an order keeps as they are: the keys, the indexes' keys, the version a write's condition compares,
# the deadline index's projection and DynamoDB's TTL attribute (neither reads inside a binary value)
PLAIN = frozenset((*KEY_ATTRIBUTES, *INDEX_ATTRIBUTES, "version", *(INDEX_PROJECTIONS["deadline"] or ()),
                   "expires_at"))
# what an order's card carries: every attribute the owner or queue index projects that is not plain
CARD_FIELDS = frozenset(name for index in CARD_INDEXES for name in (INDEX_PROJECTIONS[index] or ())) - PLAIN

# dictionary number -> its file; the first byte of a packed value names the dictionary. Never edit a file once
# an order was packed with it (tests/test_packing.py pins each file's digest): add a new number instead.
DICTIONARIES = {1: "order-dictionary-1.txt"}
CURRENT = 1
# deflate's strongest setting: an order is packed once a write and a few hundred bytes take microseconds
_LEVEL = 9
# raw deflate (no zlib header or checksum: 6 bytes an attribute the first byte and JSON's parser replace)
_WBITS = -15


def stored_projection(index: str) -> tuple[str, ...] | None:
    """The non-key attributes DynamoDB's index `index` projects (None: all): what icp.store.INDEX_PROJECTIONS
    lists, and a packed order's card where the index shows orders."""
    include = INDEX_PROJECTIONS[index]
    if include is None:
        return None
    return (*include, CARD) if index in CARD_INDEXES else tuple(include)


def packs(item: dict) -> bool:
    """Whether the item is an order (FILING#<id> / META), the one kind of item stored packed."""
    return item.get("sk") == "META" and str(item.get("pk", "")).startswith("FILING#")


def pack(item: dict) -> dict:
    """The item as DynamoDB stores it: plain attributes as they are, the card's and the rest deflated."""
    if not packs(item):
        return item
    stored = {name: value for name, value in item.items() if name in PLAIN}
    card = {name: value for name, value in item.items() if name in CARD_FIELDS}
    body = {name: value for name, value in item.items() if name not in PLAIN and name not in CARD_FIELDS}
    card_text = _json(card)
    if card:
        stored[CARD] = _deflate(card_text)
    if body:
        # the body is deflated after the card, as if they were one text: what it repeats of the card (the subject's
        # name, the domain, the dates, the policy's figures) costs a back-reference, not its bytes again
        stored[BODY] = _deflate(_json(body), after=card_text if card else b"")
    return stored


def unpack(stored: dict) -> dict:
    """The order a packed item holds, or its index entry's card (any other item, and an order stored before
    packing, comes back as it is)."""
    if not packs(stored) or not any(isinstance(stored.get(name), (bytes, bytearray)) for name in (CARD, BODY)):
        return stored
    item: dict = {}
    card = stored.get(CARD)
    card_text = _inflate(bytes(card)) if isinstance(card, (bytes, bytearray)) else b""
    body = stored.get(BODY)
    if isinstance(body, (bytes, bytearray)):
        item.update(json.loads(_inflate(bytes(body), after=card_text)))
    if card_text:
        item.update(json.loads(card_text))
    item.update((name, value) for name, value in stored.items() if name not in (CARD, BODY))
    return item


def deflate(values: dict) -> bytes:
    """One dictionary number byte, then the values as compact JSON deflated against that dictionary."""
    return _deflate(_json(values))


def inflate(value: bytes) -> dict:
    """The values `deflate` packed, with the dictionary their first byte names."""
    return json.loads(_inflate(value))


def _json(values: dict) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _deflate(text: bytes, *, after: bytes = b"") -> bytes:
    # deflate looks back 32 KB: the dictionary, then (for a body) its card's text, then the text itself
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, 9, zlib.Z_DEFAULT_STRATEGY,
                              dictionary(CURRENT) + after)
    return bytes((CURRENT,)) + packer.compress(text) + packer.flush()


def _inflate(value: bytes, *, after: bytes = b"") -> bytes:
    unpacker = zlib.decompressobj(_WBITS, dictionary(value[0]) + after)
    return unpacker.decompress(value[1:]) + unpacker.flush()


@lru_cache(maxsize=None)
def dictionary(number: int) -> bytes:
    """The preset dictionary `number` (KeyError for a number this code does not know)."""
    return (Path(__file__).with_name(DICTIONARIES[number])).read_bytes()
