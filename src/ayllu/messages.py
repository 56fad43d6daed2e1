"""Words for people, shared by pages, the API and the CLI: error codes and the charter in plain language.

The core and storage raise errors with a stable `code` and a `detail` dict and never write prose
(STYLE.md); here each code gets a translated sentence, looked up in the active language. Sentences may
name values from `detail` with `%(name)s`; a value the detail lacks shows as "?" rather than failing.
The charter's plain-language message ids (core/charter/plain.py) get their sentences here too, so a page,
an API answer and the CLI read a charter the same way.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from ayllu.assembly_words import word

# A draw completed with a beacon value that is not one: the rule and the draw engine both refuse it.
# Why no panel meets a draw's quotas (core/sortition/feasibility.py), said alike whether the draw is
# being prepared or a prepared one is refused.
_QUOTAS_INFEASIBLE = _("No panel of this size meets the quotas (%(category)s: %(feature)s).")
_QUOTAS_CONFLICT = _(
    "No panel of %(panel_size)s people meets these quotas together: %(quotas)s. Loosening any one of "
    "them makes room."
)
_QUOTA_MIN_ABOVE_POOL = _(
    "The quota %(category)s: %(feature)s asks for at least %(min)s people, but the pool has only "
    "%(available)s."
)
_QUOTA_MIN_ABOVE_PANEL = _(
    "The quota %(category)s: %(feature)s asks for at least %(min)s people, more than the %(panel_size)s "
    "seats."
)
_QUOTA_MINIMUMS_ABOVE_PANEL = _(
    "The minimums of the quotas on %(category)s add up to more than the %(panel_size)s seats."
)
_QUOTA_MAXIMUMS_BELOW_PANEL = _(
    "The quotas on %(category)s leave fewer people to choose from than the %(panel_size)s seats."
)
_BEACON_VALUE = _(
    "A beacon's value is written in lowercase hexadecimal (the digits 0 to 9 and the letters a to f), "
    "two digits for each byte, at most %(max_bytes)s bytes: copy it again from the beacon. Nothing was "
    "recorded."
)

MESSAGES: dict[str, Promise] = {
    # notification settings (actions/notifications.py): nothing is kept when one is refused
    "member_login_required": _(
        "Log in to this assembly from your device to see or change your own settings."
    ),
    "csrf_refused": _(
        "The request came without this browser's security token. Reload the page and try again."
    ),
    "notification_settings_invalid": _("A notification setting is not valid. Nothing was changed."),
    "notification_settings_invalid.email": _(
        "That e-mail address is not valid: write it as name@example.org. Nothing was changed."
    ),
    "notification_settings_invalid.language": _(
        "Messages can be written in Spanish or English only. Nothing was changed."
    ),
    "notification_settings_invalid.quiet_hours": _(
        "Quiet hours need a start and an end, each an hour from 0 to 23. Nothing was changed."
    ),
    "notification_settings_invalid.utc_offset": _(
        "The time zone must be between UTC-12:00 and UTC+14:00. Nothing was changed."
    ),
    "notification_settings_invalid.push_subscription": _(
        "This browser gave a subscription the node cannot use. Nothing was changed."
    ),
    # a council's register checked through the API (api/feeds.py): nothing is stored either way
    "register_file_missing": _(
        "Send the register as the part named file of the form (a .csv, .xlsx or .ods file). Nothing was "
        "stored."
    ),
    # bytes and encodings
    "domain_error": _("The request breaks a rule of the record."),
    "encoding_error": _("The data is not written in the record's format."),
    "non_canonical": _("The entry is not written in the one exact form the record requires."),
    "not_json": _("The entry is not readable data."),
    "forbidden_value": _("The entry holds a value the record does not allow, such as a fraction."),
    "malformed_entry": _("The entry lacks a field or has one of the wrong kind."),
    "malformed_body": _("The content of the entry is not in the record's format."),
    "malformed_body.blank": _("A field that must say something is empty or holds only spaces: write in it."),
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
    "entry_from_the_future": _("The entry is dated later than this node's clock allows: not valid yet."),
    "seq_gap": _("An entry is missing: the numbering skips."),
    "broken_chain": _("The entry is not linked to the one before it: the history was changed."),
    "duplicate_act": _("The same act appears twice in the record."),
    "text_not_allowed": _("The text of %(field)s holds a character that is not allowed (%(char)s)."),
    "text_not_allowed.control": _(
        "The text of %(field)s holds an invisible control character (%(char)s): only line breaks and "
        "tabs are allowed."
    ),
    "text_not_allowed.bidi_control": _(
        "The text of %(field)s holds a character that reverses the direction of writing (%(char)s), which "
        "can make it read differently from what was signed."
    ),
    "text_not_allowed.format": _(
        "The name in %(field)s holds an invisible character (%(char)s), so it could pass for another name."
    ),
    "text_not_allowed.not_nfc": _(
        "The name in %(field)s is not written in the one standard form (Unicode NFC): write it again."
    ),
    "text_not_allowed.untrimmed": _("The name in %(field)s begins or ends with a space."),
    "text_not_allowed.empty_looking": _("The name in %(field)s looks empty."),
    "name_looks_alike": _(
        "The name %(name)s in %(field)s looks like %(existing)s, which already exists: use that one, or a "
        "name that looks different."
    ),
    "move_head_moved": _(
        "The record has a new entry since this page was opened: reload it and endorse the move again."
    ),
    "move_bad_signature": _("The endorsement is not signed by your key: nothing was kept."),
    "move_to_same_node": _("That node already seals the record: a move names another node."),
    "member_name_looks_alike": _(
        "The name %(name)s looks like %(existing)s, the name another member chose: choose a name that looks "
        "different."
    ),
    "not_json.too_many_digits": _("The data holds a number with more digits than any record allows."),
    # requests
    "bad_request": _("The request is not what this address expects."),
    "no_checkpoint": _("This node holds no signed checkpoint of that record of that size."),
    "invalid_evidence": _("The evidence does not prove what it claims: it was not kept."),
    "invalid_evidence.too_large": _(
        "The evidence is larger than any node keeps (%(limit)s bytes): it was not kept."
    ),
    "move_not_endorsed": _(
        "Moving the record needs endorsements from more than half of the active members: %(endorsed)s of "
        "%(active)s endorsed."
    ),
    "bad_move_endorsement": _("An endorsement of the move is not a valid signature by an active member."),
    "not_the_records_node": _("The entry is sealed by a node that does not keep this record."),
    # a proposed mandate a federation's vote could never cast (actions/assembly.py): nothing is written
    "mandate_not_a_question_number": _(
        "A mandate for a federation names its question by number alone, in digits (such as 3)."
    ),
    "mandate_not_a_ballot_code": _(
        "The federation does not read this position: choose one the form offers, or write one of the "
        "words listed under the field, exactly as written."
    ),
    "rules_need_bodies": _(
        "This node lacks members-only contents that the record's rules read (from entry %(seq)s on), so "
        "it cannot check them nor seal the record. Follow the record again with a member's delegation "
        "(ayllu follow URL --delegation FILE): only the missing contents are fetched."
    ),
    "bad_request.nul_character": _("The address holds a NUL character, which no address of this node takes."),
    "bad_request.bad_argument": _(
        "The value of %(argument)s must be a whole number written with the digits 0 to 9."
    ),
    "wrong_body_hash": _("The content does not match what its author signed."),
    "missing_body": _("The content of the entry is missing, although everyone should be able to see it."),
    "inconsistent_checkpoint": _("The node signed two summaries of the record that contradict each other."),
    "receipt_not_honoured": _(
        "The node gave a receipt for an entry it no longer shows: an entry was removed or withheld."
    ),
    "bad_proof": _("The proof does not show that the entry is in the record."),
    "bad_proof.no_checkpoint_covers": _(
        "This node keeps no signed checkpoint of the record that covers that entry yet, so it cannot "
        "give its citation."
    ),
    # citations of another record's entries (docs/record-format.md 14)
    "citation_error": _("The citation of another record's entry does not hold."),
    "malformed_citation": _("The citation is not written as the record format says."),
    "malformed_citation.not_json": _(
        "That is not a citation: paste the whole text the other record's page gives, from { to }."
    ),
    "malformed_citation.non_canonical": _(
        "The citation was changed after it was made (spaces, line breaks or the order of its parts): "
        "paste it exactly as it was given."
    ),
    "malformed_citation.forbidden_value": _("The citation holds a value no citation may hold."),
    "malformed_citation.too_large": _("That text is far too long to be a citation."),
    "malformed_body.own_record": _(
        "This assembly's own record is named where another record is meant: an assembly does not cite "
        "its own entries, and is neither its own federation nor its own member."
    ),
    "malformed_body.duplicate": _(
        "Something is listed twice where it may appear only once (the same entry cited twice, say)."
    ),
    "citation_bad_checkpoint": _(
        "The cited record's summary is not signed by the node that keeps that record, or is damaged."
    ),
    "citation_bad_entry": _("The cited entry is not the one the citation names, or its signatures fail."),
    "citation_bad_proof": _("The proof does not show that the cited entry is in the cited record."),
    "citation_fork": _(
        "This node holds the cited record with a different entry at that place: someone split the record."
    ),
    "citation_rolled_back": _(
        "The cited record's summary is shorter than one its node signed before it: entries were removed."
    ),
    "citation_rule_broken": _("The cited entry, or one before it, breaks the cited assembly's rules."),
    "citation_unknown_record": _(
        "This node does not hold the cited record, so it can check the citation by its proof only."
    ),
    # a copy of a record held to a checkpoint this node saw from its node (actions/known_checkpoints.py)
    "equivocation": _(
        "The record's node signed two different summaries of it at the same size, %(size)s entries: this "
        "copy carries one, and this node already knew the other (from a citation, a witness or a sync). "
        "Only one can be true, so the copy is refused."
    ),
    "inconsistent_with_known": _(
        "The first %(size)s entries of this copy are not the ones its node signed for in a summary this "
        "node already knows (from a citation, a witness or a sync): it is another history, so the copy is "
        "refused."
    ),
    "head_mismatch": _("The node says the record has a different number of entries than it really holds."),
    # the assembly's rules (replay rejects a validly signed entry that breaks them)
    "rule_broken": _("The entry breaks a rule of the assembly."),
    "not_a_member": _("The act was made by someone who is not a member of the assembly."),
    "unknown_entry_type": _("The record holds a kind of act this node does not know."),
    "unauthorised_erasure": _(
        "The words of entry %(seq)s were erased, but no act of their author erased them."
    ),
    "no_words_to_erase": _("Entry %(entry)s has no words that can be erased."),
    "not_your_words": _("Only the member who wrote entry %(entry)s may erase its words."),
    "words_already_erased": _("The words of entry %(entry)s were already erased."),
    "record_kept_to_members": _(
        "The assembly's charter keeps this record to its members' nodes: it is not served to other nodes."
    ),
    "not_founded": _("The assembly has not been founded yet."),
    "already_founded": _("The assembly was already founded."),
    "not_a_founder": _("Only a founding member may sign this act."),
    "missing_endorsement": _("A founding member has not endorsed the founding act."),
    "bad_endorsement": _("A founding member's endorsement does not match."),
    "invalid_charter": _("The charter is not valid: a rule is missing or out of range."),
    "threshold_out_of_reach": _(
        "The charter asks for %(needed)s members, more than could ever give their support (%(members)s): "
        "nobody could reach it. Lower the number, or let it shrink with the assembly."
    ),
    "threshold_out_of_reach.sponsors": _(
        "The charter asks for %(needed)s sponsors to admit someone, more than the members who could sponsor "
        "(%(members)s): nobody could ever be admitted. Lower the number, or let it shrink with the assembly."
    ),
    "threshold_out_of_reach.vouchers": _(
        "The charter asks for %(needed)s vouchers to replace a lost key, more than the other members who "
        "could vouch (%(members)s): no lost key could ever be replaced. Lower the number, or let it shrink "
        "with the assembly."
    ),
    "threshold_out_of_reach.petition": _(
        "The charter asks for %(needed)s signatures to convene a meeting, more than the members who could "
        "sign (%(members)s): no petition could ever convene one. Lower the number, or let it shrink with the "
        "assembly."
    ),
    "threshold_out_of_reach.recall": _(
        "The charter asks for %(needed)s signatures to ask for a recall, more than the members who could "
        "sign (%(members)s): no recall could ever be asked for. Lower the number, or let it shrink with the "
        "assembly."
    ),
    "threshold_out_of_reach.cosigners": _(
        "The charter asks for %(needed)s cosigners to bring a proposal to a vote, more than the other "
        "members who could cosign (%(members)s): no proposal could ever come to a vote. Lower the number, "
        "or let it shrink with the assembly."
    ),
    "key_replaced": _("The act is signed with a key the member has since replaced."),
    "member_suspended": _("Your membership is suspended: you may not do this now."),
    "already_member": _("This person is already a member."),
    "unknown_applicant": _("There is no such application to join."),
    "already_applied": _("This person has already applied to join."),
    "already_signed": _("You have already signed this."),
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
    "not_present": _("You are not signed in as present."),
    "already_present": _("You are already signed in as present."),
    "already_queued": _("You are already in the speakers' queue."),
    "wrong_speaker": _("The chair called someone out of the speakers' order."),
    "point_of_order_pending": _("A point of order must be ruled on first."),
    "unknown_point": _("There is no such point of order."),
    "unknown_petition": _("There is no such petition."),
    "unknown_proposal": _("There is no such proposal."),
    "may_not_table": _("You may not table a proposal now."),
    "not_author": _("Only the proposal's author may do this."),
    "proposal_not_open": _("The proposal is no longer open for discussion."),
    "invalid_effect": _("The proposal asks for something the charter does not allow."),
    "unknown_amendment": _("There is no such amendment."),
    "unknown_objection": _("There is no such objection."),
    "not_objector": _("Only the member who raised the objection may do this."),
    "objection_unanswered": _("An objection has not been answered: each must be answered or withdrawn."),
    "deliberation_too_short": _(
        "The proposal was not discussed for as long as the charter requires: the question can be opened "
        "from %(earliest)s."
    ),
    "unknown_question": _("There is no such question."),
    "question_closed": _("The question is already closed."),
    "question_still_open": _(
        "The question cannot be closed yet: the deadline has not passed and not everyone has voted."
    ),
    # a federation's vote waits out its deadline and the time a home assembly has to cite a recall
    "question_still_open.recall_grace": _(
        "The vote cannot be closed yet: in a federation it closes only once its deadline and the grace "
        "time for citing recalls of delegates (the charter's recall_grace_hours) have both passed."
    ),
    "vote_after_deadline": _("The vote came after the deadline."),
    "already_voted": _("You have already voted on this question."),
    "not_eligible": _("You may not vote on this question."),
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
    "conflicting_positions": _("You took two positions that contradict each other in the same round."),
    "fallback_not_due": _("A fallback vote was asked for although none is needed."),
    # cargos, mandates, recall and draws (core/cargos/errors.py, docs/cargos.md)
    "unknown_power": _("A cargo may only carry powers from the list; %(power)s is not one."),
    "forbidden_power": _(
        "No cargo may carry %(power)s: only the assembly changes the record, the charter or membership."
    ),
    "cargo_exists": _("A cargo called %(cargo)s already exists."),
    "unknown_cargo_name": _("There is no cargo called %(cargo)s filled by turn."),
    "lacks_power": _("You hold no cargo with the power to do this now."),
    "not_households_turn": _(
        "Only another member of the household now serving this cargo may take its seat."
    ),
    "may_not_serve": _(
        "That member may not serve now: exempt, or already holding as many cargos as the charter allows."
    ),
    "unknown_swap": _("There is no such open offer to swap turns."),
    "not_swap_partner": _(
        "Only a member of the other household may accept this swap; a household cannot swap with itself."
    ),
    "invalid_exemption": _("An exemption must name one known household or one member."),
    "not_delegate": _("You do not represent the assembly in %(body)s now."),
    "no_federation_cargo": _(
        "A credential for a federation needs a cargo that represents the assembly there, held now and at "
        "least until the credential ends."
    ),
    "not_a_federation": _("This record is an assembly's, not a federation's: nobody takes a seat in it."),
    "not_an_assembly_id": _(
        "In a federation, each founder is named with their assembly's record id (64 hexadecimal characters)."
    ),
    "not_a_member_assembly": _(
        "That assembly is not a member of the federation, and its charter lets no assembly join by a seat."
    ),
    "credential_other_assembly": _("The cited credential belongs to another assembly's record."),
    "not_a_credential": _(
        "The cited entry is not a delegate's credential, or the credential given is not the one it signs."
    ),
    "credential_other_federation": _("The cited credential is for another federation."),
    "not_your_credential": _("The cited credential was signed by another delegate: cite your own."),
    "credential_expired": _("The cited credential has ended: ask the assembly for a new one."),
    "credential_used": _("The cited credential has already seated a delegate."),
    "delegation_full": _(
        "The assembly already has %(limit)s delegates seated: name the delegate this seat replaces."
    ),
    "unknown_seat": _("The delegate to be replaced holds no seat for that assembly now."),
    "contrary_to_mandate": _(
        "The vote goes against the assembly's mandate: on this question its position is %(position)s."
    ),
    "no_mandate": _(
        "The assembly has given no mandate on this question: abstain, or ask the assembly for one."
    ),
    "unknown_session": _("There is no such session of %(body)s in the record."),
    "report_already_filed": _("The report on this session was already filed."),
    "not_a_holder": _("The person named does not hold this cargo now."),
    "unknown_recall_petition": _("There is no such recall petition collecting signatures."),
    "recall_already_open": _("A recall of this holder from this cargo is already open."),
    "unknown_draw": _("There is no such draw."),
    "draw_wrong_phase": _(
        "This step of the draw comes at the wrong time: committing, revealing and completing each have "
        "their window."
    ),
    "draw_bad_evidence": _("The draw's evidence does not check out (%(reason)s)."),
    "draw_bad_evidence.panel_count": _(
        "The draw lists %(found)s possible committees where the charter asks for %(expected)s. Nothing was "
        "recorded."
    ),
    "draw_bad_evidence.beacon_value": _BEACON_VALUE,
    "draw_bad_evidence.reveal_does_not_match": _(
        "This secret is not the one committed to: it does not match the commitment recorded for this "
        "member in this draw. Nothing was recorded."
    ),
    # the turn order (core/cargos/rotation/errors.py)
    "rotation_invalid": _("The turn order cannot be computed from these facts."),
    "invalid_rotation_fact": _(
        "A household, cargo, term or exemption is outside what the turn order accepts."
    ),
    "unknown_cargo": _("The turn order knows no such cargo."),
    "duplicate_rotation_id": _(
        "Two households or cargos have the same name, or a member is in two households."
    ),
    "invalid_rotation_fallback": _(
        "The charter's rule for when nobody can serve must end with asking the assembly."
    ),
    "overlapping_swaps": _("A household already has an open swap of turns in this cargo."),
    "roster_infeasible": _("No roster meets the rules; the assembly must decide."),
    # draws by lot (core/sortition/errors.py) and concentration
    "sortition_error": _("The draw cannot be computed."),
    "sortition_bad_pool": _("The pool of people for the draw is not valid."),
    "sortition_bad_quota": _("A quota of the draw is not valid."),
    "sortition_quotas_infeasible": _QUOTAS_INFEASIBLE,
    "sortition_quotas_infeasible.conflict": _QUOTAS_CONFLICT,
    "sortition_quotas_infeasible.min_above_pool": _QUOTA_MIN_ABOVE_POOL,
    "sortition_quotas_infeasible.min_above_panel": _QUOTA_MIN_ABOVE_PANEL,
    "sortition_quotas_infeasible.minimums_above_panel": _QUOTA_MINIMUMS_ABOVE_PANEL,
    "sortition_quotas_infeasible.maximums_below_panel": _QUOTA_MAXIMUMS_BELOW_PANEL,
    "sortition_bad_pool.pool_smaller_than_panel": _(
        "The pool has %(pool)s people: fewer than the %(panel_size)s seats to fill."
    ),
    "sortition_solver_failed": _("The solver could not compute the fair chances; nothing was recorded."),
    "sortition_bad_lottery": _("The draw's list of panels is not valid."),
    "sortition_lottery_hash_mismatch": _("The list of panels differs from the one recorded before the draw."),
    "sortition_bad_reveal": _("A revealed secret does not match its commitment."),
    "sortition_bad_evidence": _("The draw's evidence is incomplete or inconsistent."),
    "sortition_bad_evidence.beacon_value": _BEACON_VALUE,
    # a draw.prepared whose quotas no panel meets (core/cargos/errors.py): the same words as preparing it
    "draw_quotas_infeasible": _QUOTAS_INFEASIBLE,
    "draw_quotas_infeasible.conflict": _QUOTAS_CONFLICT,
    "draw_quotas_infeasible.min_above_pool": _QUOTA_MIN_ABOVE_POOL,
    "draw_quotas_infeasible.min_above_panel": _QUOTA_MIN_ABOVE_PANEL,
    "draw_quotas_infeasible.minimums_above_panel": _QUOTA_MINIMUMS_ABOVE_PANEL,
    "draw_quotas_infeasible.maximums_below_panel": _QUOTA_MAXIMUMS_BELOW_PANEL,
    "invalid_activity": _("An activity counted for the concentration measures is not valid."),
    # storage
    "storage_error": _("The node could not read or write its database."),
    "storage_full": _("The node's disk is full: nothing was written."),
    "storage_read_only": _("The node's database is read-only: nothing was written."),
    "storage_busy": _("The node is busy: please try again in a moment."),
    "record_not_found": _("There is no such record on this node."),
    "record_exists": _("That record already exists on this node."),
    # what a node serves (storage/served.py)
    "record_damaged": _(
        "Nothing can be written to this record: this node's copy of it does not verify (the first bad "
        "entry is number %(seq)s). Whoever runs the node must restore a good copy first."
    ),
    "record_damaged.unplaced": _(
        "Nothing can be written to this record: this node's copy of it is not the one the node verified. "
        "Whoever runs the node must restore a good copy first."
    ),
    "record_shorter": _(
        "The record now ends at entry %(size)s, but this node had verified it up to entry %(sealed)s: "
        "entries were removed."
    ),
    "seal_mismatch": _("The record's entries are not the ones this node verified."),
    "restore_refused": _("That copy cannot replace this node's: nothing was replaced."),
    "restore_refused.shorter": _(
        "That copy ends at entry %(size)s, but this node had verified the record up to entry %(sealed)s: "
        "restore a copy that holds every entry (a later backup, or a node that follows the record). "
        "Nothing was replaced."
    ),
    "restore_refused.other_history": _(
        "That copy holds another history than the one this node verified up to entry %(sealed)s. Nothing "
        "was replaced."
    ),
    "seal_mismatch.seal": _(
        "The node's own note of what it verified was changed, or the node's key is not the one that wrote it."
    ),
    "seal_mismatch.rows": _(
        "The record's entries are signed, but they are not the ones this node verified: its history was "
        "replaced."
    ),
    "key_file_error": _("The node's key file is missing or not protected."),
    # the API and the CLI
    "invalid_request": _("The request lacks a field or has one of the wrong kind."),
    "not_found": _("There is no such thing here."),
    "request_too_large": _("The request is larger than this node accepts."),
    "unknown_act_kind": _("There is no such kind of act."),
    "method_not_allowed": _("That cannot be done at this address."),
    # anonymous writes, counted per client address
    "writes_rate_limited": _(
        "Too many requests of this kind came from your address. Try again later: the count starts over "
        "within %(seconds)s."
    ),
    "node_writes_rate_limited": _(
        "This node takes no more requests of this kind for now, from anyone. Try again later: the count "
        "starts over within %(seconds)s."
    ),
    # acts strangers sign wait outside the record until a member takes them in
    "waiting_room_full": _(
        "This node cannot keep more applications or key claims waiting now. Try again later, or ask a "
        "member to take in those already waiting."
    ),
    "address_waiting_full": _(
        "Too many applications or key claims from your address are waiting. Try again once members have "
        "taken them in or they have expired."
    ),
    "already_waiting": _(
        "This key already has an application or a key claim waiting. A member takes it in by sponsoring "
        "the applicant or vouching for the key, or by proposing the admission or the key replacement."
    ),
    # requests refused by `ayllu serve` before the app reads them
    "request_timeout": _("The request's content did not arrive within %(seconds)s."),
    # a federation's offices by turn and overflow petitions (core/federations/offices.py, petitions.py)
    "unknown_office": _("The federation's charter has no office called %(office)s."),
    "not_an_office_credential": _(
        "The cited entry is not a credential for a federation's office, or its content is not the one the "
        "entry signs."
    ),
    "credential_other_office": _("The cited credential is for another office."),
    "not_assemblys_turn": _("This term of the office %(office)s is not that assembly's turn."),
    "no_office_cargo": _(
        "A credential for a federation's office needs the cargo that serves that office for the assembly, "
        "held now and at least until the credential ends."
    ),
    "no_petition_decision": _(
        "The assembly has not decided to back this petition: it needs a mandate of the assembly saying "
        "“yes” to it."
    ),
    "not_a_petition_decision": _(
        "The cited entry is not an assembly's backing of a petition, or its content is not the one the "
        "entry signs."
    ),
    "cited_other_assembly": _("The cited entry belongs to another assembly's record."),
    "petition_other_federation": _("The cited backing is of a petition to another federation."),
    "petition_already_backed": _("That assembly's decision is already counted in this petition."),
    "petition_complete": _("This petition already has the assemblies it needs and has taken effect."),
    "petition_backing_lapsed": _(
        "That assembly's decision is older than the charter lets a petition's backing count: the "
        "assembly must decide again."
    ),
    # a federation's plenary (docs/federation-bodies.md, core/federations/plenary.py)
    "not_a_plenary": _("That meeting is not a plenary the member assemblies convened."),
    "plenary_closed": _("That plenary is closed."),
    "plenary_already_open": _("The plenary is already open."),
    "plenary_no_quorum_yet": _(
        "Too few member assemblies are present for the plenary to open yet. The delegates wait until the "
        "charter's waiting time is over; after that, without quorum, the plenary is postponed."
    ),
    "plenary_too_soon": _("The plenary would start sooner than the charter's notice allows."),
    "plenary_too_far": _("The plenary would start later than the charter allows."),
    "plenary_not_open": _("The plenary has not opened with quorum yet: nobody takes its chair before."),
    "plenary_already_chaired": _(
        "A delegate present already chairs this plenary; the chair is free again only if their seat ends."
    ),
    "cargo_holder_not_seated": _(
        "In a federation, a cargo is given only to a delegate whose seat stands when the federation "
        "decides, named by their key."
    ),
    "no_turns_in_federation": _(
        "A federation has no cargos by turn among households: its offices pass by turn among its member "
        "assemblies, as its charter says. A cargo of its own is given by a decision, to a seated delegate."
    ),
    "not_a_recall_vote": _("There is no recall vote of that number in this federation."),
    "recall_vote_closed": _("That recall vote is closed: the suspension was already confirmed or lifted."),
    "not_an_office_holder": _("The person named does not hold that office now."),
    "credential_used.office": _("The cited credential has already named an office holder."),
    # a federation's questions, voted by its member assemblies' delegates (docs/federation-bodies.md)
    "voted_by_delegates": _(
        "In a federation, each member assembly votes through its seated delegates, citing its mandate; "
        "nobody votes here in their own name."
    ),
    "not_seated": _("You hold no seat in the federation now on the credential you cite."),
    # seated delegates are the federation's members; joining and leaving by decisions (decision 0029)
    "not_a_seated_delegate": _(
        "In a federation, only a delegate whose seat stands now, or who holds one of its offices now, "
        "acts as its member: founding it gives no standing of its own."
    ),
    "no_membership_decision": _(
        "The assembly has not decided this: joining or leaving a federation needs a mandate of the "
        "assembly saying “yes” to it."
    ),
    "not_a_membership_decision": _(
        "The cited entry is not an assembly's decision to join or leave a federation, or its content is "
        "not the one the entry signs."
    ),
    "membership_other_federation": _("The cited decision is about another federation."),
    "already_a_member_assembly": _("That assembly is already a member of the federation."),
    "no_federation_decision": _(
        "The federation has not decided to admit that assembly: it needs a decision of the federation "
        "saying “yes” to its joining."
    ),
    "stale_membership_decision": _(
        "A newer decision of that assembly to join or leave is already counted here."
    ),
    "not_a_mandate": _(
        "The cited entry is not your assembly's mandate on this question of this federation, or the "
        "mandate given is not the one it signs."
    ),
    "stale_mandate": _(
        "Your assembly has given a newer mandate on this question than the one cited: cite the newest."
    ),
    "not_mandated": _(
        "The assembly has not decided that position on this question: state only the mandate in force."
    ),
    "not_withdrawn": _(
        "No recall ended that delegate's cargo at that time: a withdrawal is stated only as the assembly "
        "decided it."
    ),
    "not_a_withdrawal": _(
        "The cited entry is not an assembly's withdrawal of its delegate from this federation, or the "
        "withdrawal given is not the one it signs."
    ),
    "recall_already_cited": _("That recall has already been cited in the federation."),
    # ratification of a federation's resolutions (docs/federation-bodies.md)
    "unknown_resolution": _("The federation has adopted no resolution with that number."),
    "resolution_rule_not_charters": _(
        "A resolution asks ratification by the weighting the federation's charter chooses: %(charter)s."
    ),
    "resolution_share_below_charter": _(
        "A resolution may ask a larger share than the charter's (%(charter)s), never a smaller one."
    ),
    "invalid_effect.deadline_passed": _("The deadline for ratification must be later than now."),
    "not_a_ratification": _(
        "The cited entry is not an assembly's recorded decision on ratifying, or the decision given is not "
        "the one it signs."
    ),
    "ratification_other_federation": _("The cited decision answers a resolution of another federation."),
    "ratification_other_resolution": _("The cited decision answers another resolution."),
    "not_a_ratifying_assembly": _(
        "That assembly joined the federation after the resolution was adopted: its answer does not count."
    ),
    "ratification_too_late": _("The deadline for ratifying this resolution has passed."),
    "ratification_duplicate": _("This assembly's answer to the resolution is already counted."),
    "ratification_contradicts": _(
        "This assembly has already answered the resolution the other way: only its first answer counts."
    ),
    "not_a_ratification_decision": _(
        "That proposal is not the assembly's decision on ratifying this federation's resolution."
    ),
    "ratification_not_decided": _(
        "The assembly's decision has not closed that way: record it as it closed, with the households that "
        "could vote on it."
    ),
    "ratification_already_recorded": _("This decision on ratifying is already recorded."),
}


UNKNOWN = _("Something went wrong (code %(code)s).")


class _Detail(dict[str, Any]):
    """A detail mapping that shows a missing value as "?" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


