"""Questions: opening a round of decision on a proposal, casting open ballots, closing with an outcome.

Acts (body fields in braces):
- question.opened {proposal[, deadline]}: between meetings any member, with a deadline at least the
  charter's voting time away; in a meeting the chair, with quorum present and no deadline. Either way only
  after the charter's minimum deliberation since tabling, and (if tabling is "cosigned") enough cosigners.
  The method is the charter's for the proposal's matter at that moment, or its fallback once consent or
  consensus rounds ran out; eligible voters (active members except the decision's subject) are frozen.
- vote.cast {question, choice[, reason]}: one ballot per eligible member; in a meeting only while present,
  otherwise not after the deadline. Choices: majority yes/no/abstain; consent "consent" (objecting is
  objection.raised); consensus agree/stand_aside/block (block needs a reason); approval a list of
  options; ranked a non-empty list of options, best first.
- question.closed {question}: between meetings any member once the deadline passed (or everyone
  eligible took part); in a meeting the chair, with quorum present. Replay computes the outcome.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import CHOICE, INT_ID, TEXT, TIME, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadyVoted,
    DeadlineTooSoon,
    DeliberationTooShort,
    MayNotTable,
    MeetingClosed,
    NoQuorum,
    NotChair,
    NotEligible,
    NotPresent,
    ObjectionUnanswered,
    QuestionStillOpen,
    UnknownQuestion,
    VoteAfterDeadline,
    WrongMethod,
)
from ayllu.core.assembly.rule_errors import QuestionClosed as QuestionAlreadyClosed
from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.errors import VotedByDelegates
from ayllu.core.federations.standing import member_base, voices
from ayllu.core.meetings.acts import get_quorum
from ayllu.core.proposals.effects import effect_events, subject_of
from ayllu.core.proposals.methods import ConsentRound, Outcome, Quorum
from ayllu.core.proposals.outcomes import (
    compute_outcome,
    consent_round,
    participants,
    participation_quorum,
    round_objections,
)
from ayllu.core.proposals.tabling import find_proposal

MAJORITY_CHOICES = ("yes", "no", "abstain")
CONSENSUS_CHOICES = ("agree", "stand_aside", "block")
QUESTION_HELP = "the question's id"


def find_question(state: AssemblyState, question_id: int, *, seq: int) -> Question:
    """The open question `question_id`."""
    question = state.questions.get(question_id)
    if question is None:
        raise UnknownQuestion(seq=seq, question=question_id)
    if question.closed_seq:
        raise QuestionAlreadyClosed(seq=seq, question=question_id)
    return question


@act_kind
class QuestionOpened(Act):
    type = "question.opened"
    name = "open-question"
    summary = "Open a question on a proposal"

    proposal: int = act_field(INT_ID, help="the proposal's id")
    deadline: int | None = act_field(TIME, default=None, low=1, help="between meetings: ms since the epoch")


@dataclass(frozen=True, slots=True)
class QuestionPut(Event):
    """A round of decision opens on a proposal, with its method and its eligible voters frozen."""

    question: Question


@rule(QuestionOpened)
def decide_question_opened(state: AssemblyState, act: QuestionOpened, ctx: Context) -> list[Event]:
    seq, rules = ctx.seq, state.rules
    proposal = find_proposal(state, act.proposal, seq=seq)
    cosigners = voices(state, proposal.cosigners, now=ctx.time)
    if cosigners < rules.needed("cosigners", members=member_base(state)):
        raise MayNotTable(seq=seq, proposal=proposal.id, cosigners=len(proposal.cosigners))
    if proposal.meeting:
        meeting = state.meetings[proposal.meeting]
        if meeting.closed_seq:
            raise MeetingClosed(seq=seq, meeting=meeting.id)
        if ctx.author != meeting.chair:
            raise NotChair(seq=seq, member=ctx.author, meeting=meeting.id)
        if act.deadline is not None:
            raise MalformedBody(seq=seq, field="deadline", reason="meeting_question")
        quorum = get_quorum(state, meeting, now=ctx.time)
        if not quorum.met:
            raise NoQuorum(seq=seq, meeting=meeting.id, present=quorum.present, base=quorum.base)
        deadline, minimum = 0, rules.meeting_deliberation_ms
    else:
        if act.deadline is None:
            raise MalformedBody(seq=seq, field="deadline")
        deadline, minimum = act.deadline, rules.async_deliberation_ms
        if deadline < ctx.time + rules.min_voting_ms:
            raise DeadlineTooSoon(seq=seq, deadline=deadline, earliest=ctx.time + rules.min_voting_ms)
    if ctx.time < proposal.tabled_time + minimum:
        raise DeliberationTooShort(seq=seq, proposal=proposal.id, earliest=proposal.tabled_time + minimum)
    spec = rules.fallback if proposal.fallback_of is not None else rules.method_for(proposal.matter)
    subject = subject_of(proposal.matter, proposal.effect)
    eligible = {m: r.household for m, r in state.members.items() if not r.suspended and m != subject}
    if rules.federation is not None:
        # A federation's voters are its member assemblies, each a voice its seated delegates cast
        # (core/federations/voting.py): keyed, and "housed", by their log ids.
        eligible = {log: log for log in sorted(state.member_assemblies)}
    question = Question(
        id=seq,
        proposal=proposal.id,
        spec=spec,
        round=len(proposal.past_rounds) + 1,
        meeting=proposal.meeting,
        deadline=deadline,
        opened_time=ctx.time,
        eligible=eligible,
        fallback_of=proposal.fallback_of,
    )
    return [QuestionPut(question)]


@applies(QuestionPut)
def apply_question_opened(state: AssemblyState, event: QuestionPut) -> None:
    question = event.question
    state.questions[question.id] = question
    proposal = state.proposals[question.proposal]
    proposal.status = "voting"
    proposal.questions.append(question.id)
    if question.meeting:
        state.meetings[question.meeting].questions.append(question.id)


@act_kind
class VoteCast(Act):
    type = "vote.cast"
    name = "vote"
    summary = "Vote on a question"

    question: int = act_field(INT_ID, help=QUESTION_HELP)
    choice: Any = act_field(CHOICE)
    # Blank is refused by the rule, which first checks whether the method takes a reason at all.
    reason: str | None = act_field(TEXT, default=None, empty=True)


@dataclass(frozen=True, slots=True)
class BallotCast(Event):
    question: int
    member: str
    choice: Any
    reason: str
    seq: int


def _choice(state: AssemblyState, question: Question, act: VoteCast, seq: int) -> tuple[Any, str]:
    """The ballot and block reason if they fit the question's method; raise WrongMethod otherwise."""
    method = question.method
    choice, reason = act.choice, act.reason
    if reason is not None and not (method == "consensus" and choice == "block"):
        raise WrongMethod(seq=seq, method=method, field="reason")
    if method == "majority" and choice in MAJORITY_CHOICES:
        return choice, ""
    if method == "consent" and choice == "consent":
        return choice, ""
    if method == "consensus" and choice in CONSENSUS_CHOICES:
        if choice != "block":
            return choice, ""
        if reason is None or not reason.strip():
            raise MalformedBody(seq=seq, field="reason")
        return choice, reason
    if method in ("approval", "ranked") and isinstance(choice, list | tuple):
        options = state.proposals[question.proposal].options
        fits = all(isinstance(c, str) and c in options for c in choice) and len(set(choice)) == len(choice)
        if fits and (method == "approval" or choice):
            return tuple(choice), ""
    raise WrongMethod(seq=seq, method=method, choice=str(choice)[:80])


