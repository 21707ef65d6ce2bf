"""Register, log in and log out."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.routing import BuildError

from views.extensions import login_manager
from icp import accounts, sessions
from views import now, settings, table, when
from views.safety import safe_next
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
auth_forms = lazy_module("forms.auth")

bp = Blueprint("auth", __name__)


class User(UserMixin):
    """The logged-in person, as Flask-Login sees them: a live session from the table."""

    def __init__(self, session: sessions.Session):
        self.session = session
        self._account: accounts.Account | None = None

    def get_id(self) -> str:
        """Identify the user by the session id, so the cookie carries nothing the server cannot revoke."""
        return self.session.session_id

    @property
    def role(self) -> str:
        """applicant, reviewer or administration."""
        return self.session.role

    @property
    def email(self) -> str:
        """The account's e-mail address."""
        return self.session.email

    @property
    def account(self) -> accounts.Account:
        """The full account, read only when a page needs more than the e-mail and role."""
        if self._account is None:
            self._account = accounts.get_account(table(), self.email)
            if self._account is None:  # deleted while this request ran
                abort(404)
        return self._account


@login_manager.user_loader
def load_user(session_id: str):
    """Load the session from the table; an ended, idle or too old session is nobody."""
    from views import NOT_READ, already_read

    ahead = already_read(sessions.session_key(session_id)) if isinstance(session_id, str) else NOT_READ
    extra = {} if ahead is NOT_READ else {"item": ahead}
    limits = sessions.SessionLimits.from_settings(settings())
    session = sessions.check_session(table(), session_id, now=now(), limits=limits, **extra)
    return User(session) if session else None


def _log_in(account: accounts.Account) -> None:
    """Open a new session (a new id at every log-in) and put its id in the signed cookie."""
    login_user(User(sessions.start_session(table(), email=account.email, role=account.role, mobile=account.mobile,
                                           now=now(),
                                           limits=sessions.SessionLimits.from_settings(settings()))))


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
    form = auth_forms.RegisterForm()
    if form.validate_on_submit():
        try:
            account = accounts.create_account(
                table(), email=form.email.data, password=form.password.data,
                mobile=form.mobile.data, now=now(),
            )
        except accounts.DuplicateAccount:
            form.add_error("email", gettext("An account with this e-mail address already exists. Log in instead."))
        else:
            _log_in(account)
            flash(gettext("Your account has been created."), "success")
            return redirect(_landing_url(current_user))
    return render_template("auth/register.html", form=form)


@bp.route("/log-in", methods=["GET", "POST"])
def log_in():
    """Check the e-mail and password, limited per account and per address."""
    if current_user.is_authenticated:
        return redirect(_landing_url(current_user))
    form = auth_forms.LogInForm()
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
            _log_in(account)
            target = request.args.get("next")
            return redirect(safe_next(target) if target else _landing_url(current_user))
    return render_template("auth/log-in.html", form=form)


@bp.post("/log-out")
def log_out():
    """End the session on the server and in the browser (POST with CSRF, so no other site can log a person out)."""
    if current_user.is_authenticated:
        sessions.end_session(table(), current_user.session.session_id, email=current_user.email)
    logout_user()
    flash(gettext("You have logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password: every other session of the account ends, this browser stays logged in."""
    form = auth_forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account = accounts.change_password(
                table(), email=current_user.email, current_password=form.current_password.data,
                new_password=form.password.data, address=request.remote_addr or "unknown", now=now())
        except accounts.LoginRefused as refusal:
            params = {"time": when(refusal.locked_until)} if refusal.locked_until else {}
            form.add_error("current_password", gettext(refusal.message, **params))
        else:
            _log_in(account)
            flash(gettext("Your password has been changed. You have been logged out everywhere else."), "success")
            return redirect(_landing_url(current_user))
    return render_template("auth/change-password.html", form=form)