def message_for(code: str, detail: Mapping[str, Any]) -> str:
    """Return the translated sentence for a domain error code, in the active language.

    A code whose detail names a `reason` may have a sentence of its own for that reason, listed as
    "<code>.<reason>"; otherwise the code's sentence is used.
    """
    reason = detail.get("reason")
    message = MESSAGES.get(f"{code}.{reason}") if isinstance(reason, str) else None
    if message is None:
        message = MESSAGES.get(code)
    if message is None:
        return str(UNKNOWN) % {"code": code}
    text = str(message)
    if "%(" not in text:
        return text
    seconds = detail.get("seconds")
    if isinstance(seconds, int):  # a time limit reads as words: "1 minute", not "60 seconds"
        detail = {**detail, "seconds": duration_words(seconds * SECOND_MS)}
    position = detail.get("position")
    if isinstance(position, str):  # a mandate's position: a federation's ballot code reads as its word
        detail = {**detail, "position": word("position", position)}
    return text % _Detail({**detail, **{k: _when(v) for k, v in detail.items() if k in TIMES}})


# Details that are record times (ms): a sentence shows them as the language writes dates.
TIMES = frozenset({"earliest"})


def _when(ms: Any) -> Any:
    if not isinstance(ms, int) or isinstance(ms, bool):
        return ms
    local = timezone.localtime(datetime.fromtimestamp(ms / 1000, tz=UTC))
    return formats.date_format(local, "DATETIME_FORMAT")


