"""The trimmed botocore data shipped in icp/store/botocore_data is botocore's own, for what the app calls.

The app's boto3 session reads only that copy (icp.store.boto_session); after upgrading botocore, rewrite it
with `python -m icp.store.botocore_trim`.
"""
from __future__ import annotations

import json

import pytest

from icp.store.botocore_trim import BOTOCORE_DATA, SERVICES, trimmed_files

REGIONS = ("ap-southeast-1", "us-east-1", "cn-north-1", "eu-west-1")


@pytest.fixture
def credentials(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_the_shipped_files_are_what_the_installed_botocore_gives():
    expected = trimmed_files()
    shipped = {str(p.relative_to(BOTOCORE_DATA)): json.loads(p.read_text(encoding="utf-8"))
               for p in BOTOCORE_DATA.rglob("*.json")}
    assert set(shipped) == set(expected), "run `python -m icp.store.botocore_trim` after a botocore upgrade"
    for name, content in expected.items():
        assert shipped[name] == json.loads(json.dumps(content)), f"{name}: run `python -m icp.store.botocore_trim`"


def test_a_client_of_the_app_session_offers_exactly_the_operations_the_app_calls(credentials):
    from botocore import xform_name

    from icp.store import boto_client

    for service, (operations, waiters) in SERVICES.items():
        client = boto_client(service, region="ap-southeast-1")
        assert set(client.meta.service_model.operation_names) == set(operations)
        assert set(client.waiter_names) == {xform_name(w) for w in waiters}
    assert boto_client("ssm", region="ap-southeast-1").exceptions.ParameterNotFound
    assert boto_client("dynamodb", region="ap-southeast-1").exceptions.ConditionalCheckFailedException


def test_a_service_the_app_does_not_call_is_not_there(credentials):
    from botocore.exceptions import UnknownServiceError

    from icp.store import boto_client

    with pytest.raises(UnknownServiceError):
        boto_client("lambda", region="ap-southeast-1")


def test_clients_resolve_and_sign_like_stock_botocore_in_every_partition(credentials):
    import boto3

    from icp.store import boto_client

    stock = boto3.session.Session()
    for region in REGIONS:
        for service in SERVICES:
            ours = boto_client(service, region=region)
            theirs = stock.client(service, region_name=region)
            assert ours.meta.endpoint_url == theirs.meta.endpoint_url, (service, region)
            assert ours.meta.partition == theirs.meta.partition
        ours, theirs = boto_client("s3", region=region), stock.client("s3", region_name=region)
        # the addresses the browser is given: the upload form's URL and a document's signed link
        assert ours.generate_presigned_post("bucket-name", "key")["url"] == \
            theirs.generate_presigned_post("bucket-name", "key")["url"]
        ours_link = ours.generate_presigned_url("get_object", Params={"Bucket": "bucket-name", "Key": "k"})
        theirs_link = theirs.generate_presigned_url("get_object", Params={"Bucket": "bucket-name", "Key": "k"})
        assert ours_link.split("?")[0] == theirs_link.split("?")[0]


def test_every_service_the_code_makes_a_client_for_is_in_the_trimmed_data():
    from tests.test_zappa import boto_services

    assert set(boto_services()) <= set(SERVICES), "add the service and its operations to icp.store.botocore_trim"
