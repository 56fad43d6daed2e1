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

from typing import Any

from ayllu.core.assembly.bodies import get_int, get_str, only_fields
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
    QuestionClosed,
    QuestionStillOpen,
    UnknownQuestion,
    VoteAfterDeadline,
    WrongMethod,
)
from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.record import Entry
from ayllu.core.meetings.acts import get_quorum
from ayllu.core.proposals.effects import apply_effect, subject_of
from ayllu.core.proposals.methods import Outcome, Quorum
from ayllu.core.proposals.outcomes import (
    compute_outcome,
    consent_round,
    participants,
    participation_quorum,
    round_objections,
)
from ayllu.core.proposals.tabling import get_proposal

MAJORITY_CHOICES = ("yes", "no", "abstain")
CONSENSUS_CHOICES = ("agree", "stand_aside", "block")


def get_question(state: AssemblyState, content: dict[str, Any], *, seq: int) -> Question:
    """The open question a body names."""
    question_id = get_int(content, "question", seq=seq, low=1)
    question = state.questions.get(question_id)
    if question is None:
        raise UnknownQuestion(seq=seq, question=question_id)
    if question.closed_seq:
        raise QuestionClosed(seq=seq, question=question_id)
    return question


def do_question_opened(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq, rules = entry.seq, state.rules
    only_fields(content, {"proposal", "deadline"}, seq=seq)
    proposal = get_proposal(state, content, seq=seq)
    if len(proposal.cosigners) < rules.tabling_cosigners:
        raise MayNotTable(seq=seq, proposal=proposal.id, cosigners=len(proposal.cosigners))
    if proposal.meeting:
        meeting = state.meetings[proposal.meeting]
        if meeting.closed_seq:
            raise MeetingClosed(seq=seq, meeting=meeting.id)
        if author != meeting.chair:
            raise NotChair(seq=seq, member=author, meeting=meeting.id)
        if "deadline" in content:
            raise MalformedBody(seq=seq, field="deadline", reason="meeting_question")
        quorum = get_quorum(state, meeting)
        if not quorum.met:
            raise NoQuorum(seq=seq, meeting=meeting.id, present=quorum.present, base=quorum.base)
        deadline, minimum = 0, rules.meeting_deliberation_ms
    else:
        deadline, minimum = get_int(content, "deadline", seq=seq, low=1), rules.async_deliberation_ms
        if deadline < entry.time + rules.min_voting_ms:
            raise DeadlineTooSoon(seq=seq, deadline=deadline, earliest=entry.time + rules.min_voting_ms)
    if entry.time < proposal.tabled_time + minimum:
        raise DeliberationTooShort(seq=seq, proposal=proposal.id, earliest=proposal.tabled_time + minimum)
    spec = rules.fallback if proposal.fallback_of is not None else rules.method_for(proposal.matter)
    subject = subject_of(proposal.matter, proposal.effect)
    eligible = {m: r.household for m, r in state.members.items() if not r.suspended and m != subject}
    state.questions[seq] = Question(
        id=seq,
        proposal=proposal.id,
        spec=spec,
        round=len(proposal.past_rounds) + 1,
        meeting=proposal.meeting,
        deadline=deadline,
        opened_time=entry.time,
        eligible=eligible,
        fallback_of=proposal.fallback_of,
    )
    proposal.status = "voting"
    proposal.questions.append(seq)
    if proposal.meeting:
        state.meetings[proposal.meeting].questions.append(seq)


def _choice(state: AssemblyState, question: Question, content: dict[str, Any], seq: int) -> tuple[Any, str]:
    """The ballot and block reason if they fit the question's method; raise WrongMethod otherwise."""
    method = "majority" if question.fallback_of is not None else question.spec.method
    choice = content.get("choice")
    reason = content.get("reason")
    if reason is not None and not (method == "consensus" and choice == "block"):
        raise WrongMethod(seq=seq, method=method, field="reason")
    if method == "majority" and choice in MAJORITY_CHOICES:
        return choice, ""
    if method == "consent" and choice == "consent":
        return choice, ""
    if method == "consensus" and choice in CONSENSUS_CHOICES:
        return choice, get_str(content, "reason", seq=seq) if choice == "block" else ""
    if method in ("approval", "ranked") and isinstance(choice, list):
        options = state.proposals[question.proposal].options
        fits = all(isinstance(c, str) and c in options for c in choice) and len(set(choice)) == len(choice)
        if fits and (method == "approval" or choice):
            return tuple(choice), ""
    raise WrongMethod(seq=seq, method=method, choice=str(choice)[:80])


def do_vote_cast(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"question", "choice", "reason"}, seq=seq)
    question = get_question(state, content, seq=seq)
    if author not in question.eligible:
        raise NotEligible(seq=seq, member=author, question=question.id)
    if question.meeting:
        if author not in state.meetings[question.meeting].present:
            raise NotPresent(seq=seq, member=author, meeting=question.meeting)
    elif entry.time > question.deadline:
        raise VoteAfterDeadline(seq=seq, question=question.id, deadline=question.deadline, time=entry.time)
    proposal = state.proposals[question.proposal]
    if author in question.votes or (_in_consent_round(question) and _objected(proposal, question, author)):
        raise AlreadyVoted(seq=seq, member=author, question=question.id)
    choice, reason = _choice(state, question, content, seq)
    if reason:
        question.block_reasons[author] = reason
    question.votes[author] = choice
    question.ballot_seqs[author] = seq


