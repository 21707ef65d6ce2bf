"""The orders after the number: cancel access (取消接入) and cancel a website or app (注销), each started from a
service this account filed with us (My filings → Filed with us) and confirmed on one page."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.base import BaseForm
from icp import filing as f
from icp import rules
from icp.order import Order
from icp.order_types import AFTER_NUMBER, order_type_of
from icp.store import Conflict
from views import now, settings, table
from views.applicant.blueprint import bp
from views.applicant.filings import in_flight_order
from views.applicant.wizard import owned_filing
from views.auth import role_required
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
after_number_forms = lazy_module("forms.after_number")

# the orders after the number's use cases, imported when one of these pages is first used (views.lazy)
after_number = lazy_module("icp.workflow.after_number")
services = lazy_module("icp.services")
drafting = lazy_module("icp.workflow.drafting")


# where each order after the number starts, and what My filings' link to it says, by the service's kind
ENDPOINTS = {"cancel_access": "filings.cancel_access", "cancel": "filings.cancel_service",
             "change": "filings.start_change"}
LINK_LABELS = {
    "website": {"cancel_access": _l("Cancel access"), "cancel": _l("Cancel the website"),
                "change": _l("Change the website")},
    "app": {"cancel_access": _l("Cancel access"), "cancel": _l("Cancel the app")},
}


def account_orders() -> list[dict]:
    """The current account's orders as My filings lists them (the owner index)."""
    lower, upper = f.owner_sort_bounds()
    return table().query_index("owner", current_user.email, lower_bound=lower, upper_bound=upper)


def _service_or_404(filing_id: str):
    """The account's filed service whose current order is `filing_id`, or 404 (someone else's, not approved)."""
    service = next((s for s in services.filed_services(account_orders()) if s.order["id"] == filing_id), None)
    if service is None:
        abort(404)
    return service


def _refused_start(service, what: str):
    """Why this service cannot start `what` now, said on My filings."""
    if service.in_progress:
        flash(gettext("Order %(id)s of this subject is in progress: one order of a subject at a time. Finish or "
                      "withdraw it first.", id=service.in_progress["id"]), "warning")
    else:
        flash(gettext("%(service)s cannot take this order now: %(state)s.", service=service.name,
                      state=gettext(service.state_label)), "warning")
    return redirect(url_for("filings.my_filings") + "#filed")


def _start(service, what: str):
    """Create the order `what` on the service; on success the new order, else a response to return."""
    try:
        return after_number.start_service_order(
            table(), table().get(*f.filing_key(service.order["id"])), AFTER_NUMBER[service.kind][what].code,
            owner=current_user.email, owner_mobile=current_user.session.mobile or current_user.account.mobile,
            language=get_locale().language, now=now(), policy=rules.deadline_policy(settings().deadline_policy))
    except drafting.OrderInFlight as busy:
        shown = in_flight_order(busy)
        flash(shown.get("title") or gettext("This subject already has an order in progress."), "warning")
        return redirect(url_for("filings.my_filings") + "#filed")
    except after_number.NotAService:
        abort(404)


@bp.route("/<filing_id>/cancel-access", methods=["GET", "POST"])
@role_required("applicant")
def cancel_access(filing_id):
    """What cancelling access does, in plain words; on confirmation a code to the account's mobile."""
    service = _service_or_404(filing_id)
    if "cancel_access" not in service.actions():
        return _refused_start(service, "cancel_access")
    form = BaseForm()
    if form.validate_on_submit():
        order = _start(service, "cancel_access")
        if not isinstance(order, dict):
            return order
        try:
            after_number.send_account_code(table(), order, now=now())
        except Conflict:
            pass  # the order is there; its page offers to text the code
        return redirect(url_for("filings.confirm_order", filing_id=order["id"]))
    return render_template("filings/cancel-access.html", service=service, form=form,
                           mobile=_masked_account_mobile(), at_once=_at_once(service))


@bp.route("/<filing_id>/cancel", methods=["GET", "POST"])
@role_required("applicant")
def cancel_service(filing_id):
    """The first of two asks before cancelling a website or app for good."""
    service = _service_or_404(filing_id)
    if "cancel" not in service.actions():
        return _refused_start(service, "cancel")
    form = after_number_forms.CancelStartForm()
    if form.validate_on_submit():
        order = _start(service, "cancel")
        if not isinstance(order, dict):
            return order
        return redirect(url_for("filings.confirm_order", filing_id=order["id"]))
    return render_template("filings/cancel.html", service=service, form=form, at_once=_at_once(service))


