"""Change a website (变更网站): the start page of a change of a website this account filed with us (registered on
`filings`); the change then runs through the wizard's steps like a new website (icp.workflow.change)."""
from __future__ import annotations

from flask import flash, redirect, render_template
from flask_babel import get_locale, gettext
from flask_login import current_user

from forms.base import BaseForm
from icp import rules
from views import now, settings, table
from views.auth import role_required
from views.applicant.blueprint import bp
from views.applicant.wizard import owned_filing, step_url
from views.lazy import lazy_module

# the use cases, with the first change page (views/lazy.py)
change = lazy_module("icp.workflow.change")
drafting = lazy_module("icp.workflow.drafting")


def _standing(service: dict) -> tuple[str | None, dict | None]:
    """Why this order cannot start a change now (a key of change.REASONS) and the subject's order in progress:
    the order itself (icp.workflow.change.refusal), then the website as the account's orders say it stands now
    (icp.services: still accessed through us, this order still its filing, no order of the subject running)."""
    reason = change.refusal(service)
    if reason:
        return reason, None
    from icp.services import find_service
    from views.applicant.after_number import account_orders

    filed = find_service(account_orders(), service["id"])
    if filed is None:
        return "superseded", None
    if filed.state != "accessed":
        return "not_accessed", None
    return None, filed.in_progress


def _fixed_rows(service: dict) -> list[dict]:
    """What a change keeps as filed (rules.FIXED_ON_CHANGE), as rows: the province, the certificate number, the
    domain."""
    from views.applicant.summary import province_name

    verified = service["verified"]
    values = {"province": province_name(verified["province"]),
              "certificate_number": f"{gettext(rules.CERTIFICATE_TYPES[verified['certificate_type']].label)} "
                                    f"{verified['certificate_number']}",
              "domain": verified["domain"]}
    return [{"key": gettext(label), "value": values[code], "id": f"fixed-{code}"}
            for code, label in rules.FIXED_ON_CHANGE.items()]


def _page(service: dict, form: BaseForm, *, reason: str | None = None, in_flight: dict | None = None,
          status: int = 200):
    return render_template("filings/change-start.html", service=service, form=form, fixed=_fixed_rows(service),
                           reason=gettext(change.REASONS[reason]) if reason else None, in_flight=in_flight,
                           rules=rules), status


def _running(order: dict) -> dict:
    """What the start page says of the subject's order in progress (as step 1 says it: filings.in_flight_order)."""
    from views.applicant.filings import in_flight_order

    return in_flight_order(drafting.OrderInFlight(order["id"], order["owner"], "subject"))


@bp.route("/<filing_id>/change", methods=["GET", "POST"])
@role_required("applicant")
def start_change(filing_id):
    """Change a website filed with us: what can and cannot change, then (POST) a draft change with the filed
    answers, which goes to its first step. Another account's order is not found (404)."""
    service = owned_filing(filing_id)
    form = BaseForm()
    reason, running = _standing(service)
    if reason or running or not form.validate_on_submit():
        in_flight = _running(running) if running else None
        return _page(service, form, reason=reason, in_flight=in_flight,
                     status=409 if (reason or running) and form.is_submitted() else 200)
    try:
        filing = change.start_change(
            table(), service, owner=current_user.email,
            owner_mobile=current_user.session.mobile or current_user.account.mobile,
            language=get_locale().language, now=now(), policy=rules.deadline_policy(settings().deadline_policy))
    except change.NotChangeable as refused:
        return _page(service, form, reason=refused.reason, status=409)
    except drafting.OrderInFlight as busy:
        from views.applicant.filings import in_flight_order

        return _page(service, form, in_flight=in_flight_order(busy), status=409)
    flash(gettext("Your change of %(domain)s is order %(id)s. Check each answer and change what has changed.",
                  domain=filing["verified"]["domain"], id=filing["id"]), "success")
    return redirect(step_url(filing, "subject"))

