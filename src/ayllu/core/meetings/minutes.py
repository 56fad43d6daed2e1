"""The words of the minutes and of every read of a proposal: whose act said a proposal's title and
text, and what an outcome shows of the proposal's options and of the ballots.

The minutes themselves are a typed read (`queries.assembly.minutes_read`), generated from the replayed
state, never typed by one person. Every word is a `Said` naming the acts it comes from: a reader sees it
through `words.shown_to`.
"""

from typing import Any

from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.assembly.words import Said, said

# What an outcome says in the proposal's words (its options), and what it takes from the ballots: the
# counts, and who blocked or stood aside in a consensus round.
OUTCOME_WORDS = ("winners", "ranking", "tie_order")
OUTCOME_FROM_BALLOTS = ("tallies", "pairwise", "strongest_paths", "standing", "stood_aside")


def proposal_title(proposal: Proposal) -> Said:
    """A proposal's title, said by the act that wrote it (its tabling, or the amendment it accepted)."""
    return said(proposal.title, proposal.words_seq or proposal.id)


def proposal_text(proposal: Proposal) -> Said:
    return said(proposal.text, proposal.words_seq or proposal.id)


def ballot_seqs(state: AssemblyState, question: Question) -> tuple[int, ...]:
    """The seqs of a question's ballots and of its proposal (a choice may name the proposal's options)."""
    return (question.proposal, *question.ballot_seqs.values())


def describe_outcome(state: AssemblyState, question: Question) -> dict[str, Any] | None:
    """A closed question's outcome: the result is the assembly's; what it shows of the options is the
    proposal's words, and what it counts is the ballots' (one hidden ballot hides the counts)."""
    if question.outcome is None:
        return None
    outcome: dict[str, Any] = dict(question.outcome.as_json())
    for name in OUTCOME_WORDS:
        if name in outcome:
            outcome[name] = said(outcome[name], question.proposal)
    for name in OUTCOME_FROM_BALLOTS:
        if name in outcome:
            outcome[name] = said(outcome[name], *ballot_seqs(state, question))
    return outcome
