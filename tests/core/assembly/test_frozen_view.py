"""The read-only face readers share of a replayed state (`frozen_view`): no field of it can be changed,
and a copy of it is the caller's own."""

from dataclasses import FrozenInstanceError, fields

import pytest

from ayllu.core.assembly.state import AssemblyState, copy_state, frozen_view


def test_no_field_of_the_face_holds_a_map_list_or_set_that_can_be_changed() -> None:
    # given a state, one of each container filled
    state = AssemblyState(log="a" * 64)
    state.key_owner["k"] = "m"
    state.open_meetings.add(3)
    # when readers get its face
    view = frozen_view(state)
    # then no field holds a mutable map, list or set (a new field of another shape fails here),
    # setting a field raises, and the face reads what the state holds
    for f in fields(AssemblyState):
        assert not isinstance(getattr(view, f.name), dict | list | set), f.name
    with pytest.raises(FrozenInstanceError):
        view.name = "Otra"
    assert view.key_owner["k"] == "m" and 3 in view.open_meetings and frozen_view(view) is view


def test_a_copy_of_the_face_is_the_callers_own() -> None:
    # given a face of a state
    state = AssemblyState(log="a" * 64)
    state.key_owner["k"] = "m"
    view = frozen_view(state)
    # when a caller copies it and changes the copy
    own = copy_state(view)
    own.key_owner["j"] = "n"
    own.name = "Otra"
    # then the copy is a plain state, and the shared state is unchanged
    assert type(own) is AssemblyState
    assert dict(view.key_owner) == {"k": "m"} == state.key_owner and view.name == ""
