"""Meetings: convening (by the convenor or by petition), presence, live quorum, closing.

Acts (body fields in braces):
- meeting.convened {title, starts}: by a holder of a cargo with the power `convene_meetings` (the
  historic "convenor" cargo has it), who chairs the meeting.
- meeting.petitioned {purpose} opens a petition; {petition} signs one. With the charter's N signatures
  the meeting is convened at once (its id is the petition's), chaired by the first signer. In a
  federation the signatures count the member assemblies whose delegates signed, seats standing then,
  and N is of member assemblies (decision 0030).
- presence.signed {meeting} / presence.ended {meeting}: each member signs their own arrival and departure.
- meeting.closed {meeting}: the chair; questions still open in it lapse (see proposals/lapsing.py).
The floor of a meeting (agenda, speakers, points of order, minute notes) is in floor.py.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import INT_ID, TIME, TITLE, Act, ActForm, act_field, act_kind, form_field
from ayllu.core.assembly.bodies import get_int
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadyPresent,
    AlreadySigned,
    MeetingNotStarted,
    NotChair,
    NotConvenor,
    NotPresent,
    UnknownMeeting,
    UnknownPetition,
)
from ayllu.core.assembly.rule_errors import MeetingClosed as MeetingAlreadyClosed
from ayllu.core.assembly.state import AssemblyState, Meeting, Petition
from ayllu.core.cargos.powers import CONVENE_MEETINGS, holds_power
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.standing import is_federation, member_base, stands_in, voices
from ayllu.core.proposals.lapsing import meeting_lapses
from ayllu.core.proposals.methods import QuorumCheck

CONVENOR = "convenor"
MINUTE_KEEPER = "minute_keeper"


def holds_cargo(state: AssemblyState, member: str, cargo: str, *, now: int) -> bool:
    """True when `member` holds `cargo` at time `now` (ms)."""
    record = state.cargos.get(cargo)
    return record is not None and record.held_by(member, now=now)


def find_meeting(state: AssemblyState, meeting_id: int, *, seq: int, open_only: bool = True) -> Meeting:
    """The meeting with this id; raise unless it exists (and, by default, is still open)."""
    meeting = state.meetings.get(meeting_id)
    if meeting is None:
        raise UnknownMeeting(seq=seq, meeting=meeting_id)
    if open_only and meeting.closed_seq:
        raise MeetingAlreadyClosed(seq=seq, meeting=meeting_id)
    return meeting


def get_meeting(
    state: AssemblyState, content: dict[str, Any], *, seq: int, open_only: bool = True
) -> Meeting:
    """The meeting a body names; raise unless it exists (and, by default, is still open)."""
    return find_meeting(state, get_int(content, "meeting", seq=seq, low=1), seq=seq, open_only=open_only)


def get_quorum(state: AssemblyState, meeting: Meeting, *, now: int | None = None) -> QuorumCheck:
    """The meeting's quorum at `now` (the record's last entry's time by default): who is present, of all
    active members or households. In a federation, on either basis, the member assemblies with a
    delegate present whose seat stands, of all member assemblies (decision 0030)."""
    rule = state.rules.quorum
    if is_federation(state):
        present = voices(state, meeting.present, now=state.last_time if now is None else now)
        return QuorumCheck(share=rule.share, present=present, base=member_base(state))
    if rule.basis == "households":
        present = len({state.members[m].household for m in meeting.present})
        return QuorumCheck(share=rule.share, present=present, base=state.active_households)
    return QuorumCheck(share=rule.share, present=len(meeting.present), base=state.active_count)


def petition_signers(state: AssemblyState, act: "MeetingPetitioned") -> list[str]:
    """Who signed the petition `act` signs, before it (none when `act` starts one)."""
    petition = state.petitions.get(act.petition) if act.petition is not None else None
    return petition.signers if petition is not None else []


def list_speakers(meeting: Meeting) -> list[str]:
    """The speakers' queue in progressive-stack order: fewest turns first, then who asked first."""
    return sorted(meeting.queue, key=lambda m: (meeting.turns.get(m, 0), meeting.queue[m]))


