"""Wizard steps 2 to 6: server, subject, website, check your answers and submit (registered on `filings`)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.base import BaseForm
from forms.instance import InstanceForm
from forms.subject import SubjectForm
from forms.website import WebsiteForm
from icp import checks, codes, rules
from icp.store import Conflict
from icp.workflow import FilingNotFound, drafting, submission
from views import now, settings, table
from views.auth import role_required
from views.applicant.blueprint import bp
from views.applicant.summary import answer_sections
from views.applicant.wizard import reviewer_comments
from views.applicant.wizard import after_save_url, back_url, guard_step, owned_filing, owned_filing_with_parts, \
    step_indicator, step_url

CONFLICT_MESSAGE = _l("This order was changed in another window. Your answers here are kept: check them and save "
                      "again.")


def _frame(filing: dict, step: str) -> dict:
    """What the step template needs besides its form; a returned order's comments go next to their fields."""
    g.reviewer_comments = reviewer_comments(filing, step)
    return {"filing": filing, "indicator": step_indicator(filing, step), "back": back_url(filing, step)}


def translate(problem) -> str:
    """A problem's message in the person's language, its text parameters translated too."""
    params = {k: gettext(v) if isinstance(v, str) else v for k, v in problem.params.items()}
    return gettext(problem.message, **params)


def problem_url(filing: dict, problem) -> str:
    """Where a problem is fixed: the field on its step (and back to the check page), or the document's upload page."""
    if problem.step == "documents":
        return url_for("documents.upload", filing_id=filing["id"], kind=problem.field)
    return step_url(filing, problem.step, **{"return": "check"}) + f"#{problem.field}"


def _comment_links(filing: dict) -> list[tuple[str, str, str]]:
    """A returned order's comments as (where to fix it, what it is about, the comment)."""
    from views.applicant.filings import comment_labels

    if filing["status"] != "RETURNED":
        return []
    labels, links = comment_labels(filing), []
    for comment in filing.get("comments") or []:
        where, _sep, field_id = comment["target"].partition(":")
        if where == "document":
            url = url_for("documents.upload", filing_id=filing["id"], kind=field_id)
        elif where in ("subject", "website"):
            url = step_url(filing, where, **{"return": "check"}) + f"#{field_id}"
        else:
            url = url_for("filings.status", filing_id=filing["id"]) + "#comments"
        links.append((url, labels.get(comment["target"], comment["target"]), comment["text"]))
    return links


@bp.route("/<filing_id>/instance", methods=["GET", "POST"])
@role_required("applicant")
def instance(filing_id):
    """Step 2: verify the server with a service code, which binds the code to this order."""
    form = InstanceForm()
    if form.validate_on_submit():
        try:
            filing = drafting.verify_and_bind(table(), filing_id=filing_id, owner=current_user.email,
                                              code=form.service_code.data, now=now())
        except FilingNotFound:
            abort(404)
        except drafting.NotEditable:
            return redirect(url_for("filings.status", filing_id=filing_id))
        except codes.CodeRefused as refusal:
            form.add_error("service_code", gettext(refusal.message, **refusal.params))
        except Conflict:
            form.add_error("service_code", str(CONFLICT_MESSAGE))
        else:
            flash(gettext("Service code %(code)s is verified and bound to this order.",
                          code=form.service_code.data), "success")
            return redirect(step_url(filing, "instance", **request.args))
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "instance")) is not None:
        return stop
    if request.method == "GET":
        form.service_code.data = (filing.get("service_code") or {}).get("code", "")
    return render_template("filings/instance.html", form=form, **_frame(filing, "instance"))


