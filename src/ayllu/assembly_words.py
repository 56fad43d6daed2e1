"""Words for the codes the assembly pages show: methods, results, reasons, tallies, statuses, matters.

The core names these with stable codes and never writes prose; pages look the words up here, in the
active language. An unknown code shows as itself rather than failing (a newer record on an older node).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ayllu import words

METHODS: dict[str, Promise] = {
    "consent": _("consent"),
    "consensus": _("consensus"),
    "majority": _("majority vote"),
    "approval": _("approval vote"),
    "ranked": _("ranked choice"),
}

RESULTS: dict[str, Promise] = {
    "passed": _("Adopted"),
    "rejected": _("Rejected"),
    "elected": _("Decided"),
    "no_quorum": _("No quorum: back to discussion"),
    "blocked": _("Blocked: back to discussion"),
    "undecided": _("Not decided yet"),  # the reasons below say why: an objection, a block, no support
}

REASONS: dict[str, Promise] = {
    "quorum_not_met": _("Not enough members took part for the decision to count."),
    "threshold_met": _("The yes votes reached the share the charter requires."),
    "threshold_not_met": _("The yes votes did not reach the share the charter requires."),
    "exactly_at_threshold": _("The yes votes were exactly at the required share."),
    "nothing_counted": _("No vote counted towards the result."),
    "no_objection_stands": _(
        "No objection stands: every objection was answered and withdrawn, or none was raised."
    ),
    "objection_stands": _("An objection still stands."),
    "next_round_required": _(
        "Another round is needed: amend the proposal to meet the objection or the block."
    ),
    "fallback_required": _("The rounds ran out: the next round is a vote by the fallback majority."),
    "block_threshold_reached": _("Enough members blocked to stop the proposal."),
    "blocks_below_threshold": _("Some members blocked, but fewer than the charter needs to stop it."),
    "no_block": _("Nobody blocked."),
    "stand_asides_recorded": _("Some members stood aside; their position is recorded."),
    "condorcet_winner": _("One option beats every other one head to head."),
    "no_condorcet_winner": _("No option beats every other one head to head."),
    "condorcet_cycle_resolved": _("The options beat each other in a circle; the strongest paths decided."),
    "tie_broken_by_rule": _("A tie was broken by the documented rule, drawn from the record."),
    "no_support": _("No option had any support."),
    "seats_unfilled": _("Not every place could be filled."),
    "fallback_from_consent": _("This was the fallback vote after the consent rounds."),
    "fallback_from_consensus": _("This was the fallback vote after the consensus rounds."),
}

TALLIES: dict[str, Promise] = {
    "yes": _("in favour"),
    "no": _("against"),
    "abstain": _("abstentions"),
    "consent": _("consent"),
    "objection": _("objections"),
    "resolved": _("objections resolved"),
    "withdrawn": _("objections withdrawn"),
    "standing": _("objections standing"),
    "agree": _("agree"),
    "stand_aside": _("stand aside"),
    "block": _("block"),
}

STATUSES: dict[str, Promise] = {
    "deliberation": _("in discussion"),
    "voting": _("being decided"),
    "adopted": _("adopted"),
    "rejected": _("rejected"),
    "decided": _("decided"),
    "withdrawn": _("withdrawn"),
    "lapsed": _("lapsed"),
    "proposed": _("waiting for the author"),
    "accepted": _("accepted"),
    "collecting": _("collecting signatures"),
}

MATTERS: dict[str, Promise] = {
    "ordinary": _("ordinary matter"),
    "choice": _("choice among options"),
    "admission": _("admission"),
    "charter_amendment": _("charter amendment"),
    "suspension": _("suspension"),
    "reinstatement": _("reinstatement"),
    "key_replacement": _("key replacement"),
    "cargo_assignment": _("cargo assignment"),
    "recall": _("recall"),
    "amendment": _("amendment to a proposal"),
    "cargo_creation": _("new cargo"),
    "exemption": _("exemption"),
    "mandate": _("mandate"),
    "erasure": _("erasure of words"),
    "resolution": _("federation resolution"),
    "ratification": _("ratification of a federation's resolution"),
}

AGENDA_KINDS: dict[str, Promise] = {
    "proposal": _("proposal"),
    "report": _("delegates' report"),
    "discussion": _("open discussion"),
}

# The cargos' words are shared with the messages members are sent (ayllu.words).
CARGOS = words.CARGOS

# The same words the charter's sentences use (ayllu.messages.CHARTER_WORDS).
BASES: dict[str, Promise] = {
    "cast": _("votes cast"),
    "yes_no": _("yes and no votes"),
    "eligible": _("members who may vote"),
}

COMPARISONS: dict[str, Promise] = {
    ">": _("more than"),
    ">=": _("at least"),
    "more_than": _("more than"),
    "at_least": _("at least"),
}

# The heading of each matter's own form (views_matters.py).
MATTER_FORMS: dict[str, Promise] = {
    "admission": _("Propose admitting an applicant"),
    "charter_amendment": _("Propose amending the charter"),
    "suspension": _("Propose suspending a member"),
    "reinstatement": _("Propose reinstating a member"),
    "key_replacement": _("Propose replacing a lost key"),
    "cargo_creation": _("Propose a new cargo"),
    "cargo_assignment": _("Propose who holds a cargo"),
    "erasure": _("Propose erasing the words of an entry"),
    "resolution": _("Propose a resolution for the member assemblies to ratify"),
    "ratification": _("Propose ratifying a federation's resolution"),
}

# Each matter's word in a URL (…/proposals/new/<slug>/), so a Spanish page links to a Spanish address.
# Every matter has one, also those without a form yet: a form added later gets a translated address.
MATTER_SLUGS: dict[str, Promise] = {
    "ordinary": pgettext_lazy("URL", "ordinary"),
    "choice": pgettext_lazy("URL", "choice"),
    "admission": pgettext_lazy("URL", "admission"),
    "charter_amendment": pgettext_lazy("URL", "charter-amendment"),
    "suspension": pgettext_lazy("URL", "suspension"),
    "reinstatement": pgettext_lazy("URL", "reinstatement"),
    "key_replacement": pgettext_lazy("URL", "key-replacement"),
    "cargo_assignment": pgettext_lazy("URL", "cargo-assignment"),
    "recall": pgettext_lazy("URL", "recall"),
    "amendment": pgettext_lazy("URL", "amendment"),
    "cargo_creation": pgettext_lazy("URL", "new-cargo"),
    "exemption": pgettext_lazy("URL", "exemption"),
    "mandate": pgettext_lazy("URL", "mandate"),
    "erasure": pgettext_lazy("URL", "erasure"),
    "resolution": pgettext_lazy("URL", "resolution"),
    "ratification": pgettext_lazy("URL", "ratification"),
}

# The charter's routes, as the editor names them.
ROUTES: dict[str, Promise] = {
    "tabling": _("Who may bring a proposal to a vote"),
    "admission": _("How new members join"),
    "key_replacement": _("How a lost device's key is replaced"),
}

# The answers on a ballot, as its buttons say them.
BALLOT: dict[str, Promise] = {
    "yes": _("In favour"),
    "no": _("Against"),
    "abstain": _("I abstain"),
    "agree": _("I agree"),
    "stand_aside": _("I stand aside"),
}

# A mandate's position on a federation's question, in words: the value stored is the ballot code the
# federation's vote reads (questions.py `fitting_choice`), never these words. A position on another kind
# of body is the assembly's own words, shown as written.
MANDATE_POSITIONS: dict[str, Promise] = {
    "yes": _("In favour"),
    "no": _("Against"),
    "abstain": _("Abstain"),
    "consent": _("Consent"),
    "agree": _("Agree"),
    "stand_aside": _("Stand aside"),
    # a federation's recall vote (core/federations/recall_vote.py): confirm or lift a suspension
    "confirm": _("Confirm the suspension"),
    "lift": _("Lift the suspension"),
}

# What each kind of entry in the record is, in words (the record page's list of entries).
ACT_TYPES: dict[str, Promise] = {
    "assembly.founded": _("The assembly was founded"),
    "record.moved": _("The record moved to another node"),
    "member.applied": _("Asked to join"),
    "member.sponsored": _("Sponsored an applicant"),
    "member.left": _("Left the assembly"),
    "member.key_rotated": _("Changed their key"),
    "member.key_claimed": _("Claimed a member's place with a new key"),
    "member.key_vouched": _("Vouched for a new key"),
    "household.registered": _("Moved to a household of their own"),
    "member.named": _("Chose the name they are called by"),
    "notice.posted": _("Posted a notice"),
    "words.erased": _("Erased their words"),
    "record.cited": _("Cited entries of other records"),
    "delegate.accredited": _("Issued their credential as a delegate to a federation"),
    "federation.seated": _("Took a seat as an assembly's delegate"),
    "office.accredited": _("Issued their credential for a federation's office"),
    "federation.office_taken": _("Cited the credential of an office's holder"),
    "petition.backed": _("Stated the assembly's decision to back a federation petition"),
    "federation.petition_cited": _("Cited an assembly's decision to back a petition"),
    "membership.decided": _("Stated the assembly's decision to join or leave a federation"),
    "federation.membership_cited": _("Cited an assembly's decision to join or leave the federation"),
    "federation.plenary_present": _("Signed their assembly present at a plenary"),
    "federation.plenary_opened": _("Opened a plenary, or postponed it for want of quorum"),
    "federation.plenary_chaired": _("Took the chair of a plenary"),
    "federation.recall_voted": _("Cast their assembly's voice on confirming or lifting a suspension"),
    "federation.recall_closed": _("Closed a recall vote on a suspended office holder"),
    "ratification.recorded": _("Recorded the assembly's decision on ratifying a federation's resolution"),
    "federation.ratified": _("Cited an assembly's decision on ratifying a resolution"),
    "announcement.published": _("Published an announcement"),
    "meeting.convened": _("Convened a meeting"),
    "meeting.petitioned": _("Asked for a meeting"),
    "meeting.closed": _("Closed a meeting"),
    "presence.signed": _("Signed in as present"),
    "presence.ended": _("Left the meeting"),
    "agenda.item_added": _("Added to the agenda"),
    "speaker.queued": _("Asked for the floor"),
    "speaker.called": _("Gave the floor"),
    "point_of_order.raised": _("Raised a point of order"),
    "point_of_order.ruled": _("Ruled on a point of order"),
    "minutes.note_added": _("Added a note to the minutes"),
    "proposal.tabled": _("Tabled a proposal"),
    "proposal.cosigned": _("Cosigned a proposal"),
    "proposal.amended": _("Suggested an amendment"),
    "amendment.accepted": _("Accepted an amendment"),
    "proposal.withdrawn": _("Withdrew a proposal"),
    "comment.posted": _("Commented on a proposal"),
    "objection.raised": _("Raised an objection"),
    "objection.answered": _("Answered an objection"),
    "objection.withdrawn": _("Withdrew an objection"),
    "question.opened": _("Opened a question"),
    "vote.cast": _("Answered a question"),
    "question.closed": _("Closed a question"),
    "cargo.turn_taken": _("Took a turn in a cargo"),
    "cargo.swap_proposed": _("Offered a swap of turns"),
    "cargo.swap_accepted": _("Accepted a swap of turns"),
    "mandate.requested": _("Asked for a mandate"),
    "delegate.voted": _("Reported their vote as a delegate"),
    "delegate.vote_reported": _("Reported a delegate's vote"),
    "delegate.session_held": _("Reported a session as a delegate"),
    "delegate.report_filed": _("Filed a delegate's report"),
    "recall.petitioned": _("Asked to recall a cargo holder"),
    "recall.signed": _("Signed a recall petition"),
    "draw.prepared": _("Prepared a draw by lot"),
    "draw.committed": _("Took part in a draw by lot"),
    "draw.revealed": _("Revealed their part of a draw"),
    "draw.completed": _("Completed a draw by lot"),
    "delegate.mandated": _("Stated the assembly's mandate on a federation's question"),
    "federation.voted": _("Cast an assembly's voice as its delegate"),
    "delegate.withdrawn": _("Stated that a recall ended a delegate's standing in a federation"),
    "federation.recall_cited": _("Cited an assembly's recall of its delegate"),
}

# How a federation's charter weighs ratification, and where a resolution stands (docs/federation-bodies.md).
RATIFICATION_RULES: dict[str, Promise] = {
    "assemblies": _("Ratified by a share of the member assemblies: one assembly, one vote."),
    "households_capped": _(
        "Ratified by a share of the households, as each assembly's record counts them, with a cap per "
        "assembly."
    ),
    "double_majority": _(
        "Ratified by a share of the member assemblies holding a share of the households that answer, unless "
        "too few assemblies refuse to block it."
    ),
}
RATIFICATION_OUTCOMES: dict[str, Promise] = {
    "pending": _("waiting for ratification"),
    "ratified": _("ratified"),
    "rejected": _("refused"),
    "expired": _("expired without ratification"),
}

TABLES = {
    "ballot": BALLOT,
    "position": MANDATE_POSITIONS,
    "base": BASES,
    "comparison": COMPARISONS,
    "method": METHODS,
    "result": RESULTS,
    "reason": REASONS,
    "tally": TALLIES,
    "status": STATUSES,
    "matter": MATTERS,
    "agenda": AGENDA_KINDS,
    "cargo": CARGOS,
    "matter_form": MATTER_FORMS,
    "route": ROUTES,
    "act": ACT_TYPES,
    "ratification_rule": RATIFICATION_RULES,
    "ratification_outcome": RATIFICATION_OUTCOMES,
}


def word(table: str, code: str) -> str:
    """The word for `code` in one of the tables above, in the active language; the code if unknown (a
    cargo an assembly created: its code read as words)."""
    return words.table_word(TABLES, table, code)
