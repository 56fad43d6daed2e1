"""Rules decide, state applies: what an act does is a list of events; applying them is a separate step.

A rule is a pure function `decide_<verb>(state, act, ctx) -> list[Event]` registered for its act class
with `@rule(ActClass)`. It reads the state and the act and either raises a `RuleError` or returns the
events that happen; it never changes the state. Each event class has one `@applies(EventClass)`
function that folds it into the state and cannot fail: everything that could go wrong was decided
first. So a refused act leaves the state as it was without any undo, and the same rule, run without
applying, answers "may this reader do this act now?" (allowed.py).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.state import AssemblyState


@dataclass(frozen=True, slots=True)
class Context:
    """Who does an act and when: the entry's seq and time, the author's member id and signing key.

    `hash` is the entry's hash, a seed the record fixes (a proposal's tie-break); "" when an act is
    only tried (allowed.py), which never reads it.
    """

    seq: int
    time: int
    author: str
    key: str
    hash: str = ""


class Event:
    """Base of every event: a past-tense fact an act brought about (a frozen dataclass)."""

    __slots__ = ()


A = TypeVar("A", bound=Act)
E = TypeVar("E", bound=Event)
Rule = Callable[[AssemblyState, Any, Context], Sequence[Event]]
Applier = Callable[[AssemblyState, Any], None]

RULES: dict[type[Act], Rule] = {}
APPLIERS: dict[type[Event], Applier] = {}


def rule(act: type[A]) -> Callable[[Callable[[AssemblyState, A, Context], Sequence[Event]]], Any]:
    """Register the rule that decides `act`."""

    def register(
        decide: Callable[[AssemblyState, A, Context], Sequence[Event]],
    ) -> Callable[[AssemblyState, A, Context], Sequence[Event]]:
        if act in RULES:
            raise TypeError(f"two rules for {act.__name__}")
        RULES[act] = decide
        return decide

    return register


def applies(event: type[E]) -> Callable[[Callable[[AssemblyState, E], None]], Any]:
    """Register the function that folds `event` into the state."""

    def register(fold: Callable[[AssemblyState, E], None]) -> Callable[[AssemblyState, E], None]:
        if event in APPLIERS:
            raise TypeError(f"two appliers for {event.__name__}")
        APPLIERS[event] = fold
        return fold

    return register


def decide(
    state: AssemblyState, act: Act | None, ctx: Context, *, kind: type[Act] | None = None
) -> Sequence[Event]:
    """What `act` does in `state`, or raise the `RuleError` it breaks; the state is not changed.

    `act` is None only for a kind whose rules read no body, replayed where the body is not visible;
    `kind` then names it.
    """
    if act is not None:
        kind = type(act)
    assert kind is not None
    return RULES[kind](state, act, ctx)


def apply_events(state: AssemblyState, events: Sequence[Event]) -> None:
    """Fold events into the state, in order."""
    for event in events:
        APPLIERS[type(event)](state, event)
