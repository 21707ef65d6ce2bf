"""Create the storage the service needs (DynamoDB table + S3 bucket, or SQLite file + folder), idempotently."""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from . import rules
from .store import INDEXES, blobs_dir, sqlite_path
from .store.packing import stored_projection

# Objects under this prefix are uploads not yet confirmed by the app; S3 forgets them after PENDING_DAYS.
PENDING_PREFIX = "pending/"
PENDING_DAYS = 2
# Copies made by Download my data (icp.workflow.data_export says why they are kept in storage, and for how long).
EXPORTS_PREFIX = "exports/"
# DynamoDB deletes an item some time (up to ~2 days) after the epoch seconds in this attribute, if it is a
# number: meant for disposable items such as rate-limit counters (icp.accounts sets it), never for deadlines.
# An ISO-string expires_at is ignored by TTL.
TTL_ATTRIBUTE = "expires_at"


def provision(settings: Any, *, sleep: Callable[[float], None] = time.sleep) -> list[str]:
    """Create whatever storage settings.backend needs and is missing; return what was done, line by line."""
    backend = getattr(settings, "backend", "local")
    if backend == "local":
        return provision_local(settings)
    if backend == "aws":
        return provision_table(settings, sleep=sleep) + provision_bucket(settings)
    raise ValueError(f"unknown storage backend {backend!r} (expected 'local' or 'aws')")


def provision_local(settings: Any) -> list[str]:
    """Create the data folder, the SQLite schema and the blobs folder."""
    from .store.sqlite import SQLiteTable

    lines = []
    for path in (settings.data_dir, blobs_dir(settings)):
        if os.path.isdir(path):
            lines.append(f"folder {path}: exists")
        else:
            os.makedirs(path, exist_ok=True)
            lines.append(f"folder {path}: created")
    SQLiteTable(sqlite_path(settings)).ensure_schema()
    lines.append(f"database {sqlite_path(settings)}: schema ready")
    return lines


# ---- DynamoDB ----


def table_definition(table_name: str) -> dict:
    """Return the create_table arguments: pk/sk strings, on-demand, one GSI per entry of INDEXES (projected as
    INDEX_PROJECTIONS says)."""
    attributes = ["pk", "sk", *(attr for pair in INDEXES.values() for attr in pair)]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        "KeySchema": _key_schema("pk", "sk"),
        "GlobalSecondaryIndexes": [_index_definition(name) for name in INDEXES],
        # a wrong `aws dynamodb delete-table` is refused until someone turns this off on purpose
        "DeletionProtectionEnabled": True,
    }


def _key_schema(hash_key: str, range_key: str) -> list[dict]:
    return [{"AttributeName": hash_key, "KeyType": "HASH"}, {"AttributeName": range_key, "KeyType": "RANGE"}]


def _index_definition(name: str) -> dict:
    part, sort = INDEXES[name]
    include = stored_projection(name)
    # ALL: index queries return whole items; INCLUDE: only what the index's queries use (icp.store says which,
    # and a packed order carries it in its card: icp.store.packing), so a write that changes nothing projected
    # costs the index nothing
    projection = {"ProjectionType": "ALL"} if include is None else {
        "ProjectionType": "INCLUDE", "NonKeyAttributes": list(include)}
    return {"IndexName": name, "KeySchema": _key_schema(part, sort), "Projection": projection}


def provision_table(settings: Any, *, sleep: Callable[[float], None] = time.sleep) -> list[str]:
    """Create the DynamoDB table (or its missing indexes) and wait until it is active; enable TTL, deletion
    protection and point-in-time recovery."""
    from .store.dynamodb import DynamoTable

    client = DynamoTable(
        settings.table_name,
        region=getattr(settings, "aws_region", None),
        endpoint_url=getattr(settings, "dynamodb_endpoint_url", None),
    ).client
    name = settings.table_name
    lines = []
    try:
        table = client.describe_table(TableName=name)["Table"]
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**table_definition(name))
        client.get_waiter("table_exists").wait(TableName=name)
        lines.append(f"table {name}: created with indexes {', '.join(INDEXES)}")
        table = client.describe_table(TableName=name)["Table"]
    else:
        lines.append(f"table {name}: exists")

    present = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
    definition = table_definition(name)
    for index in INDEXES:
        if index in present:
            lines += _projection_advice(name, index, present[index].get("Projection", {}))
            continue
        # DynamoDB builds one new GSI at a time, so create and wait for each in turn.
        client.update_table(
            TableName=name,
            AttributeDefinitions=definition["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": _index_definition(index)}],
        )
        _wait_for_index(client, name, index, sleep)
        lines.append(f"table {name}: index {index} created")

    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING") and ttl.get("AttributeName") == TTL_ATTRIBUTE:
        lines.append(f"table {name}: TTL on {TTL_ATTRIBUTE!r} already enabled")
    else:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
        )
        lines.append(f"table {name}: TTL enabled on {TTL_ATTRIBUTE!r}")
    lines += _protect_table(client, name, table)
    return lines


