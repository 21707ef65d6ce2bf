"""The status table declares every status once, completely; no template compares status strings to choose copy."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from icp import filing as f
from icp import timeline
from icp.order import Order
from tests.orders import order_in

ROOT = Path(__file__).resolve().parent.parent
STATUS_CONSTANTS = {value for name, value in vars(f).items() if name.isupper() and isinstance(value, str)
                    and value == name and name not in ("FINAL",)}
VARIANTS = ("closed_access_cancelled", "closed_cancelled", "closed_superseded", "access_warning", "cancel_access", "cancel", "cancel_one", "cancel_two", "app_order", "backdrop_none", "backdrop_applied", "backdrop_mailed", "one", "two", "no_sms", "backdrop", "phone",
            "app", "sms", "")


def test_every_status_is_in_the_table():
    targets = {t.target for t in f.TRANSITIONS} | {t.source for t in f.TRANSITIONS}
    assert targets <= set(f.STATUSES), targets - set(f.STATUSES)
    assert {"DRAFT", "APPROVED", "REJECTED", "DISCARDED", "WITHDRAWN"} <= set(f.STATUSES)
    # a status declared in icp.filing (a constant named as its value) but left out of the table fails here too,
    # even before a transition leads to it
    assert STATUS_CONSTANTS <= set(f.STATUSES), STATUS_CONSTANTS - set(f.STATUSES)


@pytest.mark.parametrize("status", sorted(f.STATUSES))
def test_every_field_of_a_status_answers_for_any_order(status):
    entry = f.STATUSES[status]
    for name in ("label", "actor", "action", "due", "tone", "panel", "outcome"):
        value = getattr(entry, name)
        if isinstance(value, dict):
            assert "" in value, f"{status}.{name} has no default for the orders its keys leave out"
            assert set(value) <= set(VARIANTS), set(value) - set(VARIANTS)
    assert entry.stage in (*timeline.STAGES, "ended")
    assert f.pick(entry.actor, ()) in f.ACTOR_LABELS
    panels = entry.panel.values() if isinstance(entry.panel, dict) else (entry.panel,)
    for panel in panels:
        assert panel and (ROOT / f"templates/filings/status/{panel}.html").is_file()


@pytest.mark.parametrize("status", sorted(f.STATUSES))
def test_every_status_states_a_next_action_whose_params_it_has(status):
    for policy, province in (("seed", "tianjin"), ("current_practice", "beijing"), ("seed", "shanghai")):
        for two in (True, False):
            action = Order(order_in(status, policy=policy, province=province, two_people=two)).next_action
            names = set(re.findall(r"%\((\w+)\)", action.text))
            assert names <= set(action.params), (status, names - set(action.params))


def test_a_status_missing_from_the_table_fails_here_not_on_a_page(monkeypatch):
    monkeypatch.delitem(f.STATUSES, f.SMS_PENDING)
    with pytest.raises(KeyError):
        Order(order_in(f.SMS_PENDING))


def test_no_template_compares_status_strings():
    compared = re.compile(r"(filing|order|o)\.status\s*(==|!=|in|not in)\s*[\(\[\"']")
    offenders = [f"{path.relative_to(ROOT)}: {line.strip()[:100]}"
                 for path in (ROOT / "templates").rglob("*.html")
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if compared.search(line) or any(f'"{s}"' in line or f"'{s}'" in line for s in STATUS_CONSTANTS)]
    assert not offenders, offenders


def test_only_the_engine_builds_history_events_and_the_applicants_messages():
    # every write of an order's history goes through icp.workflow.engine (transition, record, started): a use case
    # that built `changed` + `event_item` by hand would bypass the table's roles, statuses and effects
    import ast

    builders = {"event_item", "notify_applicant"}
    offenders = []
    for folder in ("icp", "views", "forms"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.relative_to(ROOT).as_posix() == "icp/workflow/engine.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                    if name in builders:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not offenders, offenders
