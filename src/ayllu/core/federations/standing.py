"""Who acts as a federation's member at a moment: a delegate whose seat stands then, or a person who
holds one of its offices then (docs/federation-bodies.md, decision 0029).

A federation record's members, in the record's own sense (the keys that sign member acts: tabling a
proposal, opening and closing a question, taking part in its meetings, issuing its credential to a
higher federation), are not its founders: the founders' only act is the founding. From then on a key
acts as a member at time t exactly when

- it holds a seat standing at t (seats.py: taken on a cited home credential, not replaced, not ended by
  the credential's end, its assembly's leaving or a cited recall: `Seat.stands`), or
- it holds one of the federation's offices at t (offices.py: named by the assembly whose turn it is,
  from a cited home credential, not suspended: `OfficeHolder.holds`), or
- it holds at t a cargo of the federation's record the federation gave it by decision
  (`cargo_assignment`, which names only a delegate seated when it passes: proposals/effects.py), for
  the term the decision set (a recall ends it sooner). A cargo named at the founding, or passed by turn
  among the record's founders, gives no standing: the founders are not special (decision 0030).

Both are read from the federation's own record, at the entry's own time, by the functions that already
say whether a seat stands or an office is held: a recall cited into the record ends the seat at the
recall's `at` for every later entry, the same on every replica. The key is the member's id (`author`),
as a founder's key is theirs. Nobody else signs a member's act in a federation (`not_a_seated_delegate`).
"""

from collections.abc import Iterable

from ayllu.core.assembly.state import AssemblyState, Seat
from ayllu.core.federations.seats import seated_delegate


def standing_seats(state: AssemblyState, *, now: int) -> list[Seat]:
    """The seats standing at `now`, in the order they were taken."""
    seats = [s for m in state.member_assemblies.values() for s in m.seats if s.stands(now=now)]
    return sorted(seats, key=lambda s: s.seq)


def assemblies_standing(state: AssemblyState, keys: Iterable[str], *, now: int) -> set[str]:
    """The member assemblies for which one of `keys` holds a seat standing at `now`: how a federation
    counts who is present or who signed (decision 0030, one voice per member assembly)."""
    found = set()
    for key in keys:
        seat = seated_delegate(state, key, now=now)
        if seat is not None and seat.assembly in state.member_assemblies:
            found.add(seat.assembly)
    return found


def is_federation(state: AssemblyState) -> bool:
    return state.charter is not None and state.charter.federation is not None


def member_base(state: AssemblyState) -> int:
    """What a record's member counts are shares of (quorum, petitions, cosigners, a move's endorsements):
    its active members; in a federation its member assemblies, never its founders (decision 0030)."""
    return len(state.member_assemblies) if is_federation(state) else state.active_count


def voices(state: AssemblyState, keys: Iterable[str], *, now: int) -> int:
    """How many count among `keys` against `member_base`: each key once; in a federation each member
    assembly once, through its delegates whose seats stand at `now` (decision 0030)."""
    if is_federation(state):
        return len(assemblies_standing(state, keys, now=now))
    return len(set(keys))


def office_held(state: AssemblyState, key: str, *, now: int) -> bool:
    """True when `key` holds one of the federation's offices at `now`."""
    return any(
        holder.key == key and holder.holds(now=now)
        for terms in state.offices.terms.values()
        for term in terms
        for holder in term.holders
    )


def cargo_held(state: AssemblyState, key: str, *, now: int) -> bool:
    """True when `key` holds at `now` a cargo the federation gave it by decision (`cargo_assignment`)."""
    return any(
        term.member == key and term.how == "decision" and term.start <= now < term.end
        for cargo in state.cargos.values()
        if cargo.held_by(key, now=now)
        for term in cargo.terms
    )


def stands_in(state: AssemblyState, key: str, *, now: int) -> bool:
    """True when `key` acts as the federation's member at `now`: seated, holding an office, or holding
    a cargo the federation gave it by decision."""
    return (
        seated_delegate(state, key, now=now) is not None
        or office_held(state, key, now=now)
        or cargo_held(state, key, now=now)
    )
