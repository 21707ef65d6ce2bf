"""After our review: the backdrop application, the administrator's photo (from the computer or through the
signed phone link), and the MIIT SMS codes. Registered on the applicant's `filings` blueprint, except the
phone page, which the administrator opens without an account (its signed link is the credential)."""
from __future__ import annotations

from urllib.parse import urljoin

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from icp import filing as f
from icp import rules
from icp.store import Conflict
from icp.rules import _  # marks a message kept in the session; translated where shown
from icp.workflow import filing_and_document_keys
from views import blobs, day, now, reads_ahead, settings, table, when
from views.applicant.blueprint import bp
from views.applicant.filings import render_status
from views.applicant.wizard import owned_filing, owned_filing_with_documents
from views.auth import role_required
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
verification_forms = lazy_module("forms.verification")

# the photo's checks (Pillow), the SMS codes and the verification use cases load with the first page that uses them
uploads = lazy_module("icp.uploads")
pipeline = lazy_module("icp.workflow.documents")
sms = lazy_module("icp.workflow.sms")
verification = lazy_module("icp.workflow.verification")

# the phone page: no log-in, the link's token is checked on every request
phone_bp = Blueprint("phone", __name__, url_prefix="/verify")

PHOTO = rules.ADMINISTRATOR_PHOTO.code
REFUSAL = "photo_refusal"
CHANGED = "This order was changed meanwhile. Here is where it stands now."
NO_PHOTO = _("No photo arrived. Press “Take the photo”, take it, then press “Send the photo”.")


def _status(filing_id: str):
    return redirect(url_for("filings.status", filing_id=filing_id))


