"""Meetings: convening, presence, live quorum, the speakers' queue, points of order, minute notes.

Acts (body fields in braces):
- meeting.convened {title, starts}: by a holder of a cargo with the power `convene_meetings` (the
  historic "convenor" cargo has it), who chairs the meeting.
- meeting.petitioned {purpose} opens a petition; {petition} signs one. With the charter's N signatures
  the meeting is convened at once (its id is the petition's), chaired by the first signer.
- presence.signed {meeting} / presence.ended {meeting}: each member signs their own arrival and departure.
- agenda.item_added {meeting, kind, title[, proposal]}: any present member or the chair.
- speaker.queued {meeting}: a present member asks for the floor.
- speaker.called {meeting, member}: the chair gives the floor, and must call the head of the progressive
  stack: fewest turns in this meeting first, then earliest request (lowest seq). No one is called while a
  point of order waits for a ruling.
- point_of_order.raised {meeting, text} / point_of_order.ruled {meeting, point, ruling} (the chair).
- minutes.note_added {meeting, text}: by a holder of `keep_minutes` ("minute_keeper"), signed as theirs.
- meeting.closed {meeting}: the chair; questions still open in it lapse (see proposals).
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import (
    INT_ID,
    KEY,
    NAME,
    TEXT,
    TIME,
    TITLE,
    Act,
    ActForm,
    act_field,
    act_kind,
    form_field,
)
from ayllu.core.assembly.bodies import MAX_TITLE, get_int
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadyPresent,
    AlreadyQueued,
    AlreadySigned,
    MeetingNotStarted,
    NotChair,
    NotConvenor,
    NotMinuteKeeper,
    NotPresent,
    PointOfOrderPending,
    UnknownMeeting,
    UnknownPetition,
    UnknownPoint,
    UnknownProposal,
    WrongSpeaker,
)
from ayllu.core.assembly.rule_errors import MeetingClosed as MeetingAlreadyClosed
from ayllu.core.assembly.state import AssemblyState, Meeting, Petition
from ayllu.core.cargos.powers import CONVENE_MEETINGS, KEEP_MINUTES, holds_power
from ayllu.core.errors import MalformedBody
from ayllu.core.proposals.lapsing import meeting_lapses
from ayllu.core.proposals.methods import QuorumCheck

CONVENOR = "convenor"
MINUTE_KEEPER = "minute_keeper"
AGENDA_KINDS = ("proposal", "report", "discussion")
# Points of order and their rulings are short: five titles long at most.
MAX_POINT = MAX_TITLE * 5


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


def get_quorum(state: AssemblyState, meeting: Meeting) -> QuorumCheck:
    """The meeting's quorum right now: who is present, of all active members or households."""
    rule = state.rules.quorum
    if rule.basis == "households":
        present = len({state.members[m].household for m in meeting.present})
        return QuorumCheck(share=rule.share, present=present, base=state.active_households)
    return QuorumCheck(share=rule.share, present=len(meeting.present), base=state.active_count)


def list_speakers(meeting: Meeting) -> list[str]:
    """The speakers' queue in progressive-stack order: fewest turns first, then who asked first."""
    return sorted(meeting.queue, key=lambda m: (meeting.turns.get(m, 0), meeting.queue[m]))


def _present(meeting: Meeting, author: str, seq: int) -> None:
    if author not in meeting.present:
        raise NotPresent(seq=seq, member=author, meeting=meeting.id)


def _chair(meeting: Meeting, author: str, seq: int) -> None:
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
class AgendaItemAdded(Act):
    type = "agenda.item_added"
    name = "add-agenda-item"
    summary = "Add an agenda item"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)
    kind: str = act_field(NAME, help="proposal | report | discussion", limit=MAX_TITLE)
    title: str = act_field(TITLE)
    proposal: int | None = act_field(INT_ID, default=None)

    def check(self, *, seq: int) -> None:
        if self.kind not in AGENDA_KINDS:
            raise MalformedBody(seq=seq, field="kind", value=self.kind)
        if self.kind == "proposal" and self.proposal is None:
            raise MalformedBody(seq=seq, field="proposal")


@act_kind
class SpeakerQueued(Act):
    type = "speaker.queued"
    name = "queue"
    summary = "Ask for the floor"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)


@act_kind
class SpeakerCalled(Act):
    type = "speaker.called"
    name = "call-speaker"
    summary = "Give the floor (the chair)"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)
    member: str = act_field(KEY)


@act_kind
class PointOfOrderRaised(Act):
    type = "point_of_order.raised"
    name = "raise-point"
    summary = "Raise a point of order"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)
    text: str = act_field(TEXT, limit=MAX_POINT)


@act_kind
class PointOfOrderRuled(Act):
    type = "point_of_order.ruled"
    name = "rule-point"
    summary = "Rule on a point of order (the chair)"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)
    point: int = act_field(INT_ID)
    ruling: str = act_field(TEXT, limit=MAX_POINT)


@act_kind
class MinutesNoteAdded(Act):
    type = "minutes.note_added"
    name = "add-note"
    summary = "Add a note to the minutes (the minute-keeper)"

    meeting: int = act_field(INT_ID, help=MEETING_HELP)
    text: str = act_field(TEXT)


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
class AgendaItemListed(Event):
    meeting: int
    seq: int
    kind: str
    title: str
    by: str
    proposal: int | None


@dataclass(frozen=True, slots=True)
class FloorRequested(Event):
    meeting: int
    member: str
    seq: int


