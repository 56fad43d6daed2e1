"""The recall vote that confirms or lifts a suspension by petition (docs/federation-bodies.md, decision 0028).

When the charter gives it days (`federation.recall_vote_days`; without it a suspension lasts to the end
of the term, as before), the entry that completes a `suspend` petition also opens a recall vote whose id
is that entry's seq. Its voters are the member assemblies at that moment, one voice each, cast by a
seated delegate under the mandate their assembly decided at home, exactly as on the federation's
questions (decision 0023): the home decides a mandate (matter `mandate`) whose body is the federation
and whose question is the recall vote's id in digits, position `confirm` or `lift`, and states it with
`delegate.mandated`.

- federation.recall_voted {recall, choice, cites, mandate?}: signed by the delegate's key; `cites` holds
  the credential their standing seat rests on and, unless they abstain, the stated mandate. Refused: no
  such vote (`not_a_recall_vote`), already closed (`recall_vote_closed`), past its deadline, an assembly
  that was not a member when it opened (`not_eligible`), a choice other than confirm, lift or abstain,
  and the mandate checks of `federation.voted` (`not_seated`, `not_a_mandate`, `contrary_to_mandate`,
  `no_mandate`, `stale_mandate`, `already_voted`).
- federation.recall_closed {recall}: anyone, once the deadline and the charter's recall grace time
  (`recall_grace_hours`, for delegates' recalls to be cited) passed (`question_still_open` before).
  Each assembly's voice is its latest ballot whose seat stood at that ballot's own time. The suspension
  is **confirmed** when more assemblies said confirm than lift and at least as many as the petition
  needed said confirm; the holder's office ends at that entry, the term ends with it and the next turn
  passes by rotation (the same assembly cannot follow itself). Otherwise, and when nobody voted, the
  suspension is **lifted**: the holder holds the office again until their term or credential ends.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import INT_ID, LIST, NAME, OBJECT, Act, Signer, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import NotEligible, QuestionStillOpen, VoteAfterDeadline
from ayllu.core.assembly.state import AssemblyState, DelegationBallot, RecallVote
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.errors import (
    NotAFederation,
    NotARecallVote,
    RecallVoteClosed,
)
from ayllu.core.federations.reads import RecallVoteRead
from ayllu.core.federations.voting import BallotAct, delegate_seat, mandated_ballot
from ayllu.core.mandates.acts import ABSTAIN

CONFIRM, LIFT = "confirm", "lift"
CHOICES = (CONFIRM, LIFT, ABSTAIN)
CONFIRMED, LIFTED = "confirmed", "lifted"


@act_kind
class RecallVoted(BallotAct):
    type = "federation.recall_voted"
    name = "recall-vote"
    summary = "Cast your assembly's voice on confirming or lifting an office holder's suspension"

    recall: int = act_field(INT_ID, help="the recall vote's id (the entry that suspended the holder)")
    choice: str = act_field(NAME, help="confirm, lift or abstain, as your assembly's mandate says")
    cites: list[Any] = act_field(
        LIST, help="[citation of your credential, citation of your assembly's mandate (none to abstain)]"
    )
    mandate: dict[str, Any] | None = act_field(
        OBJECT, default=None, help="the mandate's body, as the cited entry signs it"
    )


@act_kind
class RecallClosed(Act):
    type = "federation.recall_closed"
    name = "close-recall-vote"
    summary = "Close a recall vote after its deadline: the suspension is confirmed or lifted"
    signer = Signer.NON_MEMBER

    recall: int = act_field(INT_ID, help="the recall vote's id")


@dataclass(frozen=True, slots=True)
class RecallVoteOpened(Event):
    vote: RecallVote


@dataclass(frozen=True, slots=True)
class RecallBallotCast(Event):
    ballot: DelegationBallot


@dataclass(frozen=True, slots=True)
class RecallVoteDecided(Event):
    recall: int
    seq: int
    time: int
    outcome: str


def open_recall_vote(
    state: AssemblyState, *, seq: int, time: int, office: str, term_start: int, holder: str
) -> list[Event]:
    """The recall vote a completed suspension opens in its entry (none when the charter gives no days)."""
    rules = state.rules.federation
    assert rules is not None
    if not rules.recall_vote_ms:
        return []
    eligible = tuple(sorted(state.member_assemblies))
    vote = RecallVote(seq, office, term_start, holder, time + rules.recall_vote_ms, eligible)
    return [RecallVoteOpened(vote)]


def find_recall_vote(state: AssemblyState, recall: int, *, seq: int) -> RecallVote:
    if state.rules.federation is None:
        raise NotAFederation(seq=seq)
    vote = state.offices.recall_votes.get(recall)
    if vote is None:
        raise NotARecallVote(seq=seq, recall=recall)
    if vote.closed_seq:
        raise RecallVoteClosed(seq=seq, recall=recall, closed=vote.closed_seq)
    return vote


@rule(RecallVoted)
def decide_recall_vote(state: AssemblyState, act: RecallVoted, ctx: Context) -> list[Event]:
    """Cast the signer's assembly's voice on the recall vote, bound by the mandate it cites."""
    vote = find_recall_vote(state, act.recall, seq=ctx.seq)
    seat = delegate_seat(state, act, ctx)
    if seat.assembly not in vote.eligible:
        raise NotEligible(seq=ctx.seq, member=seat.assembly, question=vote.id)
    if ctx.time > vote.deadline:
        raise VoteAfterDeadline(seq=ctx.seq, question=vote.id, deadline=vote.deadline, time=ctx.time)
    if act.choice not in CHOICES:
        raise MalformedBody(seq=ctx.seq, field="choice", value=act.choice[:32])
    ballot = mandated_ballot(
        state,
        act,
        ctx,
        seat=seat,
        question=vote.id,
        choice=act.choice,
        latest=vote.mandates.get(seat.assembly, 0),
        voted=any(b.assembly == seat.assembly for b in vote.ballots),
    )
    return [RecallBallotCast(ballot)]


def recall_voices(state: AssemblyState, vote: RecallVote) -> dict[str, str]:
    """Each assembly's voice: its latest ballot whose seat stood at the ballot's own time (a delegate
    recalled at home before voting counts for nothing, whenever the recall was cited)."""
    voices: dict[str, str] = {}
    for ballot in vote.ballots:
        member = state.member_assemblies.get(ballot.assembly)
        seats = member.seats if member is not None else []
        stood = any(
            s.key == ballot.key and s.credential[:2] == ballot.credential and s.stands(now=ballot.time)
            for s in seats
        )
        if stood:
            voices[ballot.assembly] = ballot.choice
    return voices


def recall_outcome(state: AssemblyState, vote: RecallVote, *, needs: int) -> str:
    """`confirmed` when more assemblies said confirm than lift and at least `needs` did; else `lifted`."""
    voices = list(recall_voices(state, vote).values())
    confirm, lift = voices.count(CONFIRM), voices.count(LIFT)
    return CONFIRMED if confirm > lift and confirm >= needs else LIFTED


@rule(RecallClosed)
def decide_recall_closed(state: AssemblyState, act: RecallClosed, ctx: Context) -> list[Event]:
    """Close the recall vote once its deadline and the recall grace time passed: confirm or lift."""
    from ayllu.core.federations.petitions import petition_needs  # petitions.py opens recall votes

    vote = find_recall_vote(state, act.recall, seq=ctx.seq)
    rules = state.rules.federation
    assert rules is not None
    if ctx.time < vote.deadline + rules.recall_grace_ms:
        raise QuestionStillOpen(
            seq=ctx.seq, question=vote.id, until=vote.deadline + rules.recall_grace_ms, reason="recall_grace"
        )
    outcome = recall_outcome(state, vote, needs=petition_needs(state))
    return [RecallVoteDecided(vote.id, ctx.seq, ctx.time, outcome)]


@applies(RecallVoteOpened)
def apply_recall_vote_opened(state: AssemblyState, event: RecallVoteOpened) -> None:
    state.offices.recall_votes[event.vote.id] = event.vote


@applies(RecallBallotCast)
def apply_recall_ballot(state: AssemblyState, event: RecallBallotCast) -> None:
    ballot = event.ballot
    vote = state.offices.recall_votes[ballot.question]
    vote.ballots.append(ballot)
    if ballot.mandate is not None:
        vote.mandates[ballot.assembly] = ballot.mandate[1]


@applies(RecallVoteDecided)
def apply_recall_decided(state: AssemblyState, event: RecallVoteDecided) -> None:
    book = state.offices
    vote = book.recall_votes[event.recall]
    vote.closed_seq, vote.closed_time, vote.outcome = event.seq, event.time, event.outcome
    term = next((t for t in book.terms.get(vote.office, []) if t.start == vote.term_start), None)
    if term is None:
        return
    holder = next((h for h in term.holders if h.key == vote.holder and h.suspended_by == vote.id), None)
    if holder is None:
        return
    if event.outcome == LIFTED:
        holder.suspended, holder.suspended_by = 0, 0
    elif term.end > event.time:
        # Confirmed: the holder's office ends here, the term with it; the next turn starts by rotation.
        holder.until = min(holder.until, event.time)
        term.end = event.time
        book.next_start[vote.office] = event.time


# --- reads --------------------------------------------------------------------------------------------


def list_recall_votes(state: AssemblyState, *, now: int) -> list[RecallVoteRead]:
    """The recall votes on suspended office holders, newest first: the office, the holder's key, the
    deadline, each assembly's voice (ids, keys and confirm/lift only), and the outcome once closed."""
    rules = state.rules.federation
    if rules is None:
        return []
    found = []
    for vote in sorted(state.offices.recall_votes.values(), key=lambda v: -v.id):
        voices = recall_voices(state, vote)
        found.append(
            RecallVoteRead(
                recall=vote.id,
                office=vote.office,
                holder=vote.holder,
                deadline=vote.deadline,
                closes_after=vote.deadline + rules.recall_grace_ms,
                eligible=len(vote.eligible),
                confirm=tuple(sorted(a for a, c in voices.items() if c == CONFIRM)),
                lift=tuple(sorted(a for a, c in voices.items() if c == LIFT)),
                open=not vote.closed_seq and now <= vote.deadline,
                closed_seq=vote.closed_seq,
                closed_time=vote.closed_time,
                outcome=vote.outcome,
            )
        )
    return found
