"""provision(): the DynamoDB table and S3 bucket under moto, and the local folder, created idempotently."""

from __future__ import annotations

import sqlite3

import boto3
import pytest
from moto import mock_aws

import json

from icp import rules as icp_rules
from icp.provision import EXPORTS_PREFIX, PENDING_PREFIX, TTL_ATTRIBUTE, provision, table_definition
from icp.store import INDEX_PROJECTIONS, INDEXES, Put, open_table
from tests.store_fixtures import aws_credentials, aws_settings, local_settings  # noqa: F401


@pytest.fixture
def aws(aws_credentials):
    """moto's in-process AWS for one test."""
    with mock_aws():
        yield


def no_sleep(seconds):
    raise AssertionError("provision slept under moto")


def test_aws_provision_creates_everything_then_changes_nothing(aws, tmp_path):
    settings = aws_settings(tmp_path, upload_origins=["https://icp.example.com"])
    first = provision(settings, sleep=no_sleep)
    assert f"table {settings.table_name}: created with indexes owner, queue, deadline" in first
    assert f"bucket {settings.bucket_name}: created in eu-west-1" in first

    second = provision(settings, sleep=no_sleep)
    assert not [line for line in second if line.endswith(" set") or "created" in line or "enabled on" in line], second
    assert f"table {settings.table_name}: exists" in second
    assert f"bucket {settings.bucket_name}: exists" in second
    assert not [line for line in second if "turned on" in line], second

    ddb = boto3.client("dynamodb", region_name="eu-west-1")
    table = ddb.describe_table(TableName=settings.table_name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}
    indexes = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"owner", "queue", "deadline"}
    for name, (part, sort) in INDEXES.items():
        assert [(k["AttributeName"], k["KeyType"]) for k in indexes[name]["KeySchema"]] == [
            (part, "HASH"),
            (sort, "RANGE"),
        ]
        include = INDEX_PROJECTIONS[name]
        assert indexes[name]["Projection"]["ProjectionType"] == ("ALL" if include is None else "INCLUDE")
        # what the index shows, and a packed order's card where it shows orders (icp.store.packing)
        card = ["card"] if name in ("owner", "queue") else []
        assert sorted(indexes[name]["Projection"].get("NonKeyAttributes", [])) == sorted([*(include or []), *card])
    ttl = ddb.describe_time_to_live(TableName=settings.table_name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": TTL_ATTRIBUTE}

    s3 = boto3.client("s3", region_name="eu-west-1")
    bucket = settings.bucket_name
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-1"
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (cors,) = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert cors["AllowedMethods"] == ["POST"]
    assert cors["AllowedOrigins"] == ["https://icp.example.com"]
    lifecycle = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    abort = lifecycle["abort-incomplete-multipart-uploads"]
    assert abort["Status"] == "Enabled"
    assert abort["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1
    expire = lifecycle["expire-unconfirmed-uploads"]
    assert expire["Status"] == "Enabled"
    assert expire["Filter"]["Prefix"] == PENDING_PREFIX == "pending/"
    assert expire["Expiration"]["Days"] == 2

    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    noncurrent = lifecycle["expire-noncurrent-versions"]
    assert noncurrent["Status"] == "Enabled" and noncurrent["Filter"]["Prefix"] == ""
    assert noncurrent["NoncurrentVersionExpiration"]["NoncurrentDays"] == icp_rules.NONCURRENT_VERSION_DAYS
    assert noncurrent["Expiration"] == {"ExpiredObjectDeleteMarker": True}
    assert expire["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    # Download my data's copies: the sweep deletes each when its link expires; this rule is the backstop
    exports = lifecycle["expire-data-exports"]
    assert exports["Status"] == "Enabled" and exports["Filter"]["Prefix"] == EXPORTS_PREFIX == "exports/"
    assert exports["Expiration"]["Days"] == icp_rules.EXPORT_KEEP_DAYS == 1
    assert exports["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(statement["Resource"]) == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}

    assert table["DeletionProtectionEnabled"] is True
    pitr = ddb.describe_continuous_backups(TableName=settings.table_name)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert pitr["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == icp_rules.POINT_IN_TIME_RECOVERY_DAYS
    with pytest.raises(ddb.exceptions.ClientError, match="DeletionProtectionEnabled"):
        ddb.delete_table(TableName=settings.table_name)

    # The provisioned table serves the store.
    store = open_table(settings)
    store.write([Put({"pk": "FILING#1", "sk": "META", "due_key": "DUE", "due_at": "2026-03-03"})])
    assert [i["pk"] for i in store.query_index("deadline", "DUE")] == ["FILING#1"]


def test_aws_provision_reapplies_drifted_bucket_settings(aws, tmp_path):
    settings = aws_settings(tmp_path)
    provision(settings, sleep=no_sleep)
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.delete_bucket_cors(Bucket=settings.bucket_name)
    s3.delete_public_access_block(Bucket=settings.bucket_name)
    lines = provision(settings, sleep=no_sleep)
    assert f"bucket {settings.bucket_name}: CORS set" in lines
    assert f"bucket {settings.bucket_name}: public access block set" in lines
    assert f"bucket {settings.bucket_name}: lifecycle up to date" in lines
    assert s3.get_bucket_cors(Bucket=settings.bucket_name)["CORSRules"][0]["AllowedOrigins"] == settings.upload_origins


def test_aws_provision_protects_a_table_and_bucket_made_before(aws, tmp_path):
    settings = aws_settings(tmp_path)
    definition = table_definition(settings.table_name)
    del definition["DeletionProtectionEnabled"]
    ddb = boto3.client("dynamodb", region_name="eu-west-1")
    ddb.create_table(**definition)
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket=settings.bucket_name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # an operator's own statement stays beside ours
    theirs = {"Sid": "Theirs", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
              "Resource": f"arn:aws:s3:::{settings.bucket_name}"}
    s3.put_bucket_policy(Bucket=settings.bucket_name, Policy=json.dumps({"Version": "2012-10-17",
                                                                         "Statement": [theirs]}))
    lines = provision(settings, sleep=no_sleep)
    table = settings.table_name
    assert f"table {table}: deletion protection turned on" in lines
    assert f"table {table}: point-in-time recovery turned on ({icp_rules.POINT_IN_TIME_RECOVERY_DAYS} days)" in lines
    assert f"bucket {settings.bucket_name}: versioning set" in lines
    assert f"bucket {settings.bucket_name}: TLS-only policy set" in lines
    assert ddb.describe_table(TableName=table)["Table"]["DeletionProtectionEnabled"] is True
    statements = json.loads(s3.get_bucket_policy(Bucket=settings.bucket_name)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["Theirs", "RefuseRequestsWithoutTLS"]

    again = provision(settings, sleep=no_sleep)
    assert f"table {table}: deletion protection already on" in again
    assert f"table {table}: point-in-time recovery already on ({icp_rules.POINT_IN_TIME_RECOVERY_DAYS} days)" in again
    assert f"bucket {settings.bucket_name}: versioning up to date" in again
    assert f"bucket {settings.bucket_name}: TLS-only policy up to date" in again


def test_aws_provision_in_us_east_1_and_default_origins(aws, tmp_path):
    settings = aws_settings(tmp_path, aws_region="us-east-1")
    del settings.upload_origins  # an older Settings without the attribute
    provision(settings, sleep=no_sleep)
    s3 = boto3.client("s3", region_name="us-east-1")
    assert s3.get_bucket_location(Bucket=settings.bucket_name)["LocationConstraint"] is None
    assert s3.get_bucket_cors(Bucket=settings.bucket_name)["CORSRules"][0]["AllowedOrigins"] == ["*"]


def test_aws_provision_adds_a_missing_index(aws, tmp_path):
    settings = aws_settings(tmp_path)
    definition = table_definition(settings.table_name)
    definition["GlobalSecondaryIndexes"] = [i for i in definition["GlobalSecondaryIndexes"] if i["IndexName"] != "deadline"]
    definition["AttributeDefinitions"] = [
        a for a in definition["AttributeDefinitions"] if a["AttributeName"] not in INDEXES["deadline"]
    ]
    ddb = boto3.client("dynamodb", region_name="eu-west-1")
    ddb.create_table(**definition)
    lines = provision(settings, sleep=no_sleep)
    assert f"table {settings.table_name}: index deadline created" in lines
    indexes = ddb.describe_table(TableName=settings.table_name)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"] for i in indexes} == {"owner", "queue", "deadline"}


def test_aws_provision_says_how_to_rebuild_an_index_whose_projection_changed(aws, tmp_path):
    settings = aws_settings(tmp_path)
    definition = table_definition(settings.table_name)
    for index in definition["GlobalSecondaryIndexes"]:
        if index["IndexName"] == "owner":
            index["Projection"] = {"ProjectionType": "ALL"}  # as provisioned before the owner index was trimmed
    ddb = boto3.client("dynamodb", region_name="eu-west-1")
    ddb.create_table(**definition)
    lines = provision(settings, sleep=no_sleep)
    advice = [line for line in lines if "index owner projects ALL" in line]
    assert len(advice) == 1 and "delete the index" in advice[0] and '"IndexName":"owner"' in advice[0], lines
    assert not [line for line in lines if "index queue" in line or "index deadline" in line], lines
    # provision never deletes an index itself: its queries would find nothing while it rebuilds
    indexes = ddb.describe_table(TableName=settings.table_name)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"]: i["Projection"]["ProjectionType"] for i in indexes}["owner"] == "ALL"


def test_local_provision_creates_folders_and_schema(tmp_path):
    settings = local_settings(tmp_path)
    lines = provision(settings)
    assert lines == [
        f"folder {settings.data_dir}: created",
        f"folder {settings.data_dir}/blobs: created",
        f"database {settings.data_dir}/icp.sqlite3: schema ready",
    ]
    with sqlite3.connect(f"{settings.data_dir}/icp.sqlite3") as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert {"items", "items_owner", "items_queue", "items_deadline"} <= names
    assert mode == "wal"

    assert provision(settings)[:2] == [
        f"folder {settings.data_dir}: exists",
        f"folder {settings.data_dir}/blobs: exists",
    ]


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(ValueError):
        provision(local_settings(tmp_path, backend="gcp"))
