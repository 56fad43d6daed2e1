"""What pages and the API ask about cargos: who holds what until when, and the turn order ahead.

Pure reads of the replayed state; each answers frozen read models (`ReadModel`: ids, ints, strings,
tuples), which the queries and the API name as they are; an exemption's reason is a `core.words.Said`
(show it through `shown_to`).
Times are ms. `now` is passed in: a term due since the last entry is shown as the turn order fills it.
"""

from dataclasses import dataclass, replace

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel, Said, said
from ayllu.core.cargos.errors import UnknownCargoName
from ayllu.core.cargos.powers import cargo_powers
from ayllu.core.cargos.rotation import YEAR_MS, Holder, Standing, Turn, list_turn_order, plan_roster
from ayllu.core.cargos.terms import rotation_facts


@dataclass(frozen=True, slots=True)
class CargoRead(ReadModel):
    """A cargo: its powers, burden, term (ms) and seats; filled by turn (`by_turn`, made by the decision
    at `created_seq`) or waiting for the assembly since a time (0: not waiting)."""

    cargo: str
    powers: tuple[str, ...]
    burden: int
    term_ms: int
    seats: int
    by_turn: bool
    created_seq: int
    asks_assembly_since: int


def list_cargos(state: AssemblyState) -> list[CargoRead]:
    """Every cargo: powers, burden, term, seats, and whether it is filled by turn or waits for a decision."""
    return [
        CargoRead(
            cargo=name,
            powers=tuple(cargo_powers(state, name)),
            burden=cargo.burden,
            term_ms=cargo.term_ms,
            seats=cargo.seats,
            by_turn=bool(cargo.created_seq),
            created_seq=cargo.created_seq,
            asks_assembly_since=cargo.asks_assembly_since,
        )
        for name, cargo in sorted(state.cargos.items())
    ]


@dataclass(frozen=True, slots=True)
class HoldingRead(ReadModel):
    """A member holding a cargo from `start` until `until` (ms), how they came to (founding, by_turn, a
    decision, ...) and the powers that come with it. `household` is null where its name was written for
    members only (`queries.cargo_visibility`)."""

    cargo: str
    member: str
    household: str | None
    start: int
    until: int
    how: str
    powers: tuple[str, ...]


def list_holdings(state: AssemblyState, *, now: int) -> list[HoldingRead]:
    """Who holds which cargo at `now` and until when, with the powers that come with it."""
    found = [
        HoldingRead(
            cargo=name,
            member=t.member,
            household=t.household,
            start=t.start,
            until=t.end,
            how=t.how,
            powers=tuple(cargo_powers(state, name)),
        )
        for name, cargo in state.cargos.items()
        for t in cargo.terms
        if t.start <= now < t.end and not t.ended_by and cargo.holders.get(t.member) == t.end
    ]
    # Terms that began after the last entry: replay records them with the next entry; show them now.
    for turn in _due_turns(state, now=now):
        for holder in turn.holders:
            found.append(
                HoldingRead(
                    cargo=turn.cargo,
                    member=holder.member,
                    household=holder.household,
                    start=turn.start,
                    until=turn.end,
                    how=turn.outcome,
                    powers=tuple(cargo_powers(state, turn.cargo)),
                )
            )
    return sorted(found, key=lambda h: (h.cargo, h.start, h.member))


@dataclass(frozen=True, slots=True)
class ExemptionRead(ReadModel):
    """An exemption from turns for `household` (or one `member`), from `start` to `end`, granted by the
    decision on `proposal` closed at `seq`: the reason is the words of both."""

    household: str | None
    member: str
    start: int
    end: int
    reason: Said | str | None
    seq: int
    proposal: int
    members_only: bool


def list_exemptions(state: AssemblyState, *, now: int) -> list[ExemptionRead]:
    """Exemptions from turns in force or coming at `now`: the reason is the words of the proposal that
    granted it (the one whose question closed at the exemption's seq) and of that closing act (`Said`)."""
    granted_by = {q.closed_seq: q.proposal for q in state.questions.values() if q.closed_seq}
    return [
        ExemptionRead(
            household=e.household,
            member=e.member,
            start=e.start,
            end=e.end,
            reason=said(e.reason, granted_by.get(e.seq, 0), e.seq),
            seq=e.seq,
            proposal=granted_by.get(e.seq, 0),
            members_only=False,
        )
        for e in state.exemptions
        if e.end > now
    ]


