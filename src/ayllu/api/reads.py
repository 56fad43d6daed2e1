"""Reads of the API: assemblies, charter, members, meetings, proposals, questions and minutes.

Every answer comes from replaying the record (`queries.assembly`). The charter's plain-language
sentences are in the request's language. Words signed for members only are shown only to this
assembly's logged-in members, confidential words to nobody (`visibility.py`).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Path

from ayllu.messages import charter_sentence
from ayllu.queries import assembly as q

from . import visibility as vis
from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import CharterMessageOut, CharterOut, Log, PathId

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
A = "/assemblies/{log}"


@router.get("/assemblies", response={200: list[q.AssemblyListed], **ERRORS}, tags=["reads"])
def list_assemblies(request: HttpRequest) -> list[q.AssemblyListed]:
    """Every assembly this node holds."""
    return q.list_assemblies()


@router.get(A, response={200: q.AssemblySummary, **ERRORS}, tags=["reads"])
def get_assembly(request: HttpRequest, log: Path[Log]) -> q.AssemblySummary:
    """One assembly: name, size, members, households, charter version."""
    return q.get_assembly(log)


@router.get(f"{A}/charter", response={200: CharterOut, **ERRORS}, tags=["reads"])
def get_charter(request: HttpRequest, log: Path[Log]) -> CharterOut:
    """The charter in force, as data and as plain language in the request's language."""
    charter = q.get_charter(log)
    return CharterOut(
        data=dict(charter.data),
        version=charter.version,
        versions=list(charter.versions),
        messages=[
            CharterMessageOut(id=m.id, params=dict(m.params), text=charter_sentence(m.id, m.params))
            for m in charter.messages
        ],
    )


@router.get(f"{A}/members", response={200: q.MembersRead, **ERRORS}, tags=["reads"])
def list_members(request: HttpRequest, log: Path[Log]) -> q.MembersRead:
    """Members, households, applicants, key claims and cargo holders."""
    return vis.hide_in_members(q.list_members(log), vis.get_hidden(request, log))


@router.get(f"{A}/meetings", response={200: list[q.MeetingRead], **ERRORS}, tags=["reads"])
def list_meetings(request: HttpRequest, log: Path[Log]) -> list[q.MeetingRead]:
    """Every meeting with agenda, presence, live quorum and speakers' queue."""
    return vis.shown(q.list_meetings(log), vis.get_hidden(request, log))


@router.get(f"{A}/meetings/{{meeting}}", response={200: q.MeetingRead, **ERRORS}, tags=["reads"])
def get_meeting(request: HttpRequest, log: Path[Log], meeting: Path[PathId]) -> q.MeetingRead:
    """One meeting; the queue is in progressive-stack order (fewest turns first, then earliest)."""
    return vis.shown(q.get_meeting(log, meeting), vis.get_hidden(request, log))


@router.get(f"{A}/meetings/{{meeting}}/minutes", response={200: q.MinutesRead, **ERRORS}, tags=["reads"])
def get_minutes(request: HttpRequest, log: Path[Log], meeting: Path[PathId]) -> q.MinutesRead:
    """The minutes of a meeting, generated from the record."""
    minutes = q.get_meeting_minutes(log, meeting)
    return vis.shown(minutes, vis.get_hidden(request, log))


@router.get(f"{A}/proposals", response={200: list[q.ProposalRead], **ERRORS}, tags=["reads"])
def list_proposals(request: HttpRequest, log: Path[Log]) -> list[q.ProposalRead]:
    """Every proposal with amendments, objections and questions."""
    return vis.shown(q.list_proposals(log), vis.get_hidden(request, log))


@router.get(f"{A}/proposals/{{proposal}}", response={200: q.ProposalRead, **ERRORS}, tags=["reads"])
def get_proposal(request: HttpRequest, log: Path[Log], proposal: Path[PathId]) -> q.ProposalRead:
    """One proposal: text, amendments, comments, objections, questions and outcomes."""
    return vis.shown(q.get_proposal(log, proposal), vis.get_hidden(request, log))


@router.get(f"{A}/questions", response={200: list[q.QuestionRead], **ERRORS}, tags=["reads"])
def list_questions(request: HttpRequest, log: Path[Log]) -> list[q.QuestionRead]:
    """Every question with method, eligible voters, participation and outcome."""
    return vis.shown(q.list_questions(log), vis.get_hidden(request, log))


@router.get(f"{A}/questions/{{question}}", response={200: q.QuestionRead, **ERRORS}, tags=["reads"])
def get_question(request: HttpRequest, log: Path[Log], question: Path[PathId]) -> q.QuestionRead:
    """One question and its outcome: method, eligible, participation, tallies, reasons."""
    return vis.shown(q.get_question(log, question), vis.get_hidden(request, log))
