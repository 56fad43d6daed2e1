"""Minutes generated from the record, never typed by one person; plus the minute-keeper's signed notes.

`get_minutes` returns plain data (ints, strings, lists, dicts; outcomes via `Outcome.as_json`) that
pages and exports render: who was present, the agenda, each proposal with its objections, questions,
outcomes and tallies, speaking turns, points of order with rulings, and the notes with their authors.
Every word is a `Said` naming the acts it comes from: a reader sees it through `words.shown_to`.
"""

from typing import Any

from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.assembly.words import MEMBERS_ONLY, Said, said

# What an outcome says in the proposal's words (its options), and what it takes from the ballots: the
# counts, and who blocked or stood aside in a consensus round.
OUTCOME_WORDS = ("winners", "ranking", "tie_order")
OUTCOME_FROM_BALLOTS = ("tallies", "pairwise", "strongest_paths", "standing", "stood_aside")


def proposal_title(proposal: Proposal) -> Said:
    """A proposal's title, said by the act that wrote it (its tabling, or the amendment it accepted)."""
    return said(proposal.title, proposal.words_seq or proposal.id)


def proposal_text(proposal: Proposal) -> Said:
    return said(proposal.text, proposal.words_seq or proposal.id)


def ballot_seqs(state: AssemblyState, question: Question) -> tuple[int, ...]:
    """The seqs of a question's ballots and of its proposal (a choice may name the proposal's options)."""
    return (question.proposal, *question.ballot_seqs.values())


def describe_outcome(state: AssemblyState, question: Question) -> dict[str, Any] | None:
    """A closed question's outcome: the result is the assembly's; what it shows of the options is the
    proposal's words, and what it counts is the ballots' (one hidden ballot hides the counts)."""
    if question.outcome is None:
        return None
    outcome: dict[str, Any] = dict(question.outcome.as_json())
    for name in OUTCOME_WORDS:
        if name in outcome:
            outcome[name] = said(outcome[name], question.proposal)
    for name in OUTCOME_FROM_BALLOTS:
        if name in outcome:
            outcome[name] = said(outcome[name], *ballot_seqs(state, question))
    return outcome


def describe_proposal(state: AssemblyState, proposal: Proposal) -> dict[str, Any]:
    """A proposal as the minutes and pages show it: text, objections, and every question's outcome."""
    return {
        "id": proposal.id,
        "author": proposal.author,
        "matter": proposal.matter,
        "title": proposal_title(proposal),
        "text": proposal_text(proposal),
        "options": said(list(proposal.options), proposal.id),
        "status": proposal.status,
        "effect_applied": proposal.effect_applied,
        "amendments": [
            {
                "id": a.id,
                "member": a.member,
                "title": said(a.title, a.id),
                "status": a.status,
                MEMBERS_ONLY: False,
            }
            for a in proposal.amendments.values()
        ],
        "objections": [
            {
                "id": o.id,
                "member": o.member,
                "round": o.round,
                "reason": said(o.reason, o.id),
                "answer": said(o.answer, o.answer_seq),
                "withdrawn": o.withdrawn,
                MEMBERS_ONLY: False,
            }
            for o in proposal.objections.values()
        ],
        "questions": [describe_question(state, q) for q in proposal.questions],
        MEMBERS_ONLY: False,
    }


def describe_question(state: AssemblyState, question_id: int) -> dict[str, Any]:
    """One question: method, round, eligible count, open ballots, and the computed outcome once closed."""
    question = state.questions[question_id]
    return {
        "id": question.id,
        "method": question.method,
        "fallback": question.fallback_of is not None,
        "round": question.round,
        "deadline": question.deadline,
        "eligible": len(question.eligible),
        "ballots": {
            m: said(list(c) if isinstance(c, tuple) else c, question.ballot_seqs.get(m, 0), question.proposal)
            for m, c in sorted(question.votes.items())
        },
        "closed_seq": question.closed_seq,
        "lapsed": bool(question.closed_seq) and question.outcome is None,
        "outcome": describe_outcome(state, question),
        MEMBERS_ONLY: False,
    }


def get_minutes(state: AssemblyState, meeting_id: int) -> dict[str, Any]:
    """The minutes of one meeting, computed from the state replay built."""
    meeting = state.meetings[meeting_id]
    return {
        "meeting": meeting.id,
        "title": said(meeting.title, meeting.id),
        "chair": meeting.chair,
        "by_petition": meeting.by_petition,
        "starts": meeting.starts,
        "closed_seq": meeting.closed_seq,
        "present": list(meeting.attended),
        "agenda": [describe_agenda_item(item) for item in meeting.agenda],
        "speaking_turns": {m: n for m, n in meeting.turns.items() if n},
        "points_of_order": [describe_point(p, point) for p, point in meeting.points.items()],
        "proposals": [describe_proposal(state, state.proposals[p]) for p in meeting.proposals],
        "notes": [
            {"seq": n["seq"], "member": n["member"], "text": said(n["text"], n["seq"]), MEMBERS_ONLY: False}
            for n in meeting.notes
        ],
        MEMBERS_ONLY: False,
    }


def describe_agenda_item(item: dict[str, Any]) -> dict[str, Any]:
    """An agenda item: its title is its own act's words."""
    return {**item, "title": said(item["title"], item["seq"]), MEMBERS_ONLY: False}


def describe_point(point_id: int, point: dict[str, Any]) -> dict[str, Any]:
    """A point of order: its text is the raising act's words, its ruling the ruling act's."""
    return {
        "id": point_id,
        "member": point["member"],
        "text": said(point["text"], point_id),
        "ruling": said(point["ruling"], point.get("ruling_seq", 0)),
        MEMBERS_ONLY: False,
    }
