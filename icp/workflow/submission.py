"""Submitting an order to the provider's review (first time or after a return), once the checks pass."""
from __future__ import annotations

from datetime import datetime

from icp import checks
from icp import filing as f
from icp import certificate_index, mobiles, rules
from icp.workflow import engine
from icp.workflow.common import filing_and_document_keys, load_filing_with_documents, stamp


class SubmissionRefused(Exception):
    """The order still has problems that would get it rejected."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def prefetch_hint(filing: dict) -> str:
    """What the check page tells its Submit button to send back: the keys the checks will read, as text."""
    # every key the checks read is an item's META (sk), so the partition keys say it all
    return " ".join(pk for pk, _sk in checks.dependency_keys(filing))


def hinted_keys(hint: str) -> list[tuple[str, str]]:
    """The keys a check page's hint names (prefetch_hint), at most three, to read with the order."""
    return [(pk, "META") for pk in hint.split()[:3] if len(pk) < 300]


def submission_keys(filing_id: str, hint: str) -> list[tuple[str, str]]:
    """Every key read_for_submission reads: the order, its documents and the keys the hint names."""
    return [*filing_and_document_keys(filing_id), *hinted_keys(hint)]


def read_for_submission(table, filing_id: str, *, owner: str, hint: str,
                        prefetched: dict | None = None) -> tuple[dict, dict, dict | None]:
    """Read the order, its documents and what its checks need in one get_many; returns (filing, documents,
    prefetched), prefetched None when the hint no longer names the order's code (the checks then read it).

    `hint` comes from the page (prefetch_hint) and is only a guess of keys: whatever it names, the checks use
    the order's own keys, so a stale or forged hint costs a second read and nothing else. Items the caller
    read already (`prefetched`, e.g. with the session: submission_keys) are not read again.
    """
    hinted = hinted_keys(hint)
    filing, documents, found = load_filing_with_documents(table, filing_id, owner=owner, also=hinted,
                                                          prefetched=prefetched)
    needed = checks.dependency_keys(filing)
    return filing, documents, ({key: found.get(key) for key in needed} if set(needed) <= set(hinted) else None)


def submit(table, filing: dict, documents: dict, *, now: datetime, public_url: str = "",
           policy: rules.DeadlinePolicy | None = None, prefetched: dict | None = None) -> dict:
    """Move the order to our review in one atomic write with its history event and notifications.

    The deadline policy in force now (`policy`, the seed's by default) is stamped on the order: every later
    deadline and branch reads it from there. A resubmission keeps the first submission time, which is the
    order's place in our queue.
    """
    problems = checks.submission_problems(table, filing, documents, today=now.date(), prefetched=prefetched)
    if problems:
        raise SubmissionRefused(problems)
    policy = policy or rules.deadline_policy()
    fields = {"submitted_at": stamp(now), "first_submitted_at": filing.get("first_submitted_at") or stamp(now),
              "steps": {**filing["steps"], "check": True},
              "policy": f.policy_stamp(policy, filing["verified"]["province"]), "overdue": False}
    if filing["status"] == f.RETURNED:
        fields["resubmitted_at"] = stamp(now)
    # each mobile and each person is recorded as given by this subject (by hash), so another subject giving it is
    # warned (icp.mobiles, icp.certificate_index)
    index = [*mobiles.index_ops(filing, at=stamp(now)), *certificate_index.index_ops(filing, at=stamp(now))]
    return engine.apply(table, filing, "submit", role="applicant", actor=filing["owner"], now=now, fields=fields,
                        public_url=public_url, extra_ops=index,
                        params={"review_workdays": fields["policy"]["provider_review_workdays"]})
