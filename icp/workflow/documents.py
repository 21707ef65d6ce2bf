"""Step 5, documents: which ones an order needs, the upload form, confirming an upload, removing one.

The browser posts each file straight to object storage under a key we generate (`pending/...`); the
upload only counts once `confirm_upload` has read the stored bytes and moved them under `documents/...`.
"""
from __future__ import annotations

import dataclasses
import re
import secrets
from datetime import datetime

from icp import filing as f
from icp import rules, uploads
from icp.documents import documents_for, missing_documents
from icp.rules import DocumentKind
from icp.store import ABSENT, Conflict, Delete, Put
from icp.uploads import UploadRefused
from icp.workflow.common import load_filing_with_parts, stamp
from icp.workflow.drafting import NotEditable
from icp.rules import _  # the one marker pybabel extracts; translated where shown

# the rules' upload policy in the shape icp.uploads confirms against. The rules accept 500×300 in either
# orientation (long side ≥ 500, short side ≥ 300); icp.uploads checks a fixed width and height, so it gets
# the short side for both and confirm_upload checks the long side afterwards
CONFIRM_POLICY = uploads.UploadPolicy(
    max_bytes=rules.UPLOAD_POLICY.max_bytes,
    content_types=rules.UPLOAD_POLICY.content_types,
    min_width=rules.UPLOAD_POLICY.min_short_side,
    min_height=rules.UPLOAD_POLICY.min_short_side,
    max_width=rules.UPLOAD_POLICY.max_width,
    max_height=rules.UPLOAD_POLICY.max_height,
    refuse_modes=tuple(sorted(rules.UPLOAD_POLICY.greyscale_modes)),
    jpeg_quality=rules.CLEAN_COPY.jpeg_quality,
    jpeg_subsampling=rules.CLEAN_COPY.jpeg_subsampling,
    max_decoded_pixels=rules.CLEAN_COPY.max_decoded_pixels,
)

# what storage's own refusals (S3 error codes, which the local store sends back to the confirmation) mean to the
# person: the file never arrived, so the confirmation explains instead of reading anything
_STORAGE_REFUSALS = {
    "EntityTooSmall": ("empty", _("The file is empty. Choose the file again and upload it.")),
    "EntityTooLarge": ("too_big", _("The file is larger than %(max_size)s MB. Upload a file of %(max_size)s MB "
                                    "or less.")),
    "PolicyExpired": ("expired", _("The upload form had expired. Choose the file and upload it again.")),
}
_STORAGE_REFUSED = _("The upload was refused. Choose the file and upload it again.")

# storage accepts up to twice the policy's limit. A 6 MB photo then lands, and our confirmation refuses it
# with a sentence the person can act on ("The file is 6.0 MB. Upload a file of 5 MB or less."); with the
# exact limit in the signed policy, S3 itself would refuse it with a raw XML error page instead. The cap
# still stops anyone from parking arbitrarily large files in the bucket
STORAGE_CAP_FACTOR = 2

# how long an upload form stays valid: long enough to find a scan on the computer
UPLOAD_FORM_SECONDS = 3600
# how long a "View" link stays valid
DOWNLOAD_SECONDS = 300

_TOKEN = re.compile(r"[0-9a-f]{32}")

# how often a confirmation re-reads the order when someone else changed it meanwhile
_ATTEMPTS = 3
# the order's own list of its documents (kind -> version), written with every change of a document, so a
# confirmation reads the order and the one document it replaces instead of every key a document could have
DOCUMENT_VERSIONS = "document_versions"



FORGED_KEY = _("This upload does not belong to this document. Choose the file and upload it again.")

# the app's icon (rules.APP_ICON_POLICY): small, square, in any colour mode; its clean copy is written as the
# documents' are
ICON_CONFIRM_POLICY = uploads.UploadPolicy(
    max_bytes=rules.APP_ICON_POLICY.max_bytes,
    content_types=rules.APP_ICON_POLICY.content_types,
    min_width=rules.APP_ICON_POLICY.min_side,
    min_height=rules.APP_ICON_POLICY.min_side,
    max_width=rules.UPLOAD_POLICY.max_width,
    max_height=rules.UPLOAD_POLICY.max_height,
    refuse_modes=(),
    jpeg_quality=rules.CLEAN_COPY.jpeg_quality,
    jpeg_subsampling=rules.CLEAN_COPY.jpeg_subsampling,
    max_decoded_pixels=rules.CLEAN_COPY.max_decoded_pixels,
)
ICON_KIND = "app_icon"
NOT_SQUARE = _("The icon is %(width)s × %(height)s pixels. Upload the square icon, as wide as it is tall.")


