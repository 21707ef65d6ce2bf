"""What moto 5.2.5 does not do as AWS does, patched for the tests that need it (and only in tests).

moto applies a bucket policy's statements without reading their conditions (its own docstring of
`put_bucket_policy`: "Conditions are not taken into account"), so the bucket's `RefuseRequestsWithoutTLS` statement
(icp.provision.tls_only_policy: Deny s3:* when aws:SecureTransport is false) denies every request moto checks
against the policy, e.g. deleting an object's version. boto3 reaches in-process moto over https, where S3 would
not apply that statement: the patch leaves out statements conditioned on aws:SecureTransport "false".
"""
from __future__ import annotations

import json

import pytest


@pytest.fixture
def moto_reads_secure_transport(monkeypatch):
    """moto's bucket policy check, without the statements that apply only to requests made without TLS."""
    from moto.s3.models import FakeBucket

    original = FakeBucket.get_permission

    def get_permission(self, action, resource):
        if self.policy is None:
            return original(self, action, resource)
        policy = json.loads(self.policy.decode())
        kept = [s for s in policy.get("Statement", [])
                if (s.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport") != "false"]
        saved, self.policy = self.policy, json.dumps({**policy, "Statement": kept}).encode()
        try:
            return original(self, action, resource)
        finally:
            self.policy = saved

    monkeypatch.setattr(FakeBucket, "get_permission", get_permission)
