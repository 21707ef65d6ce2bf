"""The app filing's release APK: a form that posts it straight to object storage, and reading its facts.

The applicant uploads the release APK so that the package name, public key and signature MD5 are read, not
typed (DOMAIN.md §13). As with documents, the browser posts the file to object storage under a key we generate
(`pending/<filing>/apk/<token>`); the server then reads only the few parts it needs with ranged reads
(icp.apk), shows the facts for the applicant to confirm, and deletes the APK whatever the outcome: it is
needed for nothing else, and an app's code is not ours to keep.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from icp import rules
from icp.rules import _  # the one marker pybabel extracts; translated where shown
from icp.uploads import UploadRefused

if TYPE_CHECKING:  # icp.apk loads its parsers' modules; it is imported where an APK is read, not at start-up
    from icp.apk import ApkFacts

# how long the upload form stays valid: an APK of a gigabyte takes a while on a slow line
UPLOAD_FORM_SECONDS = 3600

_TOKEN = re.compile(r"[0-9a-f]{32}")

MISSING = _("The APK did not arrive. Choose the file and upload it again.")
TOO_BIG = _("The file is larger than %(max_size)s MB. Upload the release APK, which is smaller.")
FORGED_KEY = _("This upload does not belong to this app. Choose the file and upload it again.")


def pending_prefix(filing_id: str) -> str:
    """Where an order's APK uploads land until they are read."""
    return f"pending/{filing_id}/apk/"


def upload_form(blobs, filing_id: str, *, redirect_url: str, now: datetime) -> dict:
    """The URL and fields of a form that posts one APK straight to object storage."""
    # the key is ours alone: a random token, never anything from the person's file name
    key = pending_prefix(filing_id) + secrets.token_hex(16)
    return blobs.presign_upload(
        key,
        max_bytes=rules.APK_POLICY.max_bytes,
        content_type_prefix=rules.APK_POLICY.content_type_prefix,
        redirect_url=redirect_url,
        now=now,
        expires_in=UPLOAD_FORM_SECONDS,
    )


def belongs(filing_id: str, key: str) -> bool:
    """Whether key is an APK upload key of this order (a redirect's key comes from the browser)."""
    prefix = pending_prefix(filing_id)
    return isinstance(key, str) and key.startswith(prefix) and bool(_TOKEN.fullmatch(key[len(prefix):]))


def read_release_apk(blobs, key: str, *, allow_debug: bool = False) -> ApkFacts:
    """Read the uploaded APK's facts with ranged reads, then delete it (also when it is refused).

    Raises UploadRefused (icp.apk.ApkRefused for what the APK itself is) with an instruction for the applicant.
    """
    from icp.apk import read_apk

    try:
        size = blobs.size(key)
        if not size:
            raise UploadRefused("missing", MISSING)
        if size > rules.APK_POLICY.max_bytes:
            raise UploadRefused("too_big", TOO_BIG, max_size=rules.APK_POLICY.max_bytes // (1024 * 1024))
        return read_apk(lambda start, length: blobs.read_range(key, start, length), size, allow_debug=allow_debug)
    except KeyError:
        raise UploadRefused("missing", MISSING) from None  # gone while it was read (deleted in another window)
    finally:
        blobs.delete(key)


def record_facts(table, filing: dict, facts: ApkFacts, *, now: datetime) -> dict:
    """Keep the facts read from the APK on the order (one conditional write with its history event) for the app
    step to offer; the applicant confirms them by saving the step. Raises Conflict when the order moved on."""
    from icp.workflow import engine

    kept = {"package": facts.package, "public_key": facts.public_key.upper(), "fingerprint": facts.md5,
            "algorithm": facts.public_key_algorithm, "subject": facts.subject, "schemes": list(facts.schemes),
            "read_at": now.isoformat(timespec="seconds")}
    change = engine.record(filing, "read_apk", role="applicant", actor=filing["owner"], now=now,
                           note=facts.package, fields={"apk_facts": kept})
    table.write(change.ops)
    return change.filing
