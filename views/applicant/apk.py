"""An app's release APK: the page whose form posts it straight to storage, and where storage sends the browser
back, which reads the Android facts (icp.workflow.apk) and offers them on the app step to confirm."""
from __future__ import annotations

from urllib.parse import urljoin

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext

from icp import rules
from icp.order_types import order_type_of
from icp.store import Conflict
from views import blobs, now, table
from views.applicant.blueprint import bp
from views.applicant.wizard import guard_step, owned_filing, step_indicator, step_url
from views.auth import role_required
from views.lazy import lazy_module

uploads = lazy_module("icp.uploads")  # with the first APK read (views/lazy.py)

# the session key of a refused APK's message, shown once on the APK page
REFUSAL = "apk_refusal"


def _app_order(filing_id: str) -> tuple[dict, object]:
    """The applicant's app order, and a redirect when its app step cannot be shown now (else None)."""
    filing = owned_filing(filing_id)
    if order_type_of(filing).code != "app":
        abort(404)
    return filing, guard_step(filing, "app")


@bp.get("/<filing_id>/app/apk")
@role_required("applicant")
def apk(filing_id):
    """Choose the release APK: its package name, public key and signature MD5 are read from it, not typed."""
    from icp.workflow import apk as apk_upload

    filing, stop = _app_order(filing_id)
    if stop is not None:
        return stop
    post = apk_upload.upload_form(blobs(), filing_id, now=now(),
                                  redirect_url=url_for("filings.apk_read", filing_id=filing_id, _external=True))
    refusal = session.pop(REFUSAL, None)
    error = gettext(refusal["message"], **refusal["params"]) if refusal and refusal["filing"] == filing_id else None
    return render_template("filings/apk.html", filing=filing, upload_url=urljoin(request.url_root, post["url"]),
                           fields=post["fields"], error=error, policy=rules.APK_POLICY,
                           max_megabytes=rules.APK_POLICY.max_bytes // (1024 * 1024),
                           indicator=step_indicator(filing, "app"), back=step_url(filing, "app") + "#android")


@bp.get("/<filing_id>/app/apk/read")
@role_required("applicant")
def apk_read(filing_id):
    """Where storage sends the browser after the APK upload: read its facts with ranged reads, delete it, keep the
    facts on the order and go back to the app step to confirm them (or back to the APK page with the reason)."""
    from icp.workflow import apk as apk_upload

    filing, stop = _app_order(filing_id)
    if stop is not None:
        return stop
    key = request.args.get("key", "")
    if request.args.get("error") or not apk_upload.belongs(filing_id, key):
        message = apk_upload.MISSING if request.args.get("error") else apk_upload.FORGED_KEY
        session[REFUSAL] = {"filing": filing_id, "message": message, "params": {}}
        return redirect(url_for("filings.apk", filing_id=filing_id))
    try:
        facts = apk_upload.read_release_apk(blobs(), key)
        apk_upload.record_facts(table(), filing, facts, now=now())
    except uploads.UploadRefused as refusal:
        session[REFUSAL] = {"filing": filing_id, "message": refusal.message, "params": refusal.params}
        return redirect(url_for("filings.apk", filing_id=filing_id))
    except Conflict:
        flash(gettext("This order was changed in another window. Upload the APK again."), "warning")
        return redirect(url_for("filings.apk", filing_id=filing_id))
    flash(gettext("We read %(package)s from your APK and deleted the file. Check the Android details below, then "
                  "save.", package=facts.package), "success")
    return redirect(step_url(filing, "app") + "#android")
