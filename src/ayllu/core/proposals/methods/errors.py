"""Errors of the decision methods: a ballot, an option or a parameter that a tally cannot accept.

All are `RuleError`s, so an entry carrying such a ballot is rejected on replay like any broken rule.
"""

from ayllu.core.errors import RuleError


class DecisionError(RuleError):
    code = "decision_invalid"


class InvalidParameter(DecisionError):
    """A threshold, quorum, base, seat count or round limit outside what the method accepts."""

    code = "invalid_decision_parameter"


class TooManyVoters(DecisionError):
    """More ballots (or positions, or present members) than members eligible to cast them."""

    code = "too_many_voters"


class InvalidBallot(DecisionError):
    """A ballot value the method does not know (e.g. "maybe" in a yes/no/abstain vote)."""

    code = "invalid_ballot"


class UnknownOption(DecisionError):
    code = "unknown_option"


class DuplicateOption(DecisionError):
    """The same option listed twice among the question's options."""

    code = "duplicate_option"


class DuplicateRanking(DecisionError):
    """One ballot ranks the same option more than once."""

    code = "duplicate_ranking"


class BlockWithoutReason(DecisionError):
    code = "block_without_reason"


class ReasonWithoutBlock(DecisionError):
    """A block reason given for someone whose position is not a block."""

    code = "reason_without_block"


class ObjectionWithoutReason(DecisionError):
    code = "objection_without_reason"


class ObjectionUnanswered(DecisionError):
    """A consent round closed with an objection nobody answered; each must be answered or withdrawn."""

    code = "objection_unanswered"


class ConflictingPositions(DecisionError):
    """One member both consented and objected in the same round, or objected twice."""

    code = "conflicting_positions"


class FallbackNotDue(DecisionError):
    """A fallback vote asked for although the consent or consensus outcome does not require one."""

    code = "fallback_not_due"
