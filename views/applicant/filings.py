"""The applicant's filings: the list, step 1 (verify the filing type), the status page and withdrawing."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.base import BaseForm, FilingForm, rule_message
from icp import filing as f
from icp import rules
from icp.order_types import ORDER_TYPES, order_type_of
from icp.store import Conflict
from views import now, read_ahead_items, reads_ahead, settings, table
from views.auth import role_required
from views.applicant.wizard import new_order_indicator, owned_filing, owned_filing_with_parts, step_url

from views.applicant.blueprint import bp
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
filing_type_forms = lazy_module("forms.filing_type")

# the registry and the use cases of starting and ending an order load with the first page that uses them
registry = lazy_module("icp.registry")
ending = lazy_module("icp.workflow.ending")
filed_subject = lazy_module("icp.workflow.filed_subject")
drafting = lazy_module("icp.workflow.drafting")
registrar = lazy_module("icp.registrar")

# which step 1 input differs from the MIIT record: the most common cause of a wrongly detected type
MISMATCH_MESSAGES = {
    "province": _l("The MIIT record for this certificate is in another province. Select the province the "
                   "subject is filed in."),
    "nature": _l("The MIIT record for this certificate has another subject nature. Select the nature the "
                 "subject is filed with."),
    "certificate_type": _l("The MIIT record for this certificate number has another certificate type. Select "
                           "the type the subject is filed with."),
}


@bp.get("")
@role_required("applicant")
def my_filings():
    """The applicant's orders with their status and last change, newest first."""
    from icp.order import Order
    from icp.store import read_keys

    lower, upper = f.owner_sort_bounds()
    orders = table().query_index("owner", current_user.email, lower_bound=lower, upper_bound=upper, descending=True)
    # an entry written before orders carried their glance cannot say its next action: read those orders whole
    # (once each is written again, its entry carries the glance and this costs nothing)
    unseen = [(o["pk"], o["sk"]) for o in orders if "glance" not in o]
    whole = read_keys(table(), unseen) if unseen else {}
    orders = [whole.get((o["pk"], o["sk"])) or o for o in orders]
    from icp.services import filed_services
    from views.applicant.after_number import ENDPOINTS, LINK_LABELS

    return render_template("filings/my-filings.html", orders=[Order(o) for o in orders],
                           services=filed_services(orders), after_number_endpoints=ENDPOINTS,
                           after_number_labels=LINK_LABELS)


def _registry_keys(_filing_id: None) -> list[tuple[str, str]]:
    """What step 1's POST reads, read ahead with the session: the registry's items for the posted answers."""
    if request.method != "POST" or request.form.get("edit"):
        return []
    typed = {"certificate_type": request.form.get("certificate_type", ""),
             "certificate_number": request.form.get("certificate_number", "")}
    return registry.filing_type_keys(**typed, domain=request.form.get("domain", "")) + \
        filed_subject.lookup_keys(**typed)


@bp.route("/new", methods=["GET", "POST"])
@role_required("applicant")
@reads_ahead(_registry_keys)
def new():
    """Step 1 of a website: check province, subject, certificate and domain against the MIIT registry."""
    form = filing_type_forms.FilingTypeForm()
    if request.method == "POST" and request.form.get("edit"):
        # "Check and try again" from an explanation page: the answers come back to be corrected, not checked yet
        return _step_one(form, "website")
    if not form.validate_on_submit():
        return _step_one(form, "website")
    domain = form.domain.data
    ahead = read_ahead_items()  # the registry's items and this account's last approval of the subject
    verification = registry.verify_filing_type(
        table(), province=form.province.data, nature=form.nature.data,
        certificate_type=form.certificate_type.data, certificate_number=form.certificate_number.data,
        ascii_domain=domain.ascii, prefetched=ahead)
    if verification.held_by_another:
        form.add_error("domain", gettext(
            "The registrar lists %(holder)s as the holder of %(domain)s, not the subject. The domain must be "
            "held by the subject: transfer it first.", holder=verification.holder.holder_name,
            domain=domain.unicode))
    # the registrar must be approved and the domain have the days left its province asks (icp.registrar; RDAP
    # when configured): a refusal at the field; a registrar we cannot place is said once the order starts
    holder = registrar.current_holder(table(), verification.holder, domain.ascii, port=settings().registrar,
                                      base_url=settings().rdap_url)
    registration_warnings = []
    if verification.domain is None:  # a domain already filed is explained, not refused
        for problem in registrar.registration_problems(holder, domain.unicode, today=now().date(),
                                                       province=form.province.data):
            if problem.severity == rules.WARN:
                registration_warnings.append(rule_message(problem.message, problem.params))
            else:
                form.add_error("domain", rule_message(problem.message, problem.params))
    return _verified(form, verification, "website", ahead, domain=domain.unicode, domain_ascii=domain.ascii,
                     explained={"domain": domain, "registry_domain": verification.domain},
                     warnings=registration_warnings)