def document_kind(filing: dict, kind: str) -> DocumentKind | None:
    """This order's DocumentKind for a kind code, or None when the order does not ask for it (now)."""
    if kind == rules.ADMINISTRATOR_PHOTO.code:
        return rules.ADMINISTRATOR_PHOTO if photo_awaited(filing) else None
    return next((k for k in documents_for(filing) if k.code == kind), None)


def may_change(filing: dict, kind: str) -> bool:
    """Whether this document can be uploaded now: the wizard's while the answers are editable, the
    administrator's photo while the order waits for it."""
    if kind == rules.ADMINISTRATOR_PHOTO.code:
        return photo_awaited(filing)
    return filing["status"] in f.EDITABLE


def photo_awaited(filing: dict) -> bool:
    """Whether the order waits for the administrator's photo now: a backdrop photo only once the backdrop is mailed
    (nobody can stand in front of it before), a live photo as soon as our review has passed."""
    from icp.workflow.verification import waiting_for_backdrop

    return filing["status"] == f.PHOTO_PENDING and not waiting_for_backdrop(filing)


def pending_prefix(filing_id: str, kind: str) -> str:
    """Where uploads of one document of one order land before they are confirmed."""
    return f"pending/{filing_id}/{kind}/"


def upload_form(blobs, filing: dict, kind: str, *, redirect_url: str, now: datetime) -> dict:
    """The URL and fields of a form that posts one file for `kind` straight to object storage."""
    if document_kind(filing, kind) is None:
        raise KeyError(kind)
    # the key is ours alone: a random token, never anything from the person's file name
    key = pending_prefix(filing["id"], kind) + secrets.token_hex(16)
    return blobs.presign_upload(
        key,
        max_bytes=STORAGE_CAP_FACTOR * rules.UPLOAD_POLICY.max_bytes,
        content_type_prefix="image/",
        redirect_url=redirect_url,
        now=now,
        expires_in=UPLOAD_FORM_SECONDS,
    )


def _token(filing: dict, kind: str, key: str) -> str:
    """The token of a pending key of this order and document, or UploadRefused (a forged redirect)."""
    prefix = pending_prefix(filing["id"], kind)
    token = key[len(prefix):] if isinstance(key, str) and key.startswith(prefix) else ""
    if not _TOKEN.fullmatch(token):
        raise UploadRefused("forged_key", FORGED_KEY)
    return token


def _confirm(blobs, key: str, kind: str = "") -> uploads.ConfirmedImage:
    """Read the stored upload once and judge it against the upload policy; the result carries the clean copy."""
    if kind == ICON_KIND:
        return _confirm_icon(blobs, key)
    try:
        # one read: up to the policy's limit, and the object's whole size to say how much too big it is
        data, size = blobs.fetch(key, CONFIRM_POLICY.max_bytes)
    except KeyError:
        data, size = b"", None
    # read at each confirmation, so the rules' thresholds are the ones in force
    quality = rules.IMAGE_QUALITY
    checked = kind not in quality.unchecked_kinds
    policy = dataclasses.replace(CONFIRM_POLICY, quality=quality) if checked else CONFIRM_POLICY
    try:
        image = uploads.confirm_image(size, lambda n: data if n is None else data[:n], policy)
    except UploadRefused as refusal:
        if refusal.code == "too_small":  # say the rule as the person reads it, not CONFIRM_POLICY's square
            raise _too_small(refusal.params["width"], refusal.params["height"]) from None
        raise
    if not rules.UPLOAD_POLICY.dimensions_allowed(image.width, image.height):
        raise _too_small(image.width, image.height)
    if image.measures:
        # what the providers reject on sight (blurred, dark, washed out, a grey copy) is refused here, at once
        uploads.check_quality(image.measures, quality, colour=kind in quality.colour_kinds)
    return image


