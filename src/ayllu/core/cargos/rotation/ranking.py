"""Who may take a term, and in which order: the ranking keys shared by the turn order and the roster.

A household's key for a term of cargo C starting at T is, compared in this order:
  1. load: the sum over its services started at or before T of burden x (end - start), in burden-ms;
  2. last service: the end of its latest such service (never served comes first);
  3. lot: SHA-256 of the canonical JSON ["ayllu.rotation.lot", seed, C, term number, household].
The seed is the record's log id, fixed at founding; the term number counts the distinct start times
of C's earlier terms, so the lot is drawn afresh for every term and favours nobody for good.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from ayllu.core.cargos.rotation.model import Cargo, RotationFacts, Service
from ayllu.core.ledger.canonical import canonical_bytes

EXEMPT = "exempt"
NO_MEMBER_AVAILABLE = "no_member_available"
HOLDS_THIS_CARGO = "holds_this_cargo"
SERVED_PREVIOUS_TERM = "served_previous_term"
RESTING = "resting"
AT_MAX_CARGOS = "at_max_cargos"


def lot(seed: str, *, cargo: str, term: int, holder: str) -> str:
    """Return the hex digest that places `holder` (household or member) among equals for this term."""
    return hashlib.sha256(canonical_bytes(["ayllu.rotation.lot", seed, cargo, term, holder])).hexdigest()


@dataclass(frozen=True, slots=True)
class Key:
    """The ranking key of one household (or member) for one term; smaller goes first."""

    load: int
    last_served: int | None
    lot: str

    def order(self) -> tuple[int, int, int, str]:
        if self.last_served is None:
            return (self.load, 0, 0, self.lot)
        return (self.load, 1, self.last_served, self.lot)


class Ledger:
    """The service record as seen at the start of one term of one cargo."""

    def __init__(self, facts: RotationFacts, *, cargo: Cargo, at: int) -> None:
        self.facts = facts
        self.cargo = cargo
        self.at = at
        self.end = at + cargo.term_ms
        self.burden = {c.id: c.burden for c in facts.cargos}
        self.by_household: dict[str, list[Service]] = defaultdict(list)
        self.by_member: dict[str, list[Service]] = defaultdict(list)
        starts: set[int] = set()
        for service in facts.services:
            if service.start > at:
                continue
            self.by_household[service.household].append(service)
            self.by_member[service.member].append(service)
            if service.cargo == cargo.id and service.start < at:
                starts.add(service.start)
        self.term = len(starts)
        # Cargos held outside the turn order count only toward the limits on cargos held at once.
        self.holding_household: dict[str, int] = defaultdict(int)
        self.holding_member: dict[str, int] = defaultdict(int)
        for held in facts.holdings:
            if held.start <= at < held.end:
                self.holding_household[held.household] += 1
                self.holding_member[held.member] += 1
        earlier = [s for s in facts.services if s.cargo == cargo.id and s.start < at]
        last_end = max((s.end for s in earlier), default=None)
        self.previous_holders = frozenset(s.household for s in earlier if s.end == last_end)
        self.members = {h.id: h.members for h in facts.households}
        self.exemptions: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for e in facts.exemptions:
            # Household and member ids live in one map: a "h:" or "m:" prefix keeps them apart.
            self.exemptions[f"h:{e.household}" if e.household is not None else f"m:{e.member}"].append(
                (e.start, e.end)
            )

    def key(self, holder: str, *, services: list[Service]) -> Key:
        """Return the key of `holder` given the services that count for it."""
        load = sum(self.burden[s.cargo] * (s.end - s.start) for s in services)
        last = max((s.end for s in services), default=None)
        return Key(load, last, lot(self.facts.seed, cargo=self.cargo.id, term=self.term, holder=holder))

    def available_members(self, household: str) -> tuple[str, ...]:
        """Members of `household` who may take this term, best first by their own keys."""
        members = self.members.get(household, ())
        rules = self.facts.rules
        free = [
            m
            for m in members
            if not self._exempt(f"m:{m}")
            and len(self._current(self.by_member[m])) + self.holding_member[m] < rules.max_cargos_per_person
            and not any(s.cargo == self.cargo.id for s in self._current(self.by_member[m]))
        ]
        return tuple(sorted(free, key=lambda m: self.key(m, services=self.by_member[m]).order()))

    def barred(self, household: str, *, relax_rest: bool, rest_ms: int | None = None) -> tuple[str, ...]:
        """Return the codes of every rule that keeps `household` from this term (empty: eligible).

        `rest_ms` replaces the charter's rest period (the roster shortens it step by step).
        """
        rules = self.facts.rules
        services = self.by_household[household]
        current = self._current(services)
        codes = []
        if self._exempt(f"h:{household}"):
            codes.append(EXEMPT)
        if any(s.cargo == self.cargo.id for s in current):
            codes.append(HOLDS_THIS_CARGO)
        elif rules.no_consecutive and household in self.previous_holders:
            codes.append(SERVED_PREVIOUS_TERM)
        ended = [s.end for s in services if s.end <= self.at]
        rest = rules.rest_ms if rest_ms is None else rest_ms
        if not relax_rest and ended and self.at < max(ended) + rest:
            codes.append(RESTING)
        if len(current) + self.holding_household[household] >= rules.max_cargos_per_household:
            codes.append(AT_MAX_CARGOS)
        if not self.available_members(household):
            codes.append(NO_MEMBER_AVAILABLE)
        return tuple(codes)

    def _current(self, services: list[Service]) -> list[Service]:
        return [s for s in services if s.start <= self.at < s.end]

    def _exempt(self, whom: str) -> bool:
        # An exemption that covers any part of the term keeps the holder out of the whole term.
        return any(start < self.end and end > self.at for start, end in self.exemptions.get(whom, ()))
