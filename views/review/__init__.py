"""The reviewer console: queues by stage, an order's whole file, and the reviewer's actions on it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from forms.base import BaseForm, rule_message
from icp import rules
from icp import filing as f
from icp.store import Conflict
from views import blobs, now, settings, table
from views.auth import role_required
from views.sitecheck import check_existing_websites, existing_websites
from views.staff import TOO_LATE, any_filing_with_parts, hours_waiting, mask, past_target, queue
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
review_forms = lazy_module("forms.review")

# the reviewers' use cases and the checks load with the console's first page, not with an instance's first request
checks = lazy_module("icp.checks")
review = lazy_module("icp.workflow.review")
verification = lazy_module("icp.workflow.verification")
workflow_documents = lazy_module("icp.workflow.documents")

bp = Blueprint("review", __name__, url_prefix="/review")

# the reviewers' queues, each titled by the status table (PHOTO_PENDING: the backdrops to mail)
QUEUE_TITLES = {status: f.STATUSES[status].queue for status in (
    f.PROVIDER_REVIEW, f.PHOTO_REVIEW, f.APP_VERIFICATION_PENDING, f.READY_FOR_ADMINISTRATION, f.PHOTO_PENDING)}


def _backdrop_to_mail(entry: dict) -> bool:
    """Whether the applicant asked for a backdrop we have not mailed yet (a queue entry's glance carries the
    backdrop's times, not its address)."""
    backdrop = (entry.get("glance") or {}).get("backdrop") or {}
    return bool(backdrop.get("applied_at")) and not backdrop.get("mailed_at")


@bp.get("")
@role_required("reviewer")
def queues():
    """Every queue, oldest first, with the time waiting and a flag past the one-workday target."""
    moment = now()
    sections = []
    for status, title in QUEUE_TITLES.items():
        orders = queue(status)
        if status == f.PHOTO_PENDING:  # only the backdrops asked for and not mailed yet need us
            orders = [o for o in orders if _backdrop_to_mail(o)]
        sections.append({"status": status, "title": gettext(title), "orders": [
            {"filing": o, "hours": hours_waiting(o, moment), "late": past_target(o, moment),
             "certificate": mask(o["verified"]["certificate_number"])} for o in orders]})
    return render_template("review/queues.html", sections=sections, labels=f.STATUS_LABELS)


def _targets(filing: dict) -> list[tuple[str, str]]:
    """What a comment can be about on this order, in the order of its page: its answers, its documents, then the
    order as a whole ("")."""
    from icp.order_types import order_type_of
    from views.answers import answer_rows
    from views.review.answers import document_rows

    answers = [(row["target"], row["key"]) for step in order_type_of(filing).answer_steps
               for row in answer_rows(filing, step.code)]
    documents = [(row["target"], gettext("Document: %(name)s", name=row["key"])) for row in document_rows(filing, {})]
    return answers + documents + [("", gettext("General"))]


def _return_form(filing: dict, **kwargs) -> review_forms.ReturnForm:
    return review_forms.ReturnForm.about(_targets(filing), **kwargs)


def _reject_photo_form(filing: dict, **kwargs) -> review_forms.RejectPhotoForm:
    from views.text import role

    return review_forms.RejectPhotoForm(reasons=verification.photo_rejection_reasons(filing), role=role(filing),
                                        **kwargs)


def _translate(problem) -> str:
    return rule_message(problem.message, problem.params)


@bp.get("/<filing_id>")
@role_required("reviewer")
def order(filing_id: str):
    """An order's whole file: answers (certificate numbers whole: the view is recorded), documents, the
    problems the applicant saw, what changed since the last return, history and the actions of its stage."""
    return _order_page(filing_id)


def _order_page(filing_id: str, status: int = 200, **forms):
    """The order page; `forms` replace the empty action forms (to show one's errors)."""
    from icp.order_types import administrator_is_leader, order_type_of
    from views.answers import answer_rows
    from views.applicant.summary import answer_sections
    from views.applicant.wizard import step_title
    from views.review.answers import changes, document_rows
    from views.answers import service_changes

    filing, documents, events = any_filing_with_parts(filing_id)
    if filing["status"] == f.DRAFT:
        abort(404)  # not submitted: nothing for staff to see
    review.record_certificate_view(table(), filing, actor=current_user.email, now=now())
    problems = warnings = []
    order_type = order_type_of(filing)
    # the submission checks matter until the decision; an order that ended is not checked again
    if filing["status"] not in f.FINAL and order_type.answer_steps and \
            all(filing.get(step.saves) for step in order_type.answer_steps):
        today, read = now().date(), checks.dependency_items(table(), filing)  # read once for both
        problems = [_translate(p) for p in checks.submission_problems(table(), filing, documents, today=today,
                                                                      prefetched=read)]
        warnings = [_translate(p) for p in checks.submission_warnings(table(), filing, documents, today=today,
                                                                      prefetched=read)]
    existing = existing_websites(filing)
    # the new domain already serving: the last check's warning, shown with the others (icp.checks)
    warnings = [*warnings, *existing["serving"]]
    version = {"version": filing["version"]}
    sections = answer_sections(filing, documents, change=False)
    context = dict(
        filing=filing, documents=documents, events=events, labels=f.STATUS_LABELS,
        sections=sections, problems=problems, warnings=warnings,
        # our review: every answer and document with its own comment box
        fixed_sections=[s for s in sections
                        if s.get("fixed") or s["title"] in (step_title("type"), step_title("instance"))],
        reviewed_sections=[{"title": gettext(step.title), "rows": answer_rows(filing, step.code)}
                           for step in order_type.answer_steps if filing.get(step.saves)],
        document_rows=document_rows(filing, documents), documents_title=step_title("documents"),
        order_type=order_type, leader_administers=administrator_is_leader(filing),
        changes=changes(filing, documents), actions=f.allowed_actions(filing, "reviewer"),
        service_changes=service_changes(filing),
        targets=dict(_targets(filing)), rules=rules, late=past_target(filing, now()),
        photo_rules=verification.photo_rules(filing), existing=existing,
        administrator=verification.administrator_name(filing),
        action_form=review_forms.ActionForm(data=version), return_form=_return_form(filing, data=version),
        reject_photo_form=_reject_photo_form(filing, data=version),
        mailed_form=review_forms.BackdropMailedForm(data=version),
        warning_form=review_forms.AccessWarningForm(data=version))
    context.update(forms)
    return render_template("review/order.html", **context), status


@bp.get("/<filing_id>/documents/<kind>")
@role_required("reviewer", "administration")
def document(filing_id: str, kind: str):
    """Open one of the order's documents through a link signed now (staff only)."""
    filing, documents, _events = any_filing_with_parts(filing_id)
    if filing["status"] == f.DRAFT or kind not in documents:
        abort(404)
    return redirect(workflow_documents.document_download_url(blobs(), documents[kind], now()))


def _act(filing_id: str, form, act, done: str):
    """Run a reviewer's action if the order is still as the reviewer saw it; else say someone was first."""
    filing, documents, _events = any_filing_with_parts(filing_id)
    back = url_for("review.order", filing_id=filing_id)
    if not form.validate_on_submit():
        if form.errors.keys() - {"version"}:
            return None  # the page shows the field errors
        abort(400)
    if str(filing["version"]) != form.version.data:
        flash(str(TOO_LATE), "warning")
        return redirect(back)
    try:
        act(filing, documents)
    except (Conflict, f.TransitionNotAllowed):
        flash(str(TOO_LATE), "warning")
        return redirect(back)
    flash(done, "success")
    return redirect(url_for("review.queues"))


def _kwargs() -> dict:
    return {"actor": current_user.email, "now": now(), "public_url": settings().public_url}


@bp.post("/<filing_id>/pass")
@role_required("reviewer")
def pass_review(filing_id: str):
    """Pass our review."""
    return _act(filing_id, review_forms.ActionForm(),
                lambda filing, _d: review.pass_review(table(), filing, **_kwargs()),
                gettext("Order %(id)s passed our review.", id=filing_id)) or abort(400)


@bp.post("/<filing_id>/return")
@role_required("reviewer")
def return_order(filing_id: str):
    """Return the order with comments on its fields and documents."""
    filing, _documents, _events = any_filing_with_parts(filing_id)
    form = _return_form(filing)
    response = _act(filing_id, form, lambda filing, documents: review.return_with_comments(
        table(), filing, documents, form.filled(), **_kwargs()),
        gettext("Order %(id)s was returned to the applicant.", id=filing_id))
    if response is not None:
        return response
    return _order_page(filing_id, 400, return_form=form)


@bp.post("/<filing_id>/backdrop-mailed")
@role_required("reviewer")
def backdrop_mailed(filing_id: str):
    """Record that the backdrop was mailed, with its tracking number."""
    form = review_forms.BackdropMailedForm()
    response = _act(filing_id, form, lambda filing, _d: review.mark_backdrop_mailed(
        table(), filing, form.tracking.data, **_kwargs()),
        gettext("The backdrop of order %(id)s is marked as mailed.", id=filing_id))
    return response or _order_page(filing_id, 400, mailed_form=form)


@bp.post("/<filing_id>/photo/pass")
@role_required("reviewer")
def pass_photo(filing_id: str):
    """The photo meets the rules."""
    return _act(filing_id, review_forms.ActionForm(),
                lambda filing, _d: review.pass_photo(table(), filing, **_kwargs()),
                gettext("The photo of order %(id)s passed.", id=filing_id)) or abort(400)


@bp.post("/<filing_id>/photo/reject")
@role_required("reviewer")
def reject_photo(filing_id: str):
    """The photo breaks a rule: say which."""
    filing, _documents, _events = any_filing_with_parts(filing_id)
    form = _reject_photo_form(filing)
    response = _act(filing_id, form, lambda filing, _d: review.reject_photo(
        table(), filing, form.reason.data, form.comment.data or "", **_kwargs()),
        gettext("The photo of order %(id)s was rejected; the applicant is told why.", id=filing_id))
    return response or _order_page(filing_id, 400, reject_photo_form=form)


@bp.post("/<filing_id>/app-verified")
@role_required("reviewer")
def app_verified(filing_id: str):
    """Shanghai: record that the administrator verified in the app."""
    return _act(filing_id, review_forms.ActionForm(), lambda filing, _d: review.confirm_app_verification(
        table(), filing, **_kwargs()),
        gettext("The app verification of order %(id)s is recorded.", id=filing_id)) or abort(400)


@bp.post("/<filing_id>/send")
@role_required("reviewer")
def send(filing_id: str):
    """Send the order to the communications administration."""
    return _act(filing_id, review_forms.ActionForm(), lambda filing, _d: review.send_to_administration(
        table(), filing, **_kwargs()),
        gettext("Order %(id)s was sent to the communications administration.", id=filing_id)) or abort(400)


@bp.get("/filed")
@role_required("reviewer")
def filed():
    """The websites and apps filed through us (approved orders), the warned first: where a reviewer starts the
    warning before we cancel a service's access ourselves (DOMAIN.md §14)."""
    from icp.order_types import order_type_of

    # an approved order no longer the record of a service of ours (its access or filing cancelled, or replaced by
    # an approved change) is not filed through us now: nothing to warn about
    approved = [o for o in queue(f.APPROVED, limit=500) if order_type_of(o).leaves == "accessed" and not f.is_closed(o)]
    approved.sort(key=lambda o: (not o.get("access_warning"), o.get("icp_number", "")))
    return render_template("review/filed.html", orders=approved)


@bp.post("/<filing_id>/access-warning")
@role_required("reviewer")
def warn_access(filing_id: str):
    """Warn the applicant: the service must resolve to our servers again by the deadline, or we cancel access."""
    from icp.workflow import after_number

    form = review_forms.AccessWarningForm()

    def act(filing, _documents):
        try:
            after_number.warn_access(table(), filing, form.reason.data, **_kwargs())
        except after_number.AccessNotOurs:
            raise f.TransitionNotAllowed(filing_id) from None

    response = _act(filing_id, form, act, gettext("The applicant of %(id)s is warned.", id=filing_id))
    return response or _order_page(filing_id, 400, warning_form=form)


@bp.post("/<filing_id>/access-warning/clear")
@role_required("reviewer")
def clear_access_warning(filing_id: str):
    """The service resolves to our servers again: the warning ends."""
    from icp.workflow import after_number

    return _act(filing_id, review_forms.ActionForm(), lambda filing, _d: after_number.clear_access_warning(
        table(), filing, role="reviewer", actor=current_user.email, now=now()),
        gettext("The warning of %(id)s is cleared.", id=filing_id)) or abort(400)


@bp.post("/<filing_id>/existing-websites")
@role_required("reviewer")
def check_existing(filing_id: str):
    """Check the subject's websites already filed again (the order itself does not change)."""
    filing, _documents, _events = any_filing_with_parts(filing_id)
    if filing["status"] == f.DRAFT:
        abort(404)
    if BaseForm().validate_on_submit():
        check_existing_websites(filing)
    return redirect(url_for("review.order", filing_id=filing_id) + "#existing-websites")
