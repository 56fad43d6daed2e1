"""Every rule the core tests run is checked to leave the state it decides on as it was (events.py).

Rules decide, state applies: a rule that changed the state would change it for a refused act too, and
for every page that only asks whether an act would be accepted. Replay's `decide` is wrapped for each
test here, so any rule of any subject that does is caught wherever a test reaches it.
"""

from collections.abc import Iterator, Sequence

import pytest

from ayllu.core.assembly import replay
from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.events import Context, Event
from ayllu.core.assembly.state import AssemblyState, copy_state

_decide = replay.decide


def _decide_without_changing(
    state: AssemblyState, act: Act | None, ctx: Context, *, kind: type[Act] | None = None
) -> Sequence[Event]:
    before = copy_state(state)
    try:
        return _decide(state, act, ctx, kind=kind)
    finally:
        # then the rule changed nothing, whether it accepted the act or refused it
        assert state == before, f"the rule of {kind or type(act)} changed the state"


@pytest.fixture(autouse=True)
def rules_never_change_the_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(replay, "decide", _decide_without_changing)
    yield
