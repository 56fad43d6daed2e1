"""A year's roster for every cargo at once, solved as integer programs with HiGHS.

Where the greedy turn order fills one term at a time, the roster places every household in every term
of the period together, so fairness holds across cargos (a household that takes a heavy cargo in March
is not also given a light one in April while others wait). The answer is identical on every replica
because every choice is read from an optimal *value*, and the values make the answer unique:
  0. the fewest terms left to the assembly (no eligible households for them);
  1. then the least unfairness: the sum over households of the squares of their loads (burden x time),
     as a convex piecewise-linear cost in whole load units, so every value is an integer;
  2. then, term by term in time order and seat by seat, the household with the best ranking key (the
     greedy's key: load, last service, lot) among those that some equally fair roster seats there.
The members who serve are then chosen inside each household by their own keys; if a household's members
cannot cover its terms (member exemptions, limits per person) that set of terms is cut and all is
solved again.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from math import gcd
from typing import Any

from ayllu.core.cargos.rotation.errors import RosterInfeasible
from ayllu.core.cargos.rotation.forecast import YEAR_MS, first_starts
from ayllu.core.cargos.rotation.mip import INF, Mip
from ayllu.core.cargos.rotation.model import ASK_ASSEMBLY, BY_TURN, RELAX_REST_PERIOD, Cargo, RotationFacts
from ayllu.core.cargos.rotation.ranking import RESTING, SERVED_PREVIOUS_TERM, Ledger, lot
from ayllu.core.cargos.rotation.turn import Holder

MAX_CUTS = 50


@dataclass(frozen=True, slots=True)
class PlannedTerm:
    cargo: str
    start: int
    end: int
    outcome: str
    holders: tuple[Holder, ...]


@dataclass(frozen=True, slots=True)
class Roster:
    """The planned terms, each with the rule that filled it; `unfairness` is the optimal cost.

    `rest_ms` is the rest period the roster honours: the charter's, or shorter if the charter allows
    relaxing it and the terms could not all be filled otherwise.
    """

    unfairness: int
    rest_ms: int
    terms: tuple[PlannedTerm, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "unfairness": self.unfairness,
            "rest_ms": self.rest_ms,
            "terms": [
                {
                    "cargo": t.cargo,
                    "start": t.start,
                    "end": t.end,
                    "outcome": t.outcome,
                    "holders": [{"household": h.household, "member": h.member} for h in t.holders],
                }
                for t in self.terms
            ],
        }


@dataclass(frozen=True, slots=True)
class _Slot:
    cargo: Cargo
    index: int
    start: int

    @property
    def end(self) -> int:
        return self.start + self.cargo.term_ms


def plan_roster(facts: RotationFacts, *, start: int, until: int | None = None) -> Roster:
    """Return the fairest roster of every term that starts in [start, until) (a year by default)."""
    until = start + YEAR_MS if until is None else until
    slots = _slots(facts, start=start, until=until)
    if not slots:
        return Roster(0, facts.rules.rest_ms, ())
    cuts: list[tuple[str, frozenset[int]]] = []
    for _ in range(MAX_CUTS):
        plan = _rested_plan(facts, slots, start=start, cuts=cuts)
        seats, unfairness = plan.choose()
        members, failed = _members(facts, slots, seats)
        if failed is None:
            terms = tuple(
                PlannedTerm(
                    slot.cargo.id,
                    slot.start,
                    slot.end,
                    _outcome(facts, slots, seats, i),
                    tuple(Holder(h, members[(h, i)]) for h in seats[i]),
                )
                for i, slot in enumerate(slots)
            )
            return Roster(unfairness, plan.rest_ms, terms)
        cuts.append(failed)
    raise RosterInfeasible(reason="member_cuts_exhausted", cuts=len(cuts))


def _rested_plan(
    facts: RotationFacts, slots: list[_Slot], *, start: int, cuts: list[tuple[str, frozenset[int]]]
) -> "_Plan":
    """Return the plan with the longest rest period (the charter's, then 3/4, 1/2, 1/4, none) that fills
    as many terms as no rest period at all would."""
    rest = facts.rules.rest_ms
    if RELAX_REST_PERIOD not in facts.rules.when_nobody_eligible or rest == 0:
        return _Plan(facts, slots, start=start, rest_ms=rest, cuts=cuts)
    # Shortening in a few fixed steps, each a quick feasibility solve, keeps the roster fast and the
    # relaxation easy to state; counting each relaxed rest exactly made the solver stall on symmetry.
    steps = sorted({rest * k // 4 for k in range(5)}, reverse=True)
    fewest = _Plan(facts, slots, start=start, rest_ms=0, cuts=cuts).fewest_unfilled()
    for rest_ms in steps:
        plan = _Plan(facts, slots, start=start, rest_ms=rest_ms, cuts=cuts)
        if plan.fewest_unfilled() == fewest:
            return plan
    raise AssertionError("no rest at all always fills the fewest-unfilled count")  # pragma: no cover


def _outcome(facts: RotationFacts, slots: list[_Slot], seats: list[tuple[str, ...]], i: int) -> str:
    """Say whether term i is filled by turn, needed the rest period relaxed, or goes to the assembly."""
    slot = slots[i]
    if not seats[i]:
        return ASK_ASSEMBLY
    rest = facts.rules.rest_ms
    ledger = Ledger(facts, cargo=slot.cargo, at=slot.start)
    for h in seats[i]:
        if RESTING in ledger.barred(h, relax_rest=False):
            return RELAX_REST_PERIOD
        if any(h in seats[j] and slots[j].end <= slot.start < slots[j].end + rest for j in range(len(slots))):
            return RELAX_REST_PERIOD
    return BY_TURN


def _slots(facts: RotationFacts, *, start: int, until: int) -> list[_Slot]:
    slots: list[_Slot] = []
    for cargo_id, first in first_starts(facts, start=start).items():
        cargo = facts.cargo(cargo_id)
        slots.extend(_Slot(cargo, k, t) for k, t in enumerate(range(first, until, cargo.term_ms)))
    return sorted(slots, key=lambda s: (s.start, -s.cargo.burden, s.cargo.id))


class _Plan:
    """The integer program for one set of rules: x[household, slot] binaries and their constraints."""

    def __init__(
        self,
        facts: RotationFacts,
        slots: list[_Slot],
        *,
        start: int,
        rest_ms: int,
        cuts: list[tuple[str, frozenset[int]]],
    ) -> None:
        self.mip = mip = Mip()
        self.slots = slots
        self.x: dict[tuple[str, int], int] = {}
        self.rank: list[dict[str, int]] = []
        self.unfilled: list[int] = []
        self.rest_ms = rest_ms
        self._fewest: int | None = None
        rules = facts.rules
        for i, slot in enumerate(slots):
            ledger = Ledger(facts, cargo=slot.cargo, at=slot.start)
            allowed = [
                h.id
                for h in facts.households
                if not set(ledger.barred(h.id, relax_rest=False, rest_ms=rest_ms))
                - ({SERVED_PREVIOUS_TERM} if slot.index else set())
            ]
            term = ledger.term + slot.index
            keys = {
                h: replace(
                    ledger.key(h, services=ledger.by_household[h]),
                    lot=lot(facts.seed, cargo=slot.cargo.id, term=term, holder=h),
                )
                for h in allowed
            }
            order = sorted(allowed, key=lambda h: keys[h].order())
            self.rank.append({h: r for r, h in enumerate(order)})
            for h in allowed:
                self.x[(h, i)] = mip.column(integer=True)
            unfilled = mip.column(integer=True)
            self.unfilled.append(unfilled)
            seated = {self.x[(h, i)]: 1.0 for h in allowed}
            mip.row(
                {**seated, unfilled: float(slot.cargo.seats)}, lower=slot.cargo.seats, upper=slot.cargo.seats
            )
        by_household: dict[str, list[int]] = defaultdict(list)
        for h, i in self.x:
            by_household[h].append(i)
        for h, chosen in by_household.items():
            self._pairs(h, chosen, rest_ms, no_consecutive=rules.no_consecutive)
            self._limits(facts, h, chosen)
        for h, failed in cuts:
            if all((h, i) in self.x for i in failed):
                mip.row({self.x[(h, i)]: 1.0 for i in failed}, upper=len(failed) - 1)
        self.unfairness = self._fairness(facts, by_household, start=start)

    def _pairs(self, h: str, chosen: list[int], rest_ms: int, *, no_consecutive: bool) -> None:
        for a in chosen:
            for b in chosen:
                first, then = self.slots[a], self.slots[b]
                resting = first.end <= then.start < first.end + rest_ms
                consecutive = no_consecutive and first.cargo == then.cargo and then.index == first.index + 1
                if resting or consecutive:
                    self.mip.row({self.x[(h, a)]: 1.0, self.x[(h, b)]: 1.0}, upper=1)

    def _limits(self, facts: RotationFacts, h: str, chosen: list[int]) -> None:
        rules = facts.rules
        members = next(x.members for x in facts.households if x.id == h)
        for point in sorted({self.slots[i].start for i in chosen}):
            covering = [i for i in chosen if self.slots[i].start <= point < self.slots[i].end]
            held = [s for s in facts.services + facts.holdings if s.start <= point < s.end]
            by_household = rules.max_cargos_per_household - sum(1 for s in held if s.household == h)
            by_person = sum(
                max(0, rules.max_cargos_per_person - sum(1 for s in held if s.member == m)) for m in members
            )
            cap = min(by_household, by_person)
            if len(covering) > cap:
                self.mip.row({self.x[(h, i)]: 1.0 for i in covering}, upper=max(cap, 0))

    def _fairness(
        self, facts: RotationFacts, by_household: dict[str, list[int]], *, start: int
    ) -> dict[int, float]:
        weights = [s.cargo.burden * s.cargo.term_ms for s in self.slots]
        unit = gcd(*weights) if weights else 1
        units = [w // unit for w in weights]
        # One segment per unit any household could take: a cap (it was 3 x the heaviest term) made the
        # cost linear beyond it, and a year's roster then piled load on a few households.
        segments = sum(units)
        ledger = Ledger(facts, cargo=facts.cargos[0], at=start)
        objective: dict[int, float] = {}
        for h, chosen in sorted(by_household.items()):
            prior = ledger.key(h, services=ledger.by_household[h]).load // unit
            row = {self.x[(h, i)]: float(units[i]) for i in chosen}
            for k in range(1, segments + 1):
                # Each further unit of load costs one more than the last: a convex cost, so the
                # solver spreads load over the least loaded households first.
                segment = self.mip.column(upper=1.0 if k < segments else INF)
                row[segment] = -1.0
                objective[segment] = float(prior + k)
            self.mip.row(row, lower=0, upper=0)
        return objective

    def fewest_unfilled(self) -> int:
        """Return the least number of terms no eligible household can fill (solved once)."""
        if self._fewest is None:
            self._fewest = self.mip.solve(dict.fromkeys(self.unfilled, 1.0))
        return self._fewest

    def choose(self) -> tuple[list[tuple[str, ...]], int]:
        """Fix the unfilled terms, then the fairness, then every seat by rank."""
        mip = self.mip
        unfilled = self.fewest_unfilled()
        mip.row(dict.fromkeys(self.unfilled, 1.0), upper=unfilled)
        unfairness = mip.solve(self.unfairness) if self.unfairness else 0
        mip.row(self.unfairness, upper=unfairness)
        seats: list[tuple[str, ...]] = []
        for i, slot in enumerate(self.slots):
            if unfilled:
                mip.fix(self.unfilled[i], mip.solve({self.unfilled[i]: 1.0}))
            if mip.lower[self.unfilled[i]] > 0.5:
                seats.append(())
                continue
            chosen: list[str] = []
            by_rank = {r: h for h, r in self.rank[i].items()}
            for _ in range(slot.cargo.seats):
                # z marks one seated household; the least rank it can reach names the best seatable one.
                mark = mip.mark()
                z = {h: mip.column() for h in self.rank[i] if h not in chosen}
                for h, column in z.items():
                    mip.row({column: 1.0, self.x[(h, i)]: -1.0}, upper=0)
                mip.row(dict.fromkeys(z.values(), 1.0), lower=1, upper=1)
                best = mip.solve({column: float(self.rank[i][h]) for h, column in z.items()})
                mip.truncate(mark)
                chosen.append(by_rank[best])
                mip.fix(self.x[(by_rank[best], i)], 1.0)
            seats.append(tuple(chosen))
        return seats, unfairness


def _members(
    facts: RotationFacts, slots: list[_Slot], seats: list[tuple[str, ...]]
) -> tuple[dict[tuple[str, int], str], tuple[str, frozenset[int]] | None]:
    """Give every seat a member of its household; or name a household whose terms no members can cover."""
    chosen: dict[tuple[str, int], str] = {}
    by_household: dict[str, list[int]] = defaultdict(list)
    for i, households in enumerate(seats):
        for h in households:
            by_household[h].append(i)
    for h, terms in sorted(by_household.items()):
        found = _cover(facts, slots, h, terms, {})
        if found is None:
            return chosen, (h, frozenset(terms))
        chosen.update({(h, i): m for i, m in found.items()})
    return chosen, None


def _cover(
    facts: RotationFacts, slots: list[_Slot], h: str, terms: list[int], given: dict[int, str]
) -> dict[int, str] | None:
    if len(given) == len(terms):
        return given
    i = terms[len(given)]
    slot = slots[i]
    ledger = Ledger(facts, cargo=slot.cargo, at=slot.start)
    for member in ledger.available_members(h):
        overlapping = sum(1 for j, m in given.items() if m == member and slots[j].end > slot.start)
        held = sum(1 for s in ledger.by_member[member] if s.start <= slot.start < s.end)
        held += ledger.holding_member[member]
        if overlapping + held < facts.rules.max_cargos_per_person:
            found = _cover(facts, slots, h, terms, {**given, i: member})
            if found is not None:
                return found
    return None
