"""URL rules that compile their URL builders when first asked to build, not when the app starts.

Werkzeug compiles two Python functions per rule as it is registered (one to build the URL, one for URLs with
extra query arguments): ~0.2 ms each, 20-30 ms of every cold start for our ~100 routes, most of which a
Lambda instance never builds a URL for. Matching an incoming URL does not use them.
"""
from __future__ import annotations

from typing import Any, Callable

from werkzeug.routing import Rule


class LazilyBuiltRule(Rule):
    """A Werkzeug Rule whose builders are compiled on their first call (Flask's `url_rule_class`)."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            # two threads may both compile it once: the same function, no harm
            if not compiled:
                compiled.append(Rule._compile_builder(rule, append_unknown))
            return compiled[0](rule, *args, **kwargs)

        return build
