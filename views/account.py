"""Your account: what the service holds about you, a copy of it (Download my data) and Delete my account.

Applicants only: staff accounts are made by the CLI and hold no filings; no staff page reaches either action.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user

from icp import accounts, retention, rules
from icp import filing as f
from icp.order import Order
from views import blobs, now, settings, table, when
from views.auth import role_required
from views.lazy import lazy_module

# the form and the use cases, with the first page of the account's data (views/lazy.py)
account_forms = lazy_module("forms.account")
own_data = lazy_module("icp.workflow.own_data")
data_export = lazy_module("icp.workflow.data_export")

bp = Blueprint("account", __name__, url_prefix="/account")


def _password_holds(form: account_forms.PasswordAgainForm) -> bool:
    """Check the password typed again (attempts counted as at log-in); the refusal goes next to the field."""
    try:
        accounts.authenticate(table(), email=current_user.email, password=form.password.data,
                              address=request.remote_addr or "unknown", now=now())
    except accounts.LoginRefused as refusal:
        if refusal.locked_until:
            form.add_error("password", gettext(refusal.message, time=when(refusal.locked_until)))
        else:
            form.add_error("password", gettext("That is not your password. Enter the password you log in with."))
        return False
    return True


@bp.get("")
@role_required("applicant")
def overview():
    """What the account holds, and the two actions on it."""
    return render_template("account/overview.html", account=current_user.account)


@bp.route("/download", methods=["GET", "POST"])
@role_required("applicant")
def download():
    """Ask for the password, then send the ZIP: streamed as it is made, or, on Lambda and for a copy too large to be
    one response there, written to storage and handed out as a short-lived signed link (303)."""
    form = account_forms.PasswordAgainForm()
    if form.validate_on_submit() and _password_holds(form):
        export = data_export.gather(table(), blobs(), current_user.email, now=now())
        if data_export.needs_link(settings().backend, export):
            return redirect(data_export.store(table(), blobs(), current_user.email, export, now=now()), 303)
        response = Response(stream_with_context(data_export.zip_pieces(export, blobs())),
                            mimetype=data_export.CONTENT_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{data_export.filename(now())}"'
        return response
    return render_template("account/download.html", form=form, export_minutes=rules.EXPORT_LINK_MINUTES)


@bp.route("/delete", methods=["GET", "POST"])
@role_required("applicant")
def delete():
    """Say what deleting does and what stays; refuse with the reason while an order runs; then delete."""
    orders = own_data.owned_orders(table(), current_user.email)
    blockers = own_data.deletion_blockers(table(), current_user.email, orders)
    # standing filings stay as the record; an approved order no longer the record of a service of ours is erased
    approved = [Order(o) for o in orders if o["status"] == "APPROVED" and not f.is_closed(o)]
    closed = [Order(o) for o in orders if f.is_closed(o) and not retention.is_erased(o)]
    form = account_forms.PasswordAgainForm()
    if not blockers and form.validate_on_submit() and _password_holds(form):
        try:
            own_data.delete_account(table(), blobs(), current_user.email, now=now())
        except own_data.AccountInUse as in_use:  # an order was submitted meanwhile, in another tab
            blockers = in_use.blockers
        else:
            logout_user()
            flash(gettext("Your account is deleted, and you are logged out everywhere."), "success")
            return redirect(url_for("main.home"))
    return render_template("account/delete.html", form=form, blockers=[(Order(b.filing), b.withdrawable)
                                                                        for b in blockers],
                           approved=approved, closed=closed, approved_retention=rules.APPROVED_RETENTION)
