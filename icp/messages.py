"""The message catalogue: what each e-mail and text message says, and how an outbox item is written out.

icp.notify queues the items (in the same atomic write as the change they report) and delivers them; this
module turns one item into its subject and body, in its language, when it is sent or shown.
"""
from __future__ import annotations

import re
from pathlib import Path

from icp import rules
from icp.rules import _  # the one marker pybabel extracts; translated where shown

# a verification code must reach that person's mobile and nowhere else
SMS_ONLY = frozenset({"sms_code_leader", "sms_code_administrator", "account_code", "mobile_code"})

# what each notification says; %(name)s fields come from the message's params, and every message has
# `reference` and `domain`; params named *_at are ISO times, shown in China time in the message's language;
# params named *_workdays (*_days, *_hours, *_months) are counts of the policy, written out in that language.
# `next` is the order's next action from the status table (icp.order.Order.next_action), the very sentence its
# status page and My filings show; `rule` is the wrong-code rule of its policy; both are {"text", "params"},
# written in the message's language when it is sent. `photo` is said from `method` (icp.order.PHOTO_NAMES) and
# `reason` from `reason_code` (rules.PHOTO_REJECTION_REASONS), so no English word reaches a Chinese message.
# Subjects and bodies open with the order (CHINESE.md rule 2): what happened, then what to do, the link last.
MESSAGES = {
    "submitted": (
        _("Order %(reference)s submitted"),
        _("Your ICP filing order %(reference)s (%(domain)s) is submitted and has reached us. %(next)s "
          "Follow it at %(url)s"),
    ),
    "resubmitted": (
        _("Order %(reference)s submitted again"),
        _("Your corrected ICP filing order %(reference)s (%(domain)s) has reached us and keeps its place in our "
          "queue. %(next)s Follow it at %(url)s"),
    ),
    "returned": (
        _("Order %(reference)s needs changes"),
        _("Your ICP filing order %(reference)s (%(domain)s) was returned by our reviewer (comments: %(count)s). "
          "%(next)s Read the comments at %(url)s"),
    ),
    "review_passed_photo": (
        _("Order %(reference)s passed our review: the backdrop photo is next"),
        _("Your ICP filing order %(reference)s (%(domain)s) passed our review. %(next)s Details at %(url)s"),
    ),
    "review_passed_phone": (
        _("Order %(reference)s passed our review: the live photo is next"),
        _("Your ICP filing order %(reference)s (%(domain)s) passed our review. %(next)s Details at %(url)s"),
    ),
    "review_passed_app": (
        _("Order %(reference)s passed our review: verify in the app"),
        _("Your ICP filing order %(reference)s (%(domain)s) passed our review. %(next)s How to do it: %(url)s"),
    ),
    "backdrop_mailed": (
        _("Order %(reference)s: the backdrop is on its way"),
        _("The backdrop for your ICP filing order %(reference)s (%(domain)s) was posted, tracking number "
          "%(tracking)s. %(next)s Upload the photo at %(url)s"),
    ),
    "photo_received": (
        _("Order %(reference)s: photo received"),
        _("For your ICP filing order %(reference)s (%(domain)s) we have received %(photo)s of the %(role)s. "
          "%(next)s Follow it at %(url)s"),
    ),
    "photo_rejected": (
        _("Order %(reference)s: photo not accepted"),
        _("For your ICP filing order %(reference)s (%(domain)s), %(photo)s of the %(role)s was not accepted. "
          "Reason: %(reason)s. %(next)s Details at %(url)s"),
    ),
    "verification_passed": (
        _("Order %(reference)s: the %(role)s is verified"),
        _("The %(role)s of your ICP filing order %(reference)s (%(domain)s) is verified. %(next)s Follow it at "
          "%(url)s"),
    ),
    "sent_to_administration": (
        _("Order %(reference)s sent to the communications administration"),
        _("Your ICP filing order %(reference)s (%(domain)s) was sent to the communications administration. "
          "%(next)s Follow it at %(url)s"),
    ),
    "sms_codes_sent": (
        _("Order %(reference)s: the MIIT SMS check has started"),
        _("Your ICP filing order %(reference)s (%(domain)s) was sent to the communications administration, and "
          "the MIIT SMS check has started. %(next)s %(rule)s Enter at %(url)s"),
    ),
    "sms_code_leader": (
        _("MIIT verification code for order %(reference)s"),
        _("[MIIT ICP filing, simulated] Order %(reference)s (%(domain)s): your verification code as the subject "
          "leader is %(code)s. Enter it before %(deadline_at)s. %(rule)s"),
    ),
    "sms_code_administrator": (
        _("MIIT verification code for order %(reference)s"),
        _("[MIIT ICP filing, simulated] Order %(reference)s (%(domain)s): your verification code as the %(role)s "
          "is %(code)s. Enter it before %(deadline_at)s. %(rule)s"),
    ),
    "mobile_code": (
        _("Code to confirm your mobile for order %(reference)s"),
        _("Order %(reference)s (%(domain)s): %(code)s is the code that confirms this mobile number for the ICP "
          "filing. Enter it on the check page within %(lifetime_minutes)s. If you did not ask for it, ignore it."),
    ),
    "sms_reminder": (
        _("Order %(reference)s: the MIIT SMS check is not done yet"),
        _("The MIIT SMS check of your ICP filing order %(reference)s (%(domain)s) is not done yet. %(next)s "
          "%(rule)s Enter at %(url)s"),
    ),
    "sms_verified": (
        _("Order %(reference)s: MIIT SMS check passed"),
        _("Your ICP filing order %(reference)s (%(domain)s) passed the MIIT SMS check. %(next)s Follow it at "
          "%(url)s"),
    ),
    "sms_expired": (
        _("Order %(reference)s rejected: the MIIT SMS check was not done in time"),
        _("The MIIT SMS check of your ICP filing order %(reference)s (%(domain)s) was not done in time, so the "
          "filing is rejected. Its service code is free again. %(next)s Details at %(url)s"),
    ),
    "sms_wrong_codes": (
        _("Order %(reference)s rejected: too many wrong codes"),
        _("Too many wrong MIIT verification codes were entered for your ICP filing order %(reference)s "
          "(%(domain)s), so the filing is rejected. Its service code is free again. %(next)s Details at %(url)s"),
    ),
    "approved": (
        _("Order %(reference)s approved: %(icp_number)s"),
        _("Your ICP filing order %(reference)s (%(domain)s) is approved; its ICP number is %(icp_number)s. "
          "%(next)s Details at %(url)s"),
    ),
    # a change of a filed website (icp.workflow.change) says what differs: the number stays, and a change that
    # ends unapproved leaves the website filed as it was (it never had a service code to free)
    "change_website:approved": (
        _("Order %(reference)s approved: the change of %(domain)s"),
        _("The change of your website %(domain)s (order %(reference)s) is approved. The website keeps its ICP "
          "number %(icp_number)s. %(next)s Details at %(url)s"),
    ),
    "change_website:rejected": (
        _("Order %(reference)s rejected: the change of %(domain)s"),
        _("The communications administration rejected the change of your website %(domain)s (order "
          "%(reference)s). Reason: %(reason)s. The website stays filed as it was. %(next)s Details at %(url)s"),
    ),
    "change_website:sms_expired": (
        _("Order %(reference)s rejected: the MIIT SMS check was not done in time"),
        _("The MIIT SMS check of the change of your website %(domain)s (order %(reference)s) was not done in "
          "time, so the change is rejected. The website stays filed as it was. %(next)s Details at %(url)s"),
    ),
    "change_website:sms_wrong_codes": (
        _("Order %(reference)s rejected: too many wrong codes"),
        _("Too many wrong MIIT verification codes were entered for the change of your website %(domain)s (order "
          "%(reference)s), so the change is rejected. The website stays filed as it was. %(next)s Details at "
          "%(url)s"),
    ),
    "change_website:withdrawn": (
        _("Order %(reference)s withdrawn"),
        _("The change of your website %(domain)s (order %(reference)s) is withdrawn. The website stays filed as "
          "it was. %(next)s"),
    ),
    "change_website:discarded": (
        _("Order %(reference)s deleted"),
        _("The change of your website %(domain)s (order %(reference)s) was not submitted within %(days)s days of "
          "starting and has been deleted. The website stays filed as it was. %(next)s"),
    ),
    "rejected": (
        _("Order %(reference)s rejected"),
        _("The communications administration rejected your ICP filing order %(reference)s (%(domain)s). Reason: "
          "%(reason)s. Its service code is free again. %(next)s Details at %(url)s"),
    ),
    "draft_reminder": (
        _("Order %(reference)s is not submitted yet"),
        _("Your ICP filing order %(reference)s (%(domain)s) has not been submitted. %(next)s Continue at %(url)s"),
    ),
    "discarded": (
        _("Order %(reference)s deleted"),
        _("Your ICP filing order %(reference)s (%(domain)s) was not submitted within %(days)s days of starting and "
          "has been deleted. Its service code is free again. %(next)s"),
    ),
    # the orders after the number (icp.workflow.after_number)
    "account_code": (
        _("Code to confirm order %(reference)s"),
        _("Your code to confirm cancelling access for %(domain)s (order %(reference)s) is %(code)s. It works until "
          "%(expires_at)s. If you did not ask for it, do nothing and change your password."),
    ),
    "cancel_access_sent": (
        _("Order %(reference)s: cancelling access sent to the communications administration"),
        _("Your order %(reference)s to cancel access for %(domain)s was sent to the communications administration "
          "and can no longer be withdrawn. %(next)s Follow it at %(url)s"),
    ),
    "access_cancelled": (
        _("Order %(reference)s: access cancelled for %(domain)s"),
        _("The communications administration applied your order %(reference)s: we no longer give %(domain)s "
          "access. %(next)s Details at %(url)s"),
    ),
    "cancel_sms_sent": (
        _("Order %(reference)s: the MIIT SMS check of the cancellation has started"),
        _("Your order %(reference)s to cancel %(domain)s is confirmed and the MIIT SMS check has started. %(next)s "
          "%(rule)s Enter at %(url)s"),
    ),
    "service_cancelled": (
        _("Order %(reference)s: %(domain)s is cancelled"),
        _("The communications administration cancelled %(domain)s (order %(reference)s). %(next)s Details at "
          "%(url)s"),
    ),
    "access_warning": (
        _("%(domain)s: fix its access by %(deadline_at)s"),
        _("%(domain)s (order %(reference)s) no longer reaches us: %(reason)s %(next)s Details at %(url)s"),
    ),
    # the same moments of an order after the number, where a new filing's words would be wrong (no filing is
    # rejected, no service code is freed): icp.workflow.common.notify_applicant picks "<flow>:<template>" first
    "cancel:sms_expired": (
        _("Order %(reference)s: the cancellation is refused, the MIIT SMS check was not done in time"),
        _("The MIIT SMS check of your order %(reference)s to cancel %(domain)s was not done in time, so the "
          "cancellation is refused and %(domain)s stays filed. %(next)s Details at %(url)s"),
    ),
    "cancel:sms_wrong_codes": (
        _("Order %(reference)s: the cancellation is refused, too many wrong codes"),
        _("Too many wrong MIIT verification codes were entered for your order %(reference)s to cancel %(domain)s, "
          "so the cancellation is refused and %(domain)s stays filed. %(next)s Details at %(url)s"),
    ),
    "cancel:rejected": (
        _("Order %(reference)s: the cancellation is refused"),
        _("The communications administration refused your order %(reference)s to cancel %(domain)s. Reason: "
          "%(reason)s. %(next)s Details at %(url)s"),
    ),
    "cancel_access:rejected": (
        _("Order %(reference)s: cancelling access is refused"),
        _("The communications administration refused your order %(reference)s to cancel access for %(domain)s. "
          "Reason: %(reason)s. %(next)s Details at %(url)s"),
    ),
    "cancel:withdrawn": (
        _("Order %(reference)s withdrawn"),
        _("Your order %(reference)s to cancel %(domain)s is withdrawn: %(domain)s stays filed. %(next)s"),
    ),
    "cancel_access:withdrawn": (
        _("Order %(reference)s withdrawn"),
        _("Your order %(reference)s to cancel access for %(domain)s is withdrawn: we keep giving it access. "
          "%(next)s"),
    ),
    "cancel:discarded": (
        _("Order %(reference)s deleted"),
        _("Your order %(reference)s to cancel %(domain)s was not confirmed within %(days)s days of starting and has "
          "been deleted: %(domain)s stays filed. %(next)s"),
    ),
    "cancel_access:discarded": (
        _("Order %(reference)s deleted"),
        _("Your order %(reference)s to cancel access for %(domain)s was not confirmed within %(days)s days of "
          "starting and has been deleted: we keep giving it access. %(next)s"),
    ),
    "withdrawn": (
        _("Order %(reference)s withdrawn"),
        _("Your ICP filing order %(reference)s (%(domain)s) is withdrawn. Its service code is free again. %(next)s"),
    ),
}