def _confirm_icon(blobs, key: str) -> uploads.ConfirmedImage:
    """The app's icon against its own policy: under the size limit, at least the minimum side, square."""
    try:
        data, size = blobs.fetch(key, ICON_CONFIRM_POLICY.max_bytes)
    except KeyError:
        data, size = b"", None
    image = uploads.confirm_image(size, lambda n: data if n is None else data[:n], ICON_CONFIRM_POLICY)
    if rules.APP_ICON_POLICY.square and image.width != image.height:
        raise UploadRefused("not_square", NOT_SQUARE, width=image.width, height=image.height)
    return image


def _too_small(width: int, height: int) -> UploadRefused:
    return UploadRefused(
        "too_small",
        _("The image is %(width)s × %(height)s pixels. It must be at least %(min_width)s × "
          "%(min_height)s pixels."),
        width=width, height=height,
        min_width=rules.UPLOAD_POLICY.min_long_side, min_height=rules.UPLOAD_POLICY.min_short_side,
    )


def _documents(table, filing: dict) -> dict:
    return {i["kind"]: i for i in table.query(f.filing_partition(filing["id"]), f.DOCUMENT_PREFIX)}


def carries_document_versions(filing: dict) -> bool:
    """True when the order lists its documents (kind -> version), as every order written since it does; a
    confirmation then needs to read only the document it replaces."""
    return isinstance(filing.get(DOCUMENT_VERSIONS), dict)


def _versions_after(filing: dict, documents: dict, kind: str, document: dict | None) -> dict[str, int]:
    """The order's documents by kind and version once `kind` is `document` (None: removed). `documents` must
    hold every document unless the order carries the list already."""
    if carries_document_versions(filing):
        versions = dict(filing[DOCUMENT_VERSIONS])
    else:  # an order written before it carried the list: its documents were read whole
        versions = {code: item["version"] for code, item in documents.items()}
    versions.pop(kind, None)
    if document is not None:
        versions[kind] = document["version"]
    return versions


def _documents_event(filing: dict, versions: dict, action: str, kind: str, *, now: datetime):
    """The engine's record of an upload or a removal: the order's documents step says whether every required
    document is there, the order lists its documents (`versions`, as they will be: kind -> version) and the
    history names the document."""
    from icp.workflow import engine

    complete = not missing_documents(filing, versions)
    return engine.record(filing, action, role="applicant", actor=filing["owner"], now=now, note=kind,
                         fields={"steps": {**filing["steps"], "documents": complete}, DOCUMENT_VERSIONS: versions})


