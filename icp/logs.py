"""What the service's logs may hold: no signed URL, certificate number, phone number or password, on any backend.

Every log record is redacted when it is made (a log-record factory), not by a filter on chosen loggers: a filter
on a logger does not see the records of its child loggers, and werkzeug (the local access log) and Zappa (the
access log on Lambda) log through loggers and handlers of their own. The access log keeps the method, the path,
the status and the size; a query string that carries a signature is dropped whole, because the rest of a
signed query (the key, the expiry) is worthless without it and a partial URL invites guessing.
"""
from __future__ import annotations

import logging
import re

SIGNED_QUERY_REMOVED = "?[signed query removed]"
MASK = "*"

# query parameters that make a URL a bearer credential: S3 presigned URLs (SigV4 and SigV2) and our local store's
_SIGNATURE_PARAMETERS = re.compile(
    r"(?:^|[?&;])(?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|awsaccesskeyid|policy)=",
    re.IGNORECASE)
_QUERY = re.compile(r"\?[^\s\"'<>]*")

# a password given as a form or query value, or as a JSON or Python mapping entry
_PASSWORD_PAIR = re.compile(
    r"((?:current_)?password|passwd|confirm|secret_key)(=|\"?\s*:\s*\"|'?\s*:\s*')([^&\s\"']*)", re.IGNORECASE)

# mainland mobile numbers, with or without +86 and spaces or hyphens in the usual places
_MOBILE = re.compile(r"(?<![\dA-Za-z])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![\dA-Za-z])")
# landlines written with their area code: 010-62345678, 0755 8123 4567
_LANDLINE = re.compile(r"(?<![\dA-Za-z])(0\d{2,3})[ -](\d{3,4})[ -]?(\d{4})(?![\dA-Za-z])")

# certificates (DOMAIN.md §2): resident identity card, unified social credit code, organisation code,
# passports and Hong Kong, Macao and Taiwan permits, foreign permanent residence ID
_CERTIFICATES = [
    re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),
    re.compile(r"(?<![\dA-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![\dA-Za-z])"),
    re.compile(r"(?<![\dA-Za-z])[0-9A-HJ-NPQRTUWXY]{8}-[0-9X](?![\dA-Za-z])"),
    re.compile(r"(?<![\dA-Za-z])[EGDSPH]\d{8}(?![\dA-Za-z])"),
    re.compile(r"(?<![\dA-Za-z])[HMT]\d{8,10}(?![\dA-Za-z])"),
    re.compile(r"(?<![\dA-Za-z])[A-Z]{3}\d{12}(?![\dA-Za-z])"),
]


def _without_signed_query(match: re.Match) -> str:
    query = match.group(0)
    return SIGNED_QUERY_REMOVED if _SIGNATURE_PARAMETERS.search(query) else query


def _mask_certificate(match: re.Match) -> str:
    number = match.group(0)
    # the first two characters (a region or a type) and the last two let a person match a line to an order
    return number[:2] + MASK * (len(number) - 4) + number[-2:]


def redact(text: str) -> str:
    """Return text with signed queries removed and passwords, phone numbers and certificate numbers masked."""
    if not text:
        return text
    text = _QUERY.sub(_without_signed_query, text)
    text = _PASSWORD_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK * 3}", text)
    for pattern in _CERTIFICATES:
        text = pattern.sub(_mask_certificate, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}{MASK * 4}{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-{MASK * 4}{m.group(3)}", text)
    return text


def mask_recipient(address: str) -> str:
    """A message's recipient as a log line may show it: a phone number masked, an e-mail address kept."""
    return redact(address)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a log record in place: its message with its arguments, any traceback and stack."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not carry its arguments into the log unredacted
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Redact every log record of this process from now on (idempotent; create_app calls it)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "icp_redacting", False):
        return

    def redacting_factory(*args, **kwargs):
        return redact_record(previous(*args, **kwargs))

    redacting_factory.icp_redacting = True
    logging.setLogRecordFactory(redacting_factory)