# --- durations and counts in words ---------------------------------------------------------------------
SECOND_MS = 1000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS


def count_number(count: int) -> str:
    """A whole number as the active language writes it (1,234 in English, 1.234 in Spanish)."""
    return formats.number_format(count, force_grouping=True)


def _unit(count: int, unit: str) -> str:
    n = count_number(count)
    if unit == "day":
        return ngettext("%(n)s day", "%(n)s days", count) % {"n": n}
    if unit == "hour":
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": n}
    if unit == "minute":
        return ngettext("%(n)s minute", "%(n)s minutes", count) % {"n": n}
    return ngettext("%(n)s second", "%(n)s seconds", count) % {"n": n}


def duration_words(ms: int) -> str:
    """A duration in words, in its two largest units: "3 days", "1 day and 12 hours", "1 hour and 30 minutes".

    Days and hours for long times, minutes and seconds only where a time is that short; what is smaller
    than the second unit shown is left out (it is a reading aid, the exact value is in the charter).
    """
    ms = max(ms, 0)
    parts: list[tuple[str, int]] = []
    for unit, size in (("day", DAY_MS), ("hour", HOUR_MS), ("minute", MINUTE_MS), ("second", SECOND_MS)):
        amount, ms = divmod(ms, size)
        if amount or parts:
            parts.append((unit, amount))
        if len(parts) == 2:
            break
    shown = [_unit(amount, unit) for unit, amount in parts if amount]
    if not shown:
        return _unit(0, "minute")
    if len(shown) == 1:
        return shown[0]
    return gettext("%(larger)s and %(smaller)s") % {"larger": shown[0], "smaller": shown[1]}


