"""The assembly's decision methods, as pure functions from ballots to an `Outcome`.

No storage, no clock, no randomness: the same ballots give the same outcome on every replica. Ties are
broken by an order derived from a seed already in the record (see `ties`). docs/decision-methods.md
explains each method for organisers.
"""

from .approval import tally_approval
from .consensus import Position, tally_consensus
from .consent import ConsentRound, Objection, tally_consent
from .fallback import tally_fallback
from .majority import Vote, tally_majority
from .outcome import Outcome, Quorum, QuorumCheck, RoundSummary, Threshold, fraction_text
from .ranked import tally_ranked
from .ties import tie_order

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
