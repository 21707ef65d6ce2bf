"""Outbox of e-mails and text messages: queued in the same atomic write as the change they report, sent later."""
from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from pathlib import Path

from icp.store import Put
from icp.rules import _  # the one marker pybabel extracts; translated where shown

log = logging.getLogger(__name__)



PENDING = "OUTBOX#PENDING"

# what each notification says; %(name)s fields come from the message's params
MESSAGES = {
    "submitted": (
        _("Filing %(reference)s received"),
        _("We have received your ICP filing %(reference)s for %(domain)s. We review it within one workday "
          "and tell you the result. Follow it at %(url)s"),
    ),
    "draft_reminder": (
        _("Filing %(reference)s is not submitted yet"),
        _("Your ICP filing %(reference)s for %(domain)s has not been submitted. Unsubmitted filings are "
          "deleted on %(deadline_at)s. Continue at %(url)s"),
    ),
    "discarded": (
        _("Filing %(reference)s was deleted"),
        _("Your ICP filing %(reference)s for %(domain)s was not submitted within %(days)s days and has been deleted."),
    ),
    "resubmitted": (
        _("Filing %(reference)s received again"),
        _("We have received your corrected ICP filing %(reference)s for %(domain)s. Follow it at %(url)s"),
    ),
    "returned": (
        _("Filing %(reference)s needs changes"),
        _("Our reviewer returned ICP filing %(reference)s for %(domain)s with %(count)s comment(s). Correct it and submit again at %(url)s"),
    ),
    "review_passed_photo": (
        _("Filing %(reference)s passed our review"),
        _("ICP filing %(reference)s for %(domain)s passed our review. The website administrator now applies for a backdrop and uploads a photo: %(url)s"),
    ),
    "review_passed_phone": (
        _("Filing %(reference)s passed our review"),
        _("ICP filing %(reference)s for %(domain)s passed our review. Verify the website administrator with a phone now: %(url)s"),
    ),
    "review_passed_app": (
        _("Filing %(reference)s passed our review"),
        _("ICP filing %(reference)s for %(domain)s passed our review. The website administrator now verifies in the Shanghai Communications Administration app: %(url)s"),
    ),
    "backdrop_mailed": (
        _("Backdrop for filing %(reference)s is on its way"),
        _("The backdrop for ICP filing %(reference)s was mailed (tracking number %(tracking)s). Then upload the photo at %(url)s"),
    ),
    "photo_received": (
        _("Photo for filing %(reference)s received"),
        _("We received the website administrator's photo for ICP filing %(reference)s and check it within one workday: %(url)s"),
    ),
    "photo_rejected": (
        _("Photo for filing %(reference)s not accepted"),
        _("The photo for ICP filing %(reference)s was not accepted: %(reason)s. Take a new one: %(url)s"),
    ),
    "verification_passed": (
        _("Filing %(reference)s: administrator verified"),
        _("The website administrator of ICP filing %(reference)s is verified. We send the filing to the communications administration next: %(url)s"),
    ),
    "sent_to_administration": (
        _("Filing %(reference)s sent to the administration"),
        _("ICP filing %(reference)s for %(domain)s is with the communications administration, which decides in %(low)s to %(high)s workdays: %(url)s"),
    ),
    "sms_codes_sent": (
        _("Filing %(reference)s: enter the MIIT codes"),
        _("MIIT has texted verification codes to the subject leader and the website administrator for ICP filing %(reference)s. Enter both before %(deadline_at)s at %(url)s"),
    ),
    "sms_code_leader": (
        _("MIIT verification code"),
        _("[MIIT ICP filing, simulated] Your verification code for filing %(reference)s (%(domain)s) as subject leader is %(code)s. Enter it before %(deadline_at)s."),
    ),
    "sms_code_administrator": (
        _("MIIT verification code"),
        _("[MIIT ICP filing, simulated] Your verification code for filing %(reference)s (%(domain)s) as website administrator is %(code)s. Enter it before %(deadline_at)s."),
    ),
    "sms_reminder": (
        _("Filing %(reference)s: enter the MIIT codes soon"),
        _("Enter the MIIT verification codes of ICP filing %(reference)s before %(deadline_at)s, or the filing is rejected: %(url)s"),
    ),
    "sms_verified": (
        _("Filing %(reference)s: mobiles verified"),
        _("The mobiles of ICP filing %(reference)s are verified. The communications administration decides in %(low)s to %(high)s workdays: %(url)s"),
    ),
    "sms_expired": (
        _("Filing %(reference)s rejected"),
        _("ICP filing %(reference)s for %(domain)s was rejected: the MIIT codes were not entered in time. Its service code is free again: %(url)s"),
    ),
    "sms_wrong_codes": (
        _("Filing %(reference)s rejected"),
        _("ICP filing %(reference)s for %(domain)s was rejected after too many wrong MIIT codes. Its service code is free again: %(url)s"),
    ),
    "approved": (
        _("Filing %(reference)s approved: %(icp_number)s"),
        _("ICP filing %(reference)s for %(domain)s is approved: %(icp_number)s. Resolve the domain to your server now and show the number at the bottom of the home page, linked to https://beian.miit.gov.cn/: %(url)s"),
    ),
    "rejected": (
        _("Filing %(reference)s rejected"),
        _("The communications administration rejected ICP filing %(reference)s for %(domain)s: %(reason)s. %(url)s"),
    ),
    "withdrawn": (
        _("Filing %(reference)s withdrawn"),
        _("Your ICP filing %(reference)s for %(domain)s has been withdrawn. Its service code is free again."),
    ),
}


