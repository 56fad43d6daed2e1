"""Minutes generated from the record, never typed by one person; plus the minute-keeper's signed notes.

`get_minutes` returns plain data (ints, strings, lists, dicts; outcomes via `Outcome.as_json`) that
pages and exports render: who was present, the agenda, each proposal with its objections, questions,
outcomes and tallies, speaking turns, points of order with rulings, and the notes with their authors.
"""

from typing import Any

from .state import AssemblyState, Proposal


def describe_proposal(state: AssemblyState, proposal: Proposal) -> dict[str, Any]:
    """A proposal as the minutes and pages show it: text, objections, and every question's outcome."""
    return {
        "id": proposal.id,
        "author": proposal.author,
        "matter": proposal.matter,
        "title": proposal.title,
        "text": proposal.text,
        "options": list(proposal.options),
        "status": proposal.status,
        "effect_applied": proposal.effect_applied,
        "amendments": [
            {"id": a.id, "member": a.member, "title": a.title, "status": a.status}
            for a in proposal.amendments.values()
        ],
        "objections": [
            {
                "id": o.id,
                "member": o.member,
                "round": o.round,
                "reason": o.reason,
                "answer": o.answer,
                "withdrawn": o.withdrawn,
            }
            for o in proposal.objections.values()
        ],
        "questions": [describe_question(state, q) for q in proposal.questions],
    }


def describe_question(state: AssemblyState, question_id: int) -> dict[str, Any]:
    """One question: method, round, eligible count, open ballots, and the computed outcome once closed."""
    question = state.questions[question_id]
    method = "majority" if question.fallback_of is not None else question.spec.method
    return {
        "id": question.id,
        "method": method,
        "fallback": question.fallback_of is not None,
        "round": question.round,
        "deadline": question.deadline,
        "eligible": len(question.eligible),
        "ballots": {m: list(c) if isinstance(c, tuple) else c for m, c in sorted(question.votes.items())},
        "closed_seq": question.closed_seq,
        "lapsed": bool(question.closed_seq) and question.outcome is None,
        "outcome": None if question.outcome is None else question.outcome.as_json(),
    }


def get_minutes(state: AssemblyState, meeting_id: int) -> dict[str, Any]:
    """The minutes of one meeting, computed from the state replay built."""
    meeting = state.meetings[meeting_id]
    return {
        "meeting": meeting.id,
        "title": meeting.title,
        "chair": meeting.chair,
        "by_petition": meeting.by_petition,
        "starts": meeting.starts,
        "closed_seq": meeting.closed_seq,
        "present": list(meeting.attended),
        "agenda": [dict(item) for item in meeting.agenda],
        "speaking_turns": {m: n for m, n in meeting.turns.items() if n},
        "points_of_order": [{"id": p, **point} for p, point in meeting.points.items()],
        "proposals": [describe_proposal(state, state.proposals[p]) for p in meeting.proposals],
        "notes": [dict(note) for note in meeting.notes],
    }