def _rounds(count: int) -> str:
    return ngettext("%(n)s round", "%(n)s rounds", count) % {"n": count_number(count)}


def _terms(count: int) -> str:
    return ngettext("%(n)s term", "%(n)s terms", count) % {"n": count_number(count)}


def _cargos(count: int) -> str:
    return ngettext("%(n)s cargo", "%(n)s cargos", count) % {"n": count_number(count)}


# Parameters of the charter's sentences that reach the reader as words ("3 days", "2 rounds"), not as a
# bare number: durations in days and hours, counts with their noun in the right number.
PHRASES: dict[str, Callable[[int], str]] = {
    "consent": _rounds,
    "consensus": _rounds,
    "async_minutes": lambda minutes: duration_words(minutes * MINUTE_MS),
    "meeting_minutes": lambda minutes: duration_words(minutes * MINUTE_MS),
    "voting_minutes": lambda minutes: duration_words(minutes * MINUTE_MS),
    "seconds": lambda seconds: duration_words(seconds * SECOND_MS),
    "term_days": lambda days: duration_words(days * DAY_MS),
    "report_days": lambda days: duration_words(days * DAY_MS),
    "rest_terms": _terms,
    "max_concurrent": _cargos,
}


# --- the charter in plain language (ids and params: core/charter/plain.py, docs/charter.md) ---------
# A sentence that names one count agrees with it (ngettext_lazy keyed by the count's parameter); counts
# and durations in a sentence that names several are phrases (PHRASES).
CHARTER_TEXT: dict[str, Promise] = {
    "charter.sovereignty": _(
        "The assembly is sovereign: every change is the assembly's own decision, and no one holds power "
        "alone."
    ),
    "charter.quorum": _("A meeting may decide when %(num)s of every %(den)s %(basis)s are present."),
    "charter.participation": _(
        "A question decided between meetings counts when %(num)s of every %(den)s %(basis)s take part."
    ),
    "charter.method.majority": _(
        "%(matter)s: decided by majority; it passes when the yes votes are %(comparison)s %(num)s of "
        "every %(den)s %(base)s."
    ),
    "charter.method.consent": _(
        "%(matter)s: decided by consent; it passes unless a reasoned objection stands."
    ),
    "charter.method.consensus": ngettext_lazy(
        "%(matter)s: decided by consensus; %(blocks)s block with reasons stops it.",
        "%(matter)s: decided by consensus; %(blocks)s blocks with reasons stop it.",
        "blocks",
    ),
    "charter.method.approval": _(
        "%(matter)s: decided by approval; each member marks every option they accept."
    ),
    "charter.method.ranked": _(
        "%(matter)s: decided by ranked choice; each member orders the options and the Condorcet (Schulze) "
        "winner is chosen."
    ),
    "charter.rounds": _(
        "Before the fallback vote, consent is tried for %(consent)s and consensus for %(consensus)s."
    ),
    "charter.fallback": _(
        "The fallback vote passes when the yes votes are %(comparison)s %(num)s of every %(den)s %(base)s."
    ),
    "charter.deliberation": _(
        "A proposal is discussed for at least %(async_minutes)s between meetings, or %(meeting_minutes)s "
        "in a meeting, before a question opens; voting stays open at least %(voting_minutes)s."
    ),
    "charter.tabling.any_member": _("Any member may bring a proposal to a vote."),
    "charter.tabling.cosigned": ngettext_lazy(
        "A proposal comes to a vote when %(cosigners)s other member cosigns it.",
        "A proposal comes to a vote when %(cosigners)s other members cosign it.",
        "cosigners",
    ),
    "charter.admission.decision": _("New members are admitted by a decision of the assembly."),
    "charter.admission.sponsorship": ngettext_lazy(
        "A new member is admitted when %(sponsors)s member sponsors them.",
        "A new member is admitted when %(sponsors)s members sponsor them.",
        "sponsors",
    ),
    "charter.key_replacement.decision": _("A lost device's key is replaced by a decision of the assembly."),
    "charter.key_replacement.vouching": ngettext_lazy(
        "A lost device's key is replaced when %(vouchers)s member vouches for the new key.",
        "A lost device's key is replaced when %(vouchers)s members vouch for the new key.",
        "vouchers",
    ),
    "charter.petition": ngettext_lazy(
        "%(signatures)s member may convene a meeting by petition.",
        "%(signatures)s members may convene a meeting by petition.",
        "signatures",
    ),
    "charter.speaking.limit": _("Each speaker has up to %(seconds)s."),
    "charter.speaking.no_limit": _("Speaking time has no limit."),
    "charter.sortition.panels": _(
        "A draw by lot chooses among %(panels)s possible committees, each person's chance as fair as that "
        "number allows."
    ),
    "charter.terms": _(
        "A cargo lasts %(term_days)s; then its holder rests %(rest_terms)s before serving again, and holds "
        "at most %(max_concurrent)s at once."
    ),
    "charter.recall": ngettext_lazy(
        "%(petition)s member may ask to recall a cargo holder; the recall passes with %(num)s of every "
        "%(den)s votes.",
        "%(petition)s members may ask to recall a cargo holder; the recall passes with %(num)s of every "
        "%(den)s votes.",
        "petition",
    ),
    "charter.scaled.sponsors": _(
        "While the assembly is small it needs fewer sponsors: %(num)s of every %(den)s members, rounded up."
    ),
    "charter.scaled.vouchers": _(
        "While the assembly is small it needs fewer vouchers for a new key: %(num)s of every %(den)s of the "
        "other members, rounded up."
    ),
    "charter.scaled.petition": _(
        "While the assembly is small fewer signatures convene a meeting: %(num)s of every %(den)s members, "
        "rounded up."
    ),
    "charter.scaled.recall": _(
        "While the assembly is small fewer signatures ask for a recall: %(num)s of every %(den)s members, "
        "rounded up."
    ),
    "charter.scaled.cosigners": _(
        "While the assembly is small fewer cosigners bring a proposal to a vote: %(num)s of every %(den)s of "
        "the other members, rounded up."
    ),
    "charter.recall.voting": _(
        "A recall stays open to vote for %(voting_minutes)s; the person recalled does not vote on it."
    ),
    "charter.cargos.household_limit": ngettext_lazy(
        "A household holds at most %(max_per_household)s cargo at once.",
        "A household holds at most %(max_per_household)s cargos at once.",
        "max_per_household",
    ),
    "charter.cargos.consecutive.forbidden": _("No household serves the same cargo two terms in a row."),
    "charter.cargos.consecutive.allowed": _("A household may serve the same cargo two terms in a row."),
    "charter.cargos.nobody_eligible.relax_then_ask": _(
        "When nobody can take a turn, the rest period is shortened first, then the assembly decides."
    ),
    "charter.cargos.nobody_eligible.ask": _("When nobody can take a turn, the assembly decides who serves."),
    "charter.cargos.report": _(
        "A delegate reports back within %(report_days)s of each session of another body."
    ),
    "charter.concentration.none": _(
        "The charter sets no limits on concentration: the measures are shown without alerts."
    ),
    "charter.concentration.max_gini": _(
        "An alert is raised when the Gini coefficient of cargos, proposals, speaking turns or mandates is "
        "above %(num)s/%(den)s."
    ),
    "charter.concentration.max_top_decile_share": _(
        "An alert is raised when the most active tenth holds more than %(num)s of every %(den)s cargos, "
        "proposals, speaking turns or mandates."
    ),
    "charter.concentration.max_single_share": _(
        "An alert is raised when one person or household holds more than %(num)s of every %(den)s cargos, "
        "proposals, speaking turns or mandates."
    ),
    "charter.concentration.min_breadth": _(
        "An alert is raised when fewer than %(num)s of every %(den)s members or households take part."
    ),
}