class RenderError(Exception):
    """An outbox item cannot be turned into text: unknown template, missing or malformed parameter."""


def render(item: dict, translations_dir: str | None = None) -> tuple[str, str]:
    """Return (subject, body) of an outbox item in its language; RenderError if it cannot be written."""
    if item.get("template") not in MESSAGES:
        raise RenderError(f"unknown template {item.get('template')!r}")
    subject, body = MESSAGES[item["template"]]
    language = item.get("language", "en")
    gettext, ngettext = _translator(language, translations_dir)
    raw = _legacy_params(item["template"], dict(item.get("params") or {}))
    try:
        params = _said(raw, language, gettext, ngettext)
        # a sentence left empty (a message queued before it had one) leaves no double space behind
        return gettext(subject) % params, re.sub(r" {2,}", " ", gettext(body) % params).strip()
    except KeyError as missing:
        raise RenderError(f"template {item['template']!r} needs the parameter {missing}") from None
    except (TypeError, ValueError) as error:
        raise RenderError(f"template {item['template']!r}: {error}") from None


def _said(params: dict, language: str, gettext, ngettext) -> dict:
    """The params as the message says them: moments in China time, counts in words, sentences (`next`, `rule`)
    and enum values (`method` as `photo`, `reason_code` as `reason`) translated into the message's language."""
    from icp.order import PHOTO_NAMES
    from icp.order_types import WEBSITE

    said = rules.counted(params, ngettext)
    for name, value in params.items():
        if name.endswith(("_at", "_on")):  # a moment in China time; a day (ISO date) as a date
            said[name] = _china_time(value, language, gettext)
        elif name == "role":  # who is verified, by the order's type (icp.order_types): a msgid
            said[name] = gettext(value)
        elif isinstance(value, dict) and "text" in value:
            inner = _said(value.get("params") or {}, language, gettext, ngettext)
            said[name] = gettext(value["text"]) % inner if inner else gettext(value["text"])
    said.setdefault("next", "")
    said.setdefault("rule", "")
    # a message queued before orders had types speaks of a website's administrator
    said.setdefault("role", gettext(WEBSITE.role))
    said.setdefault("photo", gettext(PHOTO_NAMES.get(params.get("method", ""), PHOTO_NAMES[""])))
    if "reason_code" in params:
        reasons = {**rules.PHOTO_REJECTION_REASONS, **rules.ACCESS_WARNING_REASONS}
        label = gettext(reasons.get(params["reason_code"], params["reason_code"]))
        label = label % {"role": said["role"]} if "%(role)s" in label else label
        comment = params.get("comment") or ""
        said["reason"] = gettext("%(label)s: %(value)s") % {"label": label, "value": comment} if comment else label
    return said