def _protect_table(client: Any, name: str, table: dict) -> list[str]:
    """Deletion protection and point-in-time recovery (rules.POINT_IN_TIME_RECOVERY_DAYS), each set only if off."""
    lines = []
    if table.get("DeletionProtectionEnabled"):
        lines.append(f"table {name}: deletion protection already on")
    else:
        client.update_table(TableName=name, DeletionProtectionEnabled=True)
        lines.append(f"table {name}: deletion protection turned on")
    days = rules.POINT_IN_TIME_RECOVERY_DAYS
    pitr = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"].get(
        "PointInTimeRecoveryDescription", {})
    # RecoveryPeriodInDays is absent from answers of tables that have the default period (35 days)
    if pitr.get("PointInTimeRecoveryStatus") == "ENABLED" and pitr.get("RecoveryPeriodInDays", 35) == days:
        lines.append(f"table {name}: point-in-time recovery already on ({days} days)")
    else:
        client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": days})
        lines.append(f"table {name}: point-in-time recovery turned on ({days} days)")
    return lines


def _projection_advice(table: str, index: str, projection: dict) -> list[str]:
    """What to do when an existing index projects other attributes than the service now expects.

    DynamoDB cannot change an index's projection; deleting and rebuilding it is left to the operator, because
    its queries find nothing while it builds (the README's Performance section says how).
    """
    wanted = _index_definition(index)["Projection"]
    same = projection.get("ProjectionType") == wanted["ProjectionType"] and \
        set(projection.get("NonKeyAttributes", [])) == set(wanted.get("NonKeyAttributes", []))
    if same:
        return []
    return [f"table {table}: index {index} projects {projection.get('ProjectionType', '?')} attributes, the service "
            f"expects {wanted['ProjectionType']} {sorted(wanted.get('NonKeyAttributes', []))}: delete the index "
            f"(aws dynamodb update-table --table-name {table} --global-secondary-index-updates "
            f"'[{{\"Delete\":{{\"IndexName\":\"{index}\"}}}}]'), wait until it is gone, and run provision again"]


def _wait_for_index(client: Any, table: str, index: str, sleep: Callable[[float], None]) -> None:
    for _ in range(120):
        indexes = client.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])
        if any(i["IndexName"] == index and i.get("IndexStatus") == "ACTIVE" for i in indexes):
            return
        sleep(10)
    raise TimeoutError(f"index {index} of table {table} is not active after 20 minutes; run provision again")


# ---- S3 ----


