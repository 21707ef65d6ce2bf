"""Modules a view module needs only inside its views: imported when a request first uses them, not at start.

A new Lambda instance builds every blueprint before its first request, and that first request is most often
the home page or an applicant's page: the staff consoles' use cases, the site check's network code and the
outbox's senders would be imported for nothing (bench/cold_start.py measures the start).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
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
        if attribute == "__path__":
            # `from name import f` asks whether the module is a package; a module is not, and has no __path__
            raise AttributeError(attribute)
        return getattr(_loaded(self.__name__), attribute)


_swap = threading.Lock()


def _loaded(name: str) -> types.ModuleType:
    """The module `name` itself, imported now in place of its stand-in at the first use. Two threads may get here
    at once: one removes the stand-in, and Python's lock on the module makes the other wait for its import."""
    with _swap:
        if isinstance(sys.modules.get(name), _DeferredModule):
            del sys.modules[name]
    return importlib.import_module(name)


def _forwarder(module: str, function: str):
    """A function that calls `module.function`, importing the module at the first call."""
    def forward(*args, **kwargs):
        return getattr(_loaded(module), function)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = function
    forward.__doc__ = f"{module}.{function}, imported at the first call (views.lazy.load_on_first_use)."
    return forward


def load_on_first_use(name: str, functions: tuple[str, ...] = ()) -> None:
    """Let `import name` give a stand-in that imports the module `name` on its first attribute access: for a
    module a library imports only to use in a function the service never calls. `functions` are those a
    library takes with `from name import f` at its own import, to call later: the stand-in hands out for each
    a function that imports the module at its first call. Nothing happens when the module is imported already.
    (importlib.util.LazyLoader does not do for this on Python 3.11: the next `import name` reads the module's
    __spec__, which runs it.)"""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _DeferredModule(name)
    stand_in.__spec__, stand_in.__loader__, stand_in.__file__ = spec, spec.loader, spec.origin
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = spec.submodule_search_locations
    for function in functions:
        setattr(stand_in, function, _forwarder(name, function))
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        # as an import would: `import parent.child` then finds `parent.child` (the import at the first use
        # puts the module itself there)
        setattr(sys.modules[parent], child, stand_in)
