"""Every act kind is one class with everything the layers derive from it, and a rule that decides it."""

import dataclasses
import sys

import pytest

from ayllu.core.assembly import replay
from ayllu.core.assembly.acts import ACT_KINDS, Act, Kind
from ayllu.core.assembly.events import APPLIERS, RULES, Event


def _all_subclasses(cls: type) -> list[type]:
    """Subclasses as their modules name them (a slotted dataclass replaces the class it was made from)."""
    found = []
    for sub in cls.__subclasses__():
        if getattr(sys.modules[sub.__module__], sub.__qualname__, None) is sub:
            found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


@pytest.mark.parametrize("kind", list(ACT_KINDS.values()), ids=lambda k: k.type)
def test_an_act_kind_has_a_rule_a_name_a_summary_and_typed_fields(kind: type[Act]) -> None:
    # given an act kind registered by its subject
    # then it has a rule, a name for people and tools, a summary, and only typed fields
    assert kind in RULES
    assert kind.name and kind.summary and "." in kind.type
    assert dataclasses.is_dataclass(kind)
    assert all(isinstance(spec.kind, Kind) for spec in kind.fields())
    assert kind.type in replay.ACT_TYPES


def test_every_event_has_exactly_one_applier() -> None:
    # given every event class the subjects define
    events = [cls for cls in _all_subclasses(Event) if dataclasses.is_dataclass(cls)]
    # then each one is folded into the state by one function
    assert events
    assert [e.__name__ for e in events if e not in APPLIERS] == []


def test_acts_are_frozen() -> None:
    # given any act kind with its fields
    for kind in ACT_KINDS.values():
        params = kind.__dataclass_params__  # type: ignore[attr-defined]
        # then its instances cannot be changed after they are made
        assert params.frozen, kind.__name__


def test_act_names_are_unique() -> None:
    names = [kind.name for kind in ACT_KINDS.values()] + [
        form.name for kind in ACT_KINDS.values() for form in kind.forms
    ]
    assert len(names) == len(set(names))
