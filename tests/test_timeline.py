"""The stages an applicant follows, by status, policy, province and the people MIIT texts."""
from __future__ import annotations

import pytest

from icp import filing as f
from icp import timeline
from tests.orders import order_in


@pytest.mark.parametrize("status, current", [
    (f.DRAFT, "prepare"), (f.RETURNED, "prepare"), (f.PROVIDER_REVIEW, "provider_review"),
    (f.PHOTO_PENDING, "verification"), (f.PHOTO_REVIEW, "verification"),
    (f.READY_FOR_ADMINISTRATION, "send"), (f.SMS_PENDING, "sms"),
    (f.ADMINISTRATION_REVIEW, "administration_review"),
])
def test_the_current_stage_follows_the_status(status, current):
    road = timeline.stages(order_in(status))
    assert [s.code for s in road if s.state == "current"] == [current]
    index = [s.code for s in road].index(current)
    assert all(s.state == "done" for s in road[:index])
    assert all(s.state == "upcoming" for s in road[index + 1:])


def test_ready_to_send_is_not_the_sms_stage_yet():
    # the SMS check is "now" only once MIIT has texted (issue 16, defect 11)
    road = timeline.stages(order_in(f.READY_FOR_ADMINISTRATION))
    assert next(s for s in road if s.code == "sms").state == "upcoming"


def test_approved_is_all_done_and_ended_filings_have_no_road():
    assert {s.state for s in timeline.stages(order_in(f.APPROVED))} == {"done"}
    for status in (f.REJECTED, f.DISCARDED, f.WITHDRAWN):
        assert timeline.stages(order_in(status)) == []


@pytest.mark.parametrize("province, policy, needs_sms", [
    ("hainan", "seed", True), ("beijing", "seed", False), ("beijing", "current_practice", True),
])
def test_the_sms_stage_follows_the_policy(province, policy, needs_sms):
    road = timeline.stages(order_in(f.PROVIDER_REVIEW, province=province, policy=policy))
    sms = [s for s in road if s.code == "sms"]
    assert bool(sms) is needs_sms
    if needs_sms:
        assert sms[0].params["window_hours"] == (48 if policy == "seed" else 24)


@pytest.mark.parametrize("two_people, said", [(True, "one to the website administrator"), (False, "enter it")])
def test_the_sms_stage_names_one_or_two_people(two_people, said):
    road = timeline.stages(order_in(f.PROVIDER_REVIEW, two_people=two_people))
    stage = next(s for s in road if s.code == "sms")
    assert said in stage.detail % stage.params


@pytest.mark.parametrize("policy, method_word", [("seed", "backdrop"), ("current_practice", "phone")])
def test_the_verification_stage_follows_the_stamped_method(policy, method_word):
    road = timeline.stages(order_in(f.PROVIDER_REVIEW, province="beijing", policy=policy))
    stage = next(s for s in road if s.code == "verification")
    assert method_word in (stage.title + stage.detail).lower()


def test_shanghai_verifies_in_the_app():
    road = timeline.stages(order_in(f.PROVIDER_REVIEW, province="shanghai"))
    assert "Shanghai" in next(s for s in road if s.code == "verification").title


def test_the_current_stage_says_the_next_action_with_its_date():
    road = timeline.stages(order_in(f.PROVIDER_REVIEW))
    current = next(s for s in road if s.state == "current")
    assert current.params["expected_on"] == "2026-11-30"  # submitted on a Friday: the next workday
