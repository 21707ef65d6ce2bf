"""Step 5 of the wizard: the list of documents the order needs, one page per document whose form posts the file
straight to object storage, and the confirmation storage redirects to."""
from __future__ import annotations

from urllib.parse import urljoin

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext

from icp import filing as f
from icp import rules
from icp.documents import documents_for, label_of, missing_documents
from icp.store import Conflict
from icp.workflow import filing_and_document_keys
from views import blobs, now, reads_ahead, table
from views.auth import role_required
from views.lazy import lazy_module
from views.applicant.wizard import back_url, guard_step, owned_filing_with_documents, owned_filing_with_parts, \
    reviewer_comments, step_indicator, step_url

# the forms, with the first page that shows one (views/lazy.py)
document_forms = lazy_module("forms.documents")

# the upload checks (Pillow) and the documents' use cases load with the first documents page (views/lazy.py)
uploads = lazy_module("icp.uploads")
workflow = lazy_module("icp.workflow.documents")
drafting = lazy_module("icp.workflow.drafting")

bp = Blueprint("documents", __name__)

# the printable templates offered for download, by URL name, and the document each one becomes
LETTERS = {
    "authenticity-statement": "authenticity_statement",
    "authorisation-letter": "authorisation_letter",
    "commitment-letter": "commitment_letter",
}
LETTER_OF_KIND = {kind: name for name, kind in LETTERS.items()}

# a document kind in a URL: only the known codes, so /documents/<kind> leaves the letters' URLs alone
KIND = "any(" + ", ".join(rules.DOCUMENT_KINDS) + ")"

# the session entry that carries a refused upload's reason from the confirm view to that document's upload page;
# the page takes it out of the session, so reloading the page does not show the refusal again
REFUSAL = "document_refusal"

# Chinese names of certificate types, for the Chinese text of the printable letters (the letters are
# legal text in Chinese whatever language the page is read in)
CERTIFICATE_NAMES_ZH = {
    "business_licence": "营业执照（统一社会信用代码）",
    "organisation_code": "组织机构代码证",
    "resident_id": "居民身份证",
    "passport": "护照",
    "hmt_permit": "港澳台居民来往内地通行证",
    "foreign_permanent_id": "外国人永久居留身份证",
    "government_certificate": "统一社会信用代码证书",
    "public_institution_certificate": "事业单位法人证书",
    "social_organisation_certificate": "社会团体法人登记证书",
    "private_non_enterprise_certificate": "民办非企业单位登记证书",
}


def _editable_filing(filing_id: str):
    """The applicant's order with its documents, or a redirect when the step cannot be shown now."""
    filing, documents, _events = owned_filing_with_parts(filing_id)
    return filing, documents, guard_step(filing, "documents")


def _changed_meanwhile() -> str:
    # the order kept changing in another window while we tried to write (three attempts failed)
    return gettext("This order was being changed in another window at the same time. Try again.")


def _documents_url(filing: dict, kind: str | None = None) -> str:
    return step_url(filing, "documents") + (f"#document-{kind}" if kind else "")


def _upload_url(filing: dict, kind: str) -> str:
    return url_for("documents.upload", filing_id=filing["id"], kind=kind)


def _letter_url(filing: dict, kind: str) -> str | None:
    """The printable template of a letter, or None for a document that is not a letter."""
    if kind not in LETTER_OF_KIND:
        return None
    return url_for("documents.letter", filing_id=filing["id"], name=LETTER_OF_KIND[kind])


def _take_refusal(filing: dict, kind: str) -> str | None:
    """The translated reason the last upload of this document was refused, once; None when there is none."""
    refusal = session.pop(REFUSAL, None)
    if not refusal or (refusal.get("filing"), refusal.get("kind")) != (filing["id"], kind):
        return None
    return gettext(refusal["message"], **refusal["params"])


def _icon_rules() -> dict:
    """What the app icon's page says about the file accepted (its limit in the upload box too)."""
    icon = rules.APP_ICON_POLICY
    return {"icon": icon, "policy": icon, "max_megabytes": f"{icon.max_bytes / (1024 * 1024):.1f}"}


