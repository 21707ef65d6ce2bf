"""Storage or a service we call did not answer (throttled, timed out, failed): a clear page, never a 500.

Every change is one atomic write (DESIGN.md), so a write that failed changed nothing: the page can say so,
and the person can send the same form again.
"""
from __future__ import annotations

import logging
import sqlite3

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, render_template
from flask_babel import gettext

bp = Blueprint("unavailable", __name__)
log = logging.getLogger(__name__)

# what the backends raise when the table, the bucket or the queue cannot be reached or refuse for load
UNAVAILABLE = (ClientError, BotoCoreError, sqlite3.OperationalError, TimeoutError, ConnectionError)


def storage_unavailable(error):
    """503 with what to do; the error is logged by its type only (its text may quote stored data)."""
    log.error("storage or service unavailable: %s", type(error).__name__)
    return render_template(
        "error.html", title=gettext("The service is busy"),
        advice=gettext("We could not save or read your order just now. Nothing was changed and nothing you "
                       "saved is lost: go back and send the same form again in a minute.")), 503


for _kind in UNAVAILABLE:
    bp.app_errorhandler(_kind)(storage_unavailable)