# Words that fill the charter sentences' parameters.
CHARTER_WORDS: dict[str, Promise] = {
    "members": _("members"),
    "households": _("households"),
    "cast": _("votes cast"),
    "yes_no": _("yes and no votes"),
    "eligible": _("members who may vote"),
    "more_than": _("more than"),
    "at_least": _("at least"),
    "ordinary": _("Ordinary matters"),
    "choice": _("Choices among options"),
    "admission": _("Admissions"),
    "charter_amendment": _("Charter amendments"),
    "suspension": _("Suspensions"),
    "reinstatement": _("Reinstatements"),
    "key_replacement": _("Key replacements"),
    "cargo_assignment": _("Cargo assignments"),
    "recall": _("Recalls"),
    "amendment": _("Amendments to proposals"),
    "cargo_creation": _("Creating cargos"),
    "exemption": _("Exemptions from turns"),
    "mandate": _("Mandates to delegates"),
    "erasure": _("Erasing words by decision"),
    "resolution": _("A federation's resolutions"),
    "ratification": _("Ratifying a federation's resolutions"),
}


# --- concentration alerts (core/concentration/measures.py) -------------------------------------------------
CONCENTRATION_ALERTS: dict[str, Promise] = {
    "gini_above_threshold": _(
        "Concentration of %(kind)s per %(unit)s: the Gini coefficient is %(value)s%%, above the "
        "charter's %(threshold)s%%."
    ),
    "top_decile_share_above_threshold": _(
        "Concentration of %(kind)s per %(unit)s: the most active tenth holds %(value)s%%, above the "
        "charter's %(threshold)s%%."
    ),
    "single_share_above_threshold": _(
        "Concentration of %(kind)s per %(unit)s: one alone holds %(value)s%%, above the charter's "
        "%(threshold)s%%."
    ),
    "breadth_below_threshold": _(
        "Concentration of %(kind)s per %(unit)s: only %(value)s%% took part, below the charter's "
        "%(threshold)s%%."
    ),
}
CONCENTRATION_WORDS: dict[str, Promise] = {
    "role_term": _("cargo terms"),
    "proposal_tabled": _("proposals"),
    "speaking_turn": _("speaking turns"),
    "mandate_carried": _("mandates carried"),
    "person": _("person"),
    "household": _("household"),
}


