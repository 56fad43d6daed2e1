"""Words for the codes the assembly pages show: methods, results, reasons, tallies, statuses, matters.

The core names these with stable codes and never writes prose; pages look the words up here, in the
active language. An unknown code shows as itself rather than failing (a newer record on an older node).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    "undecided": _("Not decided yet: an objection stands"),
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
    "next_round_required": _("Another round is needed: amend the proposal to meet the objection."),
    "fallback_required": _("The consent rounds ran out: the next round is a vote by the fallback majority."),
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
}

AGENDA_KINDS: dict[str, Promise] = {
    "proposal": _("proposal"),
    "report": _("delegates' report"),
    "discussion": _("open discussion"),
}

CARGOS: dict[str, Promise] = {
    "convenor": _("convenor"),
    "minute_keeper": _("minute-keeper"),
}

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
    "cargo_assignment": _("Propose who holds a cargo"),
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

TABLES = {
    "ballot": BALLOT,
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
}


def word(table: str, code: str) -> str:
    """The word for `code` in one of the tables above, in the active language; the code if unknown."""
    found = TABLES[table].get(code)
    return code if found is None else str(found)
