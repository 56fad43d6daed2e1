"""Overflow petitions: the bases act over the federation's office holders (docs/federation-bodies.md).

A petition of member assemblies, each by its own decision, convenes a federation plenary, suspends an
office holder pending a recall vote, or withdraws a resolution. Nobody holding a federation office is
needed for any of it: the petition takes effect on replay once the charter's number of distinct member
assemblies' decisions are cited (`federation.petition_assemblies`; without it, more than half of the
member assemblies).

Each assembly decides at home, by its own method: a mandate decision (matter `mandate`) whose body is
the federation's log id, whose question is the petition's (`petition_question`: e.g.
`petition:suspend:convenor:<key>`) and whose position is "yes". Then, as for a delegate's credential,
the home record states it in a self-describing public entry:

- petition.backed {federation, action, office?, holder?, resolution?, starts?} (home record, any
  member): refused unless the assembly's mandate on that question for that federation is "yes"
  (`no_petition_decision`).
- federation.petition_cited {assembly, cites, backing} (federation record, anyone's key): cites that
  entry and carries its public body. Replay checks, by proof and body alone: the entry is the named
  assembly's (`cited_other_assembly`), a backing (`not_a_petition_decision`) of a petition to this
  federation (`petition_other_federation`); the assembly is a member (`not_a_member_assembly`) and has
  not backed this petition already (`petition_already_backed`); the petition has not already taken
  effect (`petition_complete`); what it names exists (`unknown_office`, `not_an_office_holder`,
  `unknown_resolution`). The citation that reaches the number completes it, in the same entry:
  - convene {starts}: a federation plenary convened for `starts`;
  - suspend {office, holder}: the holder is suspended from that moment, pending a recall vote (the
    office stays the assembly's turn: it may name someone else);
  - withdraw {resolution}: the federation's decision `resolution` no longer binds.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import (
    HEX,
    INT_ID,
    KEY,
    LIST,
    NAME,
    OBJECT,
    TIME,
    Act,
    act_field,
    act_kind,
)
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState, OverflowPetition
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.cited import CitingAct, assembly_citation, read_cited
from ayllu.core.federations.errors import (
    CitedOtherAssembly,
    NoPetitionDecision,
    NotAMemberAssembly,
    NotAnOfficeHolder,
    NotAPetitionDecision,
    PetitionAlreadyBacked,
    PetitionBackingLapsed,
    PetitionComplete,
    PetitionOtherFederation,
    UnknownOffice,
    UnknownResolution,
)
from ayllu.core.federations.offices import current_term, office_specs
from ayllu.core.federations.plenary import check_plenary_date, convene_plenary
from ayllu.core.federations.reads import PetitionRead
from ayllu.core.federations.recall_vote import open_recall_vote

CONVENE, SUSPEND, WITHDRAW = "convene", "suspend", "withdraw"
ACTIONS = (CONVENE, SUSPEND, WITHDRAW)
YES = "yes"
PETITION = "petition"
# The fields each action names (the rest must be absent).
TARGETS = {CONVENE: ("starts",), SUSPEND: ("office", "holder"), WITHDRAW: ("resolution",)}


@act_kind
class PetitionBacked(Act):
    type = "petition.backed"
    name = "back-petition"
    summary = (
        "State that the assembly decided to back a petition to a federation: the entry the federation cites"
    )
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    action: str = act_field(NAME, help="convene, suspend or withdraw")
    office: str | None = act_field(NAME, default=None, help="suspend: the office")
    holder: str | None = act_field(KEY, default=None, help="suspend: the holder's key")
    resolution: int | None = act_field(INT_ID, default=None, help="withdraw: the federation's decision")
    starts: int | None = act_field(TIME, default=None, help="convene: when the plenary starts")


@act_kind
class PetitionCited(CitingAct):
    type = "federation.petition_cited"
    name = "cite-petition"
    summary = "Cite into a federation a member assembly's decision to back a petition"

    assembly: str = act_field(HEX, help="the log id of the assembly that decided")
    cites: list[Any] = act_field(LIST, help='[citation of the backing], e.g. "[$(ayllu cite HOME_LOG SEQ)]"')
    backing: dict[str, Any] = act_field(OBJECT, help="the backing's body, as the cited entry signs it")


def petition_target(
    action: str,
    *,
    office: str | None = None,
    holder: str | None = None,
    resolution: int | None = None,
    starts: int | None = None,
    seq: int = 0,
) -> str:
    """What the petition names, as one string (`office:holder`, the resolution's id, the start time);
    raise MalformedBody when the action is unknown or names other fields than its own."""
    given = {"office": office, "holder": holder, "resolution": resolution, "starts": starts}
    if action not in TARGETS:
        raise MalformedBody(seq=seq, field="action", value=action[:32])
    for name, value in given.items():
        if (value is None) == (name in TARGETS[action]):
            raise MalformedBody(seq=seq, field=name, reason="petition_" + action)
    return ":".join(str(given[name]) for name in TARGETS[action])


def petition_question(federation_action: str, target: str) -> str:
    """The question a home mandate decides to back the petition (the body is the federation)."""
    return f"{PETITION}:{federation_action}:{target}"


def backing_question(act: PetitionBacked, *, seq: int) -> str:
    """The petition question `act` states."""
    target = petition_target(
        act.action,
        office=act.office,
        holder=act.holder,
        resolution=act.resolution,
        starts=act.starts,
        seq=seq,
    )
    return petition_question(act.action, target)


@dataclass(frozen=True, slots=True)
class PetitionBackingIssued(Event):
    seq: int
    federation: str
    question: str
    decision: int


@dataclass(frozen=True, slots=True)
class PetitionBackedBy(Event):
    question: str
    action: str
    target: str
    assembly: str
    seq: int
    lapses: int = 0  # when this backing stops counting (0: never; the charter's `petition_days`)


@dataclass(frozen=True, slots=True)
class PetitionCompleted(Event):
    question: str
    action: str
    target: str
    seq: int
    time: int


# --- the home record ----------------------------------------------------------------------------------


@rule(PetitionBacked)
def decide_back_petition(state: AssemblyState, act: PetitionBacked, ctx: Context) -> list[Event]:
    """The home's public statement of its decision to back a petition; only if the decision holds."""
    refuse_own_record(state, act.federation, field="federation", seq=ctx.seq)
    question = backing_question(act, seq=ctx.seq)
    mandate = state.mandates.get((act.federation, question))
    if mandate is None or mandate.position.strip().lower() != YES:
        raise NoPetitionDecision(seq=ctx.seq, federation=act.federation, question=question)
    return [PetitionBackingIssued(ctx.seq, act.federation, question, mandate.proposal)]


@applies(PetitionBackingIssued)
def apply_backing(state: AssemblyState, event: PetitionBackingIssued) -> None:
    state.offices.backings[event.seq] = (event.federation, event.question, event.decision)


# --- the federation record ----------------------------------------------------------------------------


def petition_needs(state: AssemblyState) -> int:
    """How many member assemblies' decisions complete a petition now."""
    rules = state.rules.federation
    assert rules is not None
    return rules.petition_assemblies or len(state.member_assemblies) // 2 + 1


def _check_target(state: AssemblyState, backing: PetitionBacked, *, seq: int, now: int) -> None:
    if backing.action == SUSPEND:
        assert backing.office is not None
        if backing.office not in {o.office for o in office_specs(state)}:
            raise UnknownOffice(seq=seq, office=backing.office)
        term = current_term(state.offices, backing.office, now=now)
        holder = term.holder(now=now) if term is not None else None
        if holder is None or holder.key != backing.holder:
            raise NotAnOfficeHolder(seq=seq, office=backing.office, holder=backing.holder)
    elif backing.action == WITHDRAW:
        if backing.resolution not in state.proposals:
            raise UnknownResolution(seq=seq, resolution=backing.resolution)
    elif backing.starts is not None and backing.starts <= now:
        raise MalformedBody(seq=seq, field="starts", reason="past")


@rule(PetitionCited)
def decide_petition_cited(state: AssemblyState, act: PetitionCited, ctx: Context) -> list[Event]:
    """Count a member assembly's decision in a petition; complete it at the charter's number."""
    citation = assembly_citation(
        state, act, ctx, assembly=act.assembly, reason="one_backing", other=CitedOtherAssembly
    )
    backing: PetitionBacked = read_cited(
        citation, act.backing, PetitionBacked, seq=ctx.seq, refused=NotAPetitionDecision
    )
    if backing.federation != state.log:
        raise PetitionOtherFederation(seq=ctx.seq, federation=backing.federation)
    if act.assembly not in state.member_assemblies:
        raise NotAMemberAssembly(seq=ctx.seq, assembly=act.assembly)
    question = backing_question(backing, seq=ctx.seq)
    petition = state.offices.petitions.get(question)
    if petition is not None and petition.completed_seq:
        raise PetitionComplete(seq=ctx.seq, question=question, completed=petition.completed_seq)
    lapses = backing_lapses(state, citation.header.time, now=ctx.time)
    if lapses and lapses <= ctx.time:
        raise PetitionBackingLapsed(seq=ctx.seq, backed=citation.header.time, lapsed=lapses)
    counting = counting_backers(petition, now=ctx.time) if petition is not None else {}
    if act.assembly in counting:
        raise PetitionAlreadyBacked(seq=ctx.seq, assembly=act.assembly, cited=counting[act.assembly])
    _check_target(state, backing, seq=ctx.seq, now=ctx.time)
    target = question.split(":", 2)[2]
    events: list[Event] = [PetitionBackedBy(question, backing.action, target, act.assembly, ctx.seq, lapses)]
    if len(counting) + 1 >= petition_needs(state):
        if backing.action == CONVENE:
            assert backing.starts is not None
            check_plenary_date(state, backing.starts, seq=ctx.seq, now=ctx.time)
        events.append(PetitionCompleted(question, backing.action, target, ctx.seq, ctx.time))
        if backing.action == CONVENE:
            assert backing.starts is not None
            events += convene_plenary(seq=ctx.seq, starts=backing.starts)
        elif backing.action == SUSPEND:
            assert backing.office is not None and backing.holder is not None
            term = current_term(state.offices, backing.office, now=ctx.time)
            assert term is not None  # _check_target found the holder in it
            events += open_recall_vote(
                state, seq=ctx.seq, time=ctx.time, office=backing.office, term_start=term.start,
                holder=backing.holder,
            )  # fmt: skip
    return events


def backing_lapses(state: AssemblyState, backed: int, *, now: int) -> int:
    """When a backing whose home entry is timed `backed` stops counting (0: never). A home time later
    than the citation's counts as the citation's."""
    rules = state.rules.federation
    assert rules is not None
    return min(backed, now) + rules.petition_ms if rules.petition_ms else 0


def counting_backers(petition: OverflowPetition, *, now: int) -> dict[str, int]:
    """The assemblies whose backing of `petition` still counts at `now`, each with the citing seq."""
    return {
        assembly: seq
        for assembly, seq in petition.backers.items()
        if not petition.lapses.get(assembly) or petition.lapses[assembly] > now
    }


def petition_expires(petition: OverflowPetition, *, now: int) -> int:
    """When the first backing still counting at `now` lapses (0: none lapses), for the page."""
    lapses = [petition.lapses.get(a, 0) for a in counting_backers(petition, now=now)]
    return min((t for t in lapses if t), default=0)


@applies(PetitionBackedBy)
def apply_backed_by(state: AssemblyState, event: PetitionBackedBy) -> None:
    petitions = state.offices.petitions
    petition = petitions.setdefault(
        event.question, OverflowPetition(event.question, event.action, event.target, event.seq)
    )
    petition.backers[event.assembly] = event.seq
    if event.lapses:
        petition.lapses[event.assembly] = event.lapses


@applies(PetitionCompleted)
def apply_petition_completed(state: AssemblyState, event: PetitionCompleted) -> None:
    book = state.offices
    petition = book.petitions[event.question]
    petition.completed_seq, petition.completed_time = event.seq, event.time
    if event.action == CONVENE:
        book.plenaries.append((event.seq, event.time, int(event.target), event.question))
    elif event.action == WITHDRAW:
        book.withdrawn[int(event.target)] = event.seq
    else:
        office, holder = event.target.split(":", 1)
        term = current_term(book, office, now=event.time)
        current = term.holder(now=event.time) if term is not None else None
        if current is not None and current.key == holder:
            current.suspended, current.suspended_by = event.time, event.seq


def resolution_withdrawn(state: AssemblyState, resolution: int) -> int:
    """The seq of the petition act that withdrew the federation's decision `resolution` (0: it stands)."""
    return state.offices.withdrawn.get(resolution, 0)


# --- reads --------------------------------------------------------------------------------------------


def list_petitions(state: AssemblyState, *, now: int = 0) -> list[PetitionRead]:
    """Every petition cited into the federation, open ones first, then newest first; ids and keys only.
    An open petition lists the backers still counting at `now` and when the first of them lapses."""
    needs = petition_needs(state) if state.charter is not None and state.rules.federation else 0
    petitions = sorted(state.offices.petitions.values(), key=lambda p: (bool(p.completed_seq), -p.opened_seq))
    return [
        PetitionRead(
            question=p.question,
            action=p.action,
            target=p.target,
            opened_seq=p.opened_seq,
            backers=tuple(sorted(p.backers if p.completed_seq else counting_backers(p, now=now))),
            needs=needs,
            completed_seq=p.completed_seq,
            completed_time=p.completed_time,
            expires=0 if p.completed_seq else petition_expires(p, now=now),
            fields=petition_fields(p.question) or {},
        )
        for p in petitions
    ]


def petition_fields(question: str) -> dict[str, Any] | None:
    """The body fields of `petition.backed` for a petition question (None: not a petition's question)."""
    parts = question.split(":")
    if len(parts) < 3 or parts[0] != PETITION or parts[1] not in TARGETS:
        return None
    action, values = parts[1], parts[2:]
    names = TARGETS[action]
    if len(values) != len(names):
        return None
    fields: dict[str, Any] = {"action": action}
    for name, value in zip(names, values, strict=True):
        if name in ("resolution", "starts"):
            if not value.isdigit() or len(value) > 15:
                return None
            fields[name] = int(value)
        else:
            fields[name] = value
    return fields