def tls_only_policy(bucket: str) -> dict:
    """The bucket policy that refuses every request not made over TLS (whoever makes it)."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "RefuseRequestsWithoutTLS",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    }


def bucket_settings(settings: Any) -> dict[str, dict]:
    """Return the bucket's desired configuration, keyed by the S3 API noun it is put with."""
    origins = list(getattr(settings, "upload_origins", None) or ["*"])
    return {
        # a replaced or deleted document stays as a noncurrent version (recoverable) until the lifecycle rule below
        "versioning": {"Status": "Enabled"},
        "policy": tls_only_policy(settings.bucket_name),
        "public_access_block": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        "encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "cors": {
            "CORSRules": [
                {
                    # The upload form posts straight to the bucket; scripts on our pages may read the redirect.
                    "AllowedMethods": ["POST"],
                    "AllowedOrigins": origins,
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag", "Location"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
        "lifecycle": {
            "Rules": [
                {
                    "ID": "abort-incomplete-multipart-uploads",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                },
                {
                    # Uploads the applicant never confirmed: no document refers to them.
                    "ID": "expire-unconfirmed-uploads",
                    "Status": "Enabled",
                    "Filter": {"Prefix": PENDING_PREFIX},
                    "Expiration": {"Days": PENDING_DAYS},
                    # in a versioned bucket the expiry leaves a noncurrent version: gone a day later, not a month
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                },
                {
                    # copies made by Download my data: the retention sweep deletes each once its link has expired
                    # (icp.workflow.data_export); this deletes what a failed sweep would leave, and the versions a
                    # copy leaves behind, as soon as lifecycle can (whole days: rules.EXPORT_KEEP_DAYS)
                    "ID": "expire-data-exports",
                    "Status": "Enabled",
                    "Filter": {"Prefix": EXPORTS_PREFIX},
                    "Expiration": {"Days": rules.EXPORT_KEEP_DAYS},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": rules.EXPORT_KEEP_DAYS},
                },
                {
                    # a replaced or deleted document can be restored this long (rules.NONCURRENT_VERSION_DAYS says
                    # why), then S3 forgets it; delete markers left with no version behind them go too
                    "ID": "expire-noncurrent-versions",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": rules.NONCURRENT_VERSION_DAYS},
                    "Expiration": {"ExpiredObjectDeleteMarker": True},
                },
            ]
        },
    }


def provision_bucket(settings: Any) -> list[str]:
    """Create the private bucket if absent and bring its access block, encryption, versioning, TLS-only policy,
    CORS and lifecycle up to date."""
    import json

    from botocore.exceptions import ClientError

    from .store.s3 import make_client

    region = getattr(settings, "aws_region", None)
    client = make_client(region, getattr(settings, "s3_endpoint_url", None))
    name = settings.bucket_name
    lines = []
    try:
        client.head_bucket(Bucket=name)
        lines.append(f"bucket {name}: exists")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise  # 403: the name belongs to someone else's account
        kwargs: dict[str, Any] = {"Bucket": name}
        # us-east-1 is the one region S3 refuses as an explicit LocationConstraint.
        if region and region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**kwargs)
        client.get_waiter("bucket_exists").wait(Bucket=name)
        lines.append(f"bucket {name}: created in {region or 'us-east-1'}")

    desired = bucket_settings(settings)
    steps = [
        (
            "public access block",
            lambda: client.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
            lambda: client.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=desired["public_access_block"]
            ),
            desired["public_access_block"],
            "NoSuchPublicAccessBlockConfiguration",
        ),
        (
            "default encryption",
            lambda: client.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"],
            lambda: client.put_bucket_encryption(
                Bucket=name, ServerSideEncryptionConfiguration=desired["encryption"]
            ),
            desired["encryption"],
            "ServerSideEncryptionConfigurationNotFoundError",
        ),
        (
            "versioning",
            lambda: {"Status": client.get_bucket_versioning(Bucket=name).get("Status")},
            lambda: client.put_bucket_versioning(Bucket=name, VersioningConfiguration=desired["versioning"]),
            desired["versioning"],
            "",
        ),
        (
            "TLS-only policy",
            lambda: _our_statement(json.loads(client.get_bucket_policy(Bucket=name)["Policy"])),
            lambda: client.put_bucket_policy(Bucket=name, Policy=json.dumps(_with_our_statement(
                _current_policy(client, name), desired["policy"]))),
            desired["policy"],
            "NoSuchBucketPolicy",
        ),
        (
            "CORS",
            lambda: {"CORSRules": client.get_bucket_cors(Bucket=name)["CORSRules"]},
            lambda: client.put_bucket_cors(Bucket=name, CORSConfiguration=desired["cors"]),
            desired["cors"],
            "NoSuchCORSConfiguration",
        ),
        (
            "lifecycle",
            lambda: {"Rules": client.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]},
            lambda: client.put_bucket_lifecycle_configuration(
                Bucket=name, LifecycleConfiguration=desired["lifecycle"]
            ),
            desired["lifecycle"],
            "NoSuchLifecycleConfiguration",
        ),
    ]
    endpoint = getattr(settings, "s3_endpoint_url", None) or ""
    if endpoint.startswith("http://"):
        # a laptop's moto server speaks plain http and enforces bucket policies: TLS-only would lock the app out
        steps = [step for step in steps if step[0] != "TLS-only policy"]
        lines.append(f"bucket {name}: TLS-only policy left out: the endpoint {endpoint} is plain http")
    for label, get, put, wanted, missing_code in steps:
        try:
            current = get()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != missing_code:
                raise
            current = None
        if current is not None and _contains(current, wanted):
            lines.append(f"bucket {name}: {label} up to date")
        else:
            put()
            lines.append(f"bucket {name}: {label} set")
    return lines


def _our_statement(policy: dict) -> dict:
    """The policy cut to the statement provisioning owns (an operator's other statements are theirs)."""
    mine = [s for s in policy.get("Statement", []) if s.get("Sid") == "RefuseRequestsWithoutTLS"]
    return {**policy, "Statement": mine}


def _current_policy(client: Any, name: str) -> dict | None:
    import json

    from botocore.exceptions import ClientError

    try:
        return json.loads(client.get_bucket_policy(Bucket=name)["Policy"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NoSuchBucketPolicy":
            raise
        return None


def _with_our_statement(current: dict | None, desired: dict) -> dict:
    """The bucket's policy with our TLS statement put in (replacing an older one), the others kept as they are."""
    if not current:
        return desired
    others = [s for s in current.get("Statement", []) if s.get("Sid") != "RefuseRequestsWithoutTLS"]
    return {**current, "Statement": [*others, *desired["Statement"]]}


def _contains(current: Any, wanted: Any) -> bool:
    # S3 echoes configurations back with extra defaults; "already set" means every wanted value is there.
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            k in current and _contains(current[k], v) for k, v in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(_contains(c, w) for c, w in zip(current, wanted))
        )
    return current == wanted
