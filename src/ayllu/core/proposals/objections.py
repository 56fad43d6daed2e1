"""Objections to a proposal: raised with a reason, answered by another member, withdrawn by the objector.

Acts (body fields in braces):
- objection.raised {proposal, reason}: belongs to the round under way (or the next one); one per
  member per round. In a consent round it is the member's position, like a ballot.
- objection.answered {proposal, objection, answer}: any other member, once.
- objection.withdrawn {proposal, objection}: the objector (after an answer it counts as resolved).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import INT_ID, TEXT, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadySigned,
    AlreadyVoted,
    NotObjector,
    ProposalNotOpen,
    UnknownObjection,
)
from ayllu.core.assembly.state import AssemblyState, Objection, Proposal
from ayllu.core.proposals.tabling import PROPOSAL_HELP, find_proposal

OBJECTION_HELP = "the objection's id"


def current_round(state: AssemblyState, proposal: Proposal) -> int:
    """The round objections now belong to: the open question's, or the next one's."""
    if proposal.status == "voting":
        return state.questions[proposal.questions[-1]].round
    return len(proposal.past_rounds) + 1


@act_kind
class ObjectionRaised(Act):
    type = "objection.raised"
    name = "object"
    summary = "Raise an objection with a reason"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    reason: str = act_field(TEXT)


@dataclass(frozen=True, slots=True)
class ObjectionLodged(Event):
    proposal: int
    id: int
    member: str
    reason: str
    round: int


@rule(ObjectionRaised)
def decide_objection(state: AssemblyState, act: ObjectionRaised, ctx: Context) -> list[Event]:
    seq, author = ctx.seq, ctx.author
    proposal = find_proposal(state, act.proposal, seq=seq, open_only=False)
    if proposal.status not in ("deliberation", "voting"):
        raise ProposalNotOpen(seq=seq, proposal=proposal.id, status=proposal.status)
    round_number = current_round(state, proposal)
    if any(o.member == author and o.round == round_number for o in proposal.objections.values()):
        raise AlreadySigned(seq=seq, member=author, proposal=proposal.id, round=round_number)
    if proposal.status == "voting":
        # In a consent round an objection is the member's position in that round, like a vote.
        question = state.questions[proposal.questions[-1]]
        if question.spec.method == "consent" and author in question.votes:
            raise AlreadyVoted(seq=seq, member=author, question=question.id)
    return [
        ObjectionLodged(proposal=proposal.id, id=seq, member=author, reason=act.reason, round=round_number)
    ]


@applies(ObjectionLodged)
def apply_objection(state: AssemblyState, event: ObjectionLodged) -> None:
    objection = Objection(id=event.id, member=event.member, reason=event.reason, round=event.round)
    state.proposals[event.proposal].objections[event.id] = objection


def _objection(proposal: Proposal, objection_id: int, seq: int) -> Objection:
    objection = proposal.objections.get(objection_id)
    if objection is None or objection.withdrawn:
        raise UnknownObjection(seq=seq, objection=objection_id)
    return objection


@act_kind
class ObjectionAnswered(Act):
    type = "objection.answered"
    name = "answer-objection"
    summary = "Answer an objection"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    objection: int = act_field(INT_ID, help=OBJECTION_HELP)
    answer: str = act_field(TEXT)


@dataclass(frozen=True, slots=True)
class ObjectionReplied(Event):
    proposal: int
    objection: int
    answer: str
    seq: int


@rule(ObjectionAnswered)
def decide_answer(state: AssemblyState, act: ObjectionAnswered, ctx: Context) -> list[Event]:
    proposal = find_proposal(state, act.proposal, seq=ctx.seq, open_only=False)
    objection = _objection(proposal, act.objection, ctx.seq)
    if ctx.author == objection.member or objection.answer:
        raise UnknownObjection(seq=ctx.seq, objection=objection.id, reason="own_or_answered")
    return [ObjectionReplied(proposal=proposal.id, objection=objection.id, answer=act.answer, seq=ctx.seq)]


@applies(ObjectionReplied)
def apply_answer(state: AssemblyState, event: ObjectionReplied) -> None:
    objection = state.proposals[event.proposal].objections[event.objection]
    objection.answer, objection.answer_seq = event.answer, event.seq


@act_kind
class ObjectionWithdrawn(Act):
    type = "objection.withdrawn"
    name = "withdraw-objection"
    summary = "Withdraw one's objection"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    objection: int = act_field(INT_ID, help=OBJECTION_HELP)


@dataclass(frozen=True, slots=True)
class ObjectionDropped(Event):
    proposal: int
    objection: int


@rule(ObjectionWithdrawn)
def decide_objection_withdrawn(state: AssemblyState, act: ObjectionWithdrawn, ctx: Context) -> list[Event]:
    proposal = find_proposal(state, act.proposal, seq=ctx.seq, open_only=False)
    objection = _objection(proposal, act.objection, ctx.seq)
    if ctx.author != objection.member:
        raise NotObjector(seq=ctx.seq, member=ctx.author, objection=objection.id)
    return [ObjectionDropped(proposal=proposal.id, objection=objection.id)]


@applies(ObjectionDropped)
def apply_objection_withdrawn(state: AssemblyState, event: ObjectionDropped) -> None:
    state.proposals[event.proposal].objections[event.objection].withdrawn = True
