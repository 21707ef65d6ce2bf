"""Wizard steps 2 to 6: server, subject, website, check your answers and submit (registered on `filings`)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.base import BaseForm, FilingForm, rule_message
from icp import rules
from icp import filing as f
from icp.order_types import ORDER_TYPES
from icp.store import Conflict
from icp.workflow import FilingNotFound
from views import now, read_ahead_items, reads_ahead, settings, table
from views.auth import role_required
from views.applicant.blueprint import bp
from views.applicant.summary import answer_sections
from views.answers import service_changes
from views.applicant.wizard import reviewer_comments
from views.sitecheck import check_existing_websites, existing_websites
from views.applicant.wizard import after_save_url, back_url, guard_step, owned_filing, owned_filing_with_parts, \
    step_indicator, step_url
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
instance_forms = lazy_module("forms.instance")

# the steps' use cases, the service codes and the checks load with the first step page (views/lazy.py)
checks = lazy_module("icp.checks")
codes = lazy_module("icp.codes")
mobiles = lazy_module("icp.mobiles")
drafting = lazy_module("icp.workflow.drafting")
submission = lazy_module("icp.workflow.submission")

CONFLICT_MESSAGE = _l("This order was changed in another window. Your answers here are kept: check them and save "
                      "again.")
STALE_CHECK_MESSAGE = _l("The answers changed in another window after this page was opened. Check them again "
                         "before you submit.")


def catch_up(form: FilingForm, filing: dict, stored) -> tuple[str, ...]:
    """For a page shown before the order last changed, merge what it changed (icp.merge); the conflicts' names.

    `stored()` builds the same form filled from the order as it is now (only needed when the page is stale).
    """
    if not form.is_stale(filing["version"]):
        return ()
    return form.catch_up(filing["version"], stored())


def _frame(filing: dict, step: str) -> dict:
    """What the step template needs besides its form; a returned order's comments go next to their fields."""
    g.reviewer_comments = reviewer_comments(filing, step)
    return {"filing": filing, "indicator": step_indicator(filing, step), "back": back_url(filing, step)}


def translate(problem) -> str:
    """A problem's message in the person's language, its text parameters translated too."""
    return rule_message(problem.message, problem.params)


def verdict_text(found: checks.Verdict) -> dict:
    """The check page's verdict in the person's language: its outcome, title and notes."""
    from flask_babel import ngettext

    title = ngettext(*found.title, found.count) if isinstance(found.title, tuple) else gettext(found.title)
    notes = [ngettext(*message, params["num"], **{k: v for k, v in params.items() if k != "num"})
             if isinstance(message, tuple) else gettext(message, **params) for message, params in found.notes]
    return {"outcome": found.outcome, "may_submit": found.may_submit, "all_clear": found.outcome == checks.CLEAR,
            "title": title, "notes": notes}


def problem_url(filing: dict, problem) -> str:
    """Where a problem is fixed: the field on its step (and back to the check page), or the document's upload page."""
    if problem.step == "documents":
        return url_for("documents.upload", filing_id=filing["id"], kind=problem.field)
    if problem.step == "check":  # a mobile to confirm, on the check page itself
        return step_url(filing, "check") + f"#{problem.field}"
    return step_url(filing, problem.step, **{"return": "check"}) + f"#{problem.field}"


def _comment_links(filing: dict) -> list[tuple[str, str, str]]:
    """A returned order's comments as (where to fix it, what it is about, the comment)."""
    from views.applicant.filings import comment_labels

    if filing["status"] != f.RETURNED:
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


def _account_instances() -> list[dict]:
    """The applicant's instances, read once per request (the codes list and the apply form both need them)."""
    if "account_instances" not in g:
        g.account_instances = codes.list_instances(table(), current_user.email)
    return g.account_instances


def _instance_page(filing: dict, form: instance_forms.InstanceForm,
                   apply_form: instance_forms.ApplyForCodeForm | None = None, status: int = 200):
    """Step 2 with the account's codes to choose from and the instances a new code can be applied for on."""
    instances = codes.instances_for_new_codes(table(), owner=current_user.email, instances=_account_instances())
    if apply_form is None:
        apply_form = instance_forms.ApplyForCodeForm(formdata=None, instances=instances)
    # the apply form's errors join the page's summary, linked to its field
    extra = [(apply_form.instance_id.id, message) for message in apply_form.instance_id.errors]
    return render_template("filings/instance.html", form=form, apply_form=apply_form if instances else None,
                           extra_problems=extra, prefetch=drafting.bind_hint(filing, form.offered),
                           **_frame(filing, "instance")), status


