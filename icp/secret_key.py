"""The session signing key: SSM Parameter Store outside local, a file kept in the data folder locally."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from icp.settings import ConfigurationError, Settings


def start_loading_secret_key(settings: Settings):
    """Start reading the session signing key and return a function that waits for it (and raises its error).

    Outside local the read is a round trip to SSM (TCP and TLS set-up included), so it runs in a thread
    while the app goes on importing its views; locally it is a file read, done at once.
    """
    if settings.secret_key or settings.is_local:
        key = load_secret_key(settings)
        return lambda: key
    if not settings.secret_key_parameter:
        load_secret_key(settings)  # raises the ConfigurationError that names the missing variable
    import threading

    outcome: dict = {}

    def read() -> None:
        try:
            outcome["key"] = load_secret_key(settings)
        except BaseException as error:  # handed to the caller of result(), in its own thread
            outcome["error"] = error

    reader = threading.Thread(target=read, name="secret-key", daemon=True)
    reader.start()

    def result() -> str:
        reader.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["key"]

    return result


def load_secret_key(settings: Settings) -> str:
    """Return the session signing key: SSM Parameter Store outside local, a file kept in the data folder locally."""
    if settings.secret_key:
        return settings.secret_key
    if settings.is_local:
        path = Path(settings.data_dir) / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # written once with owner-only permissions, so restarts keep users logged in
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip()
    if not settings.secret_key_parameter:
        raise ConfigurationError(
            "ICP_SECRET_KEY_PARAMETER is not set: name the SSM parameter (SecureString) that holds the secret key"
        )
    from icp.store.boto import boto_client  # boto3 loads only outside local, so local start-up does not pay for it

    # the process's one boto3 session: the table's and the bucket's clients reuse what it has loaded
    client = boto_client("ssm", region=settings.aws_region)
    try:
        answer = client.get_parameter(Name=settings.secret_key_parameter, WithDecryption=True)
    except client.exceptions.ParameterNotFound as error:
        raise ConfigurationError(f"SSM parameter {settings.secret_key_parameter} does not exist") from error
    value = answer["Parameter"]["Value"]
    if len(value) < 32:
        raise ConfigurationError("the secret key parameter must hold at least 32 characters")
    return value
