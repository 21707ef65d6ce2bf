"""Flask blueprints (thin: parse the form, call icp, redirect or render) and what they share."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, request


def register_blueprints(app):
    """Attach every blueprint of the service to the app."""
    from views import account, administration, applicant, auth, console, main, outbox, review, unavailable

    # the session and the order a URL names are read in one round trip, before the view runs
    app.before_request(read_ahead)
    for blueprint in (main.bp, auth.bp, account.bp, *applicant.blueprints(), console.bp, review.bp, administration.bp,
                      outbox.bp):
        app.register_blueprint(blueprint)
    unavailable.register(app, app.config["ICP_SETTINGS"])
    if app.config["ICP_SETTINGS"].is_local:
        from views import local_storage

        app.register_blueprint(local_storage.bp)
        app.register_blueprint(outbox.local_bp)


# applicant pages that read the order with its documents and history in one query (not worth reading ahead;
# the check page's GET reads it so too: its view names its keys with reads_ahead, none on a GET)
READS_WITH_PARTS = frozenset({"filings.status"})


def reads_ahead(keys_of):
    """Decorate a view (innermost, right above its `def`) whose request names what it will read: the keys
    `keys_of(filing_id)` returns (called in the request, with the URL's order number or None for a URL without
    one; from the URL and the posted form) are read with the session in one round trip before the view runs,
    in place of the order alone. The view takes them with read_ahead_items(); a key that was only a guess
    costs the view one more read, never a wrong item."""
    def decorate(view):
        view.read_ahead_keys = keys_of
        return view
    return decorate


def read_ahead() -> None:
    """before_request: read the session and the order the URL names in one round trip (a BatchGetItem).

    A page's session check (views.auth.load_user) and its order (views.applicant.wizard.owned_filing) then
    take their item from here, each once: a second read in the same request (after a write) goes to the
    table, so nothing stale is ever used. A view decorated with reads_ahead names its own keys instead.
    """
    from flask import g
    from flask import session as cookie

    from icp import filing as f
    from icp import sessions

    keys = []
    session_id = cookie.get("_user_id")
    if isinstance(session_id, str) and session_id:
        keys.append(sessions.session_key(session_id))
    view_args = request.view_args or {}
    filing_id = view_args.get("filing_id")
    valid_id = isinstance(filing_id, str) and filing_id.isalnum()
    endpoint = request.endpoint or ""
    declared = getattr(current_app.view_functions.get(endpoint), "read_ahead_keys", None)
    if keys and declared is not None and (valid_id or "filing_id" not in view_args):
        keys += declared(filing_id)
    # only the applicant's pages that read the order alone; pages that read it with its documents and
    # history (one query: status, documents) and the staff consoles read it their own way
    elif keys and valid_id and endpoint.startswith("filings.") and endpoint not in READS_WITH_PARTS:
        keys.append(f.filing_key(filing_id))
    keys = list(dict.fromkeys(keys))
    g.read_ahead = {}
    if len(keys) > 1:  # a lone session is read by its own get: nothing to combine it with
        found = table().get_many(keys)
        g.read_ahead = {key: found.get(key) for key in keys}


def already_read(key: tuple[str, str]):
    """The item at `key` if this request read it ahead (None: read and absent), else the sentinel NOT_READ;
    each key is handed out once."""
    from flask import g

    ahead = getattr(g, "read_ahead", {})
    return ahead.pop(key) if key in ahead else NOT_READ


def read_ahead_items() -> dict:
    """Every item this request read ahead and has not handed out yet, by key (None: read and absent), handed
    out now: for a view decorated with reads_ahead to pass on to the use case that reads those keys."""
    from flask import g

    ahead = getattr(g, "read_ahead", {})
    g.read_ahead = {}
    return ahead


NOT_READ = object()


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
