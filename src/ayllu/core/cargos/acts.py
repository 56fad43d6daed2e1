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

from dataclasses import dataclass

from ayllu.core.assembly.acts import INT_ID, NAME, TEXT, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
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

CARGO_HELP = "the cargo's name"


@act_kind
class TurnTaken(Act):
    type = "cargo.turn_taken"
    name = "take-turn"
    summary = "Take my household's seat"

    cargo: str = act_field(NAME, help=CARGO_HELP)


@act_kind
class SwapProposed(Act):
    type = "cargo.swap_proposed"
    name = "propose-swap"
    summary = "Offer another household to swap turns in a cargo"

    cargo: str = act_field(NAME, help=CARGO_HELP)
    household: str = act_field(NAME, help="the other household")


@act_kind
class SwapAccepted(Act):
    type = "cargo.swap_accepted"
    name = "accept-swap"
    summary = "Accept a swap of turns (a member of the other household)"

    swap: int = act_field(INT_ID)


@act_kind
class AnnouncementPublished(Act):
    type = "announcement.published"
    name = "announce"
    summary = "Publish an announcement in the assembly's name (publish_announcements)"

    text: str = act_field(TEXT)


@dataclass(frozen=True, slots=True)
class SeatHandedOver(Event):
    """Another member of the serving household holds the seat for the rest of the term."""

    cargo: str
    previous: str
    member: str
    time: int
    end: int
    seq: int


@dataclass(frozen=True, slots=True)
class SwapOffered(Event):
    id: int
    cargo: str
    household: str
    other: str
    by: str


@dataclass(frozen=True, slots=True)
class SwapAgreed(Event):
    swap: int
    seq: int
    time: int


def get_turn_cargo(state: AssemblyState, name: str, *, seq: int) -> Cargo:
    """The cargo filled by turn named `name`; raise `unknown_cargo_name` for any other."""
    cargo = state.cargos.get(name)
    if cargo is None or not cargo.created_seq:
        raise UnknownCargoName(seq=seq, cargo=name)
    return cargo


@rule(TurnTaken)
def decide_take_turn(state: AssemblyState, act: TurnTaken, ctx: Context) -> list[Event]:
    seq, now, author = ctx.seq, ctx.time, ctx.author
    cargo = get_turn_cargo(state, act.cargo, seq=seq)
    household = household_of(state, author)
    serving = [m for m in cargo.holders if cargo.held_by(m, now=now) and household_of(state, m) == household]
    if not serving or author in serving:
        raise NotHouseholdsTurn(seq=seq, cargo=cargo.name, member=author)
    held = sum(1 for c in state.cargos.values() if c.held_by(author, now=now))
    exempt = any(e.member == author and e.start <= now < e.end for e in state.exemptions)
    if exempt or held >= state.rules.cargo.max_per_person:
        raise MayNotServe(seq=seq, cargo=cargo.name, member=author, holds=held)
    previous = serving[0]
    return [SeatHandedOver(cargo.name, previous, author, now, cargo.holders[previous], seq)]


@applies(SeatHandedOver)
def apply_seat_handed_over(state: AssemblyState, event: SeatHandedOver) -> None:
    cargo = state.cargos[event.cargo]
    end_holding(cargo, event.previous, at=event.time, why="turn_taken")
    grant_term(
        state, cargo, member=event.member, start=event.time, end=event.end, seq=event.seq, how="turn_taken"
    )


@rule(SwapProposed)
def decide_propose_swap(state: AssemblyState, act: SwapProposed, ctx: Context) -> list[Event]:
    cargo = get_turn_cargo(state, act.cargo, seq=ctx.seq)
    household = household_of(state, ctx.author)
    if act.household == household or state.household_active.get(act.household, 0) == 0:
        raise NotSwapPartner(seq=ctx.seq, household=act.household)
    return [SwapOffered(ctx.seq, cargo.name, household, act.household, ctx.author)]


@applies(SwapOffered)
def apply_swap_offered(state: AssemblyState, event: SwapOffered) -> None:
    state.swap_offers[event.id] = SwapOffer(event.id, event.cargo, event.household, event.other, event.by)


@rule(SwapAccepted)
def decide_accept_swap(state: AssemblyState, act: SwapAccepted, ctx: Context) -> list[Event]:
    offer = state.swap_offers.get(act.swap)
    if offer is None or offer.accepted_seq:
        raise UnknownSwap(seq=ctx.seq, swap=act.swap)
    if household_of(state, ctx.author) != offer.other:
        raise NotSwapPartner(seq=ctx.seq, member=ctx.author, household=offer.other)
    # The engine refuses overlapping open swaps: ask it with the swap added, before anything happens.
    swap = Swap(offer.cargo, offer.household, offer.other, ctx.time)
    cargo = state.cargos[offer.cargo]
    get_next_turn(
        rotation_facts(state, extra_swaps=(swap,)), cargo=cargo.name, at=max(cargo.next_start, ctx.time)
    )
    return [SwapAgreed(offer.id, ctx.seq, ctx.time)]


@applies(SwapAgreed)
def apply_swap_agreed(state: AssemblyState, event: SwapAgreed) -> None:
    offer = state.swap_offers[event.swap]
    offer.accepted_seq, offer.at = event.seq, event.time


@rule(AnnouncementPublished)
def decide_announce(state: AssemblyState, act: AnnouncementPublished, ctx: Context) -> list[Event]:
    if not holds_power(state, ctx.author, PUBLISH_ANNOUNCEMENTS, now=ctx.time):
        raise LacksPower(seq=ctx.seq, member=ctx.author, power=PUBLISH_ANNOUNCEMENTS)
    return []