# messages queued before the next action joined them: the deadline their old text stated, said by the status
# table's sentence for the status they were sent in (the old texts spoke of both codes)
_LEGACY_NEXT = {"draft_reminder": ("DRAFT", ""), "sms_reminder": ("SMS_PENDING", "two"),
                "sms_codes_sent": ("SMS_PENDING", "two")}
# ... and the review target the old "received" texts stated
_LEGACY_REVIEW = _("We review it within %(review_workdays)s.")


def _legacy_params(template: str, params: dict) -> dict:
    # messages queued before these templates changed must still go out as they were meant
    if template == "draft_reminder" and "deadline" in params:
        params.setdefault("deadline_at", params.pop("deadline"))
    if "next" not in params and template in _LEGACY_NEXT and params.get("deadline_at"):
        from icp import filing

        status, variant = _LEGACY_NEXT[template]
        params["next"] = {"text": filing.pick(filing.STATUSES[status].action, (variant,)),
                          "params": {"deadline_at": params["deadline_at"]}}
    if template == "draft_reminder" and "deadline" in params:
        params.setdefault("deadline_at", params.pop("deadline"))
    if template == "discarded":
        params.setdefault("days", rules.DRAFT_DISCARD_AFTER.days)  # the one value the old text stated
    if template in ("submitted", "resubmitted"):
        params.setdefault("review_workdays", rules.PROVIDER_REVIEW_WORKDAYS)  # what the old text stated
    if template == "photo_received":
        params.setdefault("review_workdays", rules.PHOTO_REVIEW_WORKDAYS)
    if "next" not in params and template in ("submitted", "resubmitted", "photo_received"):
        params["next"] = {"text": _LEGACY_REVIEW, "params": {"review_workdays": params["review_workdays"]}}
    return params


def _china_time(value, language: str, gettext) -> str:
    """An ISO time (or date) as the pages show it (icp.dates), in China time with the zone named."""
    from icp import dates

    try:
        if len(str(value)) == 10:  # a date alone has no time of day to convert
            return dates.day_text(value, language)
        return dates.moment_text(value, language, gettext)
    except dates.DateTextError as error:
        raise RenderError(str(error)) from None


def _translator(language: str, translations_dir: str | None):
    """(gettext, ngettext) of a language."""
    if language == "en":
        return (lambda s: s), (lambda singular, plural, n: singular if n == 1 else plural)
    from babel.support import Translations

    directory = translations_dir or str(Path(__file__).resolve().parent.parent / "translations")
    translations = Translations.load(directory, [language])
    return translations.gettext, translations.ngettext
