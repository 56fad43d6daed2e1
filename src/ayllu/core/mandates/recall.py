"""Recall by petition: members sign; at the charter's count a recall question opens at once.

Acts (body fields in braces):
- recall.petitioned {cargo, member, reason}: any member opens a petition against a current holder of a
  cargo (a delegate is the holder of a cargo with a `represent_in:` power), and signs it first.
- recall.signed {petition}: another member signs (once each).
When the signatures reach the charter's `recall.petition`, replay opens, in that same entry, a proposal
of matter "recall" (id: the petition's seq; author: the first signer; effect {cargo, member}) and its
question between meetings (id: the seq of the signature that completed it), with a deadline the
charter's `recall.voting_ms` away (default: its minimum voting time). The question is decided by
majority of the votes cast (yes/no/abstain) at the charter's `recall.threshold`, reached or passed.

In a federation (decision 0033) the signatures count member assemblies, as every member count there
does (decision 0030): the petition is complete when delegates whose seats stand at the signing entry's
time signed for the charter's `recall.petition` count of its member assemblies (`standing.voices`
against `standing.member_base`; a second delegate of one assembly may sign and adds nothing), and the
question's voters are the member assemblies, each one voice cast by a seated delegate under its
assembly's mandate (federations/voting.py), as on the federation's other questions.

The person recalled cannot block it: they are not among the question's eligible voters (the decision's
subject never is, see proposals/effects.py `subject_of`), so their ballot is refused (`not_eligible`),
and no method that lets one voice stop a decision applies to a recall opened by petition. If it passes,
the holder is out at that entry; a cargo filled by turn gets its next holder by turn at once; any later
act that needs the cargo's powers is refused on replay (`lacks_power`, `not_convenor`, `not_delegate`).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import INT_ID, KEY, NAME, TEXT, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import AlreadySigned
from ayllu.core.assembly.state import AssemblyState, Proposal, Question, RecallPetition
from ayllu.core.assembly.words import ReadModel, Said, said
from ayllu.core.cargos.errors import NotAHolder, RecallAlreadyOpen, UnknownRecallPetition
from ayllu.core.charter.rules import MethodSpec
from ayllu.core.federations.standing import is_federation, member_base, voices
from ayllu.core.proposals.effects import subject_of

RECALL = "recall"


@act_kind
class RecallPetitioned(Act):
    type = "recall.petitioned"
    name = "petition-recall"
    summary = "Open a recall petition against a cargo holder"

    cargo: str = act_field(NAME, help="the cargo's name")
    member: str = act_field(KEY, help="the holder")
    reason: str = act_field(TEXT)


@act_kind
class RecallSigned(Act):
    type = "recall.signed"
    name = "sign-recall"
    summary = "Sign a recall petition"

    petition: int = act_field(INT_ID)


@dataclass(frozen=True, slots=True)
class PetitionOpened(Event):
    """A recall petition, signed first by the member who opened it."""

    id: int
    cargo: str
    member: str
    reason: str
    time: int
    by: str


@dataclass(frozen=True, slots=True)
class PetitionSigned(Event):
    petition: int
    member: str


@dataclass(frozen=True, slots=True)
class RecallVoteOpened(Event):
    """Enough members signed: the petition becomes a proposal of matter recall, and its question opens."""

    petition: int
    question: int
    time: int
    seed: str
    deadline: int
    spec: MethodSpec
    eligible: tuple[tuple[str, str], ...]  # (member, household), in the members' order


@rule(RecallPetitioned)
def decide_petition_recall(state: AssemblyState, act: RecallPetitioned, ctx: Context) -> list[Event]:
    cargo = state.cargos.get(act.cargo)
    if cargo is None or not cargo.held_by(act.member, now=ctx.time):
        raise NotAHolder(seq=ctx.seq, cargo=act.cargo, member=act.member)
    for petition in state.recall_petitions.values():
        if (petition.cargo, petition.member) == (act.cargo, act.member) and _still_open(state, petition):
            raise RecallAlreadyOpen(seq=ctx.seq, petition=petition.id)
    opened = PetitionOpened(ctx.seq, act.cargo, act.member, act.reason, ctx.time, ctx.author)
    return [
        opened,
        *_vote_if_enough(
            state, petition=ctx.seq, cargo=act.cargo, member=act.member, signers=[ctx.author], ctx=ctx
        ),
    ]


@applies(PetitionOpened)
def apply_petition_opened(state: AssemblyState, event: PetitionOpened) -> None:
    state.recall_petitions[event.id] = RecallPetition(
        event.id, event.cargo, event.member, event.reason, event.time, [event.by]
    )


@rule(RecallSigned)
def decide_sign_recall(state: AssemblyState, act: RecallSigned, ctx: Context) -> list[Event]:
    petition = state.recall_petitions.get(act.petition)
    if petition is None or petition.question:
        raise UnknownRecallPetition(seq=ctx.seq, petition=act.petition)
    if ctx.author in petition.signers:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author, petition=petition.id)
    signers = [*petition.signers, ctx.author]
    vote = _vote_if_enough(
        state, petition=petition.id, cargo=petition.cargo, member=petition.member, signers=signers, ctx=ctx
    )
    return [PetitionSigned(petition.id, ctx.author), *vote]


@applies(PetitionSigned)
def apply_petition_signed(state: AssemblyState, event: PetitionSigned) -> None:
    state.recall_petitions[event.petition].signers.append(event.member)


def _still_open(state: AssemblyState, petition: RecallPetition) -> bool:
    if not petition.question:
        return True
    return state.proposals[petition.id].status in ("deliberation", "voting")


def _vote_if_enough(
    state: AssemblyState, *, petition: int, cargo: str, member: str, signers: list[str], ctx: Context
) -> list[Event]:
    """The recall vote that opens when `signers` reach the charter's count (else nothing): members, or in
    a federation member assemblies through delegates standing at the entry's time (decision 0033)."""
    rules = state.rules
    if voices(state, signers, now=ctx.time) < rules.needed("recall", members=member_base(state)):
        return []
    subject = subject_of(RECALL, {"cargo": cargo, "member": member})
    eligible = tuple((m, r.household) for m, r in state.members.items() if not r.suspended and m != subject)
    if is_federation(state):
        # its voters are its member assemblies, one voice each (proposals/questions.py, voting.py)
        eligible = tuple((log, log) for log in sorted(state.member_assemblies))
    spec = MethodSpec("majority", rules.cargo.recall_threshold, "cast", strict=False)
    deadline = ctx.time + rules.cargo.recall_voting_ms
    return [RecallVoteOpened(petition, ctx.seq, ctx.time, ctx.hash, deadline, spec, eligible)]


