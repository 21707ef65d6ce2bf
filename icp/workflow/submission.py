"""Submitting an order to the provider's review (first time or after a return), once the checks pass."""
from __future__ import annotations

from datetime import datetime

from icp import checks
from icp import filing as f
from icp import rules
from icp.workflow import engine
from icp.workflow.common import stamp


class SubmissionRefused(Exception):
    """The order still has problems that would get it rejected."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def submit(table, filing: dict, documents: dict, *, now: datetime, public_url: str = "",
           policy: rules.DeadlinePolicy | None = None) -> dict:
    """Move the order to our review in one atomic write with its history event and notifications.

    The deadline policy in force now (`policy`, the seed's by default) is stamped on the order: every later
    deadline and branch reads it from there. A resubmission keeps the first submission time, which is the
    order's place in our queue.
    """
    problems = checks.submission_problems(table, filing, documents, today=now.date())
    if problems:
        raise SubmissionRefused(problems)
    policy = policy or rules.deadline_policy()
    fields = {"submitted_at": stamp(now), "first_submitted_at": filing.get("first_submitted_at") or stamp(now),
              "steps": {**filing["steps"], "check": True},
              "policy": f.policy_stamp(policy, filing["verified"]["province"]), "overdue": False}
    if filing["status"] == f.RETURNED:
        fields["resubmitted_at"] = stamp(now)
    return engine.apply(table, filing, "submit", role="applicant", actor=filing["owner"], now=now, fields=fields,
                        public_url=public_url,
                        params={"review_workdays": fields["policy"]["provider_review_workdays"]})
