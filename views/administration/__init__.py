"""The communications administration simulator: its queue with each decision window, and approve or reject."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from icp import filing as f
from icp.store import Conflict
from views import now, settings, table
from views.auth import role_required
from views.staff import TOO_LATE, any_filing_with_parts, mask
from views.staff import queue as orders_in
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
administration_forms = lazy_module("forms.administration")
review_forms = lazy_module("forms.review")

# the administration's use cases (decision windows over China's workdays, the registry's numbering) load with
# the console's first page, not with every instance's first request
administration = lazy_module("icp.workflow.administration")

bp = Blueprint("administration", __name__, url_prefix="/administration")


def _today():
    from icp.deadlines import CHINA

    return now().astimezone(CHINA).date()


@bp.get("")
@role_required("administration")
def queue():
    """Orders in the administration's review, oldest first, each with its expected decision window."""
    rows = [{"filing": o, "window": administration.decision_window(o, _today()),
             "certificate": mask(o["verified"]["certificate_number"])} for o in orders_in(f.ADMINISTRATION_REVIEW)]
    waiting_sms = orders_in(f.SMS_PENDING)
    return render_template("administration/queue.html", rows=rows, waiting_sms=waiting_sms)


def _page(filing_id: str, status: int = 200, reject_form=None):
    from views.applicant.summary import answer_sections
    from views.answers import service_changes

    filing, documents, events = any_filing_with_parts(filing_id)
    if filing["status"] in (f.DRAFT, f.PROVIDER_REVIEW, f.RETURNED):
        abort(404)  # not sent to the administration (yet)
    version = {"version": filing["version"]}
    return render_template(
        "administration/order.html", filing=filing, documents=documents, events=events,
        sections=answer_sections(filing, documents, change=False),
        window=administration.decision_window(filing, _today()),
        actions=f.allowed_actions(filing, "administration"), action_form=review_forms.ActionForm(data=version),
        reject_form=reject_form or administration_forms.RejectForm(data=version),
        service_changes=service_changes(filing)), status


@bp.get("/<filing_id>")
@role_required("administration")
def order(filing_id: str):
    """One order as the administration sees it, with the decision."""
    return _page(filing_id)


def _decide(filing_id: str, form, decide, done: str):
    filing, _documents, _events = any_filing_with_parts(filing_id)
    if not form.validate_on_submit():
        return _page(filing_id, 400, reject_form=form if isinstance(form, administration_forms.RejectForm) else None)
    if str(filing["version"]) != form.version.data:
        flash(str(TOO_LATE), "warning")
        return redirect(url_for("administration.order", filing_id=filing_id))
    try:
        decide(filing)
    except (Conflict, f.TransitionNotAllowed, administration.DecisionRefused):
        flash(str(TOO_LATE), "warning")
        return redirect(url_for("administration.order", filing_id=filing_id))
    flash(done, "success")
    return redirect(url_for("administration.queue"))


@bp.post("/<filing_id>/approve")
@role_required("administration")
def approve(filing_id: str):
    """Approve: the website gets its ICP number."""
    return _decide(filing_id, review_forms.ActionForm(), lambda filing: administration.approve(
        table(), filing, actor=current_user.email, now=now(), public_url=settings().public_url),
        gettext("Order %(id)s is approved.", id=filing_id))


@bp.post("/<filing_id>/reject")
@role_required("administration")
def reject(filing_id: str):
    """Reject with a reason."""
    form = administration_forms.RejectForm()
    return _decide(filing_id, form, lambda filing: administration.reject(
        table(), filing, form.reason.data, actor=current_user.email, now=now(), public_url=settings().public_url),
        gettext("Order %(id)s is rejected.", id=filing_id))
