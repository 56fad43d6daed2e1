"""Terms of cargos: granting and ending them, the rotation facts the record implies, filling by turn.

Every holding is a `Term` in its cargo's history (founding, decision, turn). A cargo created by
decision is filled by turn: when its term ends, replay asks the rotation engine (`get_next_turn`) who is
next *at the moment the term ends*, and records that term before it folds the first entry whose time
has reached it. So the assignment depends only on the record, never on when a replica happens to run.
After a recall, or when a holder leaves, the vacated seat is filled at once for the rest of the term.
"""

from ayllu.core.assembly.state import AssemblyState, Cargo, Term
from ayllu.core.cargos.rotation import (
    ASK_ASSEMBLY,
    Exemption,
    Household,
    RotationFacts,
    RotationRules,
    Service,
    Swap,
    get_next_turn,
)
from ayllu.core.cargos.rotation import Cargo as RotationCargo
from ayllu.core.cargos.rotation.errors import RotationError


def household_of(state: AssemblyState, member: str) -> str:
    """The household of a member (or of a former member)."""
    record = state.members.get(member) or state.former_members.get(member)
    return record.household if record is not None else member


def grant_term(
    state: AssemblyState, cargo: Cargo, *, member: str, start: int, end: int, seq: int, how: str
) -> None:
    """Record that `member` holds `cargo` for [start, end)."""
    cargo.holders[member] = end
    cargo.terms.append(Term(cargo.name, member, household_of(state, member), start, end, seq, how))


def end_holding(cargo: Cargo, member: str, *, at: int, why: str) -> None:
    """End `member`'s holding of `cargo` at `at` (a recall, leaving, a hand-over)."""
    cargo.holders.pop(member, None)
    for term in reversed(cargo.terms):
        if term.member == member and term.end > at:
            # A term keeps at least one millisecond, so the rotation engine still sees it was served.
            term.end, term.ended_by = max(at, term.start + 1), why
            break


def rotation_facts(state: AssemblyState, *, extra_swaps: tuple[Swap, ...] = ()) -> RotationFacts:
    """The rotation engine's facts as the record states them now: households, turn cargos, history.

    Cargos not filled by turn (named at founding or by a `cargo_assignment` decision) are passed as
    `holdings`: their holders hold a cargo, so they count toward the charter's limits on cargos held
    at once, like any other cargo.
    """
    rules = state.rules.cargo
    turn_cargos = {name: c for name, c in state.cargos.items() if c.created_seq}
    households = tuple(
        Household(h, tuple(m for m in members if state.is_active(m)))
        for h, members in state.households.items()
        if state.household_active.get(h, 0) > 0
    )
    services = tuple(
        Service(name, t.household, t.member, t.start, t.end)
        for name, cargo in turn_cargos.items()
        for t in cargo.terms
        if t.end > t.start
    )
    holdings = tuple(
        Service(name, t.household, t.member, t.start, t.end)
        for name, cargo in state.cargos.items()
        if not cargo.created_seq
        for t in cargo.terms
        if t.end > t.start
    )
    exemptions = tuple(
        Exemption(e.start, e.end, e.reason, household=e.household or None, member=e.member or None)
        for e in state.exemptions
    )
    swaps = (
        tuple(Swap(o.cargo, o.household, o.other, o.at) for o in state.swap_offers.values() if o.accepted_seq)
        + extra_swaps
    )
    return RotationFacts(
        seed=state.log,
        households=households,
        cargos=tuple(
            RotationCargo(name, c.burden, c.term_ms, paired=c.seats == 2, powers=c.powers)
            for name, c in turn_cargos.items()
        ),
        services=services,
        exemptions=exemptions,
        swaps=swaps,
        holdings=holdings,
        rules=RotationRules(
            rest_ms=rules.rest_ms,
            no_consecutive=rules.no_consecutive,
            max_cargos_per_person=rules.max_per_person,
            max_cargos_per_household=rules.max_per_household,
            when_nobody_eligible=rules.when_nobody_eligible,
        ),
    )


def fill_by_turn(state: AssemblyState, cargo: Cargo, *, at: int, end: int, seq: int) -> None:
    """Fill the empty seats of `cargo` for [at, end) from the turn order at `at`."""
    seats = cargo.seats - sum(1 for m in cargo.holders if cargo.held_by(m, now=at))
    if seats <= 0:
        return
    try:
        turn = get_next_turn(rotation_facts(state), cargo=cargo.name, at=at)
    except RotationError:
        # Facts the engine cannot order (e.g. swaps that came to overlap): the assembly decides.
        turn = None
    if turn is None or turn.outcome == ASK_ASSEMBLY or len(turn.holders) < seats:
        cargo.asks_assembly_since = cargo.asks_assembly_since or at
        return
    cargo.asks_assembly_since = 0
    for holder in turn.holders[:seats]:
        grant_term(state, cargo, member=holder.member, start=at, end=end, seq=seq, how=turn.outcome)


def schedule(state: AssemblyState) -> None:
    """Note when the next term of any turn cargo starts (0: none)."""
    starts = [c.next_start for c in state.cargos.values() if c.created_seq]
    state.next_turn_at = min(starts, default=0)


def turns_due(state: AssemblyState, *, now: int) -> bool:
    """True when a term of a cargo filled by turn starts at or before `now`."""
    return bool(state.next_turn_at) and state.next_turn_at <= now


def advance_turns(state: AssemblyState, *, now: int, seq: int) -> None:
    """Start every term due by `now`, in the order the terms start.

    Changes `state` in place and may raise a rotation error part-way: replay calls it on a copy of the
    state (replay.apply_entry), so a refusal leaves the caller's state as it was.
    """
    while state.next_turn_at and state.next_turn_at <= now:
        # Terms starting together: heaviest cargo first, as the forecast fills them.
        due = min(
            (c for c in state.cargos.values() if c.created_seq and c.next_start == state.next_turn_at),
            key=lambda c: (-c.burden, c.name),
        )
        start = due.next_start
        for member in [m for m, until in due.holders.items() if until <= start]:
            del due.holders[member]
        due.next_start = start + due.term_ms
        fill_by_turn(state, due, at=start, end=due.next_start, seq=seq)
        schedule(state)


def vacate(state: AssemblyState, cargo: Cargo, member: str, *, at: int, why: str, seq: int) -> None:
    """End `member`'s holding at `at`; fill a turn cargo's seat by turn for the rest of the term."""
    end = cargo.holders.get(member, 0)
    end_holding(cargo, member, at=at, why=why)
    if cargo.created_seq and end > at:
        fill_by_turn(state, cargo, at=at, end=end, seq=seq)
