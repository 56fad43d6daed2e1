"""Domain error codes turned into words for people: the one place pages and the API look them up.

The core and storage raise errors with a stable `code` and a `detail` dict and never write prose
(STYLE.md); here each code gets a translated sentence. Sentences may name values from `detail` with
`%(name)s`; a value the detail lacks shows as "?" rather than breaking the page.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # bytes and encodings
    "domain_error": _("The request breaks a rule of the record."),
    "encoding_error": _("The data is not written in the record's format."),
    "non_canonical": _("The entry is not written in the one exact form the record requires."),
    "not_json": _("The entry is not readable data."),
    "forbidden_value": _("The entry holds a value the record does not allow, such as a fraction."),
    "malformed_entry": _("The entry lacks a field or has one of the wrong kind."),
    "malformed_body": _("The content of the entry is not in the record's format."),
    "malformed_checkpoint": _("A checkpoint is not in the record's format."),
    "malformed_receipt": _("A receipt is not in the record's format."),
    # signatures
    "signature_error": _("A signature does not match."),
    "bad_author_signature": _("The signature of the member who made this act does not match."),
    "bad_node_signature": _("The signature of the node that recorded this entry does not match."),
    "bad_checkpoint_signature": _("The node's signature on a checkpoint does not match."),
    "bad_receipt_signature": _("The node's signature on a receipt does not match."),
    # the chain
    "chain_error": _("The entries do not follow each other as they should."),
    "wrong_log": _("The entry belongs to another assembly's record."),
    "seq_gap": _("An entry is missing: the numbering skips."),
    "broken_chain": _("The entry is not linked to the one before it: the history was changed."),
    "duplicate_act": _("The same act appears twice in the record."),
    "wrong_body_hash": _("The content does not match what its author signed."),
    "missing_body": _("The content of the entry is missing, although everyone should be able to see it."),
    "inconsistent_checkpoint": _("The node signed two summaries of the record that contradict each other."),
    "receipt_not_honoured": _(
        "The node gave a receipt for an entry it no longer shows: an entry was removed or withheld."
    ),
    "bad_proof": _("The proof does not show that the entry is in the record."),
    "head_mismatch": _("The node says the record has a different number of entries than it really holds."),
    # the assembly's rules (replay rejects a validly signed entry that breaks them)
    "rule_broken": _("The entry breaks a rule of the assembly."),
    "not_a_member": _("The act was made by someone who is not a member of the assembly."),
    "unknown_entry_type": _("The record holds a kind of act this node does not know."),
    "not_founded": _("The assembly has not been founded yet."),
    "already_founded": _("The assembly was already founded."),
    "not_a_founder": _("Only a founding member may sign this act."),
    "missing_endorsement": _("A founding member has not endorsed the founding act."),
    "bad_endorsement": _("A founding member's endorsement does not match."),
    "invalid_charter": _("The charter is not valid: a rule is missing or out of range."),
    "key_replaced": _("The act is signed with a key the member has since replaced."),
    "member_suspended": _("The member is suspended and may not do this now."),
    "already_member": _("This person is already a member."),
    "unknown_applicant": _("There is no such application to join."),
    "already_applied": _("This person has already applied to join."),
    "already_signed": _("This member has already signed this."),
    "unknown_member": _("There is no such member in the assembly."),
    "household_exists": _("That household is already registered."),
    "unknown_claim": _("There is no such key claim."),
    "key_in_use": _("That key already belongs to a member."),
    "wrong_route": _("The charter says this is done another way."),
    "not_convenor": _("Only the convenor may do this."),
    "not_chair": _("Only the person chairing the meeting may do this."),
    "not_minute_keeper": _("Only the minute-keeper may do this."),
    "unknown_meeting": _("There is no such meeting."),
    "meeting_closed": _("The meeting is already closed."),
    "meeting_not_started": _("The meeting has not started yet."),
    "not_present": _("The member is not signed in as present."),
    "already_present": _("The member is already signed in as present."),
    "already_queued": _("The member is already in the speakers' queue."),
    "wrong_speaker": _("The chair called someone out of the speakers' order."),
    "point_of_order_pending": _("A point of order must be ruled on first."),
    "unknown_point": _("There is no such point of order."),
    "unknown_petition": _("There is no such petition."),
    "unknown_proposal": _("There is no such proposal."),
    "may_not_table": _("This member may not table a proposal now."),
    "not_author": _("Only the proposal's author may do this."),
    "proposal_not_open": _("The proposal is no longer open for discussion."),
    "invalid_effect": _("The proposal asks for something the charter does not allow."),
    "unknown_amendment": _("There is no such amendment."),
    "unknown_objection": _("There is no such objection."),
    "not_objector": _("Only the member who raised the objection may do this."),
    "objection_unanswered": _("An objection has not been answered: each must be answered or withdrawn."),
    "deliberation_too_short": _("The proposal was not discussed for as long as the charter requires."),
    "unknown_question": _("There is no such question."),
    "question_closed": _("The question is already closed."),
    "question_still_open": _(
        "The question cannot be closed yet: the deadline has not passed and not everyone has voted."
    ),
    "vote_after_deadline": _("The vote came after the deadline."),
    "already_voted": _("This member has already voted on this question."),
    "not_eligible": _("This member may not vote on this question."),
    "wrong_method": _("The answer does not fit how this question is decided."),
    "no_quorum": _("There was no quorum."),
    "text_too_long": _("The text is longer than allowed."),
    "deadline_too_soon": _("The deadline leaves less time to vote than the charter requires."),
    "time_went_back": _("The entry is dated earlier than the one before it."),
    "decision_invalid": _("The decision cannot be computed from these votes."),
    "invalid_decision_parameter": _("A threshold, quorum or limit of the decision method is out of range."),
    "too_many_voters": _("There are more votes than members who may vote."),
    "invalid_ballot": _("A vote has a value this method does not know."),
    "unknown_option": _("The vote names an option that is not on the ballot."),
    "duplicate_option": _("The same option is listed twice."),
    "duplicate_ranking": _("A ballot ranks the same option more than once."),
    "block_without_reason": _("A block needs a reason."),
    "reason_without_block": _("A block reason was given without a block."),
    "objection_without_reason": _("An objection needs a reason."),
    "conflicting_positions": _("The member took two positions that contradict each other in the same round."),
    "fallback_not_due": _("A fallback vote was asked for although none is needed."),
    # storage
    "storage_error": _("The node could not read or write its database."),
    "storage_full": _("The node's disk is full: nothing was written."),
    "storage_read_only": _("The node's database is read-only: nothing was written."),
    "storage_busy": _("The node is busy: please try again in a moment."),
    "record_not_found": _("There is no such record on this node."),
    "record_exists": _("That record already exists on this node."),
    "key_file_error": _("The node's key file is missing or not protected."),
}

UNKNOWN = _("Something went wrong (code %(code)s).")


class _Detail(dict[str, Any]):
    """A detail mapping that shows a missing value as "?" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


def message_for(code: str, detail: Mapping[str, Any]) -> str:
    """Return the translated sentence for a domain error code, in the active language."""
    message = MESSAGES.get(code)
    if message is None:
        return str(UNKNOWN) % {"code": code}
    text = str(message)
    if "%(" not in text:
        return text
    return text % _Detail(detail)
