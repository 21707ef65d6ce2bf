"""S3-style POST policy documents: build, sign and check them (the local backend's stand-in for S3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from . import UploadRefused

# S3's own format for a policy's expiration.
EXPIRATION_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# Form fields a policy need not mention (as in S3, where x-amz-signature, policy, file and x-ignore-* are exempt).
_EXEMPT_FIELDS = {"policy", "signature", "file"}


def default_content_type(prefix: str) -> str:
    """Return the Content-Type the upload form carries by default for a content-type prefix."""
    # A form without JavaScript cannot set the type from the chosen file; the app sniffs content afterwards.
    return prefix + "jpeg" if prefix == "image/" else prefix


def upload_conditions(*, bucket: str, key: str, max_bytes: int, content_type_prefix: str, redirect_url: str) -> list:
    """Return the conditions both backends put in an upload policy."""
    return [
        {"bucket": bucket},
        {"key": key},
        ["starts-with", "$Content-Type", content_type_prefix],
        ["content-length-range", 1, max_bytes],
        {"success_action_redirect": redirect_url},
    ]


def encode_policy(conditions: list, *, now: datetime, expires_in: int) -> str:
    """Return the base64 JSON policy document expiring expires_in seconds after now."""
    expiration = (now.astimezone(timezone.utc) + timedelta(seconds=expires_in)).strftime(EXPIRATION_FORMAT)
    document = {"expiration": expiration, "conditions": conditions}
    return base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode("ascii")


def decode_policy(fields: Mapping[str, str]) -> dict:
    """Return the policy document carried by an upload form's `policy` field (S3 or local)."""
    try:
        return json.loads(base64.b64decode(fields["policy"], validate=True))
    except (KeyError, ValueError) as error:
        raise UploadRefused("the upload form carries no readable policy") from error


def sign(secret_key: bytes | str, purpose: str, message: str) -> str:
    """Return the hex HMAC-SHA256 of message under a key derived from secret_key for one purpose."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    # Derive a key per purpose, so an upload signature can never pass as a download signature (or a session).
    derived = hmac.new(secret, b"icp.store.localfs:" + purpose.encode(), hashlib.sha256).digest()
    return hmac.new(derived, message.encode(), hashlib.sha256).hexdigest()


def check_policy(fields: Mapping[str, str], document: dict, *, bucket: str, now: datetime) -> tuple[int, int]:
    """Check a policy's expiry and field conditions against the form; return its (min, max) content length."""
    try:
        expiration = datetime.strptime(document["expiration"], EXPIRATION_FORMAT).replace(tzinfo=timezone.utc)
        conditions = list(document["conditions"])
    except (KeyError, TypeError, ValueError) as error:
        raise UploadRefused("the upload policy is malformed") from error
    if now >= expiration:
        raise UploadRefused("the upload form has expired; open the page again", "PolicyExpired")

    # S3 compares form field names case-insensitively.
    form = {name.lower(): value for name, value in fields.items()}
    form["bucket"] = bucket
    covered: set[str] = {"bucket"}
    length_range: tuple[int, int] | None = None
    for condition in conditions:
        if isinstance(condition, dict) and len(condition) == 1:
            ((name, expected),) = condition.items()
            covered.add(name.lower())
            _require(form, name, lambda value: value == expected, "must be exactly as issued")
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
            length_range = (int(condition[1]), int(condition[2]))
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with"):
            op, name, expected = condition
            name = str(name).lstrip("$")
            covered.add(name.lower())
            if op == "eq":
                _require(form, name, lambda value: value == expected, "must be exactly as issued")
            else:
                _require(form, name, lambda value: value.startswith(expected), f"must start with {expected!r}")
        else:
            raise UploadRefused(f"the upload policy has an unknown condition {condition!r}")

    # As in S3, a field the policy does not mention is refused, so nothing can be smuggled in.
    for name in form:
        if name not in covered and name not in _EXEMPT_FIELDS and not name.startswith("x-ignore-"):
            raise UploadRefused(f"the form field {name!r} is not allowed by the upload policy")
    if length_range is None:
        raise UploadRefused("the upload policy sets no size limit")
    return length_range


def _require(form: Mapping[str, str], name: str, test: Any, wanted: str) -> None:
    value = form.get(name.lower())
    if value is None:
        raise UploadRefused(f"the form field {name!r} is missing")
    if not test(value):
        raise UploadRefused(f"the form field {name!r} {wanted}")
