"""Outbox pages: staff retry failed messages; on the local backend, anyone reads what would have been sent."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from views import now, table
from views.auth import role_required
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
outbox_forms = lazy_module("forms.outbox")

# with the first outbox page (views/lazy.py)
notify = lazy_module("icp.notify")
texts = lazy_module("icp.messages")  # a message's text in its recipient's language

bp = Blueprint("outbox", __name__)
# registered only on the local backend: there nothing is really sent, so testers read the messages here
local_bp = Blueprint("local_outbox", __name__)


def _row(item: dict) -> dict:
    """What a page shows of one message: its text in the recipient's language, or why it has none."""
    try:
        subject, body = texts.render(item)
        error = None
    except texts.RenderError as problem:
        subject, body, error = None, None, str(problem)
    return {**item, "subject": subject, "body": body, "render_error": error}


@local_bp.get("/local-outbox")
def messages():
    """The latest messages of the outbox, newest first, as the recipients would read them."""
    return render_template("outbox/local-outbox.html", rows=[_row(i) for i in notify.latest_messages(table())],
                           labels=notify.STATUS_LABELS, tones=notify.STATUS_TONES)


@bp.get("/staff/outbox/failed")
@role_required("reviewer")
def failed():
    """Messages given up on after their last attempt, with the error, each with a Retry button."""
    return render_template("outbox/failed.html", rows=[_row(i) for i in notify.failed_messages(table())],
                           form=outbox_forms.RetryForm(), max_attempts=notify.MAX_ATTEMPTS)


@bp.post("/staff/outbox/failed/<message_id>/retry")
@role_required("reviewer")
def retry(message_id: str):
    """Put one failed message back in the queue; the next delivery run sends it."""
    if not outbox_forms.RetryForm().validate_on_submit():
        abort(400)
    if notify.retry_failed(table(), message_id, now=now()):
        flash(gettext("The message is queued again: the next delivery run sends it."), "success")
    else:
        flash(gettext("That message is no longer in the failed list: someone may have retried it already."),
              "warning")
    return redirect(url_for("outbox.failed"), code=303)
