"""Submitting an order to the provider's review, after the pre-submission checks pass."""
from __future__ import annotations

from datetime import datetime

from icp import checks
from icp import filing as f
from icp.store import Put
from icp.workflow.common import changed, notify_applicant, put_changed, stamp, without_deadline


class SubmissionRefused(Exception):
    """The order still has problems that would get it rejected."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def submit(table, filing: dict, documents: dict, *, now: datetime, public_url: str = "") -> dict:
    """Move the order to provider review in one atomic write with its history event and notifications."""
    problems = checks.submission_problems(table, filing, documents, today=now.date())
    if problems:
        raise SubmissionRefused(problems)
    target = f.next_status(filing["status"], "submit", "applicant")
    updated = without_deadline(changed(filing, now=now, status=target, submitted_at=stamp(now),
                                       steps={**filing["steps"], "check": True}))
    table.write([put_changed(filing, updated),
                 *notify_applicant(filing, "submitted", now=now, url=f"{public_url}/filings/{filing['id']}"),
                 Put(f.event_item(filing["id"], now=now, actor=filing["owner"], action="submit", status=target,
                                      seq=updated["version"]))])
    return updated
