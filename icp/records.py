"""`record`: a frozen dataclass whose methods are shared, compiled once, instead of generated for each class.

Python 3.11's `@dataclass(frozen=True)` writes the source of six methods (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`) for each class and compiles it when the class is made, which is most
of what importing the rules costs: the 33 classes of `icp.rules` took 130 M instructions to define (≈30 ms of
a Lambda cold start), their ~400 rows of data 5 M. A `record` class is a dataclass all the same (`fields`,
`replace`, `asdict` and `match` work on it, `dataclasses.is_dataclass` says so) with the same behaviour: its
instances are built from the same arguments, compare and hash by their fields, print the same, and refuse
to change (`dataclasses.FrozenInstanceError`). Only making an instance is a little slower (a loop over the
fields in place of generated code: ~1 µs), which matters for data made once at import, not per request.

    @record
    class Province:
        code: str
        name: str
        sms_check: bool = False
"""
from __future__ import annotations

import dataclasses
from operator import attrgetter

_MISSING = dataclasses.MISSING


def record(cls=None, /):
    """Make `cls` a frozen dataclass with shared methods (see the module's docstring); use as `@record`."""
    if cls is None:
        return record
    for name in ("__setattr__", "__delattr__"):
        if name in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
    own = set(cls.__dict__)
    documented = bool(cls.__doc__)
    if not documented:
        cls.__doc__ = cls.__name__  # (else @dataclass would write one from the signature object() has)
    # fields, defaults and __match_args__ as @dataclass collects them, and no generated method
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    fields = dataclasses.fields(cls)
    if not documented:
        cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in fields if f.init)})"
    initialiser = _initialiser(cls, fields)
    shown = tuple(f.name for f in fields if f.repr)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    names = frozenset(f.name for f in fields)
    cls.__init__ = initialiser
    # a class's own __repr__, __eq__ or __hash__ stays, as @dataclass leaves it
    if "__repr__" not in own:
        cls.__repr__ = _repr(shown)
    if "__eq__" not in own:
        cls.__eq__ = _eq(compared)
    # (a class body with __eq__ and no __hash__ holds __hash__ = None, which is not a hash of its own)
    if "__hash__" not in own or cls.__dict__["__hash__"] is None and "__eq__" in own:
        cls.__hash__ = _hash(hashed)
    cls.__setattr__, cls.__delattr__ = _refusals(cls, names)
    return cls


def _initialiser(cls, fields):
    """The class's __init__: positional and keyword arguments for the fields with init, defaults and factories
    for the rest, then __post_init__ when the class has one; the same TypeErrors as a generated __init__."""
    taken = tuple(f.name for f in fields if f.init)
    required = frozenset(f.name for f in fields if f.init and f.default is _MISSING and f.default_factory is _MISSING)
    defaults = {f.name: f.default for f in fields if f.default is not _MISSING}
    factories = {f.name: f.default_factory for f in fields if f.default_factory is not _MISSING}
    post_init = getattr(cls, "__post_init__", None)
    accepted = frozenset(taken)

    def __init__(self, *args, **kwargs):
        if len(args) > len(taken):
            raise TypeError(f"{cls.__qualname__}.__init__() takes {len(taken) + 1} positional arguments but "
                            f"{len(args) + 1} were given")
        values = dict(zip(taken, args))
        for name, value in kwargs.items():
            if name not in accepted:
                raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument {name!r}")
            values[name] = value
        if len(values) < len(taken):
            missing = [name for name in taken if name not in values]
            absent = [name for name in missing if name in required]
            if absent:
                raise TypeError(f"{cls.__qualname__}.__init__() missing {len(absent)} required "
                                f"argument{'s' if len(absent) > 1 else ''}: {', '.join(map(repr, absent))}")
            for name in missing:
                values[name] = factories[name]() if name in factories else defaults[name]
        for name in factories.keys() - accepted:
            values[name] = factories[name]()
        for name in defaults.keys() - accepted:
            values[name] = defaults[name]
        # frozen: the instance's attributes are written past __setattr__, as a generated __init__ does
        self.__dict__.update(values)
        if post_init is not None:
            post_init(self)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _values(names):
    """A function from an instance to the tuple of its values of `names`."""
    if len(names) == 1:
        name = names[0]
        return lambda instance: (getattr(instance, name),)
    return attrgetter(*names) if names else lambda instance: ()


def _repr(shown):
    def __repr__(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"
    return __repr__


def _eq(compared):
    values = _values(compared)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)
    return __eq__


def _hash(hashed):
    values = _values(hashed)

    def __hash__(self):
        return hash(values(self))
    return __hash__


def _refusals(cls, names):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__
