"""Configuration read from the environment, one switch between the embedded and the AWS backend."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# host names that never leave this machine: the only ones where the aws backend may serve plain http
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ConfigurationError(RuntimeError):
    """The service cannot start with the configuration it was given."""


@dataclass
class Settings:
    """Everything the service needs to know about where it runs; see the README's configuration table."""

    backend: str = "local"
    data_dir: str = str(PROJECT_ROOT / "instance")
    table_name: str = "icp-filing"
    bucket_name: str = "icp-filing-documents"
    # a global region: Zappa 0.63 cannot deploy to the aws-cn partition (zappa/Zappa#891)
    aws_region: str = "ap-southeast-1"
    secret_key: str = ""
    secret_key_parameter: str = ""
    dynamodb_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None
    upload_origins: list[str] = field(default_factory=lambda: ["*"])
    deadline_policy: str = "seed"
    mail_sender: str = "beian@example.com"
    public_url: str = "http://127.0.0.1:5000"
    notify_channel: str = "log"
    # networks the existing-websites check may reach although they are private (tests' local servers only);
    # deliberately not read from the environment, so no deployment can open it
    site_check_allowed_networks: tuple[str, ...] = ()
    # where a domain's registrar and expiry come from: the simulator's records ("simulator") or a public RDAP
    # look-up ("rdap", GET <rdap_url>/domain/<name>; rdap.org redirects to the registry's own server)
    registrar: str = "simulator"
    rdap_url: str = "https://rdap.org"
    # a log-in ends after this long without a request, and this long after it began, whatever happens
    session_idle_minutes: int = 120
    session_absolute_hours: int = 12

    @property
    def is_local(self) -> bool:
        """True when running on the embedded SQLite and folder backend."""
        return self.backend == "local"

    @property
    def served_over_https(self) -> bool:
        """False on the embedded backend, and on the aws backend when site and storage are this machine's.

        `make run-aws` serves http://127.0.0.1 against a moto server there; browsers drop a Secure cookie set
        over plain http, so log-in needs it off. Anything else (a forgotten ICP_PUBLIC_URL, which defaults to
        http://127.0.0.1, included) keeps cookies Secure, so a mistake fails closed.
        """
        if self.is_local:
            return False
        return not (_is_loopback_http(self.public_url) and _is_loopback_http(self.s3_endpoint_url or ""))


def _is_loopback_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


# environment variable -> Settings attribute
ENVIRONMENT = {
    "ICP_BACKEND": "backend",
    "ICP_DATA_DIR": "data_dir",
    "ICP_TABLE": "table_name",
    "ICP_BUCKET": "bucket_name",
    "AWS_REGION": "aws_region",
    "ICP_SECRET_KEY_PARAMETER": "secret_key_parameter",
    "ICP_DYNAMODB_ENDPOINT": "dynamodb_endpoint_url",
    "ICP_S3_ENDPOINT": "s3_endpoint_url",
    "ICP_UPLOAD_ORIGINS": "upload_origins",
    "ICP_DEADLINE_POLICY": "deadline_policy",
    "ICP_MAIL_SENDER": "mail_sender",
    "ICP_PUBLIC_URL": "public_url",
    "ICP_NOTIFY": "notify_channel",
    "ICP_SESSION_IDLE_MINUTES": "session_idle_minutes",
    "ICP_SESSION_ABSOLUTE_HOURS": "session_absolute_hours",
    "ICP_REGISTRAR": "registrar",
    "ICP_RDAP_URL": "rdap_url",
}

# settings given as whole numbers of minutes or hours; anything else refuses to start
WHOLE_NUMBERS = ("session_idle_minutes", "session_absolute_hours")


def from_environment(environ=None, overrides: dict | None = None) -> Settings:
    """Build Settings from environment variables, then apply explicit overrides (tests, create_app(config))."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    for variable, attribute in ENVIRONMENT.items():
        if environ.get(variable):
            values[attribute] = environ[variable]
    if isinstance(values.get("upload_origins"), str):
        values["upload_origins"] = [o.strip() for o in values["upload_origins"].split(",") if o.strip()]
    for name in WHOLE_NUMBERS:
        if isinstance(values.get(name), str):
            try:
                values[name] = int(values[name])
            except ValueError:
                raise ConfigurationError(f"{name} must be a whole number, not {values[name]!r}") from None
    known = {f.name for f in fields(Settings)}
    values.update({k: v for k, v in (overrides or {}).items() if k in known})
    settings = Settings(**values)
    if settings.backend not in ("local", "aws"):
        raise ConfigurationError(f"ICP_BACKEND must be 'local' or 'aws', not {settings.backend!r}")
    if settings.registrar not in ("simulator", "rdap"):
        raise ConfigurationError(f"ICP_REGISTRAR must be 'simulator' or 'rdap', not {settings.registrar!r}")
    for name in WHOLE_NUMBERS:
        if getattr(settings, name) < 1:
            raise ConfigurationError(f"{name} must be at least 1")
    if settings.notify_channel == "log" and settings.backend == "aws" and "notify_channel" not in values:
        settings.notify_channel = "aws"
    return settings