@applies(RecallVoteOpened)
def apply_recall_vote_opened(state: AssemblyState, event: RecallVoteOpened) -> None:
    petition = state.recall_petitions[event.petition]
    effect = {"cargo": petition.cargo, "member": petition.member}
    proposal = Proposal(
        id=petition.id,
        author=petition.signers[0],
        matter=RECALL,
        title=petition.cargo,
        text=petition.reason,
        effect=effect,
        options=[],
        meeting=0,
        tabled_time=petition.opened_time,
        seed=event.seed,
        cosigners=set(petition.signers[1:]),
        status="voting",
    )
    question = Question(
        id=event.question,
        proposal=petition.id,
        spec=event.spec,
        round=1,
        meeting=0,
        deadline=event.deadline,
        opened_time=event.time,
        eligible=dict(event.eligible),
    )
    state.proposals[proposal.id] = proposal
    state.questions[question.id] = question
    proposal.questions.append(question.id)
    petition.question = question.id


@dataclass(frozen=True, slots=True)
class RecallPetitionRead(ReadModel):
    """A petition to recall `member` from `cargo`: its reason (the words of `recall.petitioned`), who
    signed, how many signatures the charter needs now and how many count against it (`signed`: the
    signers, or in a federation the member assemblies whose standing delegates signed; decision 0033),
    the question it opened (0: none yet) and where the decision stands (collecting, deliberation,
    voting, or the proposal's closed status)."""

    petition: int
    cargo: str
    member: str
    reason: Said | str | None
    signers: tuple[str, ...]
    needed: int
    signed: int
    question: int
    status: str
    members_only: bool


def list_recall_petitions(state: AssemblyState, *, open_only: bool = True) -> list[RecallPetitionRead]:
    """Recall petitions with their signatures, needed count, question and where the decision stands; the
    reason is the words of `recall.petitioned` (a `Said`). `signed` is what counts against `needed`: the
    signers, or in a federation the member assemblies whose delegates signed and stand now."""
    needed = state.rules.needed("recall", members=member_base(state))
    found = []
    for petition in sorted(state.recall_petitions.values(), key=lambda p: p.id):
        status = state.proposals[petition.id].status if petition.question else "collecting"
        if open_only and status not in ("collecting", "deliberation", "voting"):
            continue
        found.append(
            RecallPetitionRead(
                petition=petition.id,
                cargo=petition.cargo,
                member=petition.member,
                reason=said(petition.reason, petition.id),
                signers=tuple(petition.signers),
                needed=needed,
                signed=voices(state, petition.signers, now=state.last_time),
                question=petition.question,
                status=status,
                members_only=False,
            )
        )
    return found
