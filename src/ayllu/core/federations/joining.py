"""Joining and leaving a federation by decisions (docs/federation-bodies.md, decision 0029).

An assembly that did not found the federation joins it by two decisions, each taken by its own body's
method, and leaves it by its own decision alone; both use the mandate decision (matter `mandate`)
unchanged, as overflow petitions do (decision 0025):

- the joining assembly decides at home a mandate whose body is the federation's log id, whose question is
  `membership:join` (or `membership:leave`) and whose position is "yes"; any member states it in
  membership.decided {federation, action} (home record): refused unless that mandate holds
  (`no_membership_decision`).
- the federation decides a mandate whose body is the joining assembly's log id, whose question is
  `membership:join` and whose position is "yes", adopted by the federation's own method (tabled and
  closed by its seated delegates, voted by its member assemblies).
- federation.membership_cited {assembly, cites, decision} (federation record, anyone's key): cites the
  home statement and carries its public body. Replay refuses, by proof and body alone: an entry of
  another record (`cited_other_assembly`), not a membership statement or a rewritten body
  (`not_a_membership_decision`), for another federation (`membership_other_federation`); to join: an
  assembly already a member (`already_a_member_assembly`), or no federation decision admitting it that
  was not used already (`no_federation_decision`); to leave: an assembly that is not a member
  (`not_a_member_assembly`); either way, a statement no newer than the last one cited for that assembly
  (`stale_membership_decision`).

Joining makes the assembly a member from that entry: its delegates may then be seated (seats.py) and it
enters the turn of offices and the voters of questions opened afterwards. Leaving ends every seat of its
delegates at that entry's time (so they no longer act as the federation's members, standing.py); it is
no longer a member, its seats are refused (`not_a_member_assembly`), and what it voted or answered
before stays as it was counted.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import HEX, LIST, NAME, OBJECT, Act, act_field, act_kind
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState, MemberAssembly
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.cited import CitingAct, assembly_citation, read_cited
from ayllu.core.federations.errors import (
    AlreadyAMemberAssembly,
    CitedOtherAssembly,
    MembershipOtherFederation,
    NoFederationDecision,
    NoMembershipDecision,
    NotAMemberAssembly,
    NotAMembershipDecision,
    StaleMembershipDecision,
)

JOIN, LEAVE = "join", "leave"
MEMBERSHIP = "membership"
YES = "yes"


def membership_question(action: str) -> str:
    """The question a mandate decides, at home and in the federation: `membership:join|leave`."""
    return f"{MEMBERSHIP}:{action}"


@act_kind
class MembershipDecided(Act):
    type = "membership.decided"
    name = "state-membership"
    summary = "State that the assembly decided to join or leave a federation: the entry the federation cites"
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    action: str = act_field(NAME, help="join or leave")


@act_kind
class MembershipCited(CitingAct):
    type = "federation.membership_cited"
    name = "cite-membership"
    summary = (
        "Cite into a federation an assembly's decision to join it (once the federation decided) or leave it"
    )

    assembly: str = act_field(HEX, help="the log id of the assembly that decided")
    cites: list[Any] = act_field(
        LIST, help='[citation of the statement], e.g. "[$(ayllu cite HOME_LOG SEQ)]"'
    )
    decision: dict[str, Any] = act_field(OBJECT, help="the statement's body, as the cited entry signs it")


@dataclass(frozen=True, slots=True)
class MembershipStated(Event):
    seq: int
    federation: str
    action: str
    decision: int


@dataclass(frozen=True, slots=True)
class AssemblyJoined(Event):
    assembly: str
    seq: int
    decision: int  # the federation's mandate decision (proposal id) admitting it
    cited: int  # the home statement's seq


@dataclass(frozen=True, slots=True)
class AssemblyLeft(Event):
    assembly: str
    seq: int
    time: int
    cited: int


# --- the home record ----------------------------------------------------------------------------------


@rule(MembershipDecided)
def decide_state_membership(state: AssemblyState, act: MembershipDecided, ctx: Context) -> list[Event]:
    """The home's public statement of its decision to join or leave a federation; only if it holds."""
    refuse_own_record(state, act.federation, field="federation", seq=ctx.seq)
    if act.action not in (JOIN, LEAVE):
        raise MalformedBody(seq=ctx.seq, field="action", value=act.action[:32])
    mandate = state.mandates.get((act.federation, membership_question(act.action)))
    if mandate is None or mandate.position.strip().lower() != YES:
        raise NoMembershipDecision(seq=ctx.seq, federation=act.federation, action=act.action)
    return [MembershipStated(ctx.seq, act.federation, act.action, mandate.proposal)]


@applies(MembershipStated)
def apply_membership_stated(state: AssemblyState, event: MembershipStated) -> None:
    state.membership_stated[event.seq] = (event.federation, event.action, event.decision)


# --- the federation record ----------------------------------------------------------------------------


def admitting_decision(state: AssemblyState, assembly: str) -> int:
    """The federation's decision (proposal id) admitting `assembly` and not used yet (0: none)."""
    mandate = state.mandates.get((assembly, membership_question(JOIN)))
    if mandate is None or mandate.position.strip().lower() != YES:
        return 0
    return 0 if mandate.proposal in state.joined_by.values() else mandate.proposal


@rule(MembershipCited)
def decide_membership_cited(state: AssemblyState, act: MembershipCited, ctx: Context) -> list[Event]:
    """An assembly joins (by its decision and the federation's) or leaves (by its own) the federation."""
    citation = assembly_citation(
        state, act, ctx, assembly=act.assembly, reason="one_decision", other=CitedOtherAssembly
    )
    stated: MembershipDecided = read_cited(
        citation, act.decision, MembershipDecided, seq=ctx.seq, refused=NotAMembershipDecision
    )
    if stated.federation != state.log:
        raise MembershipOtherFederation(seq=ctx.seq, federation=stated.federation)
    member = act.assembly in state.member_assemblies
    if citation.seq <= state.membership_cited.get(act.assembly, 0):
        raise StaleMembershipDecision(seq=ctx.seq, assembly=act.assembly, cited=citation.seq)
    if stated.action == JOIN:
        if member:
            raise AlreadyAMemberAssembly(seq=ctx.seq, assembly=act.assembly)
        decision = admitting_decision(state, act.assembly)
        if not decision:
            raise NoFederationDecision(seq=ctx.seq, assembly=act.assembly)
        return [AssemblyJoined(act.assembly, ctx.seq, decision, citation.seq)]
    if not member:
        raise NotAMemberAssembly(seq=ctx.seq, assembly=act.assembly)
    return [AssemblyLeft(act.assembly, ctx.seq, ctx.time, citation.seq)]


@applies(AssemblyJoined)
def apply_assembly_joined(state: AssemblyState, event: AssemblyJoined) -> None:
    former = state.former_assemblies.pop(event.assembly, None)
    member = MemberAssembly(event.assembly, event.seq, founding=False)
    if former is not None:
        member.seats = former.seats
    state.member_assemblies[event.assembly] = member
    state.joined_by[event.assembly] = event.decision
    state.membership_cited[event.assembly] = event.cited


@applies(AssemblyLeft)
def apply_assembly_left(state: AssemblyState, event: AssemblyLeft) -> None:
    member = state.member_assemblies.pop(event.assembly)
    for seat in member.seats:
        if seat.stands(now=event.time):
            seat.ended, seat.ended_by = event.time, event.seq
    state.former_assemblies[event.assembly] = member
    state.membership_cited[event.assembly] = event.cited
