"""The embedded backend's stand-in for S3: presigned uploads and downloads, checked exactly like S3 would."""
from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request

from icp.store import UploadRefused
from views import blobs, now
from views.extensions import csrf

bp = Blueprint("local_storage", __name__)


def _posted_file():
    """The one file part of the form, named `file` in any case (S3 reads names case-insensitively)."""
    files = list(request.files.items(multi=True))
    if len(files) != 1 or (files[0][0] or "").lower() != "file":
        raise UploadRefused("the form must carry exactly one file, in a field named file")
    return files[0][1]


@bp.post("/local-upload")
@csrf.exempt  # like S3, the signed policy (not a session token) is what authorises this post
def upload():
    """Accept a file posted with a signed policy and redirect as S3's success_action_redirect does.

    A refusal of a form we signed goes back to the confirmation with the error code, which explains it on the
    document's page; any other refusal (a forged or broken form) is a 400 page with a way back.
    """
    try:
        location = blobs().accept_upload(request.form, _posted_file().stream, now=now())
    except UploadRefused as refusal:
        if refusal.location:
            return redirect(refusal.location, code=303)
        return render_template("local_storage/refused.html", reason=refusal.reason), 400
    return redirect(location, code=303)


@bp.get("/local-download/<path:key>")
def download(key: str):
    """Serve a stored file to whoever holds an unexpired signed link, like an S3 presigned GET."""
    store = blobs()
    if not store.verify_download(key, request.args, now()):
        abort(403)
    try:
        data = store.read(key)
    except (KeyError, ValueError):
        abort(404)
    response = Response(data, headers=store.download_headers(request.args))
    response.headers["Cache-Control"] = "private, no-store"
    return response
