"""Who acts as a federation's member at a moment: a delegate whose seat stands then, or a person who
holds one of its offices then (docs/federation-bodies.md, decision 0029).

A federation record's members, in the record's own sense (the keys that sign member acts: tabling a
proposal, opening and closing a question, taking part in its meetings, issuing its credential to a
higher federation), are not its founders: the founders' only act is the founding. From then on a key
acts as a member at time t exactly when

- it holds a seat standing at t (seats.py: taken on a cited home credential, not replaced, not ended by
  the credential's end, its assembly's leaving or a cited recall: `Seat.stands`), or
- it holds one of the federation's offices at t (offices.py: named by the assembly whose turn it is,
  from a cited home credential, not suspended: `OfficeHolder.holds`).

Both are read from the federation's own record, at the entry's own time, by the functions that already
say whether a seat stands or an office is held: a recall cited into the record ends the seat at the
recall's `at` for every later entry, the same on every replica. The key is the member's id (`author`),
as a founder's key is theirs. Nobody else signs a member's act in a federation (`not_a_seated_delegate`).
"""

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.seats import seated_delegate


def office_held(state: AssemblyState, key: str, *, now: int) -> bool:
    """True when `key` holds one of the federation's offices at `now`."""
    return any(
        holder.key == key and holder.holds(now=now)
        for terms in state.offices.terms.values()
        for term in terms
        for holder in term.holders
    )


def stands_in(state: AssemblyState, key: str, *, now: int) -> bool:
    """True when `key` acts as the federation's member at `now`: seated, or holding an office."""
    return seated_delegate(state, key, now=now) is not None or office_held(state, key, now=now)
