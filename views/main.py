"""The home page and the language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from views.extensions import LANGUAGE_COOKIE, LANGUAGES
from views.safety import UnreadableForm, safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Explain the service and the procedure, with the way in."""
    return render_template("main/home.html")


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers and feed readers look for it without reading a page's link to it."""
    response = send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/terms")
def terms():
    """ICP filing terms explained, with the Chinese term a foreign applicant will meet."""
    return render_template("main/terms.html")


@bp.get("/privacy")
def privacy():
    """The privacy notice: what is kept, why, for how long (read from rules.py), and how to get a copy or delete it."""
    from icp import rules

    return render_template("main/privacy.html", endings=list(rules.RETENTION_BY_ENDING.values()),
                           after_service=list(rules.RETENTION_AFTER_SERVICE.values()),
                           approved_retention=rules.APPROVED_RETENTION,
                           noncurrent_days=rules.NONCURRENT_VERSION_DAYS,
                           backup_days=rules.POINT_IN_TIME_RECOVERY_DAYS,
                           export_minutes=rules.EXPORT_LINK_MINUTES,
                           discard_days=rules.DRAFT_DISCARD_AFTER.days)


@bp.get("/language/<code>")
def switch_language(code: str):
    """Remember the chosen language and go back to the page the person was on."""
    response = redirect(safe_next(request.args.get("next")))
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("This link has expired or is not yours"),
    404: _l("Page not found"),
    405: _l("Page not found"),
    413: _l("The request is too large"),
    500: _l("Sorry, there is a problem with the service"),
}
ERROR_ADVICE = {
    400: _l("Go back, reload the page and try again."),
    403: _l("Go back to the page you came from and open the link again."),
    404: _l("If you typed the address, check it is correct. If you followed a link to an order, check that you are logged in with the account that owns it."),
    405: _l("If you typed the address, check it is correct."),
    413: _l("Documents are uploaded to the document store, not to this page. Go back and use the upload form."),
    500: _l("Try again later. Nothing you saved has been lost."),
}


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    """A form posted without a valid token (expired session, or another site's form): nothing was changed."""
    return render_template("error.html", title=_l("This form has expired"),
                           advice=_l("Nothing was changed. Go back, reload the page, and submit the form again.")), 400


@bp.app_errorhandler(UnreadableForm)
@bp.app_errorhandler(UnicodeError)
def unreadable_request(error):
    """A request whose text cannot be read (a stray byte that is not UTF-8): nothing was changed, say so."""
    return render_template("error.html", title=UnreadableForm.description, advice=UnreadableForm.advice), 400


@bp.app_errorhandler(400)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(413)
@bp.app_errorhandler(500)
def error_page(error):
    """A page in the service's own layout that says what went wrong and what to do."""
    code = getattr(error, "code", 500) or 500
    return render_template("error.html", title=ERROR_TITLES.get(code, ERROR_TITLES[500]),
                           advice=ERROR_ADVICE.get(code, ERROR_ADVICE[500])), code
