"""The assembly's decision methods, as pure functions from ballots to an `Outcome`.

No storage, no clock, no randomness: the same ballots give the same outcome on every replica. Ties are
broken by an order derived from a seed already in the record (see `ties`). docs/decision-methods.md
explains each method for organisers.
"""

from ayllu.core.proposals.methods.approval import tally_approval
from ayllu.core.proposals.methods.consensus import Position, tally_consensus
from ayllu.core.proposals.methods.consent import ConsentRound, Objection, tally_consent
from ayllu.core.proposals.methods.fallback import tally_fallback
from ayllu.core.proposals.methods.majority import Vote, tally_majority
from ayllu.core.proposals.methods.outcome import (
    Outcome,
    Quorum,
    QuorumCheck,
    RoundSummary,
    Threshold,
    fraction_text,
)
from ayllu.core.proposals.methods.ranked import tally_ranked
from ayllu.core.proposals.methods.ties import tie_order

__all__ = [
    "ConsentRound",
    "Objection",
    "Outcome",
    "Position",
    "Quorum",
    "QuorumCheck",
    "RoundSummary",
    "Threshold",
    "Vote",
    "fraction_text",
    "tally_approval",
    "tally_consensus",
    "tally_consent",
    "tally_fallback",
    "tally_majority",
    "tally_ranked",
    "tie_order",
]
