"""Settings and moto helpers for the storage tests (import the fixtures you use into the test module)."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
import requests


@dataclass
class StoreSettings:
    """The attributes of icp.settings the store and provision read; tests build one per backend."""

    backend: str = "local"
    data_dir: str = ""
    table_name: str = "icp-test"
    bucket_name: str = "icp-test-documents"
    aws_region: str = "eu-west-1"
    secret_key: bytes = b"test-secret-key"
    dynamodb_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None
    upload_origins: list[str] = field(default_factory=lambda: ["http://localhost:5000"])


def local_settings(tmp_path: Path, **overrides) -> StoreSettings:
    """Return settings for the local backend rooted in tmp_path."""
    return replace(StoreSettings(backend="local", data_dir=str(tmp_path / "data")), **overrides)


def aws_settings(tmp_path: Path, endpoint_url: str | None = None, **overrides) -> StoreSettings:
    """Return settings for the aws backend, optionally pointed at a moto server."""
    return replace(
        StoreSettings(
            backend="aws",
            data_dir=str(tmp_path / "data"),
            dynamodb_endpoint_url=endpoint_url,
            s3_endpoint_url=endpoint_url,
        ),
        **overrides,
    )


# Fake credentials and no profile: nothing in these tests may ever reach a real AWS account.
AWS_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}


@pytest.fixture
def aws_credentials(monkeypatch):
    """Point boto3 at fake credentials for one test."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(name, value)


class MotoServer:
    """A moto server on 127.0.0.1 (free port) in this process, reset between tests."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        # Port 0: the OS picks a free port, with no race between finding and binding it.
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def reset(self) -> None:
        """Forget every table, bucket and object."""
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        """Shut the server down."""
        self._server.stop()


@pytest.fixture(scope="session")
def moto_server():
    """One moto server for the session (tests that use it also take aws_credentials)."""
    server = MotoServer()
    try:
        yield server
    finally:
        server.stop()


_moto_write_lock = threading.RLock()


@pytest.fixture
def atomic_moto(monkeypatch):
    """Make moto's DynamoDB writes atomic, as DynamoDB's are.

    moto checks a transaction's conditions and applies it (or restores a deep copy of the table) without
    a lock, so concurrent requests to the moto server can interleave, and a cancelled transaction can
    even roll back another one's committed write. Real DynamoDB serializes them. The concurrency tests
    are about our adapter against an atomic store, so serialize moto's writes here.
    """
    from moto.dynamodb.models import DynamoDBBackend

    for name in ("transact_write_items", "update_item", "put_item", "delete_item"):
        original = getattr(DynamoDBBackend, name)

        @functools.wraps(original)
        def locked(self, *args, _original=original, **kwargs):
            with _moto_write_lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


@pytest.fixture(params=["sqlite", "dynamodb"])
def table(request, tmp_path):
    """A fresh, empty Table of each backend (the dynamodb one on the moto server)."""
    from icp.provision import provision_table
    from icp.store import open_table

    if request.param == "sqlite":
        return open_table(local_settings(tmp_path))
    request.getfixturevalue("aws_credentials")
    server = request.getfixturevalue("moto_server")
    request.getfixturevalue("atomic_moto")
    server.reset()
    settings = aws_settings(tmp_path, server.url)
    provision_table(settings)
    return open_table(settings)
