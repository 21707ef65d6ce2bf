"""Packed orders (icp/store/packing.py): what DynamoDB stores of an order, and what it costs."""

import hashlib

import pytest

from icp.store import INDEX_PROJECTIONS, Put, packing

ORDER = {
    "pk": "FILING#X8N2J9ZZSW", "sk": "META", "version": 7, "id": "X8N2J9ZZSW", "status": "PROVIDER_REVIEW",
    "order_type": "website", "owner": "applicant@example.com", "owner_sort": "FILING#2026-11-27T09:00:00+00:00#X8N2J9ZZSW",
    "queue": "STATUS#PROVIDER_REVIEW", "queue_sort": "2026-11-27T09:03:10+00:00#X8N2J9ZZSW",
    "due_key": "DUE", "due_at": "2026-11-28T09:03:10+00:00", "due_action": "remind", "expires_at": 1800000000,
    "updated_at": "2026-11-27T09:03:10+00:00", "verified": {"domain": "例子.中国", "province": "beijing"},
    "subject": {"name": "北京示例科技有限公司", "leader": {"name": "王芳", "mobile": "13911112222"}},
    "steps": {"type": True, "check": False}, "returns": 0, "comments": [], "phone_link": None, "ratio": 0.25,
}


def test_an_order_packs_and_unpacks_to_itself():
    stored = packing.pack(ORDER)
    assert packing.unpack(stored) == ORDER
    assert set(stored) == {"pk", "sk", "version", "owner", "owner_sort", "queue", "queue_sort", "due_key", "due_at",
                           "due_action", "expires_at", "card", "body"}
    assert all(isinstance(stored[name], bytes) for name in ("card", "body"))


def test_what_a_condition_an_index_or_ttl_reads_stays_plain():
    stored = packing.pack(ORDER)
    for name in ("pk", "sk", "version", "owner", "queue_sort", "due_at", "due_action", "expires_at"):
        assert stored[name] == ORDER[name], name


def test_the_card_holds_what_the_owner_and_queue_indexes_show_and_nothing_else():
    card = packing.inflate(packing.pack(ORDER)["card"])
    shown = set(INDEX_PROJECTIONS["owner"]) | set(INDEX_PROJECTIONS["queue"])
    assert set(card) == {name for name in ORDER if name in shown} - packing.PLAIN
    assert "subject" not in card and "verified" in card


def test_only_orders_are_packed():
    for item in ({"pk": "FILING#X8N2J9ZZSW", "sk": "EVENT#2026", "note": "x"}, {"pk": "ACCOUNT#a@b.cn", "sk": "META"},
                 {"pk": "OUTBOX#1", "sk": "META", "to": "a@b.cn"}):
        assert packing.pack(item) is item


def test_an_order_stored_before_packing_reads_as_it_was():
    assert packing.unpack(dict(ORDER)) == ORDER


def test_another_item_with_binary_values_of_those_names_is_left_alone():
    item = {"pk": "EXPORT#a@b.cn", "sk": "META", "body": b"not deflated", "card": b"\x01"}
    assert packing.unpack(item) is item


def test_a_value_names_its_dictionary_and_an_unknown_one_is_refused():
    value = packing.deflate({"a": 1})
    assert value[0] == packing.CURRENT
    with pytest.raises(KeyError):
        packing.inflate(bytes((99,)) + value[1:])


# The dictionaries' digests: an order packed with a dictionary can only be unpacked with the same bytes, so a
# dictionary file is never edited once shipped (write order-dictionary-2.txt, bench/order_dictionary.py, instead).
DIGESTS = {1: "55be5beb3659f0ba4c85943fa64cd3f48cb15807a71d2e6ac36546b411193264"}


def test_no_shipped_dictionary_was_edited():
    for number, digest in DIGESTS.items():
        assert hashlib.sha256(packing.dictionary(number)).hexdigest() == digest, number
    assert set(DIGESTS) == set(packing.DICTIONARIES)


def test_dynamodb_stores_an_order_packed_and_answers_it_whole():
    from moto import mock_aws

    with mock_aws():
        from icp.store.dynamodb import DynamoTable

        import boto3

        from icp.provision import table_definition

        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(**table_definition("packing-test"))
        table = DynamoTable("packing-test", region="eu-west-1")
        table.write([Put(ORDER)])
        raw = client.get_item(TableName="packing-test", Key={"pk": {"S": ORDER["pk"]}, "sk": {"S": "META"}})["Item"]
        assert "B" in raw["body"] and "subject" not in raw and raw["version"] == {"N": "7"}
        assert table.get(ORDER["pk"], "META") == ORDER
        [entry] = table.query_index("queue", "STATUS#PROVIDER_REVIEW")
        keep = {"pk", "sk", "queue", "queue_sort", *INDEX_PROJECTIONS["queue"]}
        assert entry == {k: v for k, v in ORDER.items() if k in keep}


def test_every_write_of_an_order_in_the_measured_walk_is_one_unit():
    """The walk of bench/table_ops.py (step 1 to APPROVED, the clock moving between requests): each write of the
    order is billed for one kilobyte (two units in a transaction), the figure README's cost table rests on."""
    from moto import mock_aws

    from bench import _support, table_ops

    with mock_aws():
        app, _clock = _support.demo_app("packing-walk", backend="aws")
        rec, stored = table_ops.walk(app, to_approval=True)
    assert stored["status"] == "APPROVED"
    order_writes = [(units, in_tx) for request in rec.requests for op in request.ops
                    for kind, units, _indexes in op.by_item if kind == "FILING# META"
                    for in_tx in (len(op.by_item) > 1,)]
    assert len(order_writes) >= 20
    assert all(units == (2 if in_tx else 1) for units, in_tx in order_writes), order_writes


def test_show_order_prints_a_packed_order_whole_and_refuses_an_unknown_number(any_app):
    import json

    from tests.workflow_helpers import submitted_order

    _client, filing_id = submitted_order(any_app)
    runner = any_app.test_cli_runner()
    result = runner.invoke(args=["icp", "show-order", filing_id.lower()])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"] == filing_id and shown["subject"]["name"] and "body" not in shown and "card" not in shown
    for number in ("NOSUCHORDR", "../META", ""):
        refused = runner.invoke(args=["icp", "show-order", number])
        assert refused.exit_code != 0 and "no order" in refused.output
