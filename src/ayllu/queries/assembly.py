"""Reads of an assembly as its record says it is: charter, members, meetings, proposals, questions, minutes.

Every answer is computed from the replayed state (`core.replay`), never from a table a node could edit.
Every read shares the one replayed state per record that `queries.replayed` keeps and catches up
when the record grows. Answers are plain data (ints, strings, lists, dicts), every word wrapped in a
`core.words.Said` naming the acts that wrote it: callers show an answer to a reader through
`core.words.shown_to` (the API's `visibility.py`, the pages' `web/reader.py`). An id that names
nothing in this assembly raises the core's `unknown_*` error, so an object of another assembly is
unknown from this one's address.
"""

from typing import Any

from ayllu.core.assembly.reads import get_floor
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.rule_errors import UnknownMeeting, UnknownProposal, UnknownQuestion
from ayllu.core.assembly.state import Meeting
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.charter.plain import render_charter
from ayllu.core.ledger.record import Body, BodyKey, parse_entry
from ayllu.core.meetings.acts import get_quorum, list_speakers
from ayllu.core.meetings.minutes import (
    describe_agenda_item,
    describe_point,
    describe_proposal,
    describe_question,
    get_minutes,
)
from ayllu.storage import models, reads

from .record import list_records
from .replayed import forget_replayed_reads, read_memo, read_state


def _bodies(record: models.Record, keys: set[BodyKey]) -> dict[BodyKey, Body]:
    # By (hash, vis): a comment's members-only twin is not its public one (record-format.md 4).
    rows = models.Body.objects.filter(record=record, hash__in=sorted({h for h, _ in keys}), erased=False)
    return {
        (h, vis): Body(bytes(raw), vis)
        for h, vis, raw in rows.values_list("hash", "vis", "raw")
        if raw is not None
    }


def forget_assembly_states() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    forget_replayed_reads()


# --- the answers -----------------------------------------------------------------------------------
def list_assemblies() -> list[dict[str, Any]]:
    """Every assembly this node holds, oldest first."""
    return [{"log": o.log, "name": o.name, "size": o.size, "head": o.head} for o in list_records()]


def get_assembly(log: str) -> dict[str, Any]:
    """One assembly's summary: name, size, counts and the charter version in force."""

    def read(state: AssemblyState) -> dict[str, Any]:
        return {
            "log": log,
            "name": state.name,
            "size": state.size,
            "members": state.active_count,
            "households": state.active_households,
            "charter_version": state.charters[-1][0] if state.charters else 0,
            "open_meetings": sorted(state.open_meetings),
        }

    return dict(read_memo(log, "assembly.summary", read))


def get_charter(log: str) -> dict[str, Any]:
    """The charter in force as data, its versions, and its plain-language messages (ids and params)."""

    def read(state: AssemblyState) -> dict[str, Any]:
        return {
            "data": state.rules.data,
            "version": state.charters[-1][0],
            "versions": [seq for seq, _ in state.charters],
            "messages": [{"id": mid, "params": params} for mid, params in render_charter(state.rules)],
        }

    return read_state(log, read)


def list_members(log: str) -> dict[str, Any]:
    """Members, households, applicants, key claims and cargo holders."""

    def read(state: AssemblyState) -> dict[str, Any]:
        return {
            "members": [
                {
                    "id": m.id,
                    "key": m.key,
                    "household": m.household,
                    "since": m.since,
                    "suspended": m.suspended,
                }
                for m in state.members.values()
            ],
            "households": [
                {"id": h, "members": sorted(members), "active": state.household_active.get(h, 0)}
                for h, members in sorted(state.households.items())
            ],
            "applicants": [
                {
                    "key": a.key,
                    "household": said(a.household, a.seq),
                    "seq": a.seq,
                    "sponsors": sorted(a.sponsors),
                    MEMBERS_ONLY: False,
                }
                for a in state.applicants.values()
            ],
            "key_claims": [
                {
                    "key": c.key,
                    "member": said(c.member, c.seq),
                    "seq": c.seq,
                    "vouchers": sorted(c.vouchers),
                    MEMBERS_ONLY: False,
                }
                for c in state.key_claims.values()
            ],
            "cargos": [
                {
                    "cargo": c.name,
                    "holders": [{"member": m, "until": u} for m, u in sorted(c.holders.items())],
                }
                for c in state.cargos.values()
            ],
        }

    return read_state(log, read)


def _meeting(state: AssemblyState, meeting_id: int) -> Meeting:
    meeting = state.meetings.get(meeting_id)
    if meeting is None:
        raise UnknownMeeting(meeting=meeting_id)
    return meeting