def fitting_choice(state: AssemblyState, question: Question, choice: Any, *, seq: int) -> Any:
    """`choice` as a ballot of the question's method holds it; raise WrongMethod if it does not fit (a
    delegation's ballot in a federation, core/federations/voting.py, which takes no reason)."""
    return _choice(state, question, VoteCast(question=question.id, choice=choice, reason=None), seq)[0]


@rule(VoteCast)
def decide_vote(state: AssemblyState, act: VoteCast, ctx: Context) -> list[Event]:
    seq, author = ctx.seq, ctx.author
    if state.rules.federation is not None:
        raise VotedByDelegates(seq=seq, question=act.question)
    question = find_question(state, act.question, seq=seq)
    if author not in question.eligible:
        raise NotEligible(seq=seq, member=author, question=question.id)
    if question.meeting:
        if author not in state.meetings[question.meeting].present:
            raise NotPresent(seq=seq, member=author, meeting=question.meeting)
    elif ctx.time > question.deadline:
        raise VoteAfterDeadline(seq=seq, question=question.id, deadline=question.deadline, time=ctx.time)
    proposal = state.proposals[question.proposal]
    if author in question.votes or (_in_consent_round(question) and _objected(proposal, question, author)):
        raise AlreadyVoted(seq=seq, member=author, question=question.id)
    choice, reason = _choice(state, question, act, seq)
    return [BallotCast(question=question.id, member=author, choice=choice, reason=reason, seq=seq)]


@applies(BallotCast)
def apply_vote(state: AssemblyState, event: BallotCast) -> None:
    question = state.questions[event.question]
    if event.reason:
        question.block_reasons[event.member] = event.reason
    question.votes[event.member] = event.choice
    question.ballot_seqs[event.member] = event.seq


def _in_consent_round(question: Question) -> bool:
    return question.method == "consent"


def _objected(proposal: Proposal, question: Question, member: str) -> bool:
    """Whether `member` holds an objection in this round as their position: one they withdrew is no
    longer a position, and they may consent."""
    # Objections are few; scanning them keeps a vote O(1) in the number of voters.
    return any(
        o.member == member and o.round == question.round and not o.withdrawn
        for o in proposal.objections.values()
    )