def _rules() -> dict:
    """What the templates say about the files accepted."""
    return {"policy": rules.UPLOAD_POLICY, "max_megabytes": rules.UPLOAD_POLICY.max_bytes // (1024 * 1024)}


@bp.get("/filings/<filing_id>/documents")
@role_required("applicant")
def documents(filing_id: str):
    """List the documents this order needs, each with its state and a link to the page that uploads it."""
    filing, uploaded, gone = _editable_filing(filing_id)
    if gone:
        return gone
    kinds = documents_for(filing)
    # a returned order's comments on its documents, each shown beside the document it is about
    comments = reviewer_comments(filing, "document")
    rows = []
    for kind in kinds:
        document = uploaded.get(kind.code)
        rows.append({
            "kind": kind,
            "document": document,
            "comments": comments.get(kind.code, []),
            "upload_url": _upload_url(filing, kind.code),
            "view_url": url_for("documents.view", filing_id=filing["id"], kind=kind.code) if document else None,
            "remove_url": url_for("documents.remove", filing_id=filing["id"], kind=kind.code) if document else None,
            "letter_url": _letter_url(filing, kind.code),
        })
    wanted = {kind.code for kind in kinds}
    no_longer_needed = [
        {"label": label_of(filing, code), "document": document,
         "remove_url": url_for("documents.remove", filing_id=filing["id"], kind=code)}
        for code, document in uploaded.items() if code not in wanted and code in rules.DOCUMENT_KINDS
    ]
    return render_template(
        "documents/documents.html",
        filing=filing, rows=rows, missing=missing_documents(filing, uploaded),
        no_longer_needed=no_longer_needed, **_rules(),
        indicator=step_indicator(filing, "documents"), back=back_url(filing, "documents"),
        continue_url=step_url(filing, "check"),
    )


@bp.get(f"/filings/<filing_id>/documents/<{KIND}:kind>")
@role_required("applicant")
def upload(filing_id: str, kind: str):
    """One document's page: its hint, the rules and one form that posts the file straight to storage."""
    filing, uploaded, gone = _editable_filing(filing_id)
    if gone:
        return gone
    document_kind = workflow.document_kind(filing, kind)
    if document_kind is None:
        abort(404)  # not a document this order needs
    post = workflow.upload_form(
        blobs(), filing, kind, now=now(),
        redirect_url=url_for("documents.confirm", filing_id=filing["id"], kind=kind, _external=True),
    )
    return render_template(
        "documents/upload.html",
        filing=filing, kind=document_kind, document=uploaded.get(kind), letter_url=_letter_url(filing, kind),
        # the local store answers on this app: make its URL absolute like S3's
        upload_url=urljoin(request.url_root, post["url"]), fields=post["fields"],
        error=_take_refusal(filing, kind), comments=reviewer_comments(filing, "document").get(kind, []),
        **(_icon_rules() if kind == workflow.ICON_KIND else _rules()),
        indicator=step_indicator(filing, "documents"), back=_documents_url(filing, kind),
    )


@bp.get(f"/filings/<filing_id>/documents/<{KIND}:kind>/view")
@role_required("applicant")
def view(filing_id: str, kind: str):
    """Open an uploaded document through a link signed now, so a page left open never holds a dead link."""
    _filing, uploaded, _events = owned_filing_with_parts(filing_id)
    document = uploaded.get(kind)
    if document is None:
        abort(404)
    return redirect(workflow.document_download_url(blobs(), document, now()))


def _confirm_keys(filing_id: str) -> list[tuple[str, str]]:
    """What a confirmation reads, with the session: the order and the one document the upload replaces (the
    order lists the others' kinds and versions, which is all the documents step's completeness needs)."""
    kind = (request.view_args or {}).get("kind")
    return filing_and_document_keys(filing_id, (kind,) if kind in rules.DOCUMENT_KINDS else ())


@bp.get("/filings/<filing_id>/documents/<kind>/confirm")
@role_required("applicant")
@reads_ahead(_confirm_keys)
def confirm(filing_id: str, kind: str):
    """Where storage sends the browser after an upload: check the file, record it, then show the list (or the
    document's upload page with the reason when the file is refused).

    The order and the document it replaces are read by key with the session, in one round trip: recording the
    document needs the one it replaces (its version, or this very upload confirmed already) and whether the
    documents step is complete, which the order's list of its documents says (an order written before it
    carried that list has its documents read by the confirmation)."""
    filing, uploaded = owned_filing_with_documents(filing_id, (kind,) if kind in rules.DOCUMENT_KINDS else ())
    gone = guard_step(filing, "documents")
    if gone and filing["status"] in f.EDITABLE:
        return gone  # an earlier step is not done (no upload form was ever offered)
    if workflow.document_kind(filing, kind) is None:
        abort(404)
    label = gettext(label_of(filing, kind))
    try:
        workflow.confirm_upload(table(), blobs(), filing, kind, request.args.get("key", ""),
                                now=now(), documents=uploaded, storage_error=request.args.get("error"))
    except drafting.NotEditable:
        flash(gettext("This order has been submitted, so its documents can no longer change."), "warning")
        return guard_step(filing, "documents") or redirect(_documents_url(filing))
    except uploads.UploadRefused as refusal:
        # the message id and its values, translated when the upload page shows them
        session[REFUSAL] = {"filing": filing["id"], "kind": kind,
                            "message": refusal.message, "params": refusal.params}
        return redirect(_upload_url(filing, kind))
    except Conflict:
        flash(_changed_meanwhile(), "warning")
        return redirect(_upload_url(filing, kind))
    flash(gettext("%(document)s uploaded.", document=label), "success")
    return redirect(_documents_url(filing, kind))


@bp.route("/filings/<filing_id>/documents/<kind>/remove", methods=["GET", "POST"])
@role_required("applicant")
def remove(filing_id: str, kind: str):
    """Ask whether to remove an uploaded document, then remove it (POST with CSRF)."""
    filing, uploaded, gone = _editable_filing(filing_id)
    if gone:
        return gone
    if kind not in rules.DOCUMENT_KINDS:
        abort(404)
    label = gettext(label_of(filing, kind))
    if kind not in uploaded:
        return redirect(_documents_url(filing))
    form = document_forms.RemoveDocumentForm()
    if form.is_stale(uploaded[kind]["version"]):
        # the document was replaced after this page was opened: never remove a file the person has not seen
        flash(gettext("This document was replaced in another window after this page was opened. Check it "
                      "before you remove it."), "warning")
        form.show(uploaded[kind]["version"])
        return render_template("documents/remove.html", filing=filing, form=form, label=label,
                               document=uploaded[kind], back=_documents_url(filing, kind))
    if form.validate_on_submit():
        try:
            workflow.remove_document(table(), blobs(), filing, kind, now=now(), documents=uploaded)
        except Conflict:
            flash(_changed_meanwhile(), "warning")
        else:
            flash(gettext("%(document)s removed.", document=label), "success")
        return redirect(_documents_url(filing, kind))
    form.show(uploaded[kind]["version"])
    return render_template("documents/remove.html", filing=filing, form=form, label=label,
                           document=uploaded[kind], back=_documents_url(filing, kind))


@bp.get("/filings/<filing_id>/documents/<any('authenticity-statement', 'authorisation-letter', 'commitment-letter'):name>")
@role_required("applicant")
def letter(filing_id: str, name: str):
    """A printable letter pre-filled with the order's answers, to sign and upload as a photo or scan."""
    filing, _documents, gone = _editable_filing(filing_id)
    if gone:
        return gone
    if workflow.document_kind(filing, LETTERS[name]) is None:
        abort(404)  # this order does not need that letter
    return render_template(f"documents/{name}.html", filing=filing, back=_documents_url(filing, LETTERS[name]),
                           **letter_facts(filing))


def letter_facts(filing: dict) -> dict:
    """What the letters say about the order: subject, leader, administrator, website and domain (the date is left
    blank: the signer writes the day they sign)."""
    from icp.order_types import administrator as administrator_of
    from icp.order_types import service_answers, service_name

    verified, subject, service = filing["verified"], filing.get("subject") or {}, service_answers(filing)
    leader = subject.get("leader") or {}
    administrator = administrator_of(filing)

    def certificate(code: str | None) -> dict:
        known = rules.CERTIFICATE_TYPES.get(code or "")
        return {"label": known.label if known else "", "label_zh": CERTIFICATE_NAMES_ZH.get(code or "", "")}

    province = rules.PROVINCES.get(verified["province"])
    individual = rules.NATURES[verified["nature"]].is_individual
    return {
        "subject_name": subject.get("name") or verified.get("subject_name") or "",
        "subject_certificate": certificate(verified.get("certificate_type")),
        "subject_certificate_number": verified.get("certificate_number", ""),
        "is_individual": individual,
        # how the letters name the subject speaking: "I" for a person, "the organisation" otherwise
        "subject_zh": "本人" if individual else "本单位",
        "subject_en": "I" if individual else "The organisation",
        "leader": leader, "leader_certificate": certificate(leader.get("certificate_type")),
        "administrator": administrator,
        "administrator_certificate": certificate(administrator.get("certificate_type")),
        "website_name": service.get("name") or verified.get("app_name", ""),
        "domain": service_name(filing),
        "domain_ascii": verified.get("domain_ascii") or service_name(filing),
        "province": province,
    }
