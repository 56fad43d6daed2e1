"""Asking the core whether it would accept an act from a reader now, for pages and the API.

A query builds the act a page's form would submit (a probe with the target's ids and a valid sample value)
and asks `acts_allowed(state, key=..., now=...)(probe)`: the same rule replay runs, without applying it
(core/assembly/allowed.py). The act is tried at the time the node would seal it: node time, or the
record's last entry's time when the node's clock is behind it (actions/record/append.py).
"""

from collections.abc import Callable
from typing import TypeVar

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.state import copy_state
from ayllu.core.cargos.terms import advance_turns, turns_due
from ayllu.core.errors import DomainError

from .replayed import read_state

# A sample of words where a form asks for them: the rules read only whether there are some.
SAMPLE = "-"


def as_replay_finds_it(state: AssemblyState, *, now: int) -> AssemblyState:
    """The state the next entry at `now` meets: terms due by then started, on a copy made once for all
    of a page's probes (each would otherwise copy the state for itself)."""
    if not turns_due(state, now=now):
        return state
    ahead = copy_state(state)
    try:
        advance_turns(ahead, now=now, seq=state.size + 1)
    except DomainError:
        return state  # each probe meets the same refusal
    return ahead


def acts_refused(state: AssemblyState, *, key: str, now: int) -> Callable[[Act], DomainError | None]:
    """Why the core would refuse an act signed by `key` and sealed for a request at `now` (ms) in `state`
    (None: it would accept it). Where the answer is only a refusal's reason (a probe whose sample value
    the rule checks last), ask this rather than `acts_allowed`, at the same time."""
    time = max(now, state.last_time)
    ahead = as_replay_finds_it(state, now=time)

    def refused(act: Act) -> DomainError | None:
        return refusal(ahead, key=key, act=act, time=time)

    return refused


def acts_allowed(state: AssemblyState, *, key: str, now: int) -> Callable[[Act], bool]:
    """Whether the core would accept an act signed by `key` and sealed for a request at `now` (ms)."""
    refused = acts_refused(state, key=key, now=now)

    def allows(act: Act) -> bool:
        return bool(key) and refused(act) is None

    return allows


R = TypeVar("R")
# Whether the core would accept an act from the reader now (`acts_allowed`).
Allows = Callable[[Act], bool]


def read_acts(
    log: str, *, key: str, now: int, nothing: R, read: Callable[[AssemblyState, Allows], R | None]
) -> R:
    """What the reader with `key` may do now, as `read` answers it from the record's state and
    `acts_allowed` for that reader; `nothing` when nobody is logged in ("" key) or when `read` finds
    nothing to act on (None: an unknown meeting, proposal, ...)."""
    if not key:
        return nothing

    def answer(state: AssemblyState) -> R:
        found = read(state, acts_allowed(state, key=key, now=now))
        return nothing if found is None else found

    return read_state(log, answer)
