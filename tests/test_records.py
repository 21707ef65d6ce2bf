"""icp.records.record behaves as @dataclass(frozen=True) does, without generating code for each class."""
from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from icp.records import record


class _Shouting:
    """What both twins below share besides their fields."""

    @property
    def shout(self) -> str:
        return self.label.upper()


# the same row of rules data twice: as a frozen dataclass and as a record
@dataclasses.dataclass(frozen=True)
class FrozenRow(_Shouting):
    code: str
    label: str
    limit: int = 3
    tags: tuple = ()
    params: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)
    note: str = dataclasses.field(default="", repr=False)


@record
class RecordRow(_Shouting):
    code: str
    label: str
    limit: int = 3
    tags: tuple = ()
    params: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)
    note: str = dataclasses.field(default="", repr=False)


FROZEN, RECORD = FrozenRow, RecordRow
CALLS = [
    (("a", "A"), {}),
    (("a", "A", 5), {"tags": ("x",)}),
    ((), {"code": "b", "label": "B", "params": {"k": 1}, "note": "n"}),
    (("a",), {"label": "A", "limit": 0}),
]


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_a_record_is_built_printed_compared_and_hashed_as_a_frozen_dataclass(args, kwargs):
    expected, got = FROZEN(*args, **kwargs), RECORD(*args, **kwargs)

    assert dataclasses.asdict(got) == dataclasses.asdict(expected)
    assert repr(got) == repr(expected).replace("FrozenRow", "RecordRow")
    assert got == RECORD(*args, **kwargs) and hash(got) == hash(RECORD(*args, **kwargs))
    assert hash(got) == hash(expected)
    assert got.shout == expected.shout
    assert got != RECORD("other", "O") and got != expected, "a record equals only its own class's instances"


def test_a_record_is_a_dataclass_to_the_dataclasses_module():
    row = RECORD("a", "A")

    assert dataclasses.is_dataclass(row)
    assert [f.name for f in dataclasses.fields(row)] == [f.name for f in dataclasses.fields(FROZEN)]
    assert dataclasses.replace(row, limit=9) == RECORD("a", "A", 9)
    assert RECORD.__match_args__ == FROZEN.__match_args__
    match row:
        case RECORD("a", label):
            assert label == "A"
        case _:
            pytest.fail("a record matches by position as a dataclass does")


def test_a_record_refuses_to_change():
    row = RECORD("a", "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.code = "b"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.anything_else = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        del row.label
    assert row.code == "a"


def test_each_record_gets_its_own_default_from_a_factory():
    first, second = RECORD("a", "A"), RECORD("b", "B")
    first.params["k"] = 1
    assert second.params == {}


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),                              # missing both required fields
    (("a",), {}),                          # missing one
    (("a", "A", 1, (), {}, "", "extra"), {}),  # one positional too many
    (("a", "A"), {"colour": "red"}),       # unknown keyword
    (("a", "A"), {"code": "b"}),           # the same field twice
])
def test_wrong_arguments_are_refused_as_a_dataclass_refuses_them(args, kwargs):
    with pytest.raises(TypeError):
        FROZEN(*args, **kwargs)
    with pytest.raises(TypeError):
        RECORD(*args, **kwargs)


def test_post_init_runs_and_own_methods_stay():
    seen = []

    @record
    class Policy:
        size: int

        def __post_init__(self):
            seen.append(self.size)
            if self.size < 0:
                raise ValueError("size")

        def __repr__(self):
            return "<policy>"

    assert repr(Policy(3)) == "<policy>" and seen == [3]
    with pytest.raises(ValueError):
        Policy(-1)


def test_a_record_copies_and_pickles():
    row = RECORD("a", "A", params={"k": [1]})
    assert copy.copy(row) == row and copy.deepcopy(row) == row
    assert pickle.loads(pickle.dumps(row)) == row


def test_a_subclass_record_has_its_parents_fields_first():
    @record
    class Base:
        code: str
        size: int = 1

    @record
    class Child(Base):
        colour: str = "red"

    child = Child("c", 2, "blue")
    assert (child.code, child.size, child.colour) == ("c", 2, "blue")
    assert child != Base("c", 2)
    assert repr(child) == "test_a_subclass_record_has_its_parents_fields_first.<locals>.Child(code='c', size=2, " \
                          "colour='blue')"


def test_a_class_that_sets_its_own_attributes_is_refused():
    with pytest.raises(TypeError):
        @record
        class Mutable:
            size: int

            def __setattr__(self, name, value):
                object.__setattr__(self, name, value)
