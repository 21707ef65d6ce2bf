"""URL builders compiled on first use (views/routing.py) build exactly the URLs Werkzeug's own rules build."""
from __future__ import annotations

from werkzeug.routing import Map, Rule

from tests.conftest import make_app
from views.routing import LazilyBuiltRule

SAMPLES = {"filing_id": "F2026ABC", "kind": "licence_front", "filename": "css/site.css", "code": "ICPSC-1234"}


def test_no_url_builder_is_compiled_while_the_app_starts(tmp_path, clock, monkeypatch):
    compiled = []
    original = Rule._compile_builder

    def counted(self, *args, **kwargs):
        compiled.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Rule, "_compile_builder", counted)
    app = make_app("local", tmp_path, clock)
    routes = [r for r in app.url_map.iter_rules() if isinstance(r, LazilyBuiltRule)]
    assert len(routes) > 50
    # only Flask's own static route, made before the app's rule class is set, compiles at once
    assert {rule.endpoint for rule in compiled} <= {"static"}


def test_every_route_builds_the_url_a_stock_rule_builds(tmp_path, clock):
    app = make_app("local", tmp_path, clock)
    lazy = [r for r in app.url_map.iter_rules() if isinstance(r, LazilyBuiltRule)]
    stock_map = Map([Rule(r.rule, endpoint=r.endpoint, methods=r.methods) for r in lazy])
    stock = {r.endpoint: r for r in stock_map.iter_rules()}
    for rule in lazy:
        values = {name: _sample(rule, name) for name in rule.arguments}
        assert rule.build(values) == stock[rule.endpoint].build(values), rule.rule
        # with an argument the rule does not name: appended as a query string, both the same
        extra = {**values, "next": "/filings?a=1&b=中"}
        assert rule.build(extra, append_unknown=True) == stock[rule.endpoint].build(extra, append_unknown=True)
    with app.test_request_context():
        from flask import url_for

        assert url_for("filings.instance", filing_id="F1", code="ICPSC 1") == "/filings/F1/instance?code=ICPSC+1"


def _sample(rule: Rule, name: str) -> str:
    """A value the rule's converter accepts for `name` (one of an `any` converter's words)."""
    converter = rule._converters[name]
    return sorted(converter.items)[0] if hasattr(converter, "items") else SAMPLES.get(name, "x-1")
