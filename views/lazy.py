"""Modules a view module needs only inside its views: imported when a request first uses them, not at start.

A new Lambda instance builds every blueprint before its first request, and that first request is most often
the home page or an applicant's page: the staff consoles' use cases, the site check's network code and the
outbox's senders would be imported for nothing (bench/cold_start.py measures the start).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types


class LazyModule:
    """Stands for the module `name` and imports it on the first attribute asked of it (then every attribute is
    the module's own: `lazy.function(...)`, `except lazy.Error`). Python's import lock makes the first import
    safe from two threads at once; later accesses cost a dictionary look-up."""

    def __init__(self, name: str):
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._lazy_name), attribute)

    def __repr__(self) -> str:
        return f"<lazily imported module {self._lazy_name!r}>"


def lazy_module(name: str) -> LazyModule:
    """A stand-in for the module `name` that imports it on first use (see LazyModule)."""
    return LazyModule(name)


class _DeferredModule(types.ModuleType):
    """What sys.modules holds for a module deferred by load_on_first_use until something asks it for an attribute."""

    def __getattr__(self, attribute: str):
        real = sys.modules.get(self.__name__)
        if real is self:  # the first use: import the module itself, in place of this stand-in
            del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
        return getattr(real, attribute)


def load_on_first_use(name: str) -> None:
    """Let `import name` give a stand-in that imports the module `name` on its first attribute access: for a
    module a library imports only to use in a function the service never calls. Nothing happens when the
    module is imported already. (importlib.util.LazyLoader does not do for this on Python 3.11: the next
    `import name` reads the module's __spec__, which runs it.)"""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _DeferredModule(name)
    stand_in.__spec__ = spec
    sys.modules[name] = stand_in