def _instance_form(filing_id: str, **kwargs) -> instance_forms.InstanceForm:
    """Step 2's form, offering the codes this order may use."""
    choices = codes.choosable_codes(table(), owner=current_user.email, filing_id=filing_id,
                                    instances=_account_instances())
    return instance_forms.InstanceForm(choices=choices, **kwargs)


def _with_choices(filing_id: str, posted: instance_forms.InstanceForm) -> instance_forms.InstanceForm:
    """The posted step 2 form shown again, now offering the account's codes.

    A form that failed its own checks is checked again with the list (its messages depend on it: a listed
    code, or none to list); a refusal from binding, or a stale page's merge, keeps its values and messages.
    """
    listed = _instance_form(filing_id)
    if not posted.errors_from_binding:
        listed.validate()
        return listed
    for name, field in posted._fields.items():
        listed[name].data = field.data
        listed[name].errors = list(field.errors)
    return listed


def _choose(form: instance_forms.InstanceForm, code: str) -> None:
    """Select `code` among the listed codes, or put it in the typed box when it is not listed."""
    form.code_choice.data = code if code in form.listed else None
    form.service_code.data = "" if code in form.listed else code


def _stored_instance_form(filing_id: str, filing: dict) -> instance_forms.InstanceForm:
    """Step 2's form filled from the order as it is now: its bound code chosen."""
    form = _instance_form(filing_id, formdata=None)
    _choose(form, (filing.get("service_code") or {}).get("code", ""))
    return form


def _bind_keys(filing_id: str) -> list[tuple[str, str]]:
    """What step 2 reads, read ahead with the session: the order; on a POST also the code posted, its instance
    and the code bound now, as the page's hint names them (drafting.bind_keys)."""
    if request.method != "POST":
        return [f.filing_key(filing_id)]
    return drafting.bind_keys(filing_id, code=instance_forms.InstanceForm.posted_code(request.form),
                              hint=request.form.get("prefetch", ""))


@bp.route("/<filing_id>/instance", methods=["GET", "POST"])
@role_required("applicant")
@reads_ahead(_bind_keys)
def instance(filing_id):
    """Step 2: verify the server with a service code (chosen from the account's codes, or typed), which binds
    the code to this order."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "instance")) is not None:
        return stop
    # a POST is checked without listing the account's codes and instances (two queries): binding checks the
    # code itself, and the list is read only when the page is shown again
    form = instance_forms.InstanceForm(choices=None) if request.method == "POST" else _instance_form(filing_id)
    conflicts: tuple[str, ...] = ()
    shown_version = form.shown_version.data or ""  # a post without it counts as shown long ago
    ahead = read_ahead_items()  # the code, its instance and the code bound now, read with the order
    while form.validate_on_submit() and not conflicts:
        form.errors_from_binding = True
        try:
            bound = drafting.verify_and_bind(table(), filing, code=form.chosen_code, now=now(),
                                             shown_version=shown_version, prefetched=ahead)
        except drafting.StalePage as stale:
            # shown before the order last changed: the code bound meanwhile stands unless this page changed it
            conflicts = catch_up(form, stale.filing, lambda: _stored_instance_form(filing_id, stale.filing))
            shown_version = None  # merged: the bind's conditional write still guards against a newer change
            continue
        except drafting.NotEditable:
            return redirect(url_for("filings.status", filing_id=filing_id))
        except codes.CodeRefused as refusal:
            form.add_error(form.code_field, gettext(refusal.message, **refusal.params))
        except Conflict:
            form.add_error(form.code_field, str(CONFLICT_MESSAGE))
        else:
            flash(gettext("Service code %(code)s is verified and bound to this order.",
                          code=bound["service_code"]["code"]), "success")
            # only the one argument this page knows rides along: the rest of the query is the person's to mangle
            keep = {"return": "check"} if request.args.get("return") == "check" else {}
            return redirect(step_url(bound, "instance", **keep))
        break
    form.explain_conflicts(conflicts)
    if form.listed is None:
        form = _with_choices(filing_id, form)
    if request.method == "GET":
        # a code just applied for on this step comes back selected; else the bound one
        _choose(form, request.args.get("code", "") or (filing.get("service_code") or {}).get("code", ""))
        form.show(filing["version"])
    return _instance_page(filing, form)


@bp.post("/<filing_id>/instance/apply-for-code")
@role_required("applicant")
def apply_for_code(filing_id):
    """Apply for one new service code on an eligible instance, then come back to step 2 with it selected."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "instance")) is not None:
        return stop
    owner = current_user.email
    apply_form = instance_forms.ApplyForCodeForm(instances=codes.instances_for_new_codes(table(), owner=owner,
                                                                          instances=_account_instances()))
    if apply_form.validate_on_submit():
        try:
            issued = codes.apply_for_codes(table(), owner=owner, instance_id=apply_form.instance_id.data, count=1,
                                           now=now())
        except codes.CodeRefused as refusal:
            apply_form.add_error("instance_id", gettext(refusal.message, **refusal.params))
        else:
            flash(gettext("Your new service code is %(code)s. It is selected below: press Verify the code.",
                          code=issued[0]), "success")
            keep = {"return": "check"} if request.args.get("return") == "check" else {}
            return redirect(url_for("filings.instance", filing_id=filing_id, code=issued[0], **keep))
    form = _stored_instance_form(filing_id, filing)
    form.show(filing["version"])
    return _instance_page(filing, form, apply_form, 400)