@dataclass(frozen=True, slots=True)
class FloorGiven(Event):
    meeting: int
    member: str
    time: int


@dataclass(frozen=True, slots=True)
class PointRaised(Event):
    meeting: int
    seq: int
    member: str
    text: str


@dataclass(frozen=True, slots=True)
class PointRuled(Event):
    meeting: int
    point: int
    ruling: str
    seq: int


@dataclass(frozen=True, slots=True)
class NoteRecorded(Event):
    meeting: int
    seq: int
    member: str
    text: str


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
    if signers >= state.rules.petition_signatures:
        chair = first if first in state.members else ctx.author
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


@rule(AgendaItemAdded)
def decide_add_agenda_item(state: AssemblyState, act: AgendaItemAdded, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    if ctx.author != meeting.chair:
        _present(meeting, ctx.author, ctx.seq)
    proposal = None
    if act.kind == "proposal":
        proposal = act.proposal
        if proposal not in state.proposals:
            raise UnknownProposal(seq=ctx.seq, proposal=proposal)
    return [
        AgendaItemListed(
            meeting=meeting.id, seq=ctx.seq, kind=act.kind, title=act.title, by=ctx.author, proposal=proposal
        )
    ]


@rule(SpeakerQueued)
def decide_queue(state: AssemblyState, act: SpeakerQueued, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    _present(meeting, ctx.author, ctx.seq)
    if ctx.author in meeting.queue:
        raise AlreadyQueued(seq=ctx.seq, member=ctx.author)
    return [FloorRequested(meeting=meeting.id, member=ctx.author, seq=ctx.seq)]


@rule(SpeakerCalled)
def decide_call_speaker(state: AssemblyState, act: SpeakerCalled, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    _chair(meeting, ctx.author, ctx.seq)
    pending = [p for p, point in meeting.points.items() if not point["ruling"]]
    if pending:
        raise PointOfOrderPending(seq=ctx.seq, point=pending[0])
    order = list_speakers(meeting)
    if not order or order[0] != act.member:
        raise WrongSpeaker(seq=ctx.seq, member=act.member, expected=order[0] if order else "")
    return [FloorGiven(meeting=meeting.id, member=act.member, time=ctx.time)]


@rule(PointOfOrderRaised)
def decide_raise_point(state: AssemblyState, act: PointOfOrderRaised, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    _present(meeting, ctx.author, ctx.seq)
    return [PointRaised(meeting=meeting.id, seq=ctx.seq, member=ctx.author, text=act.text)]


@rule(PointOfOrderRuled)
def decide_rule_point(state: AssemblyState, act: PointOfOrderRuled, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    _chair(meeting, ctx.author, ctx.seq)
    point = meeting.points.get(act.point)
    if point is None or point["ruling"]:
        raise UnknownPoint(seq=ctx.seq, point=act.point)
    return [PointRuled(meeting=meeting.id, point=act.point, ruling=act.ruling, seq=ctx.seq)]


@rule(MinutesNoteAdded)
def decide_add_note(state: AssemblyState, act: MinutesNoteAdded, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq, open_only=False)
    if not holds_power(state, ctx.author, KEEP_MINUTES, now=ctx.time):
        raise NotMinuteKeeper(seq=ctx.seq, member=ctx.author)
    return [NoteRecorded(meeting=meeting.id, seq=ctx.seq, member=ctx.author, text=act.text)]


@rule(MeetingClosed)
def decide_close_meeting(state: AssemblyState, act: MeetingClosed, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    _chair(meeting, ctx.author, ctx.seq)
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


@applies(AgendaItemListed)
def apply_agenda_item(state: AssemblyState, event: AgendaItemListed) -> None:
    item: dict[str, Any] = {"seq": event.seq, "kind": event.kind, "title": event.title, "by": event.by}
    if event.proposal is not None:
        item["proposal"] = event.proposal
    state.meetings[event.meeting].agenda.append(item)


@applies(FloorRequested)
def apply_floor_requested(state: AssemblyState, event: FloorRequested) -> None:
    state.meetings[event.meeting].queue[event.member] = event.seq


@applies(FloorGiven)
def apply_floor_given(state: AssemblyState, event: FloorGiven) -> None:
    meeting = state.meetings[event.meeting]
    del meeting.queue[event.member]
    meeting.turns[event.member] = meeting.turns.get(event.member, 0) + 1
    meeting.speaker, meeting.speaker_since = event.member, event.time


@applies(PointRaised)
def apply_point_raised(state: AssemblyState, event: PointRaised) -> None:
    point = {"member": event.member, "text": event.text, "ruling": "", "ruling_seq": 0}
    state.meetings[event.meeting].points[event.seq] = point


@applies(PointRuled)
def apply_point_ruled(state: AssemblyState, event: PointRuled) -> None:
    point = state.meetings[event.meeting].points[event.point]
    point["ruling"] = event.ruling
    point["ruling_seq"] = event.seq  # its words are the ruling act's (core/assembly/words.py)


@applies(NoteRecorded)
def apply_note(state: AssemblyState, event: NoteRecorded) -> None:
    note = {"seq": event.seq, "member": event.member, "text": event.text}
    state.meetings[event.meeting].notes.append(note)


@applies(MeetingEnded)
def apply_meeting_ended(state: AssemblyState, event: MeetingEnded) -> None:
    meeting = state.meetings[event.meeting]
    meeting.closed_seq = event.seq
    meeting.present.clear()
    meeting.queue.clear()
    meeting.speaker = ""
    state.open_meetings.discard(meeting.id)
