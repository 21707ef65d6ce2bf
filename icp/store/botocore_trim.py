"""The trimmed copy of botocore's data that the app's boto3 session reads instead of botocore's 28 MB.

botocore looks up a service by listing all of its ~450 service folders (twice per client), parses the
1.2 MB `endpoints.json`, and builds a Python method for each of a service's operations (DynamoDB has 57,
S3 over 100): ~65 ms for the first client and ~45 ms for each next one, at every cold start. The app calls
42 operations of five services (and botocore's credential providers four more services), so
`icp/store/botocore_data` holds only those, copied from the installed botocore by this module
(`python -m icp.store.botocore_trim` after upgrading botocore; tests/test_botocore_data.py fails until it
is run):

- per service, its model with the operations below and the shapes they reach (documentation dropped), its
  endpoint rule set, and the waiters provisioning uses;
- `endpoints.json` with every partition and region but only these services; `partitions.json`, `_retry.json`
  and `sdk-default-configuration.json` as they are.

Nothing is changed, only left out: a client of these services resolves the same endpoints, signs the same
way and raises the same errors as a stock one (tests/test_botocore_data.py compares them).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# where the trimmed data lives (the only data path of the app's session: icp.store.boto.boto_session)
BOTOCORE_DATA = Path(__file__).resolve().parent / "botocore_data"

# service -> (the operations the app and its provisioning call, the waiters provisioning uses)
SERVICES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dynamodb": (("BatchGetItem", "CreateTable", "DeleteItem", "DescribeContinuousBackups", "DescribeTable",
                  "DescribeTimeToLive", "GetItem",
                  "PutItem", "Query", "TransactWriteItems", "UpdateContinuousBackups", "UpdateItem", "UpdateTable",
                  "UpdateTimeToLive"),
                 ("TableExists",)),
    # generate_presigned_post calls no operation; generate_presigned_url("get_object") signs GetObject
    # ListObjectVersions and DeleteObjects: the retention sweep deletes every version of an order's documents
    # CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload: Download my data's copy is
    # written in parts (S3Blobs.put_stream)
    "s3": (("AbortMultipartUpload", "CompleteMultipartUpload", "CopyObject", "CreateBucket", "CreateMultipartUpload",
            "DeleteObject", "DeleteObjects", "GetBucketCors", "GetBucketEncryption",
            "GetBucketLifecycleConfiguration", "GetBucketPolicy", "GetBucketVersioning", "GetObject",
            "GetPublicAccessBlock", "HeadBucket", "HeadObject", "ListObjectVersions", "PutBucketCors",
            "PutBucketEncryption", "PutBucketLifecycleConfiguration", "PutBucketPolicy", "PutBucketVersioning",
            "PutObject", "PutPublicAccessBlock", "UploadPart"),
           ("BucketExists",)),
    "ses": (("SendEmail",), ()),
    "sns": (("Publish",), ()),
    "ssm": (("GetParameter",), ()),
    # not called by the app: botocore's credential providers call these when the credentials come from an
    # assumed role, a web identity, AWS SSO or `aws login` (an operator provisioning from a laptop); on
    # Lambda the function's role credentials come from the environment
    "sts": (("AssumeRole", "AssumeRoleWithWebIdentity"), ()),
    "sso": (("GetRoleCredentials",), ()),
    "sso-oidc": (("CreateToken",), ()),
    "signin": (("CreateOAuth2Token",), ()),
}

# copied whole: the partitions and their regions, the retry rules, the defaults modes
COPIED = ("partitions", "_retry", "sdk-default-configuration")


def _reachable(shapes: dict, names: list[str]) -> set[str]:
    """Every shape name reachable from `names` (members, list members, map keys and values)."""
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        refs = [*shape.get("members", {}).values(), shape.get("member"), shape.get("key"), shape.get("value")]
        stack += [ref["shape"] for ref in refs if ref]
    return seen


def _undocumented(value):
    if isinstance(value, dict):
        return {k: _undocumented(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [_undocumented(v) for v in value]
    return value


def trimmed_model(full: dict, operations: tuple[str, ...]) -> dict:
    """A service model (extras merged) with only `operations` and the shapes they reach, without documentation."""
    ops = {name: full["operations"][name] for name in operations}
    roots = [ref["shape"] for op in ops.values()
             for ref in (op.get("input"), op.get("output"), *op.get("errors", [])) if ref]
    shapes = {name: full["shapes"][name] for name in sorted(_reachable(full["shapes"], roots))}
    return _undocumented({"version": full.get("version", "2.0"), "metadata": full["metadata"],
                          "operations": ops, "shapes": shapes})


def trimmed_files() -> dict[str, Any]:
    """Every file of the trimmed data, by path relative to BOTOCORE_DATA, read from the installed botocore."""
    from botocore.loaders import Loader

    stock = Loader()  # botocore's own data only
    files: dict[str, Any] = {}
    prefixes = set()
    for service, (operations, waiters) in SERVICES.items():
        full = stock.load_service_model(service, "service-2")
        version = full["metadata"]["apiVersion"]
        prefixes.add(full["metadata"]["endpointPrefix"])
        files[f"{service}/{version}/service-2.json"] = trimmed_model(full, operations)
        files[f"{service}/{version}/endpoint-rule-set-1.json"] = stock.load_service_model(
            service, "endpoint-rule-set-1", version)
        if waiters:
            every = stock.load_service_model(service, "waiters-2", version)
            files[f"{service}/{version}/waiters-2.json"] = {
                **every, "waiters": {name: every["waiters"][name] for name in waiters}}
    endpoints = stock.load_data("endpoints")
    files["endpoints.json"] = {**endpoints, "partitions": [
        {**partition, "services": {k: v for k, v in partition["services"].items() if k in prefixes}}
        for partition in endpoints["partitions"]]}
    for name in COPIED:
        files[f"{name}.json"] = stock.load_data(name)
    return files


def main() -> int:
    """Write the trimmed data from the installed botocore, replacing what was there."""
    import shutil

    if BOTOCORE_DATA.exists():
        shutil.rmtree(BOTOCORE_DATA)
    for relative, content in trimmed_files().items():
        path = BOTOCORE_DATA / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {relative} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