def step_form(step) -> type:
    """The form class a step declares ("module:Class"), imported when the step is first shown (cold start)."""
    from importlib import import_module

    module, _sep, name = step.form.partition(":")
    return getattr(import_module(module), name)


# every order type's steps of answers (icp.order_types), so no other page's URL is taken for a step
ANSWER_STEPS = sorted({step.code for order_type in ORDER_TYPES.values() for step in order_type.answer_steps})


@bp.route(f"/<filing_id>/<any({', '.join(ANSWER_STEPS)}):step>", methods=["GET", "POST"])
@role_required("applicant")
def answers_step(filing_id, step):
    """A step of answers as the order type declares it (the subject; the website or the app): its form, filled
    from the order, saved in one conditional write, then on to the next step."""
    from icp.order_types import order_type_of

    filing = owned_filing(filing_id)
    order_type = order_type_of(filing)
    if not order_type.has_step(step) or not order_type.step(step).saves:
        abort(404)
    declared = order_type.step(step)
    if (stop := guard_step(filing, step)) is not None:
        return stop
    form_class, today = step_form(declared), now().date()
    form = form_class.for_order(filing, today=today, stored=request.method == "GET")
    conflicts = catch_up(form, filing, lambda: form_class.for_order(filing, today=today, stored=True))
    if form.validate_on_submit() and not conflicts:
        try:
            filing = drafting.save_step(table(), filing, declared.saves, form.answers(), now=now())
        except Conflict:
            form.add_error(form.first_field, str(CONFLICT_MESSAGE))
        else:
            # saved anyway; the check page lists them again
            warnings = [*getattr(form, "name_warnings", ()), *getattr(form, "approval_warnings", ()),
                        *(w for shown in getattr(form, "field_warnings", {}).values() for w in shown)]
            for warning in warnings:
                flash(str(form.saved_with_warning) % {"warning": warning}, "warning")
            return redirect(after_save_url(filing, step))
    form.explain_conflicts(conflicts)
    if request.method == "GET":
        form.show(filing["version"])
    keep = {"return": "check"} if request.args.get("return") == "check" else {}
    return render_template(declared.template, form=form, rules=rules, action=step_url(filing, step, **keep),
                           **form_class.page(filing), **_frame(filing, step))


def _submission_keys(filing_id: str) -> list[tuple[str, str]]:
    """What pressing Submit reads, read ahead with the session: the order, its documents and the keys the
    page's hint names (submission.submission_keys); nothing on a GET (the page reads the order with its parts)."""
    hint = request.form.get("prefetch") if request.method == "POST" else None
    return submission.submission_keys(filing_id, hint) if hint else []


