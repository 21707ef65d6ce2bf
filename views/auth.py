"""Register, log in and log out."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.routing import BuildError

from views.extensions import login_manager
from forms.auth import LogInForm, RegisterForm
from icp import accounts
from views import now, table, when
from views.main import _same_site

bp = Blueprint("auth", __name__)


class User(UserMixin):
    """The logged-in person, as Flask-Login sees them."""

    def __init__(self, account: accounts.Account):
        self.account = account

    def get_id(self) -> str:
        """Identify the session's user by e-mail address."""
        return self.account.email

    @property
    def role(self) -> str:
        """applicant, reviewer or administration."""
        return self.account.role

    @property
    def email(self) -> str:
        """The account's e-mail address."""
        return self.account.email


@login_manager.user_loader
def load_user(email: str):
    """Load the session's account from the table (so a deleted account is logged out)."""
    account = accounts.get_account(table(), email)
    return User(account) if account else None


def role_required(*roles):
    """Let only logged-in users with one of `roles` through; others get 404, not a hint that the page exists."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def landing_page(user) -> str:
    """Where each role starts after log-in."""
    return {
        "applicant": "filings.my_filings",
        "reviewer": "review.queues",
        "administration": "administration.queue",
    }.get(user.role, "main.home")


def _landing_url(user) -> str:
    try:
        return url_for(landing_page(user))
    except BuildError:  # staff consoles (review, administration) are later issues: land on the home page
        return url_for("main.home")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an applicant account and log it in."""
    if current_user.is_authenticated:
        return redirect(_landing_url(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            account = accounts.create_account(
                table(), email=form.email.data, password=form.password.data,
                mobile=form.mobile.data, now=now(),
            )
        except accounts.DuplicateAccount:
            form.add_error("email", gettext("An account with this e-mail address already exists. Log in instead."))
        else:
            login_user(User(account))
            flash(gettext("Your account has been created."), "success")
            return redirect(_landing_url(current_user))
    return render_template("auth/register.html", form=form)


@bp.route("/log-in", methods=["GET", "POST"])
def log_in():
    """Check the e-mail and password, limited per account and per address."""
    if current_user.is_authenticated:
        return redirect(_landing_url(current_user))
    form = LogInForm()
    if form.validate_on_submit():
        try:
            account = accounts.authenticate(
                table(), email=form.email.data, password=form.password.data,
                address=request.remote_addr or "unknown", now=now(),
            )
        except accounts.LoginRefused as refusal:
            params = {"time": when(refusal.locked_until)} if refusal.locked_until else {}
            form.add_error("password", gettext(refusal.message, **params))
        else:
            login_user(User(account))
            return redirect(_same_site(request.args.get("next")) if request.args.get("next")
                            else _landing_url(current_user))
    return render_template("auth/log-in.html", form=form)


@bp.post("/log-out")
def log_out():
    """End the session (POST with CSRF, so no other site can log a person out)."""
    logout_user()
    flash(gettext("You have logged out."), "success")
    return redirect(url_for("main.home"))
