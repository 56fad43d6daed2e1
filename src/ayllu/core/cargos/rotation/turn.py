"""The next holder(s) of a cargo: least served first, the charter's fallback when nobody is eligible.

The answer carries its own explanation: every household's standing (rank, ranking keys and the codes
of the rules that bar it), so "why is it our turn?" is answered from the same numbers that decided it.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.cargos.rotation.errors import OverlappingSwaps
from ayllu.core.cargos.rotation.model import (
    ASK_ASSEMBLY,
    BY_TURN,
    RELAX_REST_PERIOD,
    RotationFacts,
    Service,
    Swap,
)
from ayllu.core.cargos.rotation.ranking import Key, Ledger


@dataclass(frozen=True, slots=True)
class Holder:
    household: str
    member: str


@dataclass(frozen=True, slots=True)
class Standing:
    """One household's place for one term: `rank` is None when a rule bars it (`barred` says which)."""

    household: str
    rank: int | None
    key: Key
    barred: tuple[str, ...]
    stands_for: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "household": self.household,
            "rank": self.rank,
            "load": self.key.load,
            "last_served": self.key.last_served,
            "lot": self.key.lot,
            "barred": list(self.barred),
            "stands_for": self.stands_for,
        }


@dataclass(frozen=True, slots=True)
class Turn:
    """Who takes one term of one cargo, under which rule (`outcome`), and every household's standing.

    `holders` is empty only when `outcome` is "ask_assembly": the assembly itself must decide.
    """

    cargo: str
    start: int
    end: int
    outcome: str
    holders: tuple[Holder, ...]
    standings: tuple[Standing, ...]

    def standing(self, household: str) -> Standing | None:
        """Return `household`'s standing for this term, or None if it is not a household of the facts."""
        return next((s for s in self.standings if s.household == household), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "cargo": self.cargo,
            "start": self.start,
            "end": self.end,
            "outcome": self.outcome,
            "holders": [{"household": h.household, "member": h.member} for h in self.holders],
            "standings": [s.as_json() for s in self.standings],
        }


def get_next_turn(facts: RotationFacts, *, cargo: str, at: int) -> Turn:
    """Return who takes the term of `cargo` that starts at `at`, and why."""
    ledger = Ledger(facts, cargo=facts.cargo(cargo), at=at)
    seats = ledger.cargo.seats
    keys, stands_for = _keys(ledger, _open_swaps(facts, cargo=cargo, at=at))
    steps = (BY_TURN, *facts.rules.when_nobody_eligible)
    for step in steps:
        if step == ASK_ASSEMBLY:
            standings = _standings(ledger, keys, stands_for, relax_rest=RELAX_REST_PERIOD in steps)
            return Turn(cargo, at, ledger.end, ASK_ASSEMBLY, (), standings)
        standings = _standings(ledger, keys, stands_for, relax_rest=step == RELAX_REST_PERIOD)
        chosen = [s.household for s in standings if s.rank is not None][:seats]
        if len(chosen) == seats:
            holders = tuple(Holder(h, ledger.available_members(h)[0]) for h in chosen)
            return Turn(cargo, at, ledger.end, step, holders, standings)
    raise AssertionError("the fallback always ends with the assembly")  # pragma: no cover


def _standings(
    ledger: Ledger, keys: dict[str, Key], stands_for: dict[str, str], *, relax_rest: bool
) -> tuple[Standing, ...]:
    barred = {h: ledger.barred(h, relax_rest=relax_rest) for h in keys}
    ordered = sorted(keys, key=lambda h: (bool(barred[h]), keys[h].order(), h))
    eligible = sum(1 for h in ordered if not barred[h])
    return tuple(
        Standing(h, i + 1 if i < eligible else None, keys[h], barred[h], stands_for.get(h))
        for i, h in enumerate(ordered)
    )


def _keys(ledger: Ledger, swaps: list[Swap]) -> tuple[dict[str, Key], dict[str, str]]:
    keys = {h.id: ledger.key(h.id, services=ledger.by_household[h.id]) for h in ledger.facts.households}
    stands_for: dict[str, str] = {}
    for swap in swaps:
        for mover, other in ((swap.first, swap.second), (swap.second, swap.first)):
            if mover in keys and not _served_since(ledger, mover, swap):
                # The mover stands in the other's place: the other's key, as if it had not served since.
                before = [s for s in ledger.by_household[other] if not _counts(s, swap)]
                keys[mover] = ledger.key(other, services=before)
                stands_for[mover] = other
    return keys, stands_for


def _open_swaps(facts: RotationFacts, *, cargo: str, at: int) -> list[Swap]:
    open_swaps: list[Swap] = []
    for swap in facts.swaps:
        if swap.cargo != cargo or swap.at > at:
            continue
        served = {s.household for s in facts.services if _counts(s, swap) and s.start < at}
        if {swap.first, swap.second} <= served:
            continue
        for earlier in open_swaps:
            common = {earlier.first, earlier.second} & {swap.first, swap.second}
            if common:
                raise OverlappingSwaps(cargo=cargo, household=min(common), at=swap.at)
        open_swaps.append(swap)
    return open_swaps


def _served_since(ledger: Ledger, household: str, swap: Swap) -> bool:
    return any(_counts(s, swap) and s.start < ledger.at for s in ledger.by_household[household])


def _counts(service: Service, swap: Swap) -> bool:
    return service.cargo == swap.cargo and service.start >= swap.at