@bp.route("/<filing_id>/check", methods=["GET", "POST"])
@role_required("applicant")
@reads_ahead(_submission_keys)
def check(filing_id):
    """Step 6: every answer with a Change link, every problem that would get the order rejected, Submit."""
    prefetched = None
    if request.method == "POST" and request.form.get("prefetch"):
        # the page named the keys its checks read: the order, its documents and those, read ahead with the
        # session in one round trip
        try:
            filing, documents, prefetched = submission.read_for_submission(
                table(), filing_id, owner=current_user.email, hint=request.form["prefetch"],
                prefetched=read_ahead_items())
        except FilingNotFound:
            abort(404)
    else:
        filing, documents, _events = owned_filing_with_parts(filing_id)
    if (stop := guard_step(filing, "check")) is not None:
        return stop
    form = FilingForm()
    problems = None
    if form.is_stale(filing["version"]):
        # what would be submitted is not what this page showed: show the order as it is now
        flash(str(STALE_CHECK_MESSAGE), "warning")
        return redirect(step_url(filing, "check"))
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
    return check_page(filing, documents, form, problems)


def check_page(filing: dict, documents: dict, form: FilingForm, problems: list | None = None, *,
               code_forms: dict | None = None, status: int = 200):
    """The check page: the verdict, the refusals and warnings linked to their fields, the mobiles to confirm (with
    `code_forms` by person, to show one's error), the subject's filed websites and every answer."""
    from forms.mobile_code import EnterMobileCodeForm, SendMobileCodeForm

    read = checks.dependency_items(table(), filing)  # the code, its instance, the registrar's answer: read once
    if problems is None:
        problems = checks.submission_problems(table(), filing, documents, today=now().date(), prefetched=read)
    problem_links = [(problem_url(filing, p), translate(p)) for p in problems]
    existing = existing_websites(filing)
    warnings = checks.submission_warnings(table(), filing, documents, today=now().date(), prefetched=read) + \
        checks.serving_warnings(existing["result"])
    warning_links = [(problem_url(filing, w), translate(w)) for w in warnings]
    found = checks.verdict(problems, warnings, filed_websites=len(existing["listed"]), checked=bool(existing["rows"]),
                           needing_attention=existing["problems"])
    form.show(filing["version"])
    code_forms = code_forms or {}
    mobile_rows = [{"who": who, "whose": checks.mobile_owner(filing, who), "mobile": checks.masked_mobile(mobile),
                    "confirmed": mobiles.is_confirmed(filing, mobile), "sent": bool(mobiles.code_record(filing, mobile)),
                    "sends_left": mobiles.sends_left(filing, mobile),
                    "form": code_forms.get(who) or EnterMobileCodeForm(formdata=None, prefix=f"code-{who}")}
                   for who, mobile in mobiles.people_mobiles(filing)]
    return render_template("filings/check.html", form=form, problems=problem_links, warnings=warning_links,
                           verdict=verdict_text(found), comments=_comment_links(filing), existing=existing,
                           prefetch=submission.prefetch_hint(filing), mobile_rows=mobile_rows,
                           send_form=SendMobileCodeForm(formdata=None), code_policy=rules.MOBILE_CODE,
                           code_lifetime_minutes=int(rules.MOBILE_CODE.lifetime.total_seconds() // 60),
                           extra_problems=[(f.code.id, message) for f in code_forms.values()
                                           for message in f.code.errors],
                           sections=answer_sections(filing, documents, change=True),
                           service_changes=service_changes(filing),
                           **_frame(filing, "check")), status


@bp.post("/<filing_id>/check/existing-websites")
@role_required("applicant")
def check_existing(filing_id):
    """Check the subject's websites already filed now (a bounded wait), then show the findings on the check page."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "check")) is not None:
        return stop
    if BaseForm().validate_on_submit():
        check_existing_websites(filing)
    return redirect(step_url(filing, "check") + "#existing-websites")


@bp.get("/<filing_id>/submitted")
@role_required("applicant")
def submitted(filing_id):
    """The confirmation: reference number and what happens next."""
    filing = owned_filing(filing_id)
    if filing.get("submitted_at") is None:
        return redirect(url_for("filings.status", filing_id=filing_id))
    from icp import timeline
    from icp.order import Order

    # the road of this order under the policy stamped on it at submission, which every later deadline reads
    return render_template("filings/submitted.html", filing=filing, next=Order(filing).next_action,
                           stages=timeline.stages(filing))

