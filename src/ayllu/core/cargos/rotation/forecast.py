"""The turn order ahead: successive terms of every cargo, each filled as `get_next_turn` would fill it.

Each cargo's next term starts when its current term ends (or at `start` if nobody holds it). Terms that
start at the same moment are filled heaviest cargo first (then by cargo id), so the least served
households meet the heaviest burdens. A term the assembly must fill itself ("ask_assembly") stays
empty in the forecast and the cargo moves on to its next term.
"""

from dataclasses import replace

from ayllu.core.cargos.rotation.model import RotationFacts, Service
from ayllu.core.cargos.rotation.turn import Turn, get_next_turn

YEAR_MS = 365 * 24 * 60 * 60 * 1000


def first_starts(facts: RotationFacts, *, start: int) -> dict[str, int]:
    """Return when each cargo's first term from `start` begins: when its current term ends, or `start`."""
    return {
        c.id: max([start, *(s.end for s in facts.services if s.cargo == c.id and s.start <= start)])
        for c in facts.cargos
    }


def list_turn_order(facts: RotationFacts, *, start: int, until: int | None = None) -> tuple[Turn, ...]:
    """Return every term that starts in [start, until) (a year by default), in the order they start."""
    until = start + YEAR_MS if until is None else until
    next_start = first_starts(facts, start=start)
    heaviest = {c.id: (-c.burden, c.id) for c in facts.cargos}
    turns: list[Turn] = []
    while True:
        cargo = min(next_start, key=lambda c: (next_start[c], heaviest[c]), default=None)
        if cargo is None or next_start[cargo] >= until:
            return tuple(turns)
        turn = get_next_turn(facts, cargo=cargo, at=next_start[cargo])
        turns.append(turn)
        planned = tuple(Service(cargo, h.household, h.member, turn.start, turn.end) for h in turn.holders)
        facts = replace(facts, services=facts.services + planned)
        next_start[cargo] = turn.end
