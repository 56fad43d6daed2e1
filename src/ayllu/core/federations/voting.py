"""A federation's questions, voted by its member assemblies through their seated delegates.

Acts (body fields in braces), in the federation's record:
- federation.voted {question, choice, cites, mandate?}: signed by a seated delegate's own key: `cites`
  holds the citation of the credential their standing seat rests on and, unless they abstain, the
  citation of their assembly's `delegate.mandated` for this federation and question, whose public body
  `mandate` carries (mandated.py). Replay refuses, the same on every replica: a signer with no seat
  standing on the cited credential (`not_seated`); a question that is not open, or whose deadline passed;
  an assembly that was not a member when the question opened (`not_eligible`); a cited entry that is not
  that assembly's mandate on this very question (`not_a_mandate`); a choice the method does not take
  (`wrong_method`); a choice other than the cited position (`contrary_to_mandate`) or other than abstain
  with no mandate cited (`no_mandate`), judged by the function that flags a delegate's vote at home
  (mandates/acts.py `flag_against`); a mandate older than one already cited for the same assembly and
  question, or none once one was (`stale_mandate`); a second voice of the assembly under the same
  mandate (`already_voted`).

How a delegation's votes count: **one voice per member assembly**. The mandate is the assembly's, not
its delegates', so every delegate of one assembly carries the same position; the first of them to vote
under a mandate casts the assembly's voice, and a later vote citing a newer mandate recasts it. Counting
per delegate would weigh an assembly by how many seats it filled rather than by what it decided.
The question's eligible voters are the member assemblies when it opened (proposals/questions.py), and
its outcome is computed by the charter's method from those voices, like any question. `vote.cast` is
refused in a federation (`voted_by_delegates`).
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import INT_ID, LIST, NAME, OBJECT, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import AlreadyVoted, NotEligible, VoteAfterDeadline
from ayllu.core.assembly.state import AssemblyState, DelegationBallot, Seat
from ayllu.core.cargos.errors import ContraryToMandate, NoMandate
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.cited import CitingAct, read_cited
from ayllu.core.federations.errors import NotAFederation, NotAMandate, NotSeated, StaleMandate
from ayllu.core.federations.mandated import DelegateMandated
from ayllu.core.ledger.citations import Citation
from ayllu.core.mandates.acts import CONTRARY, WITHOUT_MANDATE, flag_against
from ayllu.core.proposals.questions import CONSENSUS_CHOICES, MAJORITY_CHOICES, find_question, fitting_choice

# Every ballot code a mandate's position may hold in a federation: a delegation's ballot is one word
# (no reason, no list), so a block (which needs a reason) and approval or ranked ballots never fit.
BALLOT_CODES = (*MAJORITY_CHOICES, "consent", *(c for c in CONSENSUS_CHOICES if c != "block"))


class BallotAct(CitingAct):
    """Base of a seated delegate's ballot for their assembly: `cites` holds the credential their seat
    rests on and, unless they abstain, their assembly's stated mandate, whose public body `mandate`
    carries."""

    __slots__ = ()

    mandate: dict[str, Any] | None


@act_kind
class DelegationVoted(BallotAct):
    type = "federation.voted"
    name = "federation-vote"
    summary = "Cast your assembly's voice on a federation's question, as its seated delegate"

    question: int = act_field(INT_ID, help="the question's id in the federation's record")
    choice: str = act_field(NAME, help="your assembly's mandated position, or abstain")
    cites: list[Any] = act_field(
        LIST, help="[citation of your credential, citation of your assembly's mandate (none to abstain)]"
    )
    mandate: dict[str, Any] | None = act_field(
        OBJECT, default=None, help="the mandate's body, as the cited entry signs it"
    )


@dataclass(frozen=True, slots=True)
class DelegationVoteCast(Event):
    ballot: DelegationBallot


def seat_on(state: AssemblyState, citation: Citation, *, key: str, now: int) -> Seat | None:
    """The seat of `key` standing at `now` on the credential `citation` cites, if any."""
    seat = state.seats_by_credential.get((citation.log, citation.seq))
    if seat is None or seat.key != key or seat.credential[2] != citation.entry or not seat.stands(now=now):
        return None
    return seat


def delegate_seat(state: AssemblyState, act: BallotAct, ctx: Context) -> Seat:
    """The seat of a ballot's signer, standing on the credential it cites first (then the mandate, or
    nothing to abstain); else `malformed_body` or `not_seated`."""
    citations = act.citations(seq=ctx.seq)
    if len(citations) > 2:
        raise MalformedBody(seq=ctx.seq, field="cites", reason="credential_and_mandate")
    seat = seat_on(state, citations[0], key=ctx.key, now=ctx.time)
    if seat is None:
        raise NotSeated(seq=ctx.seq, key=ctx.key, credential=citations[0].seq)
    return seat


def mandated_ballot(
    state: AssemblyState,
    act: BallotAct,
    ctx: Context,
    *,
    seat: Seat,
    question: int,
    choice: str,
    latest: int,
    voted: bool,
) -> DelegationBallot:
    """The ballot of the seat's assembly on `question` (a question's or a recall vote's id), bound by the
    mandate it cites after its credential: the seat's own assembly's `delegate.mandated` for this
    federation and `question` (else `not_a_mandate`), or none to abstain. Refused when `choice` goes
    against it, when it is older than the `latest` one cited, or when the assembly already `voted` under
    the latest. Federation votes and recall votes (recall_vote.py) cast it alike."""
    seq = ctx.seq
    citations = act.citations(seq=seq)
    mandate: tuple[str, int] | None = None
    position: str | None = None
    if len(citations) == 1:
        if act.mandate is not None:
            raise MalformedBody(seq=seq, field="mandate", reason="not_cited")
    else:
        cited = citations[1]
        if act.mandate is None:
            raise NotAMandate(seq=seq, reason="body_missing")
        if cited.log != seat.assembly:
            raise NotAMandate(seq=seq, reason="other_assembly", cited=cited.log)
        stated = read_cited(cited, act.mandate, DelegateMandated, seq=seq, refused=NotAMandate)
        if stated.federation != state.log or stated.question != question:
            raise NotAMandate(seq=seq, reason="other_question", question=stated.question)
        mandate, position = (cited.log, cited.seq), stated.position
    flag = flag_against(position, choice)
    if flag == CONTRARY:
        raise ContraryToMandate(seq=seq, question=str(question), choice=choice, position=position)
    if flag == WITHOUT_MANDATE:
        raise NoMandate(seq=seq, body=state.log, question=str(question), choice=choice)
    cited_seq = 0 if mandate is None else mandate[1]
    if cited_seq < latest:
        raise StaleMandate(seq=seq, assembly=seat.assembly, cited=cited_seq, latest=latest)
    if voted and cited_seq == latest:
        raise AlreadyVoted(seq=seq, member=seat.assembly, question=question)
    credential = (citations[0].log, citations[0].seq)
    return DelegationBallot(
        seq, ctx.time, question, seat.assembly, ctx.key, choice, credential, mandate, position
    )


@rule(DelegationVoted)
def decide_delegation_vote(state: AssemblyState, act: DelegationVoted, ctx: Context) -> list[Event]:
    """Cast the signer's assembly's voice on a federation question, bound by the mandate it cites."""
    if state.rules.federation is None:
        raise NotAFederation(seq=ctx.seq)
    seat = delegate_seat(state, act, ctx)
    question = find_question(state, act.question, seq=ctx.seq)
    if seat.assembly not in question.eligible:
        raise NotEligible(seq=ctx.seq, member=seat.assembly, question=question.id)
    if question.meeting:
        raise MalformedBody(seq=ctx.seq, field="question", reason="meeting_question")
    if ctx.time > question.deadline:
        raise VoteAfterDeadline(seq=ctx.seq, question=question.id, deadline=question.deadline, time=ctx.time)
    ballot = mandated_ballot(
        state,
        act,
        ctx,
        seat=seat,
        question=question.id,
        choice=fitting_choice(state, question, act.choice, seq=ctx.seq),
        latest=state.mandates_cited.get((seat.assembly, question.id), 0),
        voted=seat.assembly in question.votes,
    )
    return [DelegationVoteCast(ballot)]


@applies(DelegationVoteCast)
def apply_delegation_vote(state: AssemblyState, event: DelegationVoteCast) -> None:
    ballot = event.ballot
    question = state.questions[ballot.question]
    question.votes[ballot.assembly] = ballot.choice
    question.ballot_seqs[ballot.assembly] = ballot.seq
    state.delegation_ballots.append(ballot)
    if ballot.mandate is not None:
        state.mandates_cited[(ballot.assembly, ballot.question)] = ballot.mandate[1]


def list_delegation_ballots(state: AssemblyState, *, assembly: str = "") -> list[dict[str, Any]]:
    """The delegations' ballots on the federation's questions (of one assembly, or all), in record order,
    each with the mandate it cites and whether a later ballot of the same assembly recast it. Ids, keys
    and positions only: no words."""
    last = {(b.assembly, b.question): b.seq for b in state.delegation_ballots}
    return [
        {
            "seq": b.seq,
            "time": b.time,
            "question": b.question,
            "assembly": b.assembly,
            "key": b.key,
            "choice": b.choice,
            "credential_seq": b.credential[1],
            "mandate_seq": 0 if b.mandate is None else b.mandate[1],
            "position": b.position,
            "recast": last[(b.assembly, b.question)] != b.seq,
        }
        for b in state.delegation_ballots
        if not assembly or b.assembly == assembly
    ]
