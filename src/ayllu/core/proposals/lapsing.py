"""Lapsing: when a meeting closes, its open questions lapse without outcome and its undecided proposals lapse.

`meeting_lapses` says what lapses (pure); the meeting's closing rule returns these events before its own.
"""

from dataclasses import dataclass

from ayllu.core.assembly.events import Event, applies
from ayllu.core.assembly.state import AssemblyState

# A proposal in these states is undecided: it lapses with the meeting it belongs to.
UNDECIDED = ("deliberation", "voting")


@dataclass(frozen=True, slots=True)
class QuestionLapsed(Event):
    question: int
    seq: int


@dataclass(frozen=True, slots=True)
class ProposalLapsed(Event):
    proposal: int
    seq: int


def meeting_lapses(state: AssemblyState, meeting_id: int, *, seq: int) -> list[Event]:
    """What lapses when meeting `meeting_id` closes at entry `seq`; the state is not changed."""
    meeting = state.meetings[meeting_id]
    questions = [q for q in meeting.questions if not state.questions[q].closed_seq]
    proposals = [p for p in meeting.proposals if state.proposals[p].status in UNDECIDED]
    return [
        *(QuestionLapsed(question=q, seq=seq) for q in questions),
        *(ProposalLapsed(proposal=p, seq=seq) for p in proposals),
    ]


@applies(QuestionLapsed)
def apply_question_lapsed(state: AssemblyState, event: QuestionLapsed) -> None:
    state.questions[event.question].closed_seq = event.seq


@applies(ProposalLapsed)
def apply_proposal_lapsed(state: AssemblyState, event: ProposalLapsed) -> None:
    proposal = state.proposals[event.proposal]
    proposal.status, proposal.decided_seq = "lapsed", event.seq
