"""Flask blueprints (thin: parse the form, call icp, redirect or render) and what they share."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app


def register_blueprints(app):
    """Attach every blueprint of the service to the app."""
    from views import administration, applicant, auth, console, main, outbox, review, unavailable

    for blueprint in (main.bp, auth.bp, *applicant.blueprints(), console.bp, review.bp, administration.bp, outbox.bp,
                      unavailable.bp):
        app.register_blueprint(blueprint)
    if app.config["ICP_SETTINGS"].is_local:
        from views import local_storage

        app.register_blueprint(local_storage.bp)
        app.register_blueprint(outbox.local_bp)


def table():
    """The state table of this app."""
    return current_app.extensions["icp_table"]


def blobs():
    """The document store of this app."""
    return current_app.extensions["icp_blobs"]


def settings():
    """The Settings this app was built with."""
    return current_app.config["ICP_SETTINGS"]


def now() -> datetime:
    """The current time; tests pin it with the ICP_CLOCK config entry (a callable)."""
    clock = current_app.config.get("ICP_CLOCK")
    return clock() if clock else datetime.now(timezone.utc)


def when(value) -> str:
    """Jinja filter `when`: a moment in China time, the zone named, in the page's language ("" for none)."""
    from flask_babel import get_locale, gettext

    from icp import dates

    return dates.moment_text(value, get_locale().language, gettext) if value else ""


def day(value) -> str:
    """Jinja filter `day`: a date (or a moment's China date) in the page's language ("" for none)."""
    from flask_babel import get_locale

    from icp import dates

    return dates.day_text(value, get_locale().language) if value else ""
