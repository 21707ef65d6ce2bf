"""An order's answers as they read on a page, from the order type's declaration (icp.order_types): the check
page's rows, the reviewer's rows with their comment targets, and what changed since a return all use these."""
from __future__ import annotations

from flask_babel import gettext

from icp import rules
from icp.order_types import Answer, order_type_of
from views import day
from views.text import aside, chinese, join_list


def _at(answers: dict, path: tuple):
    for key in path:
        if not isinstance(answers, dict):
            return None
        answers = answers.get(key)
    return answers


def _labels(codes, table: dict) -> str:
    return join_list(gettext(getattr(table[c], "label", table[c])) for c in codes if c in table) if codes else ""


def applies(answer: Answer, answers: dict) -> bool:
    """Whether the answer is part of this order (the administrator's details only when another person; the
    approval only with a pre-approval item; a platform's details only when the platform is ticked)."""
    service = answers.get(answer.path[0]) or {}
    if answer.only == "administrator":
        return not service.get("administrator_is_leader", True)
    if answer.only == "approval":
        return bool(service.get("preapproval_items"))
    if answer.only == "organisation":  # asked of organisations only: an individual's answers never hold it
        return "certificate_long_term" in service
    if answer.only.startswith("platform:"):
        return answer.only.partition(":")[2] in (service.get("platforms") or {})
    if answer.only == "answered":
        return _at(answers, answer.path) is not None
    return True


def value(answer: Answer, answers: dict) -> str:
    """The answer as it reads on the page, from the order's answers by step key ({"subject": …, "website": …})."""
    if not applies(answer, answers):
        return ""
    found = _at(answers, answer.path)
    person = _at(answers, answer.path[:-1]) or {}
    if answer.show == "certificate":
        kind = rules.CERTIFICATE_TYPES.get(person.get("certificate_type") or "")
        return " ".join(part for part in (gettext(kind.label) if kind else "", found or "") if part)
    if answer.show == "valid_until":
        return gettext("Long-term") if person.get("certificate_long_term") else day(found) if found else ""
    if answer.show == "date":
        return day(found) if found else ""
    if answer.show == "service_content":
        return _labels(found, rules.SERVICE_CONTENT)
    if answer.show == "languages":
        return _labels(found, rules.WEBSITE_LANGUAGES)
    if answer.show == "language":
        return _labels([found], rules.WEBSITE_LANGUAGES) if found else ""
    if answer.show == "preapprovals":
        return _labels(found, rules.PREAPPROVAL_ITEMS) or gettext("None")
    if answer.show == "approval":
        return aside(chinese(found or ""), chinese(person.get("approval_department") or ""))
    if answer.show == "who":
        return gettext("The subject leader") if found else gettext("Another person")
    if answer.show == "yes_no":
        return gettext("Yes") if found else gettext("No")
    if isinstance(found, (list, tuple)):
        return join_list(str(item) for item in found)
    return found or ""


def step_answers(filing: dict) -> dict:
    """The order's saved answers by step key, as `value` reads them."""
    return order_type_of(filing).snapshot(filing)


def answer_rows(filing: dict, step: str) -> list[dict]:
    """The answers of one step as rows: label, value, comment target and the field it is about."""
    answers = step_answers(filing)
    declared = order_type_of(filing).step(step)
    return [{"key": gettext(answer.label), "row": gettext(answer.row or answer.label),
             "value": value(answer, answers), "target": declared.target(answer), "field": answer.field}
            for answer in declared.answers if applies(answer, answers)]


def comment_labels(filing: dict) -> dict:
    """What each comment target of this order's type is called, in the person's language."""
    return {target: gettext(label) for target, label in order_type_of(filing).comment_targets()}


def service_changes(filing: dict) -> list[dict]:
    """A change of a filed website (icp.workflow.change): every answer that differs from the website as filed,
    {label, old, new}, as the applicant's check page, the reviewer and the administration read them; empty for any
    other order (without reading the table)."""
    from icp.order_types import CHANGE_WEBSITE
    from icp.workflow import change
    from views import table

    if order_type_of(filing) is not CHANGE_WEBSITE:
        return []
    approved = change.approved_answers(table(), filing)
    if approved is None:
        return []
    now = order_type_of(filing).snapshot(filing)
    rows = [{"label": gettext(answer.label), "old": value(answer, approved), "new": value(answer, now)}
            for answer in change.changed_answers(filing, approved)]
    return [row for row in rows if row["old"] != row["new"]]