def _masked_account_mobile() -> str:
    from icp.order import masked_mobile

    return masked_mobile(current_user.session.mobile or current_user.account.mobile or "")


def _at_once(service) -> bool:
    return service.order["verified"]["province"] in rules.CANCELLATION_AT_ONCE_PROVINCES


@bp.route("/<filing_id>/confirm", methods=["GET", "POST"])
@role_required("applicant")
def confirm_order(filing_id):
    """The one page of an order after the number: the account holder's code (cancel access) or the service typed
    out (cancel); then it is sent."""
    order = owned_filing(filing_id)
    order_type = order_type_of(order)
    if not order_type.acts_on_service or order_type.flow == "filing":
        abort(404)
    if order["status"] != f.DRAFT:
        return redirect(url_for("filings.status", filing_id=filing_id))
    if order_type.flow == "cancel_access":
        return _confirm_access(order)
    return _confirm_cancellation(order)


CODE_REFUSALS = {
    "none": _l("Ask for a code first."),
    "expired": _l("This code has expired. Ask for a new one."),
    "too_many": _l("Too many wrong codes: this code no longer works. Ask for a new one."),
    "no_sends_left": _l("No more codes can be sent for this order. Withdraw it and start again tomorrow."),
}


def _confirm_access(order: dict):
    form = after_number_forms.AccountCodeForm()
    moment = now()
    if request.method == "POST" and request.form.get("resend"):
        if BaseForm().validate_on_submit():
            try:
                order = after_number.send_account_code(table(), order, now=moment)
                flash(gettext("A new code was texted to %(mobile)s.", mobile=_masked_account_mobile()), "success")
            except after_number.CodeRefused:
                flash(str(CODE_REFUSALS["no_sends_left"]), "warning")
            except Conflict:
                flash(gettext("The order changed meanwhile. Try again."), "warning")
        return redirect(url_for("filings.confirm_order", filing_id=order["id"]))
    if form.validate_on_submit():
        try:
            order = after_number.submit_cancel_access(table(), order, code=form.code.data, now=moment,
                                                      public_url=settings().public_url)
        except after_number.CodeRefused as refused:
            if refused.outcome == "wrong":
                form.add_error("code", gettext("That code is not right. %(num)d tries left.",
                                               num=refused.tries_left))
            else:
                form.add_error("code", str(CODE_REFUSALS[refused.outcome]))
            order = table().get(*f.filing_key(order["id"])) or order
        except Conflict:
            form.add_error("code", gettext("The order changed meanwhile. Enter the code again."))
        else:
            flash(gettext("Order %(id)s is sent to the communications administration.", id=order["id"]), "success")
            return redirect(url_for("filings.status", filing_id=order["id"]))
    return render_template("filings/confirm-access.html", order=order, view=Order(order), form=form,
                           action_form=BaseForm(), mobile=_masked_account_mobile(),
                           sends_left=after_number.account_code_sends_left(order),
                           code_state=order.get("account_code") or {}), (200 if not form.errors else 422)


def _confirm_cancellation(order: dict):
    form = after_number_forms.CancelConfirmForm()
    if form.validate_on_submit():
        if not after_number.confirms_service(order, form.typed.data):
            form.add_error("typed", gettext("That is not %(service)s. Type it exactly as shown.",
                                            service=Order(order).service))
        else:
            try:
                order = after_number.submit_cancellation(table(), order, now=now(), public_url=settings().public_url)
            except Conflict:
                form.add_error("typed", gettext("The order changed meanwhile. Type it again."))
            else:
                flash(gettext("Order %(id)s is sent: MIIT texts the codes now.", id=order["id"]), "success")
                return redirect(url_for("filings.status", filing_id=order["id"]) + "#codes")
    return render_template("filings/confirm-cancel.html", order=order, view=Order(order), form=form), \
        (200 if not form.errors else 422)


@bp.post("/<filing_id>/access-fixed")
@role_required("applicant")
def access_fixed(filing_id):
    """The applicant says the warned service resolves to our servers again: the warning and its deadline end."""
    service = owned_filing(filing_id)
    if BaseForm().validate_on_submit() and "clear_access_warning" in f.allowed_actions(service, "applicant") \
            and service.get("access_warning"):
        try:
            after_number.clear_access_warning(table(), service, role="applicant", actor=current_user.email,
                                              now=now())
            flash(gettext("Thank you: the warning is cleared. We check the domain again from time to time."),
                  "success")
        except Conflict:
            flash(gettext("The order changed meanwhile. Try again."), "warning")
    return redirect(url_for("filings.status", filing_id=filing_id))