def _photo_form(filing: dict, confirm_url: str) -> dict:
    """The presigned form that posts the photo straight to storage, and what the page says about it."""
    post = pipeline.upload_form(blobs(), filing, PHOTO, now=now(), redirect_url=confirm_url)
    refusal = session.pop(REFUSAL, None)
    error = gettext(refusal["message"], **refusal["params"]) if refusal and refusal["filing"] == filing["id"] else None
    return {"upload_url": urljoin(request.url_root, post["url"]), "fields": post["fields"], "error": error,
            "photo_rules": verification.photo_rules(filing), "policy": rules.UPLOAD_POLICY,
            "max_megabytes": rules.UPLOAD_POLICY.max_bytes // (1024 * 1024)}


def _confirm(filing: dict, *, actor: str, documents: dict | None = None, phone: bool = False):
    """Confirm the photo storage redirected back with; returns a refusal message id or None when accepted.
    `documents`: the order's photo document if it has one, by kind, when already read (else read here)."""
    if pipeline.document_kind(filing, PHOTO) is None:
        return "changed"  # no photo is asked for now (already reviewed, or a confirm link opened out of turn)
    try:
        pipeline.confirm_upload(table(), blobs(), filing, PHOTO, request.args.get("key", ""), now=now(),
                                documents=documents, actor=actor, public_url=settings().public_url,
                                storage_error=request.args.get("error"))
    except uploads.UploadRefused as refusal:
        message = refusal.message
        if phone and refusal.code in ("empty", "missing"):
            message = NO_PHOTO  # the send button was pressed before the camera was used
        session[REFUSAL] = {"filing": filing["id"], "message": message, "params": refusal.params}
        return "refused"
    except (pipeline.NotEditable, Conflict, f.TransitionNotAllowed):
        return "changed"
    return None


@bp.route("/<filing_id>/backdrop", methods=["GET", "POST"])
@role_required("applicant")
def backdrop(filing_id: str):
    """Apply for the backdrop: we mail it to a mainland address."""
    filing = owned_filing(filing_id)
    if "apply_backdrop" not in f.allowed_actions(filing, "applicant"):
        return _status(filing_id)
    # a first application starts from the order's answers (step 3 said the backdrop goes to the mailing address)
    saved = filing.get("backdrop") or verification.backdrop_defaults(filing)
    form = verification_forms.BackdropForm(data=saved if request.method == "GET" else None)
    conflicts = ()
    if form.is_stale(filing["version"]):
        # opened before the order last changed: keep what was saved meanwhile unless this page changed it too
        conflicts = form.catch_up(filing["version"], verification_forms.BackdropForm(formdata=None, data=saved))
    if form.validate_on_submit() and not conflicts:
        try:
            applied = verification.apply_for_backdrop(table(), filing, recipient=form.recipient.data,
                                                      address=form.address.data, phone=form.phone.data,
                                                      actor=current_user.email, now=now())
        except Conflict:
            flash(gettext(CHANGED), "warning")
        else:
            from icp.order import Order
            from views.text import role

            # when the backdrop should arrive and what comes then (issue 16, defect 12)
            order = Order(applied)
            flash(gettext("We mail the backdrop, usually by %(mailed_on)s, and tell you its tracking number. It "
                          "usually arrives by %(arrives_on)s: then photograph the %(role)s in front of it and upload "
                          "the photo.", mailed_on=day(order.expected_on()), arrives_on=day(order.backdrop_arrives_on()),
                          role=role(applied)), "success")
        return _status(filing_id)
    form.explain_conflicts(conflicts)
    if request.method == "GET":
        form.show(filing["version"])
    return render_template("verification/backdrop.html", filing=filing, form=form)


@bp.get("/<filing_id>/photo")
@role_required("applicant")
def photo(filing_id: str):
    """Upload the administrator's photo from this computer (backdrop photo)."""
    filing = owned_filing(filing_id)
    if verification.waiting_for_backdrop(filing):
        # nobody can stand in front of a backdrop not mailed yet: say so, whatever link led here
        return render_template("verification/photo-too-early.html", filing=filing), 409
    if "upload_photo" not in f.allowed_actions(filing, "applicant"):
        return _status(filing_id)
    confirm_url = url_for("filings.photo_confirm", filing_id=filing_id, _external=True)
    return render_template("verification/photo.html", filing=filing, back=url_for("filings.status", filing_id=filing_id),
                           **_photo_form(filing, confirm_url))


def _photo_keys(filing_id: str) -> list[tuple[str, str]]:
    """What confirming the photo reads, read ahead with the session: the order and its photo (the photo moves
    the order on to our photo review, not the documents step, so no other document is needed)."""
    return filing_and_document_keys(filing_id, (PHOTO,))


@bp.get("/<filing_id>/photo/confirm")
@role_required("applicant")
@reads_ahead(_photo_keys)
def photo_confirm(filing_id: str):
    """Where storage sends the browser after the photo: check it; our photo review follows."""
    filing, documents = owned_filing_with_documents(filing_id, (PHOTO,))
    if verification.waiting_for_backdrop(filing):
        return render_template("verification/photo-too-early.html", filing=filing), 409
    outcome = _confirm(filing, actor=current_user.email, documents=documents)
    if outcome == "refused":
        return redirect(url_for("filings.photo", filing_id=filing_id))
    if outcome == "changed":
        flash(gettext(CHANGED), "warning")
    else:
        workdays = f.policy_of(filing)["photo_review_workdays"]
        flash(gettext("The photo is uploaded. We check it within %(review_workdays)s.",
                      review_workdays=ngettext(*rules.COUNTS["workdays"], workdays)), "success")
    return _status(filing_id)


@bp.post("/<filing_id>/phone-link")
@role_required("applicant")
def phone_link(filing_id: str):
    """Open a new phone link (QR code and short link) for the administrator's live photo."""
    from forms.base import BaseForm
    from icp import qr

    filing = owned_filing(filing_id)
    if not BaseForm().validate_on_submit() or "issue_phone_link" not in f.allowed_actions(filing, "applicant"):
        return _status(filing_id)
    try:
        filing, token = verification.issue_phone_link(table(), filing, actor=current_user.email, now=now())
    except Conflict:
        flash(gettext(CHANGED), "warning")
        return _status(filing_id)
    link = url_for("phone.page", filing_id=filing_id, token=token, _external=True)
    return render_template("verification/phone-link.html", filing=filing, link=link,
                           qr=qr.svg(link, title=gettext("QR code of the phone verification link")),
                           minutes=int(rules.PHONE_LINK_LIFETIME.total_seconds() // 60),
                           expires_at=filing["phone_link"]["expires_at"],
                           administrator=verification.administrator_name(filing))


@phone_bp.get("/<filing_id>/<token>")
def page(filing_id: str, token: str):
    """The phone-sized page the administrator opens: the rules, then the camera."""
    try:
        filing = verification.filing_for_phone_link(table(), filing_id, token, now=now())
    except verification.LinkInvalid:
        return render_template("verification/phone-expired.html"), 404
    confirm_url = url_for("phone.done", filing_id=filing_id, token=token, _external=True)
    return render_template("verification/phone.html", filing=filing, administrator=verification.administrator_name(filing),
                           **_photo_form(filing, confirm_url))


@phone_bp.get("/<filing_id>/<token>/done")
def done(filing_id: str, token: str):
    """Where storage sends the phone after the photo: check it and say so (the link is then used up)."""
    try:
        filing = verification.filing_for_phone_link(table(), filing_id, token, now=now())
    except verification.LinkInvalid:
        return render_template("verification/phone-expired.html"), 404
    outcome = _confirm(filing, actor="administrator (phone link)", phone=True)
    if outcome == "refused":
        return redirect(url_for("phone.page", filing_id=filing_id, token=token))
    if outcome == "changed":
        return render_template("verification/phone-expired.html"), 409
    return render_template("verification/phone-done.html", filing=filing,
                           review_workdays=f.policy_of(filing)["photo_review_workdays"])


@bp.post("/<filing_id>/codes")
@role_required("applicant")
def codes(filing_id: str):
    """Check the MIIT codes the applicant entered on the status page."""
    from icp.order import Order

    filing = owned_filing(filing_id)
    order = Order(filing)
    if order.panel != "codes":
        return _status(filing_id)
    form = verification_forms.CodesForm(people=order.verification.people, role=order.order_type.role)
    if not form.validate_on_submit():
        return render_status(filing_id, codes_form=form, code=400)
    entered = {name: form[name].data for name in ("leader", "administrator") if name in form}
    try:
        sms.verify_codes(table(), filing, entered, now=now(), public_url=settings().public_url)
    except sms.CodesRefused as refusal:
        if refusal.outcome == "wrong":
            message = gettext("This code is not the one MIIT sent. Check the text message and enter it again.")
            for who in refusal.wrong:
                form.add_error(who, message)
            return render_status(filing_id, codes_form=form, code=400, attempts_left=refusal.attempts_left)
        if refusal.outcome == "paused":
            form.add_error("leader", gettext(
                "Too many wrong codes in a row: wait until %(when)s, then enter the code again.",
                when=when(refusal.paused_until)) if order.mobiles == "one" else gettext(
                "Too many wrong codes in a row: wait until %(when)s, then enter the codes again.",
                when=when(refusal.paused_until)))
            return render_status(filing_id, codes_form=form, code=429)
        flash(gettext("The window for the MIIT codes has closed: the filing is rejected and its service code is "
                      "free again.") if refusal.outcome == "expired" else
              gettext("Too many wrong codes: the filing is rejected and its service code is free again."), "warning")
    except (Conflict, f.TransitionNotAllowed):
        flash(gettext(CHANGED), "warning")
    else:
        flash(gettext("The MIIT SMS check is passed. The communications administration reviews the filing now."),
              "success")
    return _status(filing_id)


@bp.post("/<filing_id>/codes/resend")
@role_required("applicant")
def resend(filing_id: str):
    """Ask MIIT to text new codes (the old ones stop working)."""
    from forms.base import BaseForm

    filing = owned_filing(filing_id)
    if not BaseForm().validate_on_submit() or filing["status"] != f.SMS_PENDING:
        return _status(filing_id)
    try:
        sms.resend_codes(table(), filing, now=now())
    except sms.CodesRefused:
        flash(gettext("The codes cannot be sent again: the limit is reached or the window has closed."), "warning")
    except Conflict:
        flash(gettext(CHANGED), "warning")
    else:
        from icp.order import Order

        # one mobile texted, one code (issue 16, defect 2)
        flash(gettext("A new code is on its way. The earlier code no longer works.") if Order(filing).mobiles == "one"
              else gettext("New codes are on their way. The earlier codes no longer work."), "success")
    return _status(filing_id)


