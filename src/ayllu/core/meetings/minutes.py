"""The words of the minutes and of every read of a proposal: whose act said a proposal's title and
text, and which acts are behind a question's ballots (an outcome's counts, `queries.outcomes`).

The minutes themselves are a typed read (`queries.assembly.minutes_read`), generated from the replayed
state, never typed by one person. Every word is a `Said` naming the acts it comes from: a reader sees it
through `words.shown_to`.
"""

from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.assembly.words import Said, said


def proposal_title(proposal: Proposal) -> Said:
    """A proposal's title, said by the act that wrote it (its tabling, or the amendment it accepted)."""
    return said(proposal.title, proposal.words_seq or proposal.id)


def proposal_text(proposal: Proposal) -> Said:
    return said(proposal.text, proposal.words_seq or proposal.id)


def ballot_seqs(state: AssemblyState, question: Question) -> tuple[int, ...]:
    """The seqs of a question's ballots and of its proposal (a choice may name the proposal's options)."""
    return (question.proposal, *question.ballot_seqs.values())