def _in_consent_round(question: Question) -> bool:
    return question.spec.method == "consent" and question.fallback_of is None


def _objected(proposal: Proposal, question: Question, member: str) -> bool:
    # Objections are few; scanning them keeps a vote O(1) in the number of voters.
    return any(o.member == member and o.round == question.round for o in proposal.objections.values())


def do_question_closed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"question"}, seq=seq)
    question = get_question(state, content, seq=seq)
    proposal = state.proposals[question.proposal]
    quorum: Quorum
    if question.meeting:
        meeting = state.meetings[question.meeting]
        if author != meeting.chair:
            raise NotChair(seq=seq, member=author, meeting=meeting.id)
        live = get_quorum(state, meeting)
        if not live.met:
            raise NoQuorum(seq=seq, meeting=meeting.id, present=live.present, base=live.base)
        quorum = Quorum(share=live.share, present=live.present, base=live.base)
    else:
        everyone = len(participants(proposal, question)) == len(question.eligible)
        if entry.time <= question.deadline and not everyone:
            raise QuestionStillOpen(seq=seq, question=question.id, deadline=question.deadline)
        quorum = participation_quorum(state, proposal, question)
    if question.spec.method == "consent" and question.fallback_of is None:
        for objection in round_objections(proposal, question):
            if not objection.withdrawn and not objection.answer:
                raise ObjectionUnanswered(seq=seq, objection=objection.id)
    outcome = compute_outcome(state, proposal, question, quorum)
    question.closed_seq, question.outcome = seq, outcome
    _settle(state, proposal, question, outcome, seq=seq)


def _settle(
    state: AssemblyState, proposal: Proposal, question: Question, outcome: Outcome, *, seq: int
) -> None:
    """Move the proposal on from a closed question: adopted, rejected, decided, or back to deliberation."""
    result = outcome.result
    if result == "passed":
        proposal.status, proposal.decided_seq = "adopted", seq
        proposal.effect_applied = apply_effect(state, proposal, seq=seq)
    elif result == "elected":
        proposal.status, proposal.decided_seq = "decided", seq
    elif result == "rejected":
        proposal.status, proposal.decided_seq = "rejected", seq
    else:
        # no_quorum, blocked, undecided: back to deliberation for another round (or the fallback).
        proposal.status = "deliberation"
        if (
            result != "no_quorum"
            and question.fallback_of is None
            and question.spec.method in ("consent", "consensus")
        ):
            proposal.past_rounds.append(consent_round(proposal, question))
            if "fallback_required" in outcome.reasons:
                proposal.fallback_of = outcome