def concentration_alert_sentence(alert: Mapping[str, Any]) -> str:
    """One concentration alert (`Alert.as_json()`) as a sentence in the active language, in percent."""
    message = CONCENTRATION_ALERTS.get(alert["code"])
    if message is None:
        return str(UNKNOWN) % {"code": alert["code"]}
    words = {
        "kind": str(CONCENTRATION_WORDS.get(alert["kind"], alert["kind"])),
        "unit": str(CONCENTRATION_WORDS.get(alert["unit"], alert["unit"])),
        # per mille to whole percent, for reading only (the exact value is in the alert)
        "value": (alert["value"]["per_mille"] + 5) // 10,
        "threshold": (alert["threshold"]["per_mille"] + 5) // 10,
    }
    return str(message) % words


def charter_sentence(message_id: str, params: Mapping[str, int | str]) -> str:
    """One plain-language charter sentence in the active language."""
    words: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str) and value in CHARTER_WORDS:
            words[name] = str(CHARTER_WORDS[value])
        elif isinstance(value, int) and name in PHRASES:
            words[name] = PHRASES[name](value)
        else:
            words[name] = value
    message = CHARTER_TEXT.get(message_id)
    if message is None:
        return message_id
    try:
        # a sentence that agrees with a count picks its form from that parameter (ngettext_lazy)
        return str(message % _Detail(words))
    except TypeError:  # the count it agrees with is missing or not a number: the id, as for an unknown one
        return message_id


