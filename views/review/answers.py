"""The order as a reviewer reads it: each document with what a comment on it is stored as, and what the applicant
changed since the last return, by the labels a reviewer reads (the order type's answers, icp.order_types)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from icp import rules
from icp.order_types import order_type_of
from icp.workflow import review
from icp.documents import documents_for, label_of
from views.answers import value


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
    order_type = order_type_of(filing)
    old_answers = order_type.snapshot(filing.get("returned_snapshot") or {})
    new_answers = order_type.snapshot(filing)
    result = []
    for step in order_type.answer_steps:
        for answer in step.answers:
            old, new = value(answer, old_answers), value(answer, new_answers)
            if old != new:
                result.append({"label": gettext(answer.label), "old": old, "new": new})
    for path, old, new in changed:
        if path == ("service_code",):
            result.append({"label": gettext("Service code"), "old": old or "", "new": new or ""})
        elif path[0] == "document":
            result.append({"label": gettext(label_of(filing, path[1])), "document": True,
                           "what": gettext("Added") if not old else gettext("Removed") if not new
                           else gettext("Replaced")})
    return result
