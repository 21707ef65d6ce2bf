"""Table adapter on one DynamoDB table (pk/sk strings, GSIs "owner", "queue", "deadline")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from . import (
    ABSENT,
    INDEX_ATTRIBUTES,
    Conflict,
    Delete,
    Put,
    check_increment,
    check_keys,
    check_ops,
    check_range,
    index_attributes,
    index_projection,
)
from .boto import LazyClient, boto_client
from .packing import pack, unpack

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# Cancellation reasons that mean "someone else's write got there first": the caller re-reads and retries.
_CONFLICT_REASONS = {"ConditionalCheckFailed", "TransactionConflict"}


class DynamoTable:
    """The Table port on DynamoDB; the client is created on first use (cold start stays cheap)."""

    def __init__(self, table_name: str, *, region: str | None = None, endpoint_url: str | None = None):
        self.table_name = table_name
        self.region = region
        self.endpoint_url = endpoint_url
        self._client = LazyClient(lambda: boto_client("dynamodb", region=region, endpoint_url=endpoint_url))

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client, created once."""
        return self._client.get()

    # ---- reads ----

    def get(self, pk: str, sk: str) -> dict | None:
        """Return the item pk/sk, or None (strongly consistent read)."""
        # Consistent: callers read a version and write version+1; a stale read would only buy a Conflict.
        response = self.client.get_item(
            TableName=self.table_name, Key=_key(pk, sk), ConsistentRead=True
        )
        item = response.get("Item")
        return from_dynamo(item) if item else None

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Return the items at these (pk, sk) keys in one BatchGetItem, by key; absent keys are left out."""
        keys = check_keys(keys)
        found: dict[tuple[str, str], dict] = {}
        request = {self.table_name: {"Keys": [_key(pk, sk) for pk, sk in keys], "ConsistentRead": True}}
        while keys and request:
            response = self.client.batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(self.table_name, []):
                item = from_dynamo(raw)
                found[(item["pk"], item["sk"])] = item
            # DynamoDB may leave keys unprocessed under load: ask again for just those
            request = response.get("UnprocessedKeys") or None
        return found

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
        condition = "#pk = :pk"
        values: dict[str, Any] = {":pk": {"S": pk}}
        names = {"#pk": "pk"}
        if sk_prefix:
            condition += " AND begins_with(#sk, :prefix)"
            values[":prefix"] = {"S": sk_prefix}
            names["#sk"] = "sk"
        elif lower_bound is not None or upper_bound is not None:
            if lower_bound is not None and upper_bound is not None:
                if lower_bound > upper_bound:
                    return []  # DynamoDB refuses BETWEEN with reversed bounds; the answer is empty anyway
                condition += " AND #sk BETWEEN :lo AND :hi"
            else:
                condition += " AND #sk >= :lo" if lower_bound is not None else " AND #sk <= :hi"
            values.update({name: {"S": bound} for name, bound in ((":lo", lower_bound), (":hi", upper_bound))
                           if bound is not None})
            names["#sk"] = "sk"
        return self._query(
            limit,
            KeyConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ScanIndexForward=not descending,
            ConsistentRead=True,
        )

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
        condition = "#p = :key"
        names = {"#p": part}
        values: dict[str, Any] = {":key": {"S": key}}
        if lower_bound is not None and upper_bound is not None:
            if lower_bound > upper_bound:
                return []  # DynamoDB refuses BETWEEN with reversed bounds; the answer is empty anyway
            condition += " AND #s BETWEEN :lo AND :hi"
        elif lower_bound is not None:
            condition += " AND #s >= :lo"
        elif upper_bound is not None:
            condition += " AND #s <= :hi"
        if lower_bound is not None:
            values[":lo"] = {"S": lower_bound}
        if upper_bound is not None:
            values[":hi"] = {"S": upper_bound}
        if ":lo" in values or ":hi" in values:
            names["#s"] = sort
        # GSI reads are eventually consistent (DynamoDB offers nothing else on a GSI).
        entries = self._query(
            limit,
            IndexName=index,
            KeyConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ScanIndexForward=not descending,
        )
        keep = index_projection(index)
        # a packed order's card holds what both the owner and the queue index show: each answers with what it
        # projects, as the local backend does
        return entries if keep is None else [{k: v for k, v in e.items() if k in keep} for e in entries]

    def _query(self, limit: int | None, **kwargs: Any) -> list[dict]:
        # Pages stop at 1 MB, so keep asking until `limit` items arrived or the key range is exhausted.
        if limit is not None and limit <= 0:
            return []
        items: list[dict] = []
        while True:
            if limit is not None:
                kwargs["Limit"] = limit - len(items)
            response = self.client.query(TableName=self.table_name, **kwargs)
            items += [from_dynamo(item) for item in response.get("Items", [])]
            last = response.get("LastEvaluatedKey")
            if not last or (limit is not None and len(items) >= limit):
                return items
            kwargs["ExclusiveStartKey"] = last

    # ---- writes ----

    def write(self, ops: list[Put | Delete]) -> None:
        """Apply all ops atomically; a failed condition raises Conflict, writing nothing.

        One op is one conditional PutItem or DeleteItem; more are one TransactWriteItems call.
        """
        ops = check_ops(ops)
        if not ops:
            return
        if len(ops) == 1:
            # a single item is atomic on its own, and a transaction would bill it twice (2 WCU per KB, not 1)
            self._write_one(ops[0])
            return
        try:
            # botocore adds a ClientRequestToken, so its retries of this call are idempotent.
            self.client.transact_write_items(TransactItems=[self._transact_item(op) for op in ops])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            failed = tuple(i for i, code in enumerate(reasons) if code in _CONFLICT_REASONS)
            message = error.response.get("Error", {}).get("Message", "")
            # Without parsed reasons, the message still lists them ("... reasons [ConditionalCheckFailed, None]").
            if not failed and not any(code in message for code in _CONFLICT_REASONS):
                raise  # cancelled for another reason (validation, capacity): not the caller's conflict
            raise Conflict(
                f"write condition failed for operation(s) {list(failed)}: {reasons}", failed=failed
            ) from error

    def _write_one(self, op: Put | Delete) -> None:
        (kind, body), = self._transact_item(op).items()
        try:
            if kind == "Put":
                self.client.put_item(**body)
            else:
                self.client.delete_item(**body)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            raise Conflict("write condition failed for operation(s) [0]", failed=(0,)) from error

    def _transact_item(self, op: Put | Delete) -> dict:
        if isinstance(op, Put):
            body: dict[str, Any] = {"TableName": self.table_name, "Item": to_dynamo(op.item)}
            kind = "Put"
        else:
            body = {"TableName": self.table_name, "Key": _key(op.pk, op.sk)}
            kind = "Delete"
        if op.expect_version == ABSENT:
            body["ConditionExpression"] = "attribute_not_exists(pk)"
        elif op.expect_version is not None:
            # `version` is a reserved word in DynamoDB expressions, hence the #v placeholder.
            body["ConditionExpression"] = "#v = :v"
            body["ExpressionAttributeNames"] = {"#v": "version"}
            body["ExpressionAttributeValues"] = {":v": {"N": str(op.expect_version)}}
        return {kind: body}

    def increment(
        self, pk: str, sk: str, field: str, by: int = 1, *, set_fields: dict | None = None
    ) -> int:
        """Add `by` to the item's counter `field` (creating the item at 0), set set_fields, return the new value."""
        fields = check_increment(pk, sk, field, by, set_fields)
        names = {"#f": field}
        values: dict[str, Any] = {":by": {"N": str(by)}}
        sets, removes = [], []
        for i, (name, value) in enumerate(fields.items()):
            names[f"#a{i}"] = name
            if value is None and name in INDEX_ATTRIBUTES:
                removes.append(f"#a{i}")  # None index attribute = leave the index, as in Put
            else:
                values[f":a{i}"] = _serializer.serialize(_to_dynamo_value(value))
                sets.append(f"#a{i} = :a{i}")
        expression = "ADD #f :by"
        if sets:
            expression += " SET " + ", ".join(sets)
        if removes:
            expression += " REMOVE " + ", ".join(removes)
        response = self.client.update_item(
            TableName=self.table_name,
            Key=_key(pk, sk),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="UPDATED_NEW",
        )
        return from_dynamo(response["Attributes"])[field]


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _to_dynamo_value(value: Any) -> Any:
    # boto3 refuses floats (binary rounding); Decimal(str()) keeps what the float prints as.
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _to_dynamo_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_dynamo_value(v) for v in value]
    return value


def _from_dynamo_value(value: Any) -> Any:
    # DynamoDB numbers come back as Decimal; callers (and the SQLite backend) deal in int.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        return value.value  # a packed order's card and body (icp.store.packing)
    if isinstance(value, dict):
        return {k: _from_dynamo_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo_value(v) for v in value]
    return value


def to_dynamo(item: dict) -> dict:
    """Return item in DynamoDB's attribute-value wire format (an order packed: icp.store.packing)."""
    return {name: _serializer.serialize(_to_dynamo_value(value)) for name, value in pack(item).items()}


def from_dynamo(item: dict) -> dict:
    """Return a plain dict (ints, not Decimals) from DynamoDB's attribute-value wire format (an order unpacked)."""
    return unpack({name: _from_dynamo_value(_deserializer.deserialize(value)) for name, value in item.items()})