def _app_registry_keys(_filing_id: None) -> list[tuple[str, str]]:
    """What an app's step 1 POST reads, read ahead with the session: the subject, its app of that name and this
    account's last approval of the subject."""
    if request.method != "POST" or request.form.get("edit"):
        return []
    typed = {"certificate_type": request.form.get("certificate_type", ""),
             "certificate_number": request.form.get("certificate_number", "")}
    return registry.app_filing_type_keys(**typed, app_name=request.form.get("app_name", "").strip()) + \
        filed_subject.lookup_keys(**typed)


@bp.route("/new-app", methods=["GET", "POST"])
@role_required("applicant")
@reads_ahead(_app_registry_keys)
def new_app():
    """Step 1 of an app: check province, subject and certificate against the MIIT registry, and that the subject
    has no app of this name yet; the domains the app calls are bare domains."""
    form = filing_type_forms.AppTypeForm()
    if not form.validate_on_submit() or (request.method == "POST" and request.form.get("edit")):
        return _step_one(form, "app")
    ahead = read_ahead_items()
    verification = registry.verify_app_filing_type(
        table(), province=form.province.data, nature=form.nature.data,
        certificate_type=form.certificate_type.data, certificate_number=form.certificate_number.data,
        app_name=form.app_name.data, prefetched=ahead)
    return _verified(form, verification, "app", ahead, domain="", domain_ascii="", app_name=form.app_name.data,
                     domains=tuple(getattr(d, "unicode", d) for d in form.domains.data), explained={})


def _step_one(form, order_type: str, in_flight: dict | None = None):
    """Step 1's page of an order type (a website's or an app's), with its errors and any order in the way."""
    return render_template("filings/new.html", form=form, in_flight=in_flight, order_type=ORDER_TYPES[order_type],
                           rules=rules,
                           action=url_for("filings.new_app" if order_type == "app" else "filings.new"),
                           indicator=new_order_indicator(order_type))


def _verified(form, verification, order_type: str, ahead: dict, *, explained: dict, warnings: list[str] = (),
              **service):
    """After the registry's answer: the mismatches at their fields, an explanation page for a type this service
    does not take, or the new order (or the order in the way); `warnings` are said once the order starts (the
    check page lists them again)."""
    for name in verification.mismatches:
        form.add_error(name, str(MISMATCH_MESSAGES[name]))
    if form.errors:
        return _step_one(form, order_type)
    if not verification.filing_type.continue_in_this_flow:
        return render_template("filings/type-explained.html", filing_type=verification.filing_type, form=form,
                               rules=rules, order_type=ORDER_TYPES[order_type],
                               action=url_for("filings.new_app" if order_type == "app" else "filings.new"),
                               **{"domain": None, "registry_domain": None, **explained})
    subject = verification.subject
    verified = drafting.VerifiedType(
        province=form.province.data, nature=form.nature.data, certificate_type=form.certificate_type.data,
        certificate_number=form.certificate_number.data, filing_type=verification.filing_type.code,
        subject_name=subject.name, subject_icp_number=subject.icp_number, subject_websites=subject.websites,
        **service)
    # a subject this account filed with us before: step 3 starts from that filing's answers
    prefill = filed_subject.last_approved(table(), certificate_number=form.certificate_number.data,
                                          owner=current_user.email, prefetched=ahead)
    try:
        filing = drafting.start_filing(table(), owner=current_user.email,
                              owner_mobile=current_user.session.mobile or current_user.account.mobile,
                              verified=verified, language=get_locale().language, now=now(),
                              policy=rules.deadline_policy(settings().deadline_policy),
                              subject_prefill=prefill, order_type=order_type)
    except drafting.OrderInFlight as busy:
        return _step_one(form, order_type, in_flight_order(busy))
    flash(gettext("The filing type is verified: %(type)s. Your order number is %(id)s.",
                  type=gettext(verification.filing_type.label), id=filing["id"]), "success")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(step_url(filing, "instance"))


def in_flight_order(busy: drafting.OrderInFlight) -> dict:
    """What step 1 says about the order that holds the subject or the domain: for this account's own order, its
    number with Continue (its current step) and Withdraw (when it may still be withdrawn); for another account's,
    only that there is one (nothing of another account's order is shown)."""
    from icp.order_types import service_name
    from views.applicant.wizard import current_step_url, owned_filing_with_documents

    shown = {"what": busy.what, "mine": busy.owner == current_user.email}
    if not shown["mine"]:
        return shown
    filing, documents = owned_filing_with_documents(busy.filing_id)
    can_withdraw = "withdraw" in f.allowed_actions(filing, "applicant")
    held = gettext("This subject already has your order %(id)s (%(domain)s) in progress.", id=filing["id"],
                   domain=service_name(filing)) if busy.what == "subject" else \
        gettext("This domain already has your order %(id)s in progress.", id=filing["id"])
    return {**shown, "id": filing["id"], "title": held, "status": gettext(f.STATUS_LABELS[filing["status"]]),
            "continue_url": current_step_url(filing, documents),
            "withdraw_url": url_for("filings.withdraw", filing_id=filing["id"]) if can_withdraw else None}