def require_present(meeting: Meeting, author: str, seq: int) -> None:
    """Raise unless `author` is present in the meeting."""
    if author not in meeting.present:
        raise NotPresent(seq=seq, member=author, meeting=meeting.id)


def require_chair(meeting: Meeting, author: str, seq: int) -> None:
    """Raise unless `author` chairs the meeting."""
    if author != meeting.chair:
        raise NotChair(seq=seq, member=author, meeting=meeting.id)


# --- acts -----------------------------------------------------------------------------------------
MEETING_HELP = "the meeting's id"


@act_kind
class MeetingConvened(Act):
    type = "meeting.convened"
    name = "convene"
    summary = "Convene a meeting (the convenor)"

    title: str = act_field(TITLE)
    starts: int = act_field(TIME, help="start time, ms since the epoch")


def _sign_petition(*, petition: int) -> "MeetingPetitioned":
    return MeetingPetitioned(petition=petition)


@act_kind
class MeetingPetitioned(Act):
    """A purpose opens a petition; a petition's id signs one (exactly one of the two)."""

    type = "meeting.petitioned"
    name = "petition"
    summary = "Start a petition to convene a meeting"
    forms = (
        ActForm(
            "sign-petition",
            "Sign a petition to convene a meeting",
            (form_field("petition", INT_ID),),
            _sign_petition,
        ),
    )

    purpose: str | None = act_field(TITLE, default=None)
    petition: int | None = act_field(INT_ID, default=None)

    def check(self, *, seq: int) -> None:
        if self.petition is not None and self.purpose is not None:
            raise MalformedBody(seq=seq, field="fields", extra=["purpose"])
        if self.petition is None and self.purpose is None:
            raise MalformedBody(seq=seq, field="purpose")


@act_kind
class PresenceSigned(Act):
    type = "presence.signed"
    name = "sign-presence"
    summary = "Sign presence"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)


@act_kind
class PresenceEnded(Act):
    type = "presence.ended"
    name = "end-presence"
    summary = "Leave a meeting"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)


@act_kind
class MeetingClosed(Act):
    type = "meeting.closed"
    name = "close-meeting"
    summary = "Close a meeting"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingOpened(Event):
    id: int
    chair: str
    title: str
    starts: int
    by_petition: bool


@dataclass(frozen=True, slots=True)
class PetitionStarted(Event):
    id: int
    purpose: str


@dataclass(frozen=True, slots=True)
class PetitionSigned(Event):
    petition: int
    member: str


@dataclass(frozen=True, slots=True)
class PetitionFulfilled(Event):
    """The petition has its signatures: it is gone, and the meeting it asked for opens (MeetingOpened)."""

    petition: int


@dataclass(frozen=True, slots=True)
class MemberArrived(Event):
    meeting: int
    member: str


@dataclass(frozen=True, slots=True)
class MemberDeparted(Event):
    meeting: int
    member: str


@dataclass(frozen=True, slots=True)
class MeetingEnded(Event):
    meeting: int
    seq: int


# --- rules ----------------------------------------------------------------------------------------


@rule(MeetingConvened)
def decide_convene(state: AssemblyState, act: MeetingConvened, ctx: Context) -> list[Event]:
    if not holds_power(state, ctx.author, CONVENE_MEETINGS, now=ctx.time):
        raise NotConvenor(seq=ctx.seq, member=ctx.author)
    opened = MeetingOpened(
        id=ctx.seq, chair=ctx.author, title=act.title, starts=act.starts, by_petition=False
    )
    return [opened]


