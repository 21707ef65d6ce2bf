"""The transition table: every action from every status by every role, and the routes the policy decides."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from icp import deadlines, rules
from icp import filing as f

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
ROLES = ("applicant", "reviewer", "administration", "system")
STATUSES = list(f.STATUS_LABELS)
ACTIONS = sorted({t.action for t in f.TRANSITIONS})


def filing(status: str, province: str = "beijing", policy: str = "seed") -> dict:
    """A filing in `status` for `province`, with `policy` stamped on it."""
    return {"id": "F1", "status": status, "verified": {"province": province},
            "policy": f.policy_stamp(rules.deadline_policy(policy), province)}


# (status, action, role) -> target for a Beijing filing under the seed's policy: the whole allowed set
ALLOWED = {
    (f.DRAFT, "submit", "applicant"): f.PROVIDER_REVIEW,
    (f.RETURNED, "submit", "applicant"): f.PROVIDER_REVIEW,
    (f.PROVIDER_REVIEW, "return", "reviewer"): f.RETURNED,
    (f.PROVIDER_REVIEW, "pass", "reviewer"): f.PHOTO_PENDING,
    (f.PHOTO_PENDING, "apply_backdrop", "applicant"): f.PHOTO_PENDING,
    (f.PHOTO_PENDING, "mark_backdrop_mailed", "reviewer"): f.PHOTO_PENDING,
    (f.PHOTO_PENDING, "upload_photo", "applicant"): f.PHOTO_REVIEW,
    (f.PHOTO_REVIEW, "pass_photo", "reviewer"): f.READY_FOR_ADMINISTRATION,
    (f.PHOTO_REVIEW, "reject_photo", "reviewer"): f.PHOTO_PENDING,
    (f.APP_VERIFICATION_PENDING, "confirm_app_verification", "reviewer"): f.READY_FOR_ADMINISTRATION,
    (f.READY_FOR_ADMINISTRATION, "send", "reviewer"): f.ADMINISTRATION_REVIEW,
    (f.SMS_PENDING, "remind_sms", "system"): f.SMS_PENDING,
    (f.SMS_PENDING, "wrong_code", "applicant"): f.SMS_PENDING,
    (f.SMS_PENDING, "resend_codes", "applicant"): f.SMS_PENDING,
    (f.SMS_PENDING, "verify_sms", "applicant"): f.ADMINISTRATION_REVIEW,
    (f.SMS_PENDING, "expire_sms", "system"): f.REJECTED,
    (f.SMS_PENDING, "expire_sms", "applicant"): f.REJECTED,
    (f.SMS_PENDING, "too_many_wrong_codes", "applicant"): f.REJECTED,
    (f.ADMINISTRATION_REVIEW, "approve", "administration"): f.APPROVED,
    (f.ADMINISTRATION_REVIEW, "reject", "administration"): f.REJECTED,
    **{(s, "flag_overdue", "system"): s for s in (f.PROVIDER_REVIEW, f.PHOTO_REVIEW, f.ADMINISTRATION_REVIEW)},
    **{(s, "remind_draft", "system"): s for s in (f.DRAFT, f.RETURNED)},
    **{(s, "discard", "system"): f.DISCARDED for s in (f.DRAFT, f.RETURNED)},
    **{(s, "withdraw", "applicant"): f.WITHDRAWN for s in f.WITHDRAWABLE},
    # an approved service that no longer resolves to our servers: warned, cleared, or its access cancelled by us
    (f.APPROVED, "warn_access", "reviewer"): f.APPROVED,
    (f.APPROVED, "clear_access_warning", "applicant"): f.APPROVED,
    (f.APPROVED, "clear_access_warning", "reviewer"): f.APPROVED,
    (f.APPROVED, "end_access", "system"): f.APPROVED,
    # an approved order no longer the record of a service of ours (icp.filing.CLOSE_ACTIONS); its "erase" takes the
    # "closed" route only (tests/test_retention_after_service.py)
    **{(f.APPROVED, action, "system"): f.APPROVED for action in f.CLOSE_ACTIONS.values()},
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_every_action_by_every_role(status, role):
    for action in ACTIONS:
        expected = ALLOWED.get((status, action, role))
        if expected is None:
            with pytest.raises(f.TransitionNotAllowed):
                f.transition_for(filing(status), action, role)
        else:
            assert f.transition_for(filing(status), action, role).target == expected, (status, action, role)


def test_nothing_leaves_a_final_status():
    # an approved service's access warning is recorded on it, but nothing moves an order out of a final status
    for transition in f.TRANSITIONS:
        if transition.source in f.FINAL:
            assert transition.target == transition.source, transition
    for status in f.FINAL - {f.APPROVED}:
        for role in ROLES:
            assert f.allowed_actions(filing(status), role) == []


@pytest.mark.parametrize("province, policy, after_pass, after_send", [
    ("beijing", "seed", f.PHOTO_PENDING, f.ADMINISTRATION_REVIEW),         # backdrop, no SMS
    ("tianjin", "seed", f.PHOTO_PENDING, f.SMS_PENDING),                   # one of the seed's 7 SMS provinces
    ("shanghai", "seed", f.APP_VERIFICATION_PENDING, f.ADMINISTRATION_REVIEW),
    ("beijing", "current_practice", f.PHOTO_PENDING, f.SMS_PENDING),       # every province, phone photo
    ("shanghai", "current_practice", f.APP_VERIFICATION_PENDING, f.SMS_PENDING),
])
def test_the_policy_decides_the_branches(province, policy, after_pass, after_send):
    assert f.transition_for(filing(f.PROVIDER_REVIEW, province, policy), "pass", "reviewer").target == after_pass
    assert f.transition_for(filing(f.READY_FOR_ADMINISTRATION, province, policy), "send",
                            "reviewer").target == after_send


def test_verification_methods_come_from_the_policy():
    assert f.policy_stamp(rules.deadline_policy("seed"), "beijing")["verification"] == "backdrop"
    assert f.policy_stamp(rules.deadline_policy("current_practice"), "beijing")["verification"] == "phone"
    assert f.policy_stamp(rules.deadline_policy("seed"), "shanghai")["verification"] == "app"
    # only a backdrop order may apply for a backdrop; only a phone order opens a phone link
    with pytest.raises(f.TransitionNotAllowed):
        f.transition_for(filing(f.PHOTO_PENDING, "beijing", "current_practice"), "apply_backdrop", "applicant")
    with pytest.raises(f.TransitionNotAllowed):
        f.transition_for(filing(f.PHOTO_PENDING), "issue_phone_link", "applicant")


def test_every_transition_declares_known_effects():
    from icp import messages

    for transition in f.TRANSITIONS:
        effects = transition.effects
        assert effects.deadline in ("keep", "stop", "advance") or effects.deadline.startswith("start:")
        assert effects.code in (None, "release", "consume")
        assert effects.notify is None or effects.notify in messages.MESSAGES, effects.notify
        if transition.target in (f.REJECTED, f.DISCARDED, f.WITHDRAWN):
            assert effects.code == "release" and effects.locks and effects.deadline == "stop"


def test_the_stamped_sms_window_holds_when_the_configuration_changes():
    seed = filing(f.READY_FOR_ADMINISTRATION, "tianjin", "seed")
    window = deadlines.start(seed, "sms", now=NOW)
    assert window["ends_at"] == (NOW + timedelta(hours=48)).isoformat(timespec="seconds")
    practice = filing(f.READY_FOR_ADMINISTRATION, "tianjin", "current_practice")
    assert deadlines.start(practice, "sms", now=NOW)["ends_at"] == (NOW + timedelta(hours=24)).isoformat(
        timespec="seconds")
    # reminders before the end, soonest first, then the expiry
    assert deadlines.due(window) == ((NOW + timedelta(hours=36)).isoformat(timespec="seconds"), "remind_sms")
    assert deadlines.due(deadlines.advance(deadlines.advance(window, NOW), NOW))[1] == "expire_sms"


def test_review_targets_count_china_workdays():
    # Friday 27 November 2026, 17:00 in Beijing: one workday later is Monday; the flag falls at its end
    ends = deadlines.after_workdays(NOW, 1)
    assert ends.date().isoformat() == "2026-12-01" and ends.hour == 0