def _describe_meeting(state: AssemblyState, meeting: Meeting) -> dict[str, Any]:
    quorum = get_quorum(state, meeting)
    floor = get_floor(state, meeting.id) if not meeting.closed_seq else None
    return {
        "id": meeting.id,
        "title": said(meeting.title, meeting.id),
        "chair": meeting.chair,
        "starts": meeting.starts,
        "by_petition": meeting.by_petition,
        "open": not meeting.closed_seq,
        "closed_seq": meeting.closed_seq,
        "agenda": [describe_agenda_item(item) for item in meeting.agenda],
        "present": sorted(meeting.present),
        "quorum": {
            "present": quorum.present,
            "base": quorum.base,
            "share": f"{quorum.share.numerator}/{quorum.share.denominator}",
            "met": quorum.met,
        },
        "queue": list_speakers(meeting),
        "floor": None
        if floor is None or not floor.speaker
        else {"speaker": floor.speaker, "since": floor.since, "until": floor.until},
        "points_of_order": [describe_point(p, point) for p, point in meeting.points.items()],
        "questions": list(meeting.questions),
        "proposals": list(meeting.proposals),
        MEMBERS_ONLY: False,
    }


def list_meetings(log: str) -> list[dict[str, Any]]:
    """Every meeting, with its agenda, presence, live quorum and speakers' queue."""
    return read_state(log, lambda state: [_describe_meeting(state, m) for m in state.meetings.values()])


def get_meeting(log: str, meeting_id: int) -> dict[str, Any]:
    """One meeting: agenda, presence, live quorum, the speakers' queue in progressive-stack order."""
    return read_state(log, lambda state: _describe_meeting(state, _meeting(state, meeting_id)))


def get_meeting_minutes(log: str, meeting_id: int) -> dict[str, Any]:
    """The minutes of a meeting, generated from the record."""
    return read_state(log, lambda state: get_minutes(state, _meeting(state, meeting_id).id))


def list_proposals(log: str) -> list[dict[str, Any]]:
    """Every proposal with its status, amendments, objections and questions."""
    return read_state(log, lambda state: [describe_proposal(state, p) for p in state.proposals.values()])


def get_proposal(log: str, proposal_id: int) -> dict[str, Any]:
    """One proposal: text, amendments (with their text), comments, objections and questions."""

    def read(state: AssemblyState) -> tuple[dict[str, Any], list[int]]:
        proposal = state.proposals.get(proposal_id)
        if proposal is None:
            raise UnknownProposal(proposal=proposal_id)
        described = describe_proposal(state, proposal)
        texts = {a.id: said(a.text, a.id) for a in proposal.amendments.values()}
        for amendment in described["amendments"]:
            amendment["text"] = texts[amendment["id"]]
        described["cosigners"] = sorted(proposal.cosigners)
        return described, list(proposal.comments)

    described, comment_seqs = read_state(log, read)
    described["comments"] = _comments(log, comment_seqs)
    return described


def _comments(log: str, seqs: list[int]) -> list[dict[str, Any]]:
    # Replay keeps only the seqs of comments (they bear no rule); their words are in the bodies.
    record = reads.get_record(log)
    rows = models.Entry.objects.filter(record=record, seq__in=seqs).order_by("seq")
    entries = [parse_entry(bytes(raw)) for raw in rows.values_list("header", flat=True)]
    bodies = _bodies(record, {(e.act.body, e.act.vis) for e in entries})
    comments = []
    for entry in entries:
        body = bodies.get((entry.act.body, entry.act.vis))
        text = body.content().get("text") if body is not None else None
        comments.append(
            {
                "id": entry.seq,
                "author": entry.author,
                "time": entry.time,
                "text": said(text, entry.seq),
                MEMBERS_ONLY: False,
            }
        )
    return comments


def list_questions(log: str) -> list[dict[str, Any]]:
    """Every question with its method, eligible voters, participation, tallies and outcome."""
    return read_state(log, lambda state: [_describe_question(state, q) for q in state.questions])


def get_question(log: str, question_id: int) -> dict[str, Any]:
    """One question and, once closed, its outcome (method, eligible, participation, tallies, reasons)."""

    def read(state: AssemblyState) -> dict[str, Any]:
        if question_id not in state.questions:
            raise UnknownQuestion(question=question_id)
        return _describe_question(state, question_id)

    return read_state(log, read)


def _describe_question(state: AssemblyState, question_id: int) -> dict[str, Any]:
    question = state.questions[question_id]
    return {
        **describe_question(state, question_id),
        "proposal": question.proposal,
        "meeting": question.meeting,
        "opened_time": question.opened_time,
        "open": not question.closed_seq,
        "voted": len(question.votes),
        "eligible_members": sorted(question.eligible),
    }