@act_kind
class QuestionClosed(Act):
    type = "question.closed"
    name = "close-question"
    summary = "Close a question"

    question: int = act_field(INT_ID, help=QUESTION_HELP)


@dataclass(frozen=True, slots=True)
class QuestionAnswered(Event):
    """A question closed with the outcome replay computed."""

    question: int
    outcome: Outcome
    seq: int


@dataclass(frozen=True, slots=True)
class ProposalDecided(Event):
    """A closed question settled its proposal: adopted (`effect_applied` when its effect was carried
    out), decided (an election) or rejected."""

    proposal: int
    status: str
    seq: int
    effect_applied: bool


@dataclass(frozen=True, slots=True)
class ProposalReturned(Event):
    """A closed question left its proposal undecided: back to deliberation, with the round it ran (consent
    and consensus) and, when the rounds ran out, the outcome the fallback vote starts from."""

    proposal: int
    past_round: ConsentRound | None
    fallback_of: Outcome | None


@rule(QuestionClosed)
def decide_question_closed(state: AssemblyState, act: QuestionClosed, ctx: Context) -> list[Event]:
    seq = ctx.seq
    question = find_question(state, act.question, seq=seq)
    proposal = state.proposals[question.proposal]
    quorum: Quorum
    if question.meeting:
        meeting = state.meetings[question.meeting]
        if ctx.author != meeting.chair:
            raise NotChair(seq=seq, member=ctx.author, meeting=meeting.id)
        live = get_quorum(state, meeting, now=ctx.time)
        if not live.met:
            raise NoQuorum(seq=seq, meeting=meeting.id, present=live.present, base=live.base)
        quorum = Quorum(share=live.share, present=live.present, base=live.base)
    else:
        everyone = len(participants(proposal, question)) == len(question.eligible)
        if state.rules.federation is not None:
            # A federation's question waits past its deadline for recalls to be cited, and never closes
            # early: a voice cast by a delegate recalled before their vote must still be able to fall
            # (core/federations/recall_cited.py).
            closes = question.deadline + state.rules.federation.recall_grace_ms
            if ctx.time <= closes:
                raise QuestionStillOpen(
                    seq=seq,
                    question=question.id,
                    deadline=question.deadline,
                    closes=closes,
                    reason="recall_grace",
                )
        elif ctx.time <= question.deadline and not everyone:
            raise QuestionStillOpen(seq=seq, question=question.id, deadline=question.deadline)
        quorum = participation_quorum(state, proposal, question)
    if _in_consent_round(question):
        for objection in round_objections(proposal, question):
            if not objection.withdrawn and not objection.answer:
                raise ObjectionUnanswered(seq=seq, objection=objection.id)
    outcome = compute_outcome(state, proposal, question, quorum)
    events: list[Event] = [QuestionAnswered(question=question.id, outcome=outcome, seq=seq)]
    return events + _settle(state, proposal, question, outcome, seq=seq, time=ctx.time)


def _settle(
    state: AssemblyState, proposal: Proposal, question: Question, outcome: Outcome, *, seq: int, time: int
) -> list[Event]:
    """What a closed question does to its proposal: adopted, rejected, decided, or back to deliberation."""
    result = outcome.result
    if result == "passed":
        effects = effect_events(state, proposal, seq=seq, time=time)
        applied = effects is not None
        adopted = ProposalDecided(proposal=proposal.id, status="adopted", seq=seq, effect_applied=applied)
        return [adopted, *(effects or [])]
    if result in ("elected", "rejected"):
        status = "decided" if result == "elected" else "rejected"
        return [ProposalDecided(proposal=proposal.id, status=status, seq=seq, effect_applied=False)]
    # no_quorum, blocked, undecided: back to deliberation for another round (or the fallback).
    past_round, fallback_of = None, None
    if (
        result != "no_quorum"
        and question.fallback_of is None
        and question.spec.method in ("consent", "consensus")
    ):
        past_round = consent_round(proposal, question)
        if "fallback_required" in outcome.reasons:
            fallback_of = outcome
    return [ProposalReturned(proposal=proposal.id, past_round=past_round, fallback_of=fallback_of)]


@applies(QuestionAnswered)
def apply_question_closed(state: AssemblyState, event: QuestionAnswered) -> None:
    question = state.questions[event.question]
    question.closed_seq, question.outcome = event.seq, event.outcome


@applies(ProposalDecided)
def apply_decided(state: AssemblyState, event: ProposalDecided) -> None:
    proposal = state.proposals[event.proposal]
    proposal.status, proposal.decided_seq = event.status, event.seq
    proposal.effect_applied = event.effect_applied


@applies(ProposalReturned)
def apply_returned(state: AssemblyState, event: ProposalReturned) -> None:
    proposal = state.proposals[event.proposal]
    proposal.status = "deliberation"
    if event.past_round is not None:
        proposal.past_rounds.append(event.past_round)
    if event.fallback_of is not None:
        proposal.fallback_of = event.fallback_of
