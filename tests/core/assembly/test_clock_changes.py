"""`next_clock_change`: the first instant after `now` at which the rules may read the state differently,
computed from the state's own times, as each rule compares them."""

from typing import Any

from ayllu.core.assembly.clock_changes import next_clock_change
from ayllu.core.assembly.state import AssemblyState, Cargo, Meeting, Question, Session, Term

HOUR = 3_600_000
NOW = 1_800_000_000_000


def question(qid: int, *, deadline: int, closed_seq: int = 0) -> Question:
    return Question(
        id=qid,
        proposal=1,
        spec=None,  # type: ignore[arg-type]  # not read here
        round=1,
        meeting=0,
        deadline=deadline,
        opened_time=NOW - HOUR,
        eligible={},
        closed_seq=closed_seq,
    )


def state(**fields: Any) -> AssemblyState:
    return AssemblyState(log="ab" * 32, **fields)


def test_nothing_ahead_depends_on_the_clock() -> None:
    # then
    assert next_clock_change(state(), NOW) is None


def test_an_open_meeting_changes_at_its_start() -> None:
    # given
    meetings = {1: Meeting(id=1, chair="m", title="Asamblea", starts=NOW + HOUR, by_petition=False)}
    # then
    assert next_clock_change(state(meetings=meetings, open_meetings={1}), NOW) == NOW + HOUR
    assert next_clock_change(state(meetings=meetings, open_meetings=set()), NOW) is None


def test_an_open_question_changes_just_after_its_deadline_and_a_closed_one_never() -> None:
    # given: a vote at the deadline is still counted (entry.time <= deadline)
    questions = {1: question(1, deadline=NOW + 2 * HOUR), 2: question(2, deadline=NOW + HOUR, closed_seq=9)}
    # then
    assert next_clock_change(state(questions=questions), NOW) == NOW + 2 * HOUR + 1


def test_a_report_falls_overdue_just_after_it_is_due() -> None:
    # given
    sessions = {("b", "s"): Session(body="b", session="s", seq=3, time=NOW - HOUR, due=NOW + HOUR)}
    # then
    assert next_clock_change(state(sessions=sessions), NOW) == NOW + HOUR + 1


def test_cargo_terms_change_at_their_starts_and_ends() -> None:
    # given: a term running now and one starting later
    terms = [
        Term(cargo="c", member="m1", household="h1", start=NOW - HOUR, end=NOW + 3 * HOUR, seq=2, how="turn"),
        Term(
            cargo="c",
            member="m2",
            household="h2",
            start=NOW + 2 * HOUR,
            end=NOW + 5 * HOUR,
            seq=4,
            how="turn",
        ),
    ]
    cargos = {"c": Cargo(name="c", holders={"m1": NOW + 3 * HOUR}, terms=terms)}
    # then
    assert next_clock_change(state(cargos=cargos), NOW) == NOW + 2 * HOUR
    assert next_clock_change(state(cargos=cargos), NOW + 2 * HOUR) == NOW + 3 * HOUR


def test_the_answer_holds_for_every_instant_up_to_it() -> None:
    # given
    meetings = {1: Meeting(id=1, chair="m", title="Asamblea", starts=NOW + HOUR, by_petition=False)}
    questions = {1: question(1, deadline=NOW + 3 * HOUR)}
    assembly = state(meetings=meetings, open_meetings={1}, questions=questions)
    # when: asked at instants from now on, until nothing is ahead
    answers = []
    at: int | None = NOW
    while at is not None:
        answer = next_clock_change(assembly, at)
        assert all(next_clock_change(assembly, t) == answer for t in (at + 1, (at + (answer or at)) // 2))
        answers.append(answer)
        at = answer
    # then
    assert answers == [NOW + HOUR, NOW + 3 * HOUR + 1, None]
