"""Your account: what the service holds about you, a copy of it (Download my data) and Delete my account.

Applicants only: staff accounts are made by the CLI and hold no filings; no staff page reaches either action.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user

from icp import accounts, rules
from icp.order import Order
from views import blobs, now, table, when
from views.auth import role_required
from views.lazy import lazy_module

# the form and the use cases, with the first page of the account's data (views/lazy.py)
account_forms = lazy_module("forms.account")
own_data = lazy_module("icp.workflow.own_data")

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
    """Ask for the password, then send the ZIP as it is made (one document in memory at a time)."""
    form = account_forms.PasswordAgainForm()
    if form.validate_on_submit() and _password_holds(form):
        stamp = now().date().isoformat()  # the file's name: the day it was made (UTC), not a date shown
        pieces = own_data.export_zip(table(), blobs(), current_user.email, now=now())
        response = Response(stream_with_context(pieces), mimetype="application/zip")
        response.headers["Content-Disposition"] = f'attachment; filename="icp-filing-my-data-{stamp}.zip"'
        return response
    return render_template("account/download.html", form=form)


@bp.route("/delete", methods=["GET", "POST"])
@role_required("applicant")
def delete():
    """Say what deleting does and what stays; refuse with the reason while an order runs; then delete."""
    orders = own_data.owned_orders(table(), current_user.email)
    blockers = own_data.deletion_blockers(table(), current_user.email, orders)
    approved = [Order(o) for o in orders if o["status"] == "APPROVED"]
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
                           approved=approved, approved_retention=rules.APPROVED_RETENTION)