@rule(MeetingPetitioned)
def decide_petition(state: AssemblyState, act: MeetingPetitioned, ctx: Context) -> list[Event]:
    events: list[Event] = []
    if act.petition is not None:
        petition = state.petitions.get(act.petition)
        if petition is None:
            raise UnknownPetition(seq=ctx.seq, petition=act.petition)
        if ctx.author in petition.signers:
            raise AlreadySigned(seq=ctx.seq, member=ctx.author)
        id, purpose, first = petition.id, petition.purpose, petition.signers[0]
        signers = len(petition.signers) + 1
    else:
        assert act.purpose is not None
        id, purpose, first = ctx.seq, act.purpose, ctx.author
        signers = 1
        events.append(PetitionStarted(id=id, purpose=purpose))
    events.append(PetitionSigned(petition=id, member=ctx.author))
    if is_federation(state):
        # A federation's petition counts member assemblies, through delegates standing now (decision 0030).
        signers = voices(state, [*petition_signers(state, act), ctx.author], now=ctx.time)
    if signers >= state.rules.needed("petition", members=member_base(state)):
        # the first signer chairs, if they still may act (in a federation: still stand in it)
        stands = stands_in(state, first, now=ctx.time) if is_federation(state) else first in state.members
        chair = first if stands else ctx.author
        events.append(PetitionFulfilled(petition=id))
        events.append(MeetingOpened(id=id, chair=chair, title=purpose, starts=ctx.time, by_petition=True))
    return events


@rule(PresenceSigned)
def decide_sign_presence(state: AssemblyState, act: PresenceSigned, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    if ctx.time < meeting.starts:
        raise MeetingNotStarted(seq=ctx.seq, meeting=meeting.id, starts=meeting.starts)
    if ctx.author in meeting.present:
        raise AlreadyPresent(seq=ctx.seq, member=ctx.author)
    return [MemberArrived(meeting=meeting.id, member=ctx.author)]


@rule(PresenceEnded)
def decide_end_presence(state: AssemblyState, act: PresenceEnded, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    if ctx.author not in meeting.present:
        raise NotPresent(seq=ctx.seq, member=ctx.author)
    return [MemberDeparted(meeting=meeting.id, member=ctx.author)]


@rule(MeetingClosed)
def decide_close_meeting(state: AssemblyState, act: MeetingClosed, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    require_chair(meeting, ctx.author, ctx.seq)
    # Questions still open in the meeting lapse with it, and so do its undecided proposals.
    return [*meeting_lapses(state, meeting.id, seq=ctx.seq), MeetingEnded(meeting=meeting.id, seq=ctx.seq)]


# --- appliers -------------------------------------------------------------------------------------


@applies(MeetingOpened)
def apply_meeting_opened(state: AssemblyState, event: MeetingOpened) -> None:
    state.meetings[event.id] = Meeting(
        id=event.id, chair=event.chair, title=event.title, starts=event.starts, by_petition=event.by_petition
    )
    state.open_meetings.add(event.id)


@applies(PetitionStarted)
def apply_petition_started(state: AssemblyState, event: PetitionStarted) -> None:
    state.petitions[event.id] = Petition(id=event.id, purpose=event.purpose)


@applies(PetitionSigned)
def apply_petition_signed(state: AssemblyState, event: PetitionSigned) -> None:
    state.petitions[event.petition].signers.append(event.member)


@applies(PetitionFulfilled)
def apply_petition_fulfilled(state: AssemblyState, event: PetitionFulfilled) -> None:
    del state.petitions[event.petition]


@applies(MemberArrived)
def apply_arrival(state: AssemblyState, event: MemberArrived) -> None:
    meeting = state.meetings[event.meeting]
    meeting.present.add(event.member)
    if event.member not in meeting.turns:
        meeting.turns[event.member] = 0
        meeting.attended.append(event.member)


@applies(MemberDeparted)
def apply_departure(state: AssemblyState, event: MemberDeparted) -> None:
    meeting = state.meetings[event.meeting]
    meeting.present.discard(event.member)
    meeting.queue.pop(event.member, None)


@applies(MeetingEnded)
def apply_meeting_ended(state: AssemblyState, event: MeetingEnded) -> None:
    meeting = state.meetings[event.meeting]
    meeting.closed_seq = event.seq
    meeting.present.clear()
    meeting.queue.clear()
    meeting.speaker = ""
    state.open_meetings.discard(meeting.id)
