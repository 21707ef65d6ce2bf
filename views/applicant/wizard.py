"""What every step of the applicant's wizard shares: finding the order, guarding the step, the step indicator."""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from icp import filing as f
from icp.order_types import ORDER_TYPES, order_type_of
from icp.workflow import FilingNotFound, load_filing, load_filing_with_documents, load_filing_with_parts
from views import table
from views.lazy import lazy_module

drafting = lazy_module("icp.workflow.drafting")  # with the first step page (views/lazy.py)

# the pages of the steps that are not a form of answers (icp.order_types: those are one generic view, by code)
STEP_ENDPOINTS = {
    "type": "filings.verified_type",
    "instance": "filings.instance",
    "documents": "documents.documents",
    "check": "filings.check",
    "confirm": "filings.confirm_order",  # an order after the number's one page (views.applicant.after_number)
}


def step_title(step: str, order_type: str = "website") -> str:
    """A step's title in the person's language, as the order type declares it."""
    return gettext(ORDER_TYPES[order_type].step(step).title)


def owned_filing(filing_id: str) -> dict:
    """The current applicant's filing, or 404 (also for someone else's order number)."""
    from views import NOT_READ, already_read

    item = already_read(f.filing_key(filing_id)) if filing_id.isalnum() else NOT_READ
    if item is not NOT_READ:  # read ahead with the session (views.read_ahead)
        if item is None or item["owner"] != current_user.email:
            abort(404)
        return item
    try:
        return load_filing(table(), filing_id, owner=current_user.email)
    except FilingNotFound:
        abort(404)


def owned_filing_with_parts(filing_id: str) -> tuple[dict, dict, list]:
    """The current applicant's filing with its documents and history, or 404."""
    try:
        return load_filing_with_parts(table(), filing_id, owner=current_user.email)
    except FilingNotFound:
        abort(404)


def owned_filing_with_documents(filing_id: str, kinds: tuple[str, ...] | None = None) -> tuple[dict, dict]:
    """The current applicant's filing with its documents of `kinds` (all by default; not its history), or 404;
    read by key, with the session when the view reads them ahead (views.reads_ahead with
    filing_and_document_keys)."""
    from views import read_ahead_items

    try:
        filing, documents, _found = load_filing_with_documents(table(), filing_id, owner=current_user.email,
                                                               kinds=kinds, prefetched=read_ahead_items())
    except FilingNotFound:
        abort(404)
    return filing, documents


def current_step_url(filing: dict, documents: dict) -> str:
    """Where to carry on with an order: the first step not done while it can be edited, else its status page."""
    from icp.documents import missing_documents

    if filing["status"] not in f.EDITABLE:
        return url_for("filings.status", filing_id=filing["id"])
    complete = bool(filing["steps"].get(order_type_of(filing).service_step)) and \
        not missing_documents(filing, documents)
    return step_url(filing, drafting.first_incomplete_step(filing, complete))


def step_url(filing: dict, step: str, **args) -> str:
    """The URL of a step of this filing."""
    if step in STEP_ENDPOINTS:
        return url_for(STEP_ENDPOINTS[step], filing_id=filing["id"], **args)
    return url_for("filings.answers_step", filing_id=filing["id"], step=step, **args)


def guard_step(filing: dict, step: str, documents_complete: bool = False):
    """A redirect when this step cannot be shown now (submitted order, earlier step not done), else None; 404 for
    a step the order's type does not have (a change of a filed website has no filing type or server step)."""
    if not order_type_of(filing).has_step(step):
        abort(404)
    if filing["status"] not in f.EDITABLE:
        return redirect(url_for("filings.status", filing_id=filing["id"]))
    if not drafting.step_allowed(filing, step):
        return redirect(step_url(filing, drafting.first_incomplete_step(filing, documents_complete)))
    return None


def after_save_url(filing: dict, step: str) -> str:
    """Where saving a step leads: back to the check page when the person came from there, else the next step."""
    if request.args.get("return") == "check":
        return step_url(filing, "check")
    steps = order_type_of(filing).step_codes
    return step_url(filing, steps[steps.index(step) + 1])


def back_url(filing: dict, step: str) -> str:
    """The Back link of a step: the check page when the person came from there, else the previous step."""
    if request.args.get("return") == "check":
        return step_url(filing, "check")
    steps = order_type_of(filing).step_codes
    index = steps.index(step)
    if index == 0:
        return url_for("filings.my_filings")
    return step_url(filing, steps[index - 1])


def step_indicator(filing: dict, current: str) -> dict:
    """Arguments for the step indicator macro: each step's title, link and state."""
    steps = []
    order_type = order_type_of(filing)
    for step in order_type.steps:
        done = bool(filing["steps"].get(step.code))
        steps.append({
            "title": gettext(step.title),
            "url": step_url(filing, step.code) if drafting.step_allowed(filing, step.code) else None,
            "state": "complete" if done else ("current" if step.code == current else "incomplete"),
        })
    return {"steps": steps, "current": order_type.step_codes.index(current) + 1}


def new_order_indicator(order_type: str = "website") -> dict:
    """The step indicator of step 1, before there is an order: the first step current, none done."""
    steps = [{"title": gettext(step.title), "url": None, "state": "current" if index == 0 else "incomplete"}
             for index, step in enumerate(ORDER_TYPES[order_type].steps)]
    return {"steps": steps, "current": 1}


def reviewer_comments(filing: dict, step: str) -> dict:
    """A returned order's comments on this step, by field id ({"leader_mobile": ["..."]})."""
    if filing["status"] != f.RETURNED:
        return {}
    found: dict = {}
    for comment in filing.get("comments") or []:
        where, _sep, field_id = comment.get("target", "").partition(":")
        if where == step and field_id:
            found.setdefault(field_id, []).append(comment["text"])
    return found
