"""When the clock alone next changes what the rules say about an assembly: the one description of what
in the state depends on time.

With the record unchanged, what a reader may do and what a page shows can still change as time passes:
a meeting starts, a question's deadline passes, a cargo's term starts or ends, a turn the rotation
fills comes due, a report falls overdue, a draw's commit or reveal window closes, a speaker's time runs
out, a proposal's deliberation period ends. `next_clock_change` names the first such instant after
`now`. An instant named that changes nothing only makes an adapter work something out again sooner; an
instant missed would leave it wrong until the record changes, so every time a rule compares with `now`
belongs here, as the rule compares it: a deadline that holds while `now <= t` changes at `t + 1`.
"""

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.rotation.forecast import first_starts, list_turn_order
from ayllu.core.cargos.terms import rotation_facts


def next_clock_change(state: AssemblyState, now: int) -> int | None:
    """The first node time after `now` at which the rules may read `state` differently; None if none.

    The answer `t` holds for every instant from `now` up to `t` (the same state asked at any of them
    answers `t` again), so a caller may keep it until then.
    """
    return min((t for t in _instants(state, now) if t > now), default=None)


def _instants(state: AssemblyState, now: int) -> list[int]:
    times = [state.meetings[m].starts for m in state.open_meetings]
    if state.charter is not None:
        limit = state.rules.speaking_limit_s * 1000
        minimum = {True: state.rules.meeting_deliberation_ms, False: state.rules.async_deliberation_ms}
        for m in state.open_meetings:
            meeting = state.meetings[m]
            if meeting.speaker and limit:
                times += [meeting.speaker_since + limit, meeting.speaker_since + limit + 1]
        for proposal in state.proposals.values():
            if proposal.status == "deliberation":
                times.append(proposal.tabled_time + minimum[bool(proposal.meeting)])
    for question in state.questions.values():
        if not question.closed_seq and question.deadline:
            times.append(question.deadline + 1)
    for session in state.sessions.values():
        if not session.report_seq:
            times.append(session.due + 1)
    for draw in state.draws.values():
        if not draw.completed_seq:
            times += [draw.commit_until + 1, draw.reveal_until + 1, draw.beacon_after]
    for cargo in state.cargos.values():
        times += [t for term in cargo.terms for t in (term.start, term.end)]
        times += cargo.holders.values()
    times += [t for grant in state.exemptions for t in (grant.start, grant.end)]
    if state.next_turn_at:
        times.append(state.next_turn_at)
        if state.next_turn_at <= now:
            times += _due_turn_changes(state, now)
    return times


def _due_turn_changes(state: AssemblyState, now: int) -> list[int]:
    """Turns due but not yet recorded (replay fills them when an entry's time reaches them): the
    forecast's terms up to `now` end, and the cargos' next terms start, at these instants."""
    facts = rotation_facts(state)
    turns = list_turn_order(facts, start=state.next_turn_at, until=now + 1)
    return [turn.end for turn in turns] + list(first_starts(facts, start=state.next_turn_at).values())