@dataclass(frozen=True, slots=True)
class SwapOfferRead(ReadModel):
    """A swap of place in `cargo`'s turn order offered (by `by`, for `household`) to `other`, not yet
    accepted."""

    id: int
    cargo: str
    household: str | None
    other: str | None
    by: str


def list_swap_offers(state: AssemblyState) -> list[SwapOfferRead]:
    """Swaps of place in a cargo's turn order offered and not yet accepted, oldest first: the household
    offering (`household`) and the one asked (`other`)."""
    return [
        SwapOfferRead(id=o.id, cargo=o.cargo, household=o.household, other=o.other, by=o.by)
        for o in sorted(state.swap_offers.values(), key=lambda o: o.id)
        if not o.accepted_seq
    ]


def _due_turns(state: AssemblyState, *, now: int) -> list[Turn]:
    if not state.next_turn_at or state.next_turn_at > now:
        return []
    turns = list_turn_order(rotation_facts(state), start=state.next_turn_at, until=now + 1)
    return [t for t in turns if t.start <= now < t.end]


@dataclass(frozen=True, slots=True)
class TurnHolder(ReadModel):
    """A household named for a term, and its member who serves. `household` is null where its name
    was written for members only (`queries.cargo_visibility`)."""

    household: str | None
    member: str


@dataclass(frozen=True, slots=True)
class StandingRead(ReadModel):
    """One household's place for one term: `rank` is null when a rule bars it (`barred` names which);
    the ranking keys `load` (burden x ms served), `last_served` (ms, null: never) and the `lot`; a
    swap's household stands for `stands_for`."""

    household: str | None
    rank: int | None
    load: int
    last_served: int | None
    lot: str
    barred: tuple[str, ...]
    stands_for: str | None


@dataclass(frozen=True, slots=True)
class TermRead(ReadModel):
    """A term of a cargo, from `start` to `end` (ms), and the rule that fills it (`outcome`: by_turn,
    relax_rest_period, ask_assembly)."""

    cargo: str
    start: int
    end: int
    outcome: str


@dataclass(frozen=True, slots=True)
class CargoTurnRead(TermRead):
    """Who takes one term of a cargo, under which rule (`outcome`: by_turn, relax_rest_period,
    ask_assembly), and every household's standing; `holders` is empty when the assembly must decide."""

    holders: tuple[TurnHolder, ...]
    standings: tuple[StandingRead, ...]


def _holders(holders: tuple[Holder, ...]) -> tuple[TurnHolder, ...]:
    return tuple(TurnHolder(household=h.household, member=h.member) for h in holders)


def _standing(s: Standing) -> StandingRead:
    return StandingRead(
        household=s.household,
        rank=s.rank,
        load=s.key.load,
        last_served=s.key.last_served,
        lot=s.key.lot,
        barred=s.barred,
        stands_for=s.stands_for,
    )


def turn_read(turn: Turn) -> CargoTurnRead:
    """A term of the turn order as its read model."""
    standings = tuple(_standing(s) for s in turn.standings)
    return CargoTurnRead(turn.cargo, turn.start, turn.end, turn.outcome, _holders(turn.holders), standings)


def list_turn_order_ahead(state: AssemblyState, *, now: int, months: int = 12) -> list[CargoTurnRead]:
    """The turn order for the coming months, each term with every household's standing (the "why")."""
    if not state.next_turn_at:
        return []
    until = now + YEAR_MS * months // 12
    start = min(state.next_turn_at, now)
    turns = list_turn_order(rotation_facts(state), start=start, until=until)
    return [turn_read(t) for t in turns if t.end > now]


@dataclass(frozen=True, slots=True)
class WhyOurTurnRead(TermRead):
    """One coming term as one household asks about it: whether it serves, where it stands and who stands
    before it."""

    serves: bool
    standing: StandingRead
    ahead: tuple[StandingRead, ...]


def get_why_our_turn(
    state: AssemblyState, *, household: str, now: int, months: int = 12
) -> list[WhyOurTurnRead]:
    """For each coming term: where `household` stands, who stands before it, and which rules bar whom.

    The order is load first (burden x time served), then who served longest ago, then the lot drawn
    for that term from the record's id; a household barred by a rule (resting, exempt, ...) waits.
    """
    answers = []
    for turn in list_turn_order_ahead(state, now=now, months=months):
        mine = next((s for s in turn.standings if s.household == household), None)
        if mine is None:
            continue
        rank = mine.rank
        ahead = tuple(s for s in turn.standings if s.rank is not None and (rank is None or s.rank < rank))
        serves = any(h.household == household for h in turn.holders)
        answers.append(WhyOurTurnRead(turn.cargo, turn.start, turn.end, turn.outcome, serves, mine, ahead))
    return answers


