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

from typing import Any

from ayllu.core.assembly.bodies import MAX_TITLE, get_int, get_str, only_fields
from ayllu.core.assembly.rule_errors import (
    AlreadyPresent,
    AlreadyQueued,
    AlreadySigned,
    MeetingClosed,
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
from ayllu.core.assembly.state import AssemblyState, Meeting, Petition
from ayllu.core.cargos.powers import CONVENE_MEETINGS, KEEP_MINUTES, holds_power
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.record import Entry
from ayllu.core.proposals.methods import QuorumCheck

CONVENOR = "convenor"
MINUTE_KEEPER = "minute_keeper"
AGENDA_KINDS = ("proposal", "report", "discussion")


def holds_cargo(state: AssemblyState, member: str, cargo: str, *, now: int) -> bool:
    """True when `member` holds `cargo` at time `now` (ms)."""
    record = state.cargos.get(cargo)
    return record is not None and record.held_by(member, now=now)


def get_meeting(
    state: AssemblyState, content: dict[str, Any], *, seq: int, open_only: bool = True
) -> Meeting:
    """The meeting a body names; raise unless it exists (and, by default, is still open)."""
    meeting_id = get_int(content, "meeting", seq=seq, low=1)
    meeting = state.meetings.get(meeting_id)
    if meeting is None:
        raise UnknownMeeting(seq=seq, meeting=meeting_id)
    if open_only and meeting.closed_seq:
        raise MeetingClosed(seq=seq, meeting=meeting_id)
    return meeting


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


def _open_meeting(
    state: AssemblyState, *, id: int, chair: str, title: str, starts: int, petition: bool
) -> None:
    state.meetings[id] = Meeting(id=id, chair=chair, title=title, starts=starts, by_petition=petition)
    state.open_meetings.add(id)


def do_convened(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"title", "starts"}, seq=entry.seq)
    title = get_str(content, "title", seq=entry.seq, limit=MAX_TITLE)
    starts = get_int(content, "starts", seq=entry.seq)
    if not holds_power(state, author, CONVENE_MEETINGS, now=entry.time):
        raise NotConvenor(seq=entry.seq, member=author)
    _open_meeting(state, id=entry.seq, chair=author, title=title, starts=starts, petition=False)


def do_petitioned(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    if "petition" in content:
        only_fields(content, {"petition"}, seq=seq)
        petition = state.petitions.get(get_int(content, "petition", seq=seq, low=1))
        if petition is None:
            raise UnknownPetition(seq=seq, petition=content["petition"])
        if author in petition.signers:
            raise AlreadySigned(seq=seq, member=author)
    else:
        only_fields(content, {"purpose"}, seq=seq)
        petition = Petition(id=seq, purpose=get_str(content, "purpose", seq=seq, limit=MAX_TITLE))
        state.petitions[seq] = petition
    petition.signers.append(author)
    if len(petition.signers) >= state.rules.petition_signatures:
        del state.petitions[petition.id]
        chair = petition.signers[0] if petition.signers[0] in state.members else author
        _open_meeting(
            state, id=petition.id, chair=chair, title=petition.purpose, starts=entry.time, petition=True
        )


def do_presence_signed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    if entry.time < meeting.starts:
        raise MeetingNotStarted(seq=entry.seq, meeting=meeting.id, starts=meeting.starts)
    if author in meeting.present:
        raise AlreadyPresent(seq=entry.seq, member=author)
    meeting.present.add(author)
    if author not in meeting.turns:
        meeting.turns[author] = 0
        meeting.attended.append(author)


def do_presence_ended(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    if author not in meeting.present:
        raise NotPresent(seq=entry.seq, member=author)
    meeting.present.discard(author)
    meeting.queue.pop(author, None)


def _present(meeting: Meeting, author: str, seq: int) -> None:
    if author not in meeting.present:
        raise NotPresent(seq=seq, member=author, meeting=meeting.id)


def _chair(meeting: Meeting, author: str, seq: int) -> None:
    if author != meeting.chair:
        raise NotChair(seq=seq, member=author, meeting=meeting.id)


def do_agenda_item_added(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting", "kind", "title", "proposal"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    if author != meeting.chair:
        _present(meeting, author, entry.seq)
    kind = get_str(content, "kind", seq=entry.seq, limit=MAX_TITLE)
    if kind not in AGENDA_KINDS:
        raise MalformedBody(seq=entry.seq, field="kind", value=kind)
    title = get_str(content, "title", seq=entry.seq, limit=MAX_TITLE)
    item: dict[str, Any] = {"seq": entry.seq, "kind": kind, "title": title, "by": author}
    if kind == "proposal":
        proposal = get_int(content, "proposal", seq=entry.seq, low=1)
        if proposal not in state.proposals:
            raise UnknownProposal(seq=entry.seq, proposal=proposal)
        item["proposal"] = proposal
    meeting.agenda.append(item)


def do_speaker_queued(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    _present(meeting, author, entry.seq)
    if author in meeting.queue:
        raise AlreadyQueued(seq=entry.seq, member=author)
    meeting.queue[author] = entry.seq


def do_speaker_called(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting", "member"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    _chair(meeting, author, entry.seq)
    pending = [p for p, point in meeting.points.items() if not point["ruling"]]
    if pending:
        raise PointOfOrderPending(seq=entry.seq, point=pending[0])
    member = get_str(content, "member", seq=entry.seq, limit=64)
    order = list_speakers(meeting)
    if not order or order[0] != member:
        raise WrongSpeaker(seq=entry.seq, member=member, expected=order[0] if order else "")
    del meeting.queue[member]
    meeting.turns[member] = meeting.turns.get(member, 0) + 1
    meeting.speaker, meeting.speaker_since = member, entry.time


def do_point_raised(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting", "text"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    _present(meeting, author, entry.seq)
    text = get_str(content, "text", seq=entry.seq, limit=MAX_TITLE * 5)
    meeting.points[entry.seq] = {"member": author, "text": text, "ruling": "", "ruling_seq": 0}


def do_point_ruled(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting", "point", "ruling"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    _chair(meeting, author, entry.seq)
    point = meeting.points.get(get_int(content, "point", seq=entry.seq, low=1))
    if point is None or point["ruling"]:
        raise UnknownPoint(seq=entry.seq, point=content["point"])
    point["ruling"] = get_str(content, "ruling", seq=entry.seq, limit=MAX_TITLE * 5)
    point["ruling_seq"] = entry.seq  # its words are the ruling act's (core/assembly/words.py)


def do_note_added(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"meeting", "text"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq, open_only=False)
    if not holds_power(state, author, KEEP_MINUTES, now=entry.time):
        raise NotMinuteKeeper(seq=entry.seq, member=author)
    text = get_str(content, "text", seq=entry.seq)
    meeting.notes.append({"seq": entry.seq, "member": author, "text": text})


def check_meeting_close(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> Meeting:
    """Check that the chair may close the meeting; the caller lapses its questions, then `close_meeting`."""
    only_fields(content, {"meeting"}, seq=entry.seq)
    meeting = get_meeting(state, content, seq=entry.seq)
    _chair(meeting, author, entry.seq)
    return meeting


def close_meeting(state: AssemblyState, meeting: Meeting, *, seq: int) -> None:
    meeting.closed_seq = seq
    meeting.present.clear()
    meeting.queue.clear()
    meeting.speaker = ""
    state.open_meetings.discard(meeting.id)