@bp.route("/<filing_id>/subject", methods=["GET", "POST"])
@role_required("applicant")
def subject(filing_id):
    """Step 3: the subject's details and its leader, pre-filled from the MIIT record."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "subject")) is not None:
        return stop
    verified = filing["verified"]
    data = SubjectForm.data_from(filing.get("subject"), verified) if request.method == "GET" else None
    form = SubjectForm(data=data, verified=verified, today=now().date())
    if form.validate_on_submit():
        try:
            filing = drafting.save_step(table(), filing, "subject", form.answers(), now=now())
        except Conflict:
            form.add_error("certificate_address", str(CONFLICT_MESSAGE))
        else:
            return redirect(after_save_url(filing, "subject"))
    return render_template("filings/subject.html", form=form, rules=rules, **_frame(filing, "subject"))


@bp.route("/<filing_id>/website", methods=["GET", "POST"])
@role_required("applicant")
def website(filing_id):
    """Step 4: the website, its service content, pre-approvals and administrator."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "website")) is not None:
        return stop
    verified = filing["verified"]
    data = WebsiteForm.data_from(filing.get("website"), verified) if request.method == "GET" else None
    form = WebsiteForm(data=data, verified=verified, leader=filing["subject"]["leader"], today=now().date())
    if form.validate_on_submit():
        try:
            filing = drafting.save_step(table(), filing, "website", form.answers(), now=now())
        except Conflict:
            form.add_error("name", str(CONFLICT_MESSAGE))
        else:
            for warning in form.name_warnings:  # saved anyway; the check page lists them again
                flash(warning, "warning")
            return redirect(after_save_url(filing, "website"))
    return render_template("filings/website.html", form=form, rules=rules,
                           individual=rules.NATURES[verified["nature"]].is_individual, **_frame(filing, "website"))


@bp.route("/<filing_id>/check", methods=["GET", "POST"])
@role_required("applicant")
def check(filing_id):
    """Step 6: every answer with a Change link, every problem that would get the order rejected, Submit."""
    prefetched = None
    if request.method == "POST" and request.form.get("prefetch"):
        # the page named the keys its checks read: the order, its documents and those in one round trip
        try:
            filing, documents, prefetched = submission.read_for_submission(
                table(), filing_id, owner=current_user.email, hint=request.form["prefetch"])
        except FilingNotFound:
            abort(404)
    else:
        filing, documents, _events = owned_filing_with_parts(filing_id)
    if (stop := guard_step(filing, "check")) is not None:
        return stop
    form = BaseForm()
    problems = None
    if form.validate_on_submit():
        try:
            # submit runs the checks itself, so a POST reads them once
            filing = submission.submit(table(), filing, documents, now=now(), public_url=settings().public_url,
                                       policy=rules.deadline_policy(settings().deadline_policy),
                                       prefetched=prefetched)
        except submission.SubmissionRefused as refused:
            problems = refused.problems
        except Conflict:
            flash(str(CONFLICT_MESSAGE), "warning")
            return redirect(step_url(filing, "check"))
        else:
            return redirect(url_for("filings.submitted", filing_id=filing["id"]))
    if problems is None:
        problems = checks.submission_problems(table(), filing, documents, today=now().date())
    problem_links = [(problem_url(filing, p), translate(p)) for p in problems]
    warnings = checks.submission_warnings(table(), filing, documents, today=now().date())
    warning_links = [(problem_url(filing, w), translate(w)) for w in warnings]
    return render_template("filings/check.html", form=form, problems=problem_links, warnings=warning_links,
                           comments=_comment_links(filing), prefetch=submission.prefetch_hint(filing),
                           sections=answer_sections(filing, documents, change=True),
                           **_frame(filing, "check"))


@bp.get("/<filing_id>/submitted")
@role_required("applicant")
def submitted(filing_id):
    """The confirmation: reference number and what happens next."""
    filing = owned_filing(filing_id)
    if filing.get("submitted_at") is None:
        return redirect(url_for("filings.status", filing_id=filing_id))
    province = filing["verified"]["province"]
    policy = rules.deadline_policy(settings().deadline_policy)
    return render_template("filings/submitted.html", filing=filing, policy=policy,
                           sms_required=province in policy.sms_verification_provinces,
                           app_verification=province in policy.app_verification_provinces)

