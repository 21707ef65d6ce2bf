"""Prose never states a regulator's number itself: templates and messages read it from the policy data."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from babel.messages.pofile import read_po
from jinja2 import Environment, nodes
from jinja2.ext import i18n

from icp import rules

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty(?:-\w+)?)"
_UNIT = r"(?:work(?:ing)?[\s-]?days?|days?|hours?|weeks?|months?|digit codes?)"
# "45 days", "30 and 40 days", "3 to 20 workdays", "one workday", "6-digit code", "within 48 hours"; the lengths of
# identifiers ("18 digits") are national standards, not policy, and stay in their messages
ENGLISH = re.compile(rf"\b{_NUMBER}(?:\s*(?:to|or|and|-)\s*{_NUMBER})?[\s-]+{_UNIT}\b", re.IGNORECASE)
# "45天", "1个工作日", "3至20个工作日", "48小时", "6位", "一个工作日", "三个月"
CHINESE = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:个)?(?:工作日|天|日内|小时|个月|月内|位(?:短信)?验证码)")


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _texts(value) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def regulator_numbers() -> set[int]:
    """Every number the policy data holds that prose could be tempted to copy (3 and more: smaller ones are
    everyday words such as 'one of', 'two codes')."""
    numbers = {rules.CERTIFICATE_VALIDITY_MARGIN_MONTHS, rules.SMS_CODE_DIGITS,
               rules.SERVICE_CODE_POLICY.min_subscription_months, rules.SERVICE_CODE_POLICY.quota_per_instance}
    for policy in rules.DEADLINE_POLICIES.values():
        numbers |= {policy.draft_discard_after.days, *(r.days for r in policy.draft_reminders_after),
                    int(policy.sms_window.total_seconds() // 3600), *policy.administration_review_workdays,
                    policy.photo_review_workdays, policy.provider_review_workdays, policy.wrong_code_limit or 0}
    return {n for n in numbers if n >= 3}


def test_no_message_states_a_regulator_number():
    """Every English msgid (templates, notifications, timeline, forms) and its Chinese gives numbers as parameters."""
    offenders = []
    for message in _catalogue(ROOT / "translations" / "zh" / "LC_MESSAGES" / "messages.po"):
        if not message.id:
            continue
        for text in _texts(message.id):
            offenders += [f"{text!r}: {m.group(0)!r}" for m in ENGLISH.finditer(text)]
        for text in _texts(message.string):
            offenders += [f"{text!r}: {m.group(0)!r}" for m in CHINESE.finditer(text or "")]
    assert not offenders, "prose that hard-codes a number of the policy (read it from icp/rules.py " \
                          "or the filing's stamped policy):\n" + "\n".join(offenders)


def test_no_template_expression_holds_a_regulator_number():
    """No template computes with a literal such as `filing.policy.draft_discard_days if filing.policy else 45`."""
    environment = Environment(extensions=[i18n])
    numbers = regulator_numbers()
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        tree = environment.parse(path.read_text(encoding="utf-8"))
        for constant in tree.find_all(nodes.Const):
            if isinstance(constant.value, int) and not isinstance(constant.value, bool) \
                    and constant.value in numbers:
                offenders.append(f"{path.relative_to(ROOT)}:{constant.lineno}: {constant.value}")
    assert not offenders, "templates that hard-code a number of the policy:\n" + "\n".join(offenders)


def test_the_checks_catch_what_they_are_for():
    """The patterns themselves: each form of a hard-coded number this project has had is caught."""
    for text in ("Orders are deleted after 45 days", "reminders at 30 and 40 days", "within one workday",
                 "3 to 20 workdays", "a 6-digit code", "within 48 hours", "at least 3 months"):
        assert ENGLISH.search(text), text
    for text in ("45天", "一个工作日内", "3至20个工作日" , "48小时", "6位验证码"):
        assert CHINESE.search(text), text
    assert not ENGLISH.search("Submit by %(day)s (%(hours)d hours left), like 2031-06-30")


def _message(template: str, language: str, **params) -> str:
    from icp import messages

    item = {"template": template, "language": language,
            "params": {"reference": "F123", "domain": "example.cn", "url": "https://x/f/F123", **params}}
    return messages.render(item)[1]


def test_a_notification_states_the_workdays_of_the_orders_stamped_policy():
    from icp import filing as f
    from icp import messages
    from icp.workflow.common import notify_applicant
    from tests.orders import START, order_in

    order = order_in(f.PROVIDER_REVIEW)
    for workdays, said in ((2, "within 2 workdays,"), (1, "within 1 workday,")):
        order["policy"] = {**order["policy"], "provider_review_workdays": workdays}
        [put] = notify_applicant({**order, "owner_mobile": None}, "submitted", now=START, url="https://x")
        assert said in messages.render(put.item)[1]
    photo = order_in(f.PHOTO_REVIEW)
    photo["policy"] = {**photo["policy"], "photo_review_workdays": 2}
    photo["language"] = "zh"
    [put] = notify_applicant({**photo, "owner_mobile": None}, "photo_received", now=START, url="https://x")
    assert "2个工作日" in messages.render(put.item)[1]


def test_a_message_queued_before_the_change_still_renders_with_the_rule_in_force():
    assert f"within {rules.PROVIDER_REVIEW_WORKDAYS} workday" in _message("resubmitted", "en")
    assert "within 2 workdays" in _message("submitted", "en", review_workdays=2)


def test_pages_follow_a_change_of_the_policy_data(client, monkeypatch):
    seed = rules.DEADLINE_POLICIES["seed"]
    monkeypatch.setitem(rules.DEADLINE_POLICIES, "seed", replace(
        seed, provider_review_workdays=2, administration_review_workdays=(4, 25)))
    text = " ".join(client.get("/").get_data(as_text=True).split())
    assert "usually within 2 workdays" in text and "within 4 to 25 workdays" in text
    assert "answered within 48 hours" in text  # the seed's SMS window, read from the same policy


def test_a_stamp_older_than_a_figure_takes_it_from_its_named_policy():
    from icp import filing as f

    old = {k: v for k, v in f.policy_stamp(rules.deadline_policy("current_practice"), "beijing").items()
           if k != "provider_review_workdays"}
    stamped = f.policy_of({"policy": old, "verified": {"province": "beijing"}})
    assert stamped["provider_review_workdays"] == rules.deadline_policy("current_practice").provider_review_workdays
    assert stamped["sms_window_minutes"] == old["sms_window_minutes"]  # what was stamped is kept
