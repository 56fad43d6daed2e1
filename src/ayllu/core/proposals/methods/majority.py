"""Simple and qualified majority: yes / no / abstain, with the quorum and the percentage base explicit.

Simple majority is `threshold=1/2, strict=True` (more than half); a two-thirds majority is usually
`threshold=2/3, strict=False` (at least two thirds). The base says what the share is taken of:
"cast" (yes + no + abstain), "yes_no" (abstentions left out) or "eligible" (every eligible voter, so
not voting counts like voting no).
"""

from collections.abc import Mapping
from fractions import Fraction
from typing import Final, Literal, get_args

from ayllu.core.proposals.methods.errors import InvalidBallot, InvalidParameter
from ayllu.core.proposals.methods.outcome import (
    EXACTLY_AT_THRESHOLD,
    NOTHING_COUNTED,
    QUORUM_NOT_MET,
    THRESHOLD_MET,
    THRESHOLD_NOT_MET,
    Outcome,
    Quorum,
    Threshold,
    take_count,
)

Vote = Literal["yes", "no", "abstain"]
VOTES: Final[tuple[Vote, ...]] = get_args(Vote)
BASES: Final = ("cast", "yes_no", "eligible")


def tally_majority(
    ballots: Mapping[str, Vote],
    *,
    eligible: int,
    quorum: Fraction | Quorum,
    threshold: Fraction,
    base: str,
    strict: bool = True,
) -> Outcome:
    """Count yes / no / abstain and decide whether the yes share clears the threshold."""
    if base not in BASES:
        raise InvalidParameter(name="base", value=base)
    if not isinstance(threshold, Fraction) or not 0 < threshold <= 1:
        raise InvalidParameter(name="threshold", value=str(threshold))
    counts: dict[str, int] = dict.fromkeys(VOTES, 0)
    for voter, vote in sorted(ballots.items()):
        if vote not in counts:
            raise InvalidBallot(voter=voter, value=vote)
        counts[vote] += 1
    count = take_count(counts, eligible=eligible, participation=len(ballots), quorum=quorum)
    counted = {
        "cast": count.participation,
        "yes_no": counts["yes"] + counts["no"],
        "eligible": eligible,
    }[base]
    rule = Threshold(share=threshold, strict=strict, base=base, counted=counted)
    yes_scaled = counts["yes"] * threshold.denominator
    bar_scaled = threshold.numerator * counted
    result: Literal["passed", "rejected", "no_quorum"]
    if not count.quorum.met:
        result, reason = "no_quorum", QUORUM_NOT_MET
    elif counted == 0:
        # Nothing in the base (everyone abstained under "yes_no"): zero yes votes never pass anything.
        result, reason = "rejected", NOTHING_COUNTED
    elif yes_scaled > bar_scaled or (not strict and yes_scaled == bar_scaled):
        result, reason = "passed", THRESHOLD_MET
    else:
        result, reason = "rejected", THRESHOLD_NOT_MET
    at_threshold = counted > 0 and yes_scaled == bar_scaled
    reasons = (reason, EXACTLY_AT_THRESHOLD) if at_threshold else (reason,)
    return count.outcome("majority", result, reasons, threshold=rule)
