"""The fallback from consent or consensus to a qualified majority, after the charter's last round.

The charter names the fallback (usually two thirds of the votes cast, reached or exceeded). It is run
only when the consent or consensus outcome says `fallback_required`, so nobody can skip the rounds.
"""

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from ayllu.core.proposals.methods.errors import FallbackNotDue
from ayllu.core.proposals.methods.majority import Vote, tally_majority
from ayllu.core.proposals.methods.outcome import (
    FALLBACK_FROM_CONSENSUS,
    FALLBACK_FROM_CONSENT,
    FALLBACK_REQUIRED,
    Outcome,
    Quorum,
)

_FROM = {"consent": FALLBACK_FROM_CONSENT, "consensus": FALLBACK_FROM_CONSENSUS}


def tally_fallback(
    first: Outcome,
    ballots: Mapping[str, Vote],
    *,
    eligible: int,
    quorum: Fraction | Quorum,
    threshold: Fraction,
    base: str,
    strict: bool = False,
) -> Outcome:
    """Run the charter's majority vote on a proposal whose consent or consensus rounds ran out."""
    if first.method not in _FROM or first.result != "undecided" or FALLBACK_REQUIRED not in first.reasons:
        raise FallbackNotDue(method=first.method, result=first.result)
    outcome = tally_majority(
        ballots, eligible=eligible, quorum=quorum, threshold=threshold, base=base, strict=strict
    )
    return replace(outcome, reasons=(_FROM[first.method], *outcome.reasons))
