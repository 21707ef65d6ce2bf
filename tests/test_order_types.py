"""Order types as data (icp.order_types): every declaration is whole, and what reads it agrees with the forms."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest

from icp import filing as f
from icp.order_types import APP, ORDER_TYPES, WEBSITE, order_type_of, service_name

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


NEW_SERVICE = [t for t in ORDER_TYPES.values() if not t.acts_on_service]
AFTER_NUMBER_TYPES = [t for t in ORDER_TYPES.values() if t.acts_on_service]


@pytest.mark.parametrize("order_type", NEW_SERVICE, ids=lambda t: t.code)
def test_every_order_type_runs_the_wizard_from_type_to_check(order_type):
    codes = order_type.step_codes
    assert codes[:3] == ("type", "instance", "subject")
    assert codes[-2:] == ("documents", "check")
    assert len(set(codes)) == len(codes)
    assert order_type.service_step in codes and order_type.step(order_type.service_step).saves


@pytest.mark.parametrize("order_type", ORDER_TYPES.values(), ids=lambda t: t.code)
def test_every_answer_is_a_field_of_its_steps_form(app, order_type):
    """A comment on an answer leads to the field of that id, so each declared answer names a field of the form."""
    for step in order_type.answer_steps:
        module, _sep, name = step.form.partition(":")
        form_class = getattr(import_module(module), name)
        assert (TEMPLATES / step.template).is_file(), step.template
        with app.test_request_context():
            fields = set(form_class.__dict__) | {n for klass in form_class.__mro__ for n in vars(klass)}
        missing = [answer.field for answer in step.answers if answer.field not in fields]
        assert not missing, f"{order_type.code}/{step.code}: {missing}"
        for attribute in ("for_order", "stored_answers", "page", "answers", "first_field"):
            assert hasattr(form_class, attribute), f"{step.form} has no {attribute}"


@pytest.mark.parametrize("order_type", ORDER_TYPES.values(), ids=lambda t: t.code)
def test_comment_targets_are_unique_and_name_their_step(order_type):
    targets = [target for target, _label in order_type.comment_targets()]
    assert len(targets) == len(set(targets))
    assert {target.split(":")[0] for target in targets} == {s.code for s in order_type.answer_steps}


@pytest.mark.parametrize("order_type", AFTER_NUMBER_TYPES, ids=lambda t: t.code)
def test_an_order_after_the_number_names_its_flow_and_what_it_leaves(order_type):
    """An order on a filed service takes a declared flow and says what the service is after it (icp.services)."""
    from icp import services
    from icp.timeline import FLOW_STAGES

    assert order_type.flow in FLOW_STAGES
    assert order_type.leaves in services.STATE_LABELS
    assert any(order_type.flow in t.flows for t in f.TRANSITIONS if t.action == "approve")
    assert order_type.tag


def test_numbers_share_the_serial_with_the_types_suffix():
    assert WEBSITE.number("京ICP备16059763号", 2) == "京ICP备16059763号-2"
    assert APP.number("京ICP备16059763号", 2) == "京ICP备16059763号-2A"


def test_an_order_without_a_type_is_a_website():
    assert order_type_of({}) is WEBSITE
    assert order_type_of({"order_type": "app"}) is APP
    assert service_name({"verified": {"domain": "例子.中国"}}) == "例子.中国"
    assert service_name({"order_type": "app", "verified": {"domain": "", "app_name": "示例助手"}}) == "示例助手"


def test_the_snapshot_at_a_return_holds_every_answer_step():
    filing = {"order_type": "app", "subject": {"a": 1}, "app": {"b": 2}, "website": {"c": 3}}
    assert APP.snapshot(filing) == {"subject": {"a": 1}, "app": {"b": 2}}


def test_an_app_order_locks_its_subject_only():
    website = {"certificate_number": "X1", "domain_ascii": "example.cn"}
    app = {"certificate_number": "X1", "domain_ascii": "", "app_name": "示例"}
    assert [what for _key, what in f.lock_keys(website)] == ["subject", "domain"]
    assert [what for _key, what in f.lock_keys(app)] == ["subject"]
