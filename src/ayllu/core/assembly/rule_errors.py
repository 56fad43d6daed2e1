"""Stable error codes for the assembly's rules: each names one way a validly signed act breaks them.

All are `RuleError`s: replay rejects the entry, the write path refuses the command. `detail` always
carries the entry's `seq` and the offending value.
"""

from ayllu.core.errors import RuleError


# --- founding and the charter ----------------------------------------------------------------------
class NotAFounder(RuleError):
    code = "not_a_founder"
    status = 403


class MissingEndorsement(RuleError):
    code = "missing_endorsement"


class BadEndorsement(RuleError):
    code = "bad_endorsement"
    status = 403


class InvalidCharter(RuleError):
    code = "invalid_charter"


class ThresholdOutOfReach(RuleError):
    """A count of the charter (its `reason`) needs more members than could ever give it."""

    code = "threshold_out_of_reach"


# --- members and households ------------------------------------------------------------------------
class KeyReplaced(RuleError):
    """The act is signed with a key that was replaced: it is no longer the member's key."""

    code = "key_replaced"
    status = 403


class MemberSuspended(RuleError):
    code = "member_suspended"
    status = 403


class AlreadyMember(RuleError):
    code = "already_member"


class UnknownApplicant(RuleError):
    code = "unknown_applicant"
    status = 404


class AlreadyApplied(RuleError):
    code = "already_applied"


class AlreadySigned(RuleError):
    """A second sponsorship, vouch, petition signature or presence by the same member."""

    code = "already_signed"


class UnknownMember(RuleError):
    code = "unknown_member"
    status = 404


class HouseholdExists(RuleError):
    code = "household_exists"


class UnknownClaim(RuleError):
    code = "unknown_claim"
    status = 404


class KeyInUse(RuleError):
    code = "key_in_use"


class WrongRoute(RuleError):
    """The charter routes this matter another way (e.g. admission by decision, not by sponsorship)."""

    code = "wrong_route"


# --- meetings --------------------------------------------------------------------------------------
class NotConvenor(RuleError):
    code = "not_convenor"


class NotChair(RuleError):
    code = "not_chair"


class NotMinuteKeeper(RuleError):
    code = "not_minute_keeper"


class UnknownMeeting(RuleError):
    code = "unknown_meeting"
    status = 404


class MeetingClosed(RuleError):
    code = "meeting_closed"


class MeetingNotStarted(RuleError):
    code = "meeting_not_started"


class NotPresent(RuleError):
    code = "not_present"


class AlreadyPresent(RuleError):
    code = "already_present"


class AlreadyQueued(RuleError):
    code = "already_queued"


class WrongSpeaker(RuleError):
    """The chair called someone other than the head of the progressive stack."""

    code = "wrong_speaker"


class PointOfOrderPending(RuleError):
    code = "point_of_order_pending"


class UnknownPoint(RuleError):
    code = "unknown_point"
    status = 404


class UnknownPetition(RuleError):
    code = "unknown_petition"
    status = 404


# --- proposals and questions -----------------------------------------------------------------------
class UnknownProposal(RuleError):
    code = "unknown_proposal"
    status = 404


class MayNotTable(RuleError):
    code = "may_not_table"


class NotAuthor(RuleError):
    code = "not_author"


class ProposalNotOpen(RuleError):
    """The proposal is not in deliberation (it is being voted on, was decided or withdrawn)."""

    code = "proposal_not_open"


class InvalidEffect(RuleError):
    code = "invalid_effect"


class UnknownAmendment(RuleError):
    code = "unknown_amendment"
    status = 404


class UnknownObjection(RuleError):
    code = "unknown_objection"
    status = 404


class NotObjector(RuleError):
    code = "not_objector"


class ObjectionUnanswered(RuleError):
    code = "objection_unanswered"


class DeliberationTooShort(RuleError):
    code = "deliberation_too_short"


class UnknownQuestion(RuleError):
    code = "unknown_question"
    status = 404


class QuestionClosed(RuleError):
    code = "question_closed"


class QuestionStillOpen(RuleError):
    """The question may not be closed yet: its deadline has not passed and not everyone has voted."""

    code = "question_still_open"


class VoteAfterDeadline(RuleError):
    code = "vote_after_deadline"


class AlreadyVoted(RuleError):
    code = "already_voted"


class NotEligible(RuleError):
    code = "not_eligible"


class WrongMethod(RuleError):
    """The choice does not fit the question's decision method (e.g. a ranking on a yes/no question)."""

    code = "wrong_method"


class NoQuorum(RuleError):
    code = "no_quorum"


class TextTooLong(RuleError):
    code = "text_too_long"
    status = 413


class DeadlineTooSoon(RuleError):
    """An asynchronous question's deadline leaves less voting time than the charter's minimum."""

    code = "deadline_too_soon"


class TimeWentBack(RuleError):
    """An entry's node time is earlier than the previous entry's: deadlines could be dodged."""

    code = "time_went_back"


# --- erasure ---------------------------------------------------------------------------------------
class NoWordsToErase(RuleError):
    """The entry named has no words an erasure may take (no such act, or its rules read its words)."""

    code = "no_words_to_erase"


class NotYourWords(RuleError):
    """Only the author of an act may erase its words."""

    code = "not_your_words"
    status = 403


class WordsAlreadyErased(RuleError):
    code = "words_already_erased"
