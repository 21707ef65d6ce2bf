"""The check page's one-time codes: text a code to a mobile of the order, and enter it (registered on `filings`)."""
from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext
from flask_login import current_user

from forms.base import FilingForm
from icp.rules import _  # the marker pybabel extracts; translated where shown
from icp.store import Conflict
from views import now, table
from views.applicant.blueprint import bp
from views.applicant.steps import CONFLICT_MESSAGE, check_page
from views.applicant.wizard import guard_step, owned_filing, owned_filing_with_parts, step_url
from views.auth import role_required
from views.lazy import lazy_module

# the forms, with the first page that shows one (views/lazy.py)
mobile_code_forms = lazy_module("forms.mobile_code")

# the use case and the rules of the codes, with the first code sent or entered (views/lazy.py)
checks = lazy_module("icp.checks")
mobiles = lazy_module("icp.mobiles")
mobile_codes = lazy_module("icp.workflow.mobile_codes")

# what each refusal says, next to the code box or in the banner after a send
REFUSALS = {
    "confirmed": _("This mobile number is confirmed already."),
    "no_sends_left": _("No more codes can be sent to this mobile for this order (%(sends)s at most). Enter the last "
                       "code we sent, or change the mobile number."),
    "not_sent": _("Send a code to this mobile first."),
    "expired": _("The code has expired: codes work for %(lifetime_minutes)s. Send a new code."),
    "wrong": _("The code is not right (tries left with this code: %(attempts_left)s). Check the text message and "
               "try again."),
    "too_many": _("Too many wrong codes (%(attempts)s): send a new code."),
}


def _refusal(refused: mobiles.CodeRefused) -> str:
    from flask_babel import ngettext

    from icp.rules import counted

    params = counted(refused.params, ngettext)
    return gettext(REFUSALS[refused.outcome], **params)


def _anchor(filing: dict, who: str) -> str:
    return step_url(filing, "check") + f"#mobile-code-{who}"


@bp.post("/<filing_id>/check/mobile/<any(leader, administrator):who>/send")
@role_required("applicant")
def send_mobile_code(filing_id, who):
    """Text a one-time code to the mobile of the subject leader or the administrator, then back to the check page."""
    filing = owned_filing(filing_id)
    if (stop := guard_step(filing, "check")) is not None:
        return stop
    if who not in dict(mobiles.people_mobiles(filing)):
        abort(404)
    if mobile_code_forms.SendMobileCodeForm().validate_on_submit():
        try:
            mobile_codes.send_code(table(), filing, who, now=now())
        except mobiles.CodeRefused as refused:
            flash(_refusal(refused), "warning")
        except Conflict:
            flash(str(CONFLICT_MESSAGE), "warning")
        else:
            flash(gettext("We texted a code to %(mobile)s. Enter it below.",
                          mobile=checks.masked_mobile(dict(mobiles.people_mobiles(filing))[who])), "success")
    return redirect(_anchor(filing, who))


@bp.post("/<filing_id>/check/mobile/<any(leader, administrator):who>/confirm")
@role_required("applicant")
def confirm_mobile(filing_id, who):
    """Check the code entered for a mobile: confirmed, or the check page again with what is wrong at the code box."""
    filing = owned_filing(filing_id)  # read ahead with the session: a right code costs one read and one write
    if (stop := guard_step(filing, "check")) is not None:
        return stop
    if who not in dict(mobiles.people_mobiles(filing)):
        abort(404)
    form = mobile_code_forms.EnterMobileCodeForm(prefix=f"code-{who}")
    if form.validate_on_submit():
        try:
            mobile_codes.enter_code(table(), filing, who, form.code.data, now=now())
        except mobiles.CodeRefused as refused:
            form.add_error("code", _refusal(refused))
        except Conflict:
            form.add_error("code", str(CONFLICT_MESSAGE))
        else:
            flash(gettext("The mobile number is confirmed."), "success")
            return redirect(_anchor(filing, who))
    # the check page again shows the documents and the history, and a wrong code counted on the order
    filing, documents, _events = owned_filing_with_parts(filing_id)
    return check_page(filing, documents, FilingForm(formdata=None), code_forms={who: form}, status=400)
