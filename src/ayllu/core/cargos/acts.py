"""Members' acts on cargos: taking the household's seat, swapping turns, publishing as a power holder.

Acts (body fields in braces):
- cargo.turn_taken {cargo}: the turn order names a household and one of its members; another member
  of that household takes the seat for the rest of the term (`not_households_turn`, `may_not_serve`).
- cargo.swap_proposed {cargo, household}: a member offers, for their household, to exchange places in
  the cargo's turn order with `household`. Nothing changes yet.
- cargo.swap_accepted {swap}: a member of the other household accepts; from this entry on the two
  households stand in each other's place until both have served (rotation/turn.py). One signature from
  each household, never two from the same (`not_swap_partner`).
- announcement.published {text}: in the assembly's name, by a holder of `publish_announcements`.
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, get_int, get_str, only_fields
from ayllu.core.assembly.state import AssemblyState, Cargo, SwapOffer
from ayllu.core.cargos.errors import (
    LacksPower,
    MayNotServe,
    NotHouseholdsTurn,
    NotSwapPartner,
    UnknownCargoName,
    UnknownSwap,
)
from ayllu.core.cargos.powers import PUBLISH_ANNOUNCEMENTS, holds_power
from ayllu.core.cargos.rotation import Swap, get_next_turn
from ayllu.core.cargos.terms import end_holding, grant_term, household_of, rotation_facts
from ayllu.core.ledger.record import Entry


def get_turn_cargo(state: AssemblyState, content: dict[str, Any], *, seq: int) -> Cargo:
    """The cargo filled by turn that a body names."""
    name = get_str(content, "cargo", seq=seq, limit=MAX_ID)
    cargo = state.cargos.get(name)
    if cargo is None or not cargo.created_seq:
        raise UnknownCargoName(seq=seq, cargo=name)
    return cargo


def do_turn_taken(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq, now = entry.seq, entry.time
    only_fields(content, {"cargo"}, seq=seq)
    cargo = get_turn_cargo(state, content, seq=seq)
    household = household_of(state, author)
    serving = [m for m in cargo.holders if cargo.held_by(m, now=now) and household_of(state, m) == household]
    if not serving or author in serving:
        raise NotHouseholdsTurn(seq=seq, cargo=cargo.name, member=author)
    held = sum(1 for c in state.cargos.values() if c.held_by(author, now=now))
    exempt = any(e.member == author and e.start <= now < e.end for e in state.exemptions)
    if exempt or held >= state.rules.cargo.max_per_person:
        raise MayNotServe(seq=seq, cargo=cargo.name, member=author, holds=held)
    end = cargo.holders[serving[0]]
    end_holding(cargo, serving[0], at=now, why="turn_taken")
    grant_term(state, cargo, member=author, start=now, end=end, seq=seq, how="turn_taken")


def do_swap_proposed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"cargo", "household"}, seq=seq)
    cargo = get_turn_cargo(state, content, seq=seq)
    other = get_str(content, "household", seq=seq, limit=MAX_ID)
    household = household_of(state, author)
    if other == household or state.household_active.get(other, 0) == 0:
        raise NotSwapPartner(seq=seq, household=other)
    state.swap_offers[seq] = SwapOffer(seq, cargo.name, household, other, author)


def do_swap_accepted(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"swap"}, seq=seq)
    offer = state.swap_offers.get(get_int(content, "swap", seq=seq, low=1))
    if offer is None or offer.accepted_seq:
        raise UnknownSwap(seq=seq, swap=content["swap"])
    if household_of(state, author) != offer.other:
        raise NotSwapPartner(seq=seq, member=author, household=offer.other)
    # The engine refuses overlapping open swaps; find out now, before anything is written.
    swap = Swap(offer.cargo, offer.household, offer.other, entry.time)
    cargo = state.cargos[offer.cargo]
    get_next_turn(
        rotation_facts(state, extra_swaps=(swap,)), cargo=cargo.name, at=max(cargo.next_start, entry.time)
    )
    offer.accepted_seq, offer.at = seq, entry.time


def do_announcement_published(
    state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]
) -> None:
    only_fields(content, {"text"}, seq=entry.seq)
    get_str(content, "text", seq=entry.seq)
    if not holds_power(state, author, PUBLISH_ANNOUNCEMENTS, now=entry.time):
        raise LacksPower(seq=entry.seq, member=author, power=PUBLISH_ANNOUNCEMENTS)


CARGO_ACTS = {
    "cargo.turn_taken": do_turn_taken,
    "cargo.swap_proposed": do_swap_proposed,
    "cargo.swap_accepted": do_swap_accepted,
    "announcement.published": do_announcement_published,
}
