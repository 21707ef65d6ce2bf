"""The applicant's filings: the list, step 1 (verify the filing type), the status page and withdrawing."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.base import BaseForm
from forms.filing_type import FilingTypeForm
from icp import filing as f
from icp import registry, rules
from icp.store import Conflict
from icp.workflow import ending
from icp.workflow.drafting import OrderInFlight, VerifiedType, first_incomplete_step, start_filing
from views import now, settings, table
from views.auth import role_required
from views.applicant.wizard import owned_filing, owned_filing_with_parts, step_url

from views.applicant.blueprint import bp

# which step 1 input differs from the MIIT record: the most common cause of a wrongly detected type
MISMATCH_MESSAGES = {
    "province": _l("The MIIT record for this certificate is in another province. Select the province the "
                   "subject is filed in."),
    "nature": _l("The MIIT record for this certificate has another subject nature. Select the nature the "
                 "subject is filed with."),
    "certificate_type": _l("The MIIT record for this certificate number has another certificate type. Select "
                           "the type the subject is filed with."),
}


# how each history event reads on the status page
EVENT_LABELS = {
    "start": _l("Filing type verified, order started"),
    "bind_service_code": _l("Server verified with a service code"),
    "upload_document": _l("Document uploaded"),
    "remove_document": _l("Document removed"),
    "submit": _l("Submitted for our review"),
    "withdraw": _l("Withdrawn"),
    "remind_30": _l("Reminder sent: not submitted after 30 days"),
    "remind_40": _l("Reminder sent: not submitted after 40 days"),
    "discard": _l("Deleted: not submitted within 45 days"),
}


@bp.get("")
@role_required("applicant")
def my_filings():
    """The applicant's orders with their status and last change, newest first."""
    orders = table().query_index("owner", current_user.email, lower_bound="FILING#",
                                 upper_bound="FILING#\uffff", descending=True)
    return render_template("filings/my-filings.html", orders=orders, labels=f.STATUS_LABELS,
                           editable=f.EDITABLE)


@bp.route("/new", methods=["GET", "POST"])
@role_required("applicant")
def new():
    """Step 1: check province, subject, certificate and domain against the MIIT registry."""
    form = FilingTypeForm()
    in_flight = None
    if form.validate_on_submit():
        domain = form.domain.data
        verification = registry.verify_filing_type(
            table(), province=form.province.data, nature=form.nature.data,
            certificate_type=form.certificate_type.data, certificate_number=form.certificate_number.data,
            ascii_domain=domain.ascii)
        for name in verification.mismatches:
            form.add_error(name, str(MISMATCH_MESSAGES[name]))
        if verification.held_by_another:
            form.add_error("domain", gettext(
                "The registrar lists %(holder)s as the holder of %(domain)s, not the subject. The domain must be "
                "held by the subject: transfer it first.", holder=verification.holder.holder_name,
                domain=domain.unicode))
        if not form.errors:
            if not verification.filing_type.continue_in_this_flow:
                return render_template("filings/type-explained.html", filing_type=verification.filing_type,
                                       form=form, domain=domain, registry_domain=verification.domain)
            subject = verification.subject
            verified = VerifiedType(
                province=form.province.data, nature=form.nature.data, certificate_type=form.certificate_type.data,
                certificate_number=form.certificate_number.data, domain=domain.unicode, domain_ascii=domain.ascii,
                filing_type=verification.filing_type.code, subject_name=subject.name,
                subject_icp_number=subject.icp_number)
            try:
                filing = start_filing(table(), owner=current_user.email, owner_mobile=current_user.account.mobile,
                                      verified=verified, language=get_locale().language, now=now(),
                                      policy=rules.deadline_policy(settings().deadline_policy))
            except OrderInFlight as busy:
                in_flight = busy
            else:
                flash(gettext("The filing type is verified: %(type)s. Your order number is %(id)s.",
                              type=gettext(verification.filing_type.label), id=filing["id"]), "success")
                return redirect(step_url(filing, "instance"))
    return render_template("filings/new.html", form=form, in_flight=in_flight)


@bp.get("/<filing_id>/type")
@role_required("applicant")
def verified_type(filing_id):
    """The verified inputs of step 1, fixed for the life of the order."""
    from views.applicant.wizard import back_url, step_indicator

    filing = owned_filing(filing_id)
    from views.applicant.summary import province_name

    return render_template("filings/verified-type.html", filing=filing, back=back_url(filing, "type"),
                           province_name=province_name,
                           indicator=step_indicator(filing, "type"), rules=rules,
                           filing_type=rules.FILING_TYPES[filing["verified"]["filing_type"]])


@bp.get("/<filing_id>")
@role_required("applicant")
def status(filing_id):
    """Where the order stands: status, dates, the next deadline and its history."""
    filing, documents, events = owned_filing_with_parts(filing_id)
    continue_url = None
    if filing["status"] in f.EDITABLE:
        from icp.workflow.documents import missing_documents

        complete = filing["steps"].get("website") and not missing_documents(filing, documents)
        continue_url = step_url(filing, first_incomplete_step(filing, bool(complete)))
    expected_review = None
    if filing["status"] == f.PROVIDER_REVIEW:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from icp.workdays import add_workdays

        # workdays are counted in China, where the reviewers and the administration work
        submitted = datetime.fromisoformat(filing["status_since"]).astimezone(ZoneInfo("Asia/Shanghai"))
        expected_review = add_workdays(submitted.date(), rules.PROVIDER_REVIEW_WORKDAYS)
    from icp import timeline

    road = timeline.stages(filing, rules.deadline_policy(settings().deadline_policy),
                           expected_review=expected_review)
    return render_template("filings/status.html", filing=filing, events=events, labels=f.STATUS_LABELS,
                           expected_review=expected_review, stages=road,
                           event_labels={action: str(label) for action, label in EVENT_LABELS.items()},
                           continue_url=continue_url, rules=rules,
                           can_withdraw="withdraw" in f.allowed_actions(filing["status"], "applicant"))


@bp.route("/<filing_id>/withdraw", methods=["GET", "POST"])
@role_required("applicant")
def withdraw(filing_id):
    """Ask, then withdraw the order and release its service code."""
    filing = owned_filing(filing_id)
    if "withdraw" not in f.allowed_actions(filing["status"], "applicant"):
        flash(gettext("This order can no longer be withdrawn."), "warning")
        return redirect(url_for("filings.status", filing_id=filing_id))
    form = BaseForm()
    if form.validate_on_submit():
        try:
            ending.withdraw(table(), filing, actor=current_user.email, now=now())
        except Conflict:
            flash(gettext("The order changed while you were withdrawing it. Check it and try again."), "warning")
            return redirect(url_for("filings.withdraw", filing_id=filing_id))
        flash(gettext("Order %(id)s is withdrawn. Its service code can be used again.", id=filing_id), "success")
        return redirect(url_for("filings.my_filings"))
    return render_template("filings/withdraw.html", filing=filing, form=form)