@dataclass(frozen=True, slots=True)
class RosterHolders(ReadModel):
    """Who the turn order names for a term the roster plans (`outcome` null: no such term)."""

    outcome: str | None
    holders: tuple[TurnHolder, ...]


@dataclass(frozen=True, slots=True)
class RosterTermRead(TermRead):
    """One term as the roster plans it, next to the turn order's holders for it (`agrees`: the same
    households)."""

    holders: tuple[TurnHolder, ...]
    turn_order: RosterHolders
    agrees: bool


@dataclass(frozen=True, slots=True)
class RosterLoadRead(ReadModel):
    """The load (burden x ms) the roster plans for a household in the period, and the turn order's."""

    household: str | None
    roster: int
    turn_order: int


@dataclass(frozen=True, slots=True)
class RosterRead(ReadModel):
    """The roster planned at once for every cargo filled by turn (or `cargo`'s terms), next to the turn
    order, which decides (`decided_by`); the rest period it honours (shorter than the charter's only if
    it had to be), its unfairness cost and how many terms disagree."""

    cargo: str | None
    decided_by: str
    charter_rest_ms: int
    rest_ms: int
    unfairness: int
    disagreements: int
    terms: tuple[RosterTermRead, ...]
    loads: tuple[RosterLoadRead, ...]


def get_planned_roster(state: AssemblyState, *, now: int, months: int = 12, cargo: str = "") -> RosterRead:
    """The roster solved all at once for the coming months (`rotation.plan_roster`), term by term next
    to the turn order's holders for the same term; only `cargo`'s terms when one is named.

    The roster is a plan: replay fills every term by the turn order (`get_next_turn`), so where the two
    disagree (`agrees` false) the turn order's household is the one that will serve, unless the
    households swap or the assembly decides otherwise. Both assume nothing changes meanwhile.
    """
    if cargo:
        found = state.cargos.get(cargo)
        if found is None or not found.created_seq:
            raise UnknownCargoName(cargo=cargo)
    rest_ms = state.rules.cargo.rest_ms
    plan = RosterRead(
        cargo=cargo or None,
        decided_by="turn_order",
        charter_rest_ms=rest_ms,
        rest_ms=rest_ms,
        unfairness=0,
        disagreements=0,
        terms=(),
        loads=(),
    )
    if not state.next_turn_at:
        return plan
    # Never before the last entry: what happened until then is in the record, not in a plan.
    start, until = min(state.next_turn_at, max(now, state.last_time)), now + YEAR_MS * months // 12
    facts = rotation_facts(state)
    roster = plan_roster(facts, start=start, until=until)
    turns = {(t.cargo, t.start): t for t in list_turn_order(facts, start=start, until=until)}
    burden = {c.id: c.burden for c in facts.cargos}
    loads: dict[str, dict[str, int]] = {h.id: {"roster": 0, "turn_order": 0} for h in facts.households}
    terms = []
    for term in roster.terms:
        if term.end <= now:
            continue
        turn = turns.get((term.cargo, term.start))
        by_turn = () if turn is None else turn.holders
        for key, holders in (("roster", term.holders), ("turn_order", by_turn)):
            for holder in holders:
                # burden x ms, like the standings' load
                loads[holder.household][key] += burden[term.cargo] * (term.end - term.start)
        if cargo and term.cargo != cargo:
            continue
        ordered = RosterHolders(turn.outcome if turn is not None else None, _holders(by_turn))
        agrees = {h.household for h in term.holders} == {h.household for h in by_turn}
        planned = _holders(term.holders)
        terms.append(RosterTermRead(term.cargo, term.start, term.end, term.outcome, planned, ordered, agrees))
    return replace(
        plan,
        rest_ms=roster.rest_ms,
        unfairness=roster.unfairness,
        disagreements=sum(1 for t in terms if not t.agrees),
        terms=tuple(terms),
        loads=tuple(RosterLoadRead(household=h, **load) for h, load in sorted(loads.items())),
    )
