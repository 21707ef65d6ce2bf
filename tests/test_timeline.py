"""The stages an applicant follows, by status and province."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp import rules, timeline


def _filing(status, province="beijing"):
    return {"status": status, "verified": {"province": province}, "discard_at": "2027-01-11T09:00:00+00:00"}


@pytest.mark.parametrize("status, current", [
    (f.DRAFT, "prepare"), (f.RETURNED, "prepare"), (f.PROVIDER_REVIEW, "provider_review"),
    (f.PHOTO_PENDING, "verification"), (f.PHOTO_REVIEW, "verification"),
    (f.APP_VERIFICATION_PENDING, "verification"), (f.READY_FOR_ADMINISTRATION, "mobile"),
    (f.SMS_PENDING, "mobile"), (f.ADMINISTRATION_REVIEW, "administration_review"),
])
def test_the_current_stage_follows_the_status(status, current):
    road = timeline.stages(_filing(status), rules.deadline_policy())
    assert [s.code for s in road if s.state == "current"] == [current]
    index = [s.code for s in road].index(current)
    assert all(s.state == "done" for s in road[:index])
    assert all(s.state == "upcoming" for s in road[index + 1:])


def test_approved_is_all_done_and_ended_filings_have_no_road():
    assert {s.state for s in timeline.stages(_filing(f.APPROVED), rules.deadline_policy())} == {"done"}
    for status in (f.REJECTED, f.DISCARDED, f.WITHDRAWN):
        assert timeline.stages(_filing(status), rules.deadline_policy()) == []


@pytest.mark.parametrize("province, policy, needs_sms", [
    ("hainan", "seed", True), ("beijing", "seed", False), ("beijing", "current_practice", True),
])
def test_mobile_verification_follows_the_policy(province, policy, needs_sms):
    road = timeline.stages(_filing(f.PROVIDER_REVIEW, province), rules.deadline_policy(policy))
    mobile = next(s for s in road if s.code == "mobile")
    assert (mobile.title == "Mobile verification") is needs_sms
    if needs_sms:
        assert mobile.params["hours"] == (48 if policy == "seed" else 24)


def test_shanghai_verifies_in_the_app():
    road = timeline.stages(_filing(f.PROVIDER_REVIEW, "shanghai"), rules.deadline_policy())
    assert "Shanghai" in next(s for s in road if s.code == "verification").title
