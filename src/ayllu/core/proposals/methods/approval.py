"""Approval voting: each voter approves any number of options; the most approved win the seats.

A tie at the last seat is broken by the tie rule (see `ties`). An option nobody approved never wins:
if fewer options have support than there are seats, the remaining seats stay empty.
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

from ayllu.core.proposals.methods.errors import InvalidBallot, InvalidParameter, UnknownOption
from ayllu.core.proposals.methods.options import check_options
from ayllu.core.proposals.methods.outcome import (
    NO_SUPPORT,
    QUORUM_NOT_MET,
    SEATS_UNFILLED,
    TIE_BROKEN_BY_RULE,
    Outcome,
    Quorum,
    take_count,
)
from ayllu.core.proposals.methods.ties import tie_order


def tally_approval(
    ballots: Mapping[str, frozenset[str]],
    *,
    options: Sequence[str],
    eligible: int,
    quorum: Fraction | Quorum,
    seats: int = 1,
    tie_seed: str,
) -> Outcome:
    """Count approvals per option and fill `seats` with the most approved, ties by the tie rule."""
    known = check_options(options)
    if not 1 <= seats <= len(known):
        raise InvalidParameter(name="seats", value=seats, options=len(known))
    order = tie_order(tie_seed, known)
    counts = dict.fromkeys(known, 0)
    for voter, approved in sorted(ballots.items()):
        if not isinstance(approved, set | frozenset):
            raise InvalidBallot(voter=voter, value=type(approved).__name__)
        for option in sorted(approved):
            if option not in counts:
                raise UnknownOption(voter=voter, option=option)
            counts[option] += 1
    count = take_count(counts, eligible=eligible, participation=len(ballots), quorum=quorum)
    place = {option: i for i, option in enumerate(order)}
    ranking = tuple(sorted(known, key=lambda o: (-counts[o], place[o])))
    supported = [o for o in ranking if counts[o] > 0]
    winners = tuple(supported[:seats])
    result: Literal["elected", "no_quorum", "undecided"]
    reasons: tuple[str, ...]
    if not count.quorum.met:
        result, reasons, winners = "no_quorum", (QUORUM_NOT_MET,), ()
    elif not winners:
        result, reasons = "undecided", (NO_SUPPORT,)
    else:
        result, reasons = "elected", ()
        if len(winners) < seats:
            reasons += (SEATS_UNFILLED,)
        if len(supported) > seats and counts[supported[seats - 1]] == counts[supported[seats]]:
            reasons += (TIE_BROKEN_BY_RULE,)
    return count.outcome("approval", result, reasons, winners=winners, ranking=ranking, tie_order=order)