def message_items(*, template: str, params: dict, email: str | None, mobile: str | None, language: str,
                  now: datetime) -> list[dict]:
    """Outbox items for one notification, by e-mail and by text message; write them with the change itself."""
    if template not in MESSAGES:
        raise KeyError(template)
    items = []
    for channel, address in (("email", email), ("sms", mobile)):
        if not address:
            continue
        message_id = f"{now.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
        items.append({
            "pk": f"OUTBOX#{message_id}", "sk": "META", "version": 1, "id": message_id,
            "channel": channel, "to": address, "template": template, "params": params,
            "language": language, "created_at": now.isoformat(timespec="seconds"), "status": "pending",
            "queue": PENDING, "queue_sort": f"{now.isoformat(timespec='seconds')}#{message_id}",
        })
    return items


def render(item: dict, translations_dir: str | None = None) -> tuple[str, str]:
    """Return (subject, body) of an outbox item in its language."""
    subject, body = MESSAGES[item["template"]]
    gettext = _translator(item.get("language", "en"), translations_dir)
    params = item.get("params", {})
    return gettext(subject) % params, gettext(body) % params


def _translator(language: str, translations_dir: str | None):
    if language == "en":
        return lambda s: s
    from babel.support import Translations

    directory = translations_dir or str(Path(__file__).resolve().parent.parent / "translations")
    return Translations.load(directory, [language]).gettext


class LogSender:
    """Local sender: writes each message to the log and to `outbox.log` in the data folder."""

    def __init__(self, data_dir: str):
        self.path = Path(data_dir) / "outbox.log"

    def send(self, item: dict, subject: str, body: str) -> None:
        """Record the message instead of sending it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"channel": item["channel"], "to": item["to"], "subject": subject,
                                     "body": body}, ensure_ascii=False) + "\n")
        log.info("%s to %s: %s", item["channel"], item["to"], subject)


class AwsSender:
    """Production sender: e-mail through SES, text messages through SNS."""

    def __init__(self, settings):
        self.settings = settings
        self._ses = self._sns = None

    def send(self, item: dict, subject: str, body: str) -> None:
        """Send one message; raises on failure so the item stays pending and is retried."""
        import boto3

        if item["channel"] == "email":
            self._ses = self._ses or boto3.client("ses", region_name=self.settings.aws_region)
            self._ses.send_email(
                Source=self.settings.mail_sender, Destination={"ToAddresses": [item["to"]]},
                Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                         "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}},
            )
        else:
            self._sns = self._sns or boto3.client("sns", region_name=self.settings.aws_region)
            self._sns.publish(PhoneNumber=f"+86{item['to']}", Message=body)


def sender_for(settings):
    """The sender this configuration uses."""
    return AwsSender(settings) if settings.notify_channel == "aws" else LogSender(settings.data_dir)


def deliver_pending(table, sender, *, now: datetime, limit: int = 50) -> int:
    """Send pending outbox messages, oldest first; returns how many were sent. A failure leaves it pending."""
    sent = 0
    for item in table.query_index("queue", PENDING, limit=limit):
        subject, body = render(item)
        try:
            sender.send(item, subject, body)
        except Exception:  # one bad address must not stop the others; it stays pending for the next run
            log.exception("sending outbox message %s failed", item["id"])
            continue
        done = {k: v for k, v in item.items() if k not in ("queue", "queue_sort")}
        done.update(status="sent", sent_at=now.isoformat(timespec="seconds"), version=item["version"] + 1)
        table.write([Put(done)])
        sent += 1
    return sent
