"""Storage or a service we call did not answer (throttled, timed out, failed): a clear page, never a 500.

Every change is one atomic write (DESIGN.md), so a write that failed changed nothing: the page can say so,
and the person can send the same form again.
"""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext

log = logging.getLogger(__name__)

# besides what the backend in use raises (icp.store.unavailable_errors): a call that timed out or lost its peer
NETWORK_ERRORS = (TimeoutError, ConnectionError)


def storage_unavailable(error):
    """503 with what to do; the error is logged by its type only (its text may quote stored data)."""
    log.error("storage or service unavailable: %s", type(error).__name__)
    return render_template(
        "error.html", title=gettext("The service is busy"),
        advice=gettext("We could not save or read your order just now. Nothing was changed and nothing you "
                       "saved is lost: go back and send the same form again in a minute.")), 503


def register(app, settings) -> None:
    """Answer every error of `settings`' storage backend, and of the network, with the 503 page."""
    from icp.store import unavailable_errors

    for kind in (*unavailable_errors(settings), *NETWORK_ERRORS):
        app.register_error_handler(kind, storage_unavailable)
