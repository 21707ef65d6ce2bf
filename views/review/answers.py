"""The order as a reviewer reads it: each answer and document with what a comment on it is stored as, and what the
applicant changed since the last return, by the labels a reviewer reads (views.staff.REVIEWED_ANSWERS)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from icp import rules
from icp.workflow import review
from icp.documents import documents_for
from views import day
from views.staff import REVIEWED_ANSWERS, ReviewedAnswer
from views.text import aside, chinese, join_list


def _at(answers: dict, path: tuple):
    for key in path:
        if not isinstance(answers, dict):
            return None
        answers = answers.get(key)
    return answers


def _labels(codes, table: dict) -> str:
    return join_list(gettext(getattr(table[c], "label", table[c])) for c in codes if c in table) if codes else ""


def applies(answer: ReviewedAnswer, answers: dict) -> bool:
    """Whether the answer is part of this order (the administrator's details only when another person)."""
    website = answers.get("website") or {}
    if answer.only == "administrator":
        return not website.get("administrator_is_leader", True)
    if answer.only == "approval":
        return bool(website.get("preapproval_items"))
    return True


def value(answer: ReviewedAnswer, answers: dict) -> str:
    """The answer as it reads on the page, from the order's answers ({"subject": …, "website": …})."""
    if not applies(answer, answers):
        return ""
    found = _at(answers, answer.path)
    person = _at(answers, answer.path[:-1]) or {}
    if answer.show == "certificate":
        kind = rules.CERTIFICATE_TYPES.get(person.get("certificate_type") or "")
        return " ".join(part for part in (gettext(kind.label) if kind else "", found or "") if part)
    if answer.show == "valid_until":
        return gettext("Long-term") if person.get("certificate_long_term") else day(found) if found else ""
    if answer.show == "service_content":
        return _labels(found, rules.SERVICE_CONTENT)
    if answer.show == "languages":
        return _labels(found, rules.WEBSITE_LANGUAGES)
    if answer.show == "preapprovals":
        return _labels(found, rules.PREAPPROVAL_ITEMS) or gettext("None")
    if answer.show == "approval":
        return aside(chinese(found or ""), chinese(person.get("approval_department") or ""))
    if answer.show == "who":
        return gettext("The subject leader") if found else gettext("Another person")
    return found or ""


def answer_rows(filing: dict, step: str) -> list[dict]:
    """The answers of one step ("subject" or "website") as rows: label, value and comment target."""
    answers = {"subject": filing.get("subject"), "website": filing.get("website")}
    return [{"key": str(answer.label), "value": value(answer, answers), "target": answer.target}
            for answer in REVIEWED_ANSWERS if answer.path[0] == step and applies(answer, answers)]


def document_rows(filing: dict, documents: dict) -> list[dict]:
    """The order's documents as rows: name, the document (None when missing), a staff link to its image, target."""
    return [{"key": gettext(kind.label), "kind": kind.code, "document": documents.get(kind.code),
             "url": url_for("review.document", filing_id=filing["id"], kind=kind.code)
             if kind.code in documents else None,
             "required": kind.required, "target": f"document:{kind.code}"} for kind in documents_for(filing)]


def changes(filing: dict, documents: dict) -> list[dict]:
    """What the applicant changed since the last return, for the review that follows it: {label, old, new} per
    answer and {label, document} per document (replaced, added or removed). Empty once our review has passed."""
    changed = review.changes_since_return(filing, documents)
    if not changed:
        return []
    before = filing.get("returned_snapshot") or {}
    old_answers = {"subject": before.get("subject"), "website": before.get("website")}
    new_answers = {"subject": filing.get("subject"), "website": filing.get("website")}
    result = []
    for answer in REVIEWED_ANSWERS:
        old, new = value(answer, old_answers), value(answer, new_answers)
        if old != new:
            result.append({"label": str(answer.label), "old": old, "new": new})
    for path, old, new in changed:
        if path == ("service_code",):
            result.append({"label": gettext("Service code"), "old": old or "", "new": new or ""})
        elif path[0] == "document":
            kind = rules.DOCUMENT_KINDS.get(path[1])
            result.append({"label": gettext(kind.label) if kind else path[1], "document": True,
                           "what": gettext("Added") if not old else gettext("Removed") if not new
                           else gettext("Replaced")})
    return result