def storage_refusal(code: str) -> UploadRefused:
    """The refusal to show for an upload storage itself refused, by its S3 error code."""
    reason, message = _STORAGE_REFUSALS.get(code, ("refused", _STORAGE_REFUSED))
    return UploadRefused(reason, message, max_size=rules.UPLOAD_POLICY.max_bytes // uploads.MIB)


def confirm_upload(table, blobs, filing: dict, kind: str, key: str, *, now: datetime,
                   documents: dict | None = None, actor: str | None = None, public_url: str = "",
                   storage_error: str | None = None) -> dict:
    """Check an uploaded file and record its clean copy as this order's `kind` document; returns the document.

    Storage is read once (the upload), written once (the clean copy) and the upload deleted once.
    `documents` are the order's documents by kind, when already read (else read here): the one of `kind` is
    enough when the order carries its documents' versions (carries_document_versions), and for the
    administrator's photo (it moves the order on to our photo review, not the documents step).
    `storage_error` is the error code storage refused the upload with (nothing was stored then).
    Raises UploadRefused (the stored object is deleted, except for a key that is not this document's),
    NotEditable (submitted order; the upload is deleted) or Conflict (the order kept changing).
    """
    if document_kind(filing, kind) is None:
        raise KeyError(kind)
    token = _token(filing, kind, key)
    if not may_change(filing, kind):
        blobs.delete(key)
        raise NotEditable(filing["id"])
    if documents is None or (not carries_document_versions(filing) and kind != rules.ADMINISTRATOR_PHOTO.code):
        documents = _documents(table, filing)
    current = documents.get(kind)
    if current and current["key"].startswith(f"documents/{filing['id']}/{kind}/{token}."):
        # this very upload was confirmed already (the confirm page opened twice); the token is random and
        # used once, so anything posted to its form again is not a new document
        blobs.delete(key)
        return current
    if storage_error:
        blobs.delete(key)  # nothing should be there; a hand-edited address must not leave an upload behind
        raise storage_refusal(storage_error)
    try:
        image = _confirm(blobs, key, kind)
    except UploadRefused:
        blobs.delete(key)
        raise
    target = f"documents/{filing['id']}/{kind}/{token}.{image.extension}"
    # the clean copy, never the bytes the browser sent, is what reviewers and the administration open
    blobs.put(target, image.clean, image.content_type)
    blobs.delete(key)

    def record(filing: dict, documents: dict) -> tuple[dict, dict | None]:
        previous = documents.get(kind)
        document = {
            "pk": f.document_key(filing["id"], kind)[0], "sk": f.document_key(filing["id"], kind)[1],
            "kind": kind, "key": target, "content_type": image.content_type, "size": len(image.clean),
            "width": image.width, "height": image.height, "uploaded_at": stamp(now),
            "version": previous["version"] + 1 if previous else 1,
        }
        stored = Put(document, expect_version=previous["version"] if previous else ABSENT)
        if kind == rules.ADMINISTRATOR_PHOTO.code:
            # the photo moves the order on to our photo review, in the same write
            from icp.workflow import engine

            # an order written before it listed its documents keeps not listing them (only the photo was read)
            listed = {DOCUMENT_VERSIONS: _versions_after(filing, documents, kind, document)} \
                if carries_document_versions(filing) else {}
            change = engine.transition(table, filing, "upload_photo", role="applicant",
                                       actor=actor or filing["owner"], now=now, note=kind,
                                       fields={"phone_link": None, **listed}, public_url=public_url,
                                       params={"review_workdays": f.policy_of(filing)["photo_review_workdays"]})
            table.write([stored, *change.ops])
            return document, previous
        change = _documents_event(filing, _versions_after(filing, documents, kind, document), "upload_document",
                                  kind, now=now)
        table.write([stored, *change.ops])
        return document, previous

    try:
        document, previous = _write_merging(table, filing, documents, record, kind)
    except (Conflict, NotEditable):
        blobs.delete(target)
        raise
    if previous and previous["key"] != target:
        # only once the new document is recorded does the old file go
        blobs.delete(previous["key"])
    return document


def remove_document(table, blobs, filing: dict, kind: str, *, now: datetime,
                    documents: dict | None = None) -> dict:
    """Remove this order's `kind` document (one write with the order and its history); returns the order."""
    if filing["status"] not in f.EDITABLE:
        raise NotEditable(filing["id"])
    documents = _documents(table, filing) if documents is None else documents

    def drop(filing: dict, documents: dict) -> tuple[dict, dict | None]:
        document = documents.get(kind)
        if document is None:
            return filing, None  # already gone (the button pressed twice)
        change = _documents_event(filing, _versions_after(filing, documents, kind, None), "remove_document",
                                  kind, now=now)
        table.write([Delete(document["pk"], document["sk"], expect_version=document["version"]), *change.ops])
        return change.filing, document

    updated, removed = _write_merging(table, filing, documents, drop, kind)
    if removed:
        blobs.delete(removed["key"])
    return updated


def _write_merging(table, filing: dict, documents: dict, write, kind: str):
    """Run write(filing, documents); when someone changed the order meanwhile, read it again and retry."""
    for attempt in range(_ATTEMPTS):
        if not may_change(filing, kind):
            raise NotEditable(filing["id"])
        try:
            return write(filing, documents)
        except Conflict:
            if attempt == _ATTEMPTS - 1:
                raise
            # another step or document was saved in another window: the change still applies on top of it
            filing, documents, _events = load_filing_with_parts(table, filing["id"])
    raise AssertionError("unreachable")


def document_download_url(blobs, document: dict, now: datetime) -> str:
    """A short-lived link that shows the document (served with the type its content was confirmed as)."""
    return blobs.download_url(document["key"], now=now, expires_in=DOWNLOAD_SECONDS,
                              content_type=document["content_type"])
