"""A declared pre-approval's term, asked beside its number and department on a website's and an app's step."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.base import attach_problems, rule_message
from forms.dates import DateBoxesField
from icp import checks, rules


def approval_term_field() -> DateBoxesField:
    """The field for the last day of the approval's validity."""
    return DateBoxesField(_l("Approval valid until"))


def _problems(form, step: str) -> list:
    return checks.approval_validity_problems(form.preapproval_items.data, form.approval_valid_until.data,
                                             today=form.today, step=step)


def check_approval_term(form, step: str) -> None:
    """Attach the term's refusals (icp.checks) at the field; a half-typed date of an approval not declared is
    ignored."""
    if not form.preapproval_items.data:
        form.approval_valid_until.errors = []
    elif not form.approval_valid_until.errors:
        attach_problems(form, [p for p in _problems(form, step) if p.severity == rules.REFUSE])


def approval_warnings(form, step: str) -> list[str]:
    """An approval that ends soon, translated: shown beside its date, never blocking the save."""
    if not form.preapproval_items.data or form.approval_valid_until.errors:
        return []
    return [rule_message(p.message, p.params) for p in _problems(form, step) if p.severity == rules.WARN]


def approval_term_answer(form) -> str:
    """The term as saved: an ISO date, or "" when no pre-approval is declared."""
    valid_until = form.approval_valid_until.data
    return valid_until.isoformat() if form.preapproval_items.data and valid_until else ""