def rules_checked_sentence(replayed: int, size: int) -> str:
    """How far a replica replayed the assembly's rules: "rules checked for N of M entries"."""
    return ngettext(
        "rules checked for %(replayed)s of %(size)s entry",
        "rules checked for %(replayed)s of %(size)s entries",
        size,
    ) % {"replayed": count_number(replayed), "size": count_number(size)}


# --- messages that could not be delivered (notify/channels.py FAILURES) -----------------------------------
# What a member reads about one of their dead letters: what happened and what they can do. The technical
# text (the server's answer) stays in the node's log and outbox, for its operators.
DELIVERY_FAILURES: dict[str, Promise] = {
    "address_refused": _(
        "Your e-mail provider says this address does not receive mail. Check the address above, "
        "correct it and save."
    ),
    "mail_deferred": _(
        "Your e-mail provider asked us to try again later, every time we tried. If it goes on, check "
        "that your mailbox is not full."
    ),
    "mail_unreachable": _(
        "This node could not reach its mail server; the people who run the node can see why in its "
        "log. Nothing is wrong with your address."
    ),
    "push_refused": _(
        "The push service of your device refused this notification. Remove the device below and "
        "turn notifications on again from it."
    ),
    "push_deferred": _(
        "The push service of your device asked us to try again later, every time we tried. New "
        "notifications will be tried again."
    ),
    "push_unreachable": _(
        "This node could not reach the push service of your device; the people who run the node can "
        "see why in its log."
    ),
    "devices_expired": _(
        "Your devices no longer receive notifications from this node (the browser ended their "
        "subscription). Turn notifications on again from each device."
    ),
    "unknown": _("The message could not be sent; the people who run the node can see why in its log."),
}
CHANNEL_NAMES: dict[str, Promise] = {
    "email": _("by e-mail"),
    "push": _("as a notification on your devices"),
}


