"""Words for people, shared by pages, the API and the CLI: error codes and the charter in plain language.

The core and storage raise errors with a stable `code` and a `detail` dict and never write prose
(STYLE.md); here each code gets a translated sentence, looked up in the active language. Sentences may
name values from `detail` with `%(name)s`; a value the detail lacks shows as "?" rather than failing.
The charter's plain-language message ids (core/charter/plain.py) get their sentences here too, so a page,
an API answer and the CLI read a charter the same way.
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
    "not_json.too_many_digits": _("The data holds a number with more digits than any record allows."),
    # requests
    "bad_request": _("The request is not what this address expects."),
    "no_checkpoint": _("This node holds no signed checkpoint of that record of that size."),
    "invalid_evidence": _("The evidence does not prove what it claims: it was not kept."),
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
    # cargos, mandates, recall and draws (core/cargos/errors.py, docs/cargos.md)
    "unknown_power": _("A cargo may only carry powers from the list; %(power)s is not one."),
    "forbidden_power": _(
        "No cargo may carry %(power)s: only the assembly changes the record, the charter or membership."
    ),
    "cargo_exists": _("A cargo called %(cargo)s already exists."),
    "unknown_cargo_name": _("There is no cargo called %(cargo)s filled by turn."),
    "lacks_power": _("This member holds no cargo with the power to do this now."),
    "not_households_turn": _(
        "Only another member of the household now serving this cargo may take its seat."
    ),
    "may_not_serve": _(
        "This member may not serve now: exempt, or already holding as many cargos as the charter allows."
    ),
    "unknown_swap": _("There is no such open offer to swap turns."),
    "not_swap_partner": _(
        "Only a member of the other household may accept this swap; a household cannot swap with itself."
    ),
    "invalid_exemption": _("An exemption must name one known household or one member."),
    "not_delegate": _("This member does not represent the assembly in %(body)s now."),
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
    "sortition_quotas_infeasible": _("No panel of this size meets the quotas (%(category)s: %(feature)s)."),
    "sortition_quotas_infeasible.conflict": _(
        "No panel of %(panel_size)s people meets these quotas together: %(quotas)s. Loosening any one of "
        "them makes room."
    ),
    "sortition_solver_failed": _("The solver could not compute the fair chances; nothing was recorded."),
    "sortition_bad_lottery": _("The draw's list of panels is not valid."),
    "sortition_lottery_hash_mismatch": _("The list of panels differs from the one recorded before the draw."),
    "sortition_bad_reveal": _("A revealed secret does not match its commitment."),
    "sortition_bad_evidence": _("The draw's evidence is incomplete or inconsistent."),
    "invalid_activity": _("An activity counted for the concentration measures is not valid."),
    # storage
    "storage_error": _("The node could not read or write its database."),
    "storage_full": _("The node's disk is full: nothing was written."),
    "storage_read_only": _("The node's database is read-only: nothing was written."),
    "storage_busy": _("The node is busy: please try again in a moment."),
    "record_not_found": _("There is no such record on this node."),
    "record_exists": _("That record already exists on this node."),
    "key_file_error": _("The node's key file is missing or not protected."),
    # the API and the CLI
    "invalid_request": _("The request lacks a field or has one of the wrong kind."),
    "not_found": _("There is no such thing here."),
    "request_too_large": _("The request is larger than this node accepts."),
    "unknown_act_kind": _("There is no such kind of act."),
    "method_not_allowed": _("That cannot be done at this address."),
    # anonymous writes, counted per client address
    "writes_rate_limited": _(
        "Too many requests of this kind came from your address. Try again later: the count starts again "
        "every %(seconds)s seconds."
    ),
    # requests refused by `ayllu serve` before the app reads them
    "request_timeout": _("The request's content did not arrive within %(seconds)s seconds."),
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
    return text % _Detail(detail)


# --- the charter in plain language (ids and params: core/charter/plain.py, docs/charter.md) ---------
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
    "charter.method.consensus": _(
        "%(matter)s: decided by consensus; %(blocks)s block(s) with reasons stop it."
    ),
    "charter.method.approval": _(
        "%(matter)s: decided by approval; each member marks every option they accept."
    ),
    "charter.method.ranked": _(
        "%(matter)s: decided by ranked choice; each member orders the options and the Condorcet (Schulze) "
        "winner is chosen."
    ),
    "charter.rounds": _(
        "Consent is tried for %(consent)s round(s) and consensus for %(consensus)s round(s) before the "
        "fallback vote."
    ),
    "charter.fallback": _(
        "The fallback vote passes when the yes votes are %(comparison)s %(num)s of every %(den)s %(base)s."
    ),
    "charter.deliberation": _(
        "A proposal is discussed for at least %(async_minutes)s minutes between meetings, or "
        "%(meeting_minutes)s minutes in a meeting, before a question opens; voting stays open at least "
        "%(voting_minutes)s minutes."
    ),
    "charter.tabling.any_member": _("Any member may bring a proposal to a vote."),
    "charter.tabling.cosigned": _("A proposal comes to a vote when %(cosigners)s other member(s) cosign it."),
    "charter.admission.decision": _("New members are admitted by a decision of the assembly."),
    "charter.admission.sponsorship": _("A new member is admitted when %(sponsors)s member(s) sponsor them."),
    "charter.key_replacement.decision": _("A lost device's key is replaced by a decision of the assembly."),
    "charter.key_replacement.vouching": _(
        "A lost device's key is replaced when %(vouchers)s member(s) vouch for the new key."
    ),
    "charter.petition": _("%(signatures)s member(s) may convene a meeting by petition."),
    "charter.speaking.limit": _("Each speaker has up to %(seconds)s seconds."),
    "charter.speaking.no_limit": _("Speaking time has no limit."),
    "charter.terms": _(
        "A cargo lasts %(term_days)s days; a holder rests %(rest_terms)s term(s) before serving again and "
        "holds at most %(max_concurrent)s cargo(s) at once."
    ),
    "charter.recall": _(
        "%(petition)s member(s) may ask to recall a cargo holder; the recall passes with %(num)s of every "
        "%(den)s votes."
    ),
    "charter.recall.voting": _(
        "A recall stays open to vote for %(voting_minutes)s minutes; the person recalled does not vote on it."
    ),
    "charter.cargos.household_limit": _("A household holds at most %(max_per_household)s cargo(s) at once."),
    "charter.cargos.consecutive.forbidden": _("No household serves the same cargo two terms in a row."),
    "charter.cargos.consecutive.allowed": _("A household may serve the same cargo two terms in a row."),
    "charter.cargos.nobody_eligible.relax_then_ask": _(
        "When nobody can take a turn, the rest period is shortened first, then the assembly decides."
    ),
    "charter.cargos.nobody_eligible.ask": _("When nobody can take a turn, the assembly decides who serves."),
    "charter.cargos.report": _(
        "A delegate reports back within %(report_days)s day(s) of each session of another body."
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
    words = {
        name: str(CHARTER_WORDS[value]) if isinstance(value, str) and value in CHARTER_WORDS else value
        for name, value in params.items()
    }
    message = CHARTER_TEXT.get(message_id)
    return message_id if message is None else str(message) % _Detail(words)
