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

from ayllu.core.assembly.acts import INT_ID, LIST, NAME, OBJECT, Act, Signer, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import AlreadyVoted, NotEligible, VoteAfterDeadline
from ayllu.core.assembly.state import AssemblyState, DelegationBallot, Seat
from ayllu.core.cargos.errors import ContraryToMandate, NoMandate
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.cited import read_cited
from ayllu.core.federations.errors import NotAFederation, NotAMandate, NotSeated, StaleMandate
from ayllu.core.federations.mandated import DelegateMandated
from ayllu.core.ledger.citations import Citation
from ayllu.core.mandates.acts import CONTRARY, WITHOUT_MANDATE, flag_against
from ayllu.core.proposals.questions import find_question, fitting_choice


@act_kind
class DelegationVoted(Act):
    type = "federation.voted"
    name = "federation-vote"
    summary = "Cast your assembly's voice on a federation's question, as its seated delegate"
    signer = Signer.NON_MEMBER
    cites_in = "cites"

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


def cited_mandate(
    state: AssemblyState,
    citations: tuple[Citation, ...],
    body: dict[str, Any] | None,
    seat: Seat,
    *,
    question: int,
    seq: int,
) -> tuple[tuple[str, int] | None, str | None]:
    """The mandate a delegation's ballot cites after its credential (`citations[1]`, its public body
    `body`), as ((log, seq), position), or (None, None) when it cites none: the seat's own assembly's
    `delegate.mandated` for this federation and `question` (a question's or a recall vote's id), else
    `not_a_mandate`. Federation votes and recall votes read it here alike (recall_vote.py)."""
    if len(citations) == 1:
        if body is not None:
            raise MalformedBody(seq=seq, field="mandate", reason="not_cited")
        return None, None
    cited = citations[1]
    if body is None:
        raise NotAMandate(seq=seq, reason="body_missing")
    if cited.log != seat.assembly:
        raise NotAMandate(seq=seq, reason="other_assembly", cited=cited.log)
    mandate = read_cited(cited, body, DelegateMandated, seq=seq, refused=NotAMandate)
    if mandate.federation != state.log or mandate.question != question:
        raise NotAMandate(seq=seq, reason="other_question", question=mandate.question)
    return (cited.log, cited.seq), mandate.position


@rule(DelegationVoted)
def decide_delegation_vote(state: AssemblyState, act: DelegationVoted, ctx: Context) -> list[Event]:
    """Cast the signer's assembly's voice on a federation question, bound by the mandate it cites."""
    seq = ctx.seq
    if state.rules.federation is None:
        raise NotAFederation(seq=seq)
    citations = act.citations(seq=seq)
    if len(citations) > 2:
        raise MalformedBody(seq=seq, field="cites", reason="credential_and_mandate")
    seat = seat_on(state, citations[0], key=ctx.key, now=ctx.time)
    if seat is None:
        raise NotSeated(seq=seq, key=ctx.key, credential=citations[0].seq)
    question = find_question(state, act.question, seq=seq)
    if seat.assembly not in question.eligible:
        raise NotEligible(seq=seq, member=seat.assembly, question=question.id)
    if question.meeting:
        raise MalformedBody(seq=seq, field="question", reason="meeting_question")
    if ctx.time > question.deadline:
        raise VoteAfterDeadline(seq=seq, question=question.id, deadline=question.deadline, time=ctx.time)
    choice = fitting_choice(state, question, act.choice, seq=seq)
    mandate, position = cited_mandate(state, citations, act.mandate, seat, question=question.id, seq=seq)
    flag = flag_against(position, choice)
    if flag == CONTRARY:
        raise ContraryToMandate(seq=seq, question=str(question.id), choice=choice, position=position)
    if flag == WITHOUT_MANDATE:
        raise NoMandate(seq=seq, body=state.log, question=str(question.id), choice=choice)
    latest = state.mandates_cited.get((seat.assembly, question.id), 0)
    cited = 0 if mandate is None else mandate[1]
    if cited < latest:
        raise StaleMandate(seq=seq, assembly=seat.assembly, cited=cited, latest=latest)
    if seat.assembly in question.votes and cited == latest:
        raise AlreadyVoted(seq=seq, member=seat.assembly, question=question.id)
    credential = (citations[0].log, citations[0].seq)
    ballot = DelegationBallot(
        seq, ctx.time, question.id, seat.assembly, ctx.key, choice, credential, mandate, position
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