# --- what a message was about (core/assembly/reminders.py KINDS) ------------------------------------------
# A member's outbox names each message by the kind of reminder it told of; a reminder's id starts with its
# kind, written with hyphens ("recall-petitioned:12"). Every kind the core derives has words here
# (tests/notify/test_every_kind_in_words.py fails for one without).
REMINDER_KINDS: dict[str, Promise] = {
    "question_opened": _("A vote is open"),
    "question_closing": _("Voting closes soon"),
    "meeting_convened": _("Meeting convened"),
    "meeting_starting": _("The meeting starts soon"),
    "turn_coming": _("Your household's turn is coming"),
    "term_ending": _("Your term ends soon"),
    "report_overdue": _("A report is overdue"),
    "swap_offered": _("A swap of turns is offered"),
    "mandate_requested": _("A mandate is requested"),
    "recall_petitioned": _("A petition to recall a cargo holder"),
    "recall_vote": _("A vote to recall a cargo holder is open"),
    "ratification_due": _("A resolution awaits ratification"),
    "ratification_closing": _("The time to ratify ends soon"),
    "vote_flagged": _("Alert on a delegate's vote"),
}


def reminder_kind_words(reminder: str) -> str:
    """What a message of the outbox was about, from its reminder's id, in the active language; a kind this
    version does not know (a row written by a newer one) reads as a message of the assembly, never as
    its id."""
    kind = reminder.split(":", 1)[0].replace("-", "_")
    words = REMINDER_KINDS.get(kind)
    return str(words) if words is not None else gettext("A message from the assembly")


def delivery_failure(code: str) -> str:
    """What a member is told about a message that could not be delivered, in the active language."""
    return str(DELIVERY_FAILURES.get(code) or DELIVERY_FAILURES["unknown"])


def channel_name(channel: str) -> str:
    """How a channel is named to a member ("by e-mail"), in the active language."""
    return str(CHANNEL_NAMES.get(channel, channel))
