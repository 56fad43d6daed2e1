"""The floor of a meeting: the agenda, the speakers' queue, points of order and the minute-keeper's notes.

Acts (body fields in braces):
- agenda.item_added {meeting, kind, title[, proposal]}: any present member or the chair.
- speaker.queued {meeting}: a present member asks for the floor.
- speaker.called {meeting, member}: the chair gives the floor, and must call the head of the progressive
  stack: fewest turns in this meeting first, then earliest request (lowest seq). No one is called while a
  point of order waits for a ruling.
- point_of_order.raised {meeting, text} / point_of_order.ruled {meeting, point, ruling} (the chair).
- minutes.note_added {meeting, text}: by a holder of `keep_minutes` ("minute_keeper"), signed as theirs.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import INT_ID, KEY, NAME, TEXT, TITLE, Act, act_field, act_kind
from ayllu.core.assembly.bodies import MAX_TITLE
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadyQueued,
    NotMinuteKeeper,
    PointOfOrderPending,
    UnknownPoint,
    UnknownProposal,
    WrongSpeaker,
)
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.powers import KEEP_MINUTES, holds_power
from ayllu.core.errors import MalformedBody
from ayllu.core.meetings.acts import MEETING_HELP, find_meeting, list_speakers, require_chair, require_present

AGENDA_KINDS = ("proposal", "report", "discussion")
# Points of order and their rulings are short: five titles long at most.
MAX_POINT = MAX_TITLE * 5


# --- acts -----------------------------------------------------------------------------------------


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


# --- events ---------------------------------------------------------------------------------------


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


# --- rules ----------------------------------------------------------------------------------------


@rule(AgendaItemAdded)
def decide_add_agenda_item(state: AssemblyState, act: AgendaItemAdded, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    if ctx.author != meeting.chair:
        require_present(meeting, ctx.author, ctx.seq)
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
    require_present(meeting, ctx.author, ctx.seq)
    if ctx.author in meeting.queue:
        raise AlreadyQueued(seq=ctx.seq, member=ctx.author)
    return [FloorRequested(meeting=meeting.id, member=ctx.author, seq=ctx.seq)]


@rule(SpeakerCalled)
def decide_call_speaker(state: AssemblyState, act: SpeakerCalled, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    require_chair(meeting, ctx.author, ctx.seq)
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
    require_present(meeting, ctx.author, ctx.seq)
    return [PointRaised(meeting=meeting.id, seq=ctx.seq, member=ctx.author, text=act.text)]


@rule(PointOfOrderRuled)
def decide_rule_point(state: AssemblyState, act: PointOfOrderRuled, ctx: Context) -> list[Event]:
    meeting = find_meeting(state, act.meeting, seq=ctx.seq)
    require_chair(meeting, ctx.author, ctx.seq)
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


# --- appliers -------------------------------------------------------------------------------------


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
