"""The trimmed botocore data shipped in icp/store/botocore_data is botocore's own, for what the app calls.

The app's boto3 session reads only that copy (icp.store.boto.boto_session); after upgrading botocore, rewrite it
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

    from icp.store.boto import boto_client

    for service, (operations, waiters) in SERVICES.items():
        client = boto_client(service, region="ap-southeast-1")
        assert set(client.meta.service_model.operation_names) == set(operations)
        assert set(client.waiter_names) == {xform_name(w) for w in waiters}
    assert boto_client("ssm", region="ap-southeast-1").exceptions.ParameterNotFound
    assert boto_client("dynamodb", region="ap-southeast-1").exceptions.ConditionalCheckFailedException


def test_a_service_the_app_does_not_call_is_not_there(credentials):
    from botocore.exceptions import UnknownServiceError

    from icp.store.boto import boto_client

    with pytest.raises(UnknownServiceError):
        boto_client("lambda", region="ap-southeast-1")


def test_clients_resolve_and_sign_like_stock_botocore_in_every_partition(credentials):
    import boto3

    from icp.store.boto import boto_client

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
    from tests.package_sources import boto_services

    assert set(boto_services()) <= set(SERVICES), "add the service and its operations to icp.store.botocore_trim"


def test_an_operator_profile_that_assumes_a_role_gets_its_credentials_through_the_trimmed_data(
        tmp_path, monkeypatch):
    # `flask icp provision` from a laptop whose profile assumes a role: botocore's credential provider makes
    # an STS client from the app's session, so STS must be in the trimmed data
    from moto import mock_aws

    import icp.store.boto

    config = tmp_path / "config"
    config.write_text("[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/deployer\n"
                      "source_profile = base\n[profile base]\nregion = ap-southeast-1\n")
    credentials_file = tmp_path / "credentials"
    credentials_file.write_text("[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                 "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials_file))
    monkeypatch.setenv("AWS_PROFILE", "deployer")
    monkeypatch.setattr(icp.store.boto, "_session", None)  # a session made now reads this profile
    # moto answers AssumeRole; it must not put its own credentials in the environment, which come first
    with mock_aws(config={"core": {"mock_credentials": False}}):
        credentials = icp.store.boto.boto_session().get_credentials().get_frozen_credentials()
    # moto's temporary credentials for the role, not the source profile's keys
    assert credentials.access_key and credentials.access_key != "testing" and credentials.token
