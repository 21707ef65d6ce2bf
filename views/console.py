"""The applicant's console: their instances and the ICP filing service codes applied for on them."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icp import rules
from views import day, now, table
from views.auth import role_required
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
console_forms = lazy_module("forms.console")

service_codes = lazy_module("icp.codes")  # with the console's first page (views/lazy.py)

bp = Blueprint("console", __name__, url_prefix="/console")

INSTANCE_STATUSES = {"running": _l("Running"), "stopped": _l("Stopped")}


@bp.route("/service-codes", methods=["GET", "POST"])
@role_required("applicant")
def codes():
    """List the applicant's instances and codes; a POST applies for codes on one instance."""
    owner = current_user.email
    posted, problems = None, []
    if request.method == "POST":
        try:
            instance = service_codes.owned_instance(table(), owner=owner,
                                                    instance_id=request.form.get("instance_id", ""))
        except service_codes.CodeRefused as refusal:  # someone else's instance, or a made-up id
            # no row to point at: the summary links to the list of the instances there are
            instance, problems = None, [("instances", gettext(refusal.message, **refusal.params))]
        # an ineligible instance has no form on the page: the summary links its reasons to its row's list of them
        reasons = service_codes.eligibility_refusals(instance) if instance else []
        problems += [(reasons_id(instance), gettext(r.message, **r.params)) for r in reasons]
        posted = console_forms.ApplyForCodesForm(left=service_codes.codes_left(instance) if instance else 0,
                                   instance=None if problems else instance)
        if not problems and posted.validate_on_submit():
            try:
                issued = service_codes.apply_for_codes(table(), owner=owner, instance_id=instance["instance_id"],
                                                       count=posted.count.data, now=now())
            except service_codes.CodeRefused as refusal:  # another application used the quota meanwhile
                posted.add_error("count", gettext(refusal.message, **refusal.params))
            else:
                flash(ngettext("Your new service code for %(instance)s: %(codes)s",
                               "Your %(num)d new service codes for %(instance)s: %(codes)s",
                               len(issued), instance=instance["name"], codes=", ".join(issued)), "success")
                return redirect(url_for("console.codes"))
    instances = service_codes.list_instances(table(), owner)
    rows = [_instance_row(i, posted) for i in instances]
    if posted is not None and posted.count.errors and not any(r["form"] is posted for r in rows):
        # the quota was used up meanwhile, so the field is gone: its message moves to the summary
        where = reasons_id(posted.instance) if posted.instance else "instances"
        problems += [(where, message) for message in posted.count.errors]
        posted.count.errors = []
    names = {i["instance_id"]: i["name"] for i in instances}
    return render_template(
        "console/codes.html", posted=posted, problems=problems, policy=rules.SERVICE_CODE_POLICY, instances=rows,
        codes=[_code_row(c, names) for c in service_codes.list_codes(table(), owner)])


def reasons_id(instance: dict) -> str:
    """The id of the list of reasons an instance cannot get codes, which error summaries link to."""
    return f"reasons-{instance['instance_id']}"


def _instance_row(instance: dict, posted: console_forms.ApplyForCodesForm | None) -> dict:
    """What the instances table shows for one instance: its facts, and either every reason or a form."""
    refusals = service_codes.eligibility_refusals(instance)
    left = service_codes.codes_left(instance)
    form = None
    if not refusals:
        form = (posted if posted is not None and posted.instance is not None
                and posted.instance["instance_id"] == instance["instance_id"]
                else console_forms.ApplyForCodesForm(formdata=None, left=left, instance=instance))
    if instance["billing"] == rules.SERVICE_CODE_POLICY.billing:
        billing = ngettext("Subscription, %(num)d month", "Subscription, %(num)d months",
                           instance["subscription_months"])
    else:
        billing = gettext("Pay-as-you-go")
    return {
        **instance,
        "status_text": INSTANCE_STATUSES.get(instance["status"], instance["status"]),
        "billing_text": billing,
        "left": left,
        "reasons": [gettext(r.message, **r.params) for r in refusals],
        "form": form,
    }


def _code_row(code: dict, instance_names: dict) -> dict:
    """What the codes table shows for one code."""
    return {
        **code,
        "instance_name": instance_names.get(code["instance_id"], code["instance_id"]),
        "issued": day(code["created_at"]),
    }