@bp.get("/<filing_id>/type")
@role_required("applicant")
def verified_type(filing_id):
    """The verified inputs of step 1, fixed for the life of the order."""
    from views.applicant.wizard import back_url, step_indicator

    filing = owned_filing(filing_id)
    if not order_type_of(filing).has_step("type"):  # a change of a filed website: its start page explains these
        abort(404)
    from views.applicant.summary import province_name, service_rows

    return render_template("filings/verified-type.html", filing=filing, back=back_url(filing, "type"),
                           province_name=province_name, service_rows=service_rows,
                           indicator=step_indicator(filing, "type"), rules=rules,
                           filing_type=rules.FILING_TYPES[filing["verified"]["filing_type"]])


@bp.get("/<filing_id>")
@role_required("applicant")
def status(filing_id):
    """Where the order stands: every stage and its date, the running deadline, the next thing to do, history."""
    return render_status(filing_id)


def render_status(filing_id: str, *, codes_form=None, code: int = 200, attempts_left=None):
    """The status page; `codes_form` carries the MIIT codes form with its errors after a refused attempt.

    What the order's status means for it (label, who acts next, the next action and its date, which panel
    shows what to do) comes from the status table through icp.order.Order; the template compares no status.
    """
    from forms.verification import CodesForm
    from icp import deadlines, timeline
    from icp.order import Order
    from icp.workflow import sms, verification

    filing, documents, events = owned_filing_with_parts(filing_id)
    moment = now()
    order = Order(filing)
    continue_url = None
    if order.can("edit"):
        from icp.documents import missing_documents

        complete = filing["steps"].get(order_type_of(filing).service_step) and \
            not missing_documents(filing, documents)
        continue_url = step_url(filing, drafting.first_incomplete_step(filing, bool(complete)))
    sms_state = None
    if order.panel == "codes":
        sms_state = {"form": codes_form or CodesForm(people=order.verification.people, role=order.order_type.role),
                     "resends_left": sms.resends_left(filing), "attempts_left": attempts_left,
                     "wrong": order.wrong_codes(), "rule": order.wrong_code_rule(),
                     "paused_until": filing["sms"].get("paused_until") if sms.paused_until(filing, moment) else None}
    return render_template(
        "filings/status.html", filing=filing, order=order, next=order.next_action, events=events,
        stages=timeline.stages(filing), continue_url=continue_url, rules=rules,
        left=order.time_left(moment),
        window=order.decision_window(moment.astimezone(deadlines.CHINA).date()),
        photo_rules=verification.photo_rules(filing), sms=sms_state, action_form=BaseForm(), documents=documents,
        stamped=order.policy, comment_labels=comment_labels(filing), can_withdraw=order.can("withdraw")), code


def comment_labels(filing: dict) -> dict:
    """What each reviewer comment is about, as the applicant reads it."""
    from views.answers import comment_labels as answer_labels

    labels = answer_labels(filing)
    from icp.documents import label_of

    labels.update({f"document:{code}": gettext(label_of(filing, code)) for code in rules.DOCUMENT_KINDS})
    labels[""] = gettext("General")
    return labels


@bp.route("/<filing_id>/withdraw", methods=["GET", "POST"])
@role_required("applicant")
def withdraw(filing_id):
    """Ask, then withdraw the order and release its service code."""
    filing = owned_filing(filing_id)
    if "withdraw" not in f.allowed_actions(filing, "applicant"):
        flash(gettext("This order can no longer be withdrawn."), "warning")
        return redirect(url_for("filings.status", filing_id=filing_id))
    form = FilingForm()
    if form.is_stale(filing["version"]):
        # the order moved on after this page was opened (a review, a reply): ask again on the order as it is
        flash(gettext("This order changed after this page was opened. Check it before you withdraw it."),
              "warning")
    elif form.validate_on_submit():
        try:
            ending.withdraw(table(), filing, actor=current_user.email, now=now())
        except Conflict:
            flash(gettext("The order changed while you were withdrawing it. Check it and try again."), "warning")
            return redirect(url_for("filings.withdraw", filing_id=filing_id))
        flash(gettext("Order %(id)s is withdrawn. Its service code can be used again.", id=filing_id), "success")
        return redirect(url_for("filings.my_filings"))
    form.show(filing["version"])
    return render_template("filings/withdraw.html", filing=filing, form=form)

