"""The demo assembly is a living council: a year of meetings, decisions under every method, turns,
a mandate, a recall, a draw and a charter amendment, all written through the real write path."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import do_verify_record
from ayllu.cli.demo_story import EVERYONE, VISITOR, Story
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.replayed import read_state
from ayllu.storage import clock
from factories.demo import STORY_NOW, story_written

NOW = STORY_NOW


# The tests only read the story: each runs in a transaction of its own that is rolled back.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def story(django_db_setup: None, django_db_blocker: Any) -> Iterator[Story]:
    """The story, written once for this file's tests."""
    with story_written(django_db_blocker) as story:
        yield story


def _questions(state: Any) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(title, method, result, reasons) of every question, in order; method "fallback" for a fallback."""
    found = []
    for question in state.questions.values():
        proposal = state.proposals[question.proposal]
        method = "fallback" if question.fallback_of is not None else question.spec.method
        outcome = question.outcome
        result, reasons = (outcome.result, outcome.reasons) if outcome else ("open", ())
        found.append((proposal.title, method, result, reasons))
    return found


def test_the_story_decides_under_every_method_and_leaves_questions_open(story: Story) -> None:
    # when the story's questions are read
    questions = read_state(story.log, _questions)
    # then every decision method decided something
    decided = {(method, result) for _, method, result, _ in questions}
    assert {
        ("consent", "passed"),
        ("consensus", "passed"),
        ("consensus", "blocked"),
        ("consensus", "undecided"),
        ("fallback", "passed"),
        ("ranked", "elected"),
        ("approval", "elected"),
        ("majority", "passed"),
        ("majority", "rejected"),
    } <= decided
    # and a block below the threshold is on record, and one question is still open
    assert any("blocks_below_threshold" in reasons for *_, reasons in questions)
    assert [title for title, _, result, _ in questions if result == "open"] == [
        "Arreglar la puerta de la sede"
    ]


def test_the_story_ends_before_now_with_a_ballot_left_for_the_visitor_and_verifies(story: Story) -> None:
    # when the open question, the last entry and the stored record are read
    def open_question(state: Any) -> Any:
        return next(q for q in state.questions.values() if q.outcome is None)

    question = read_state(story.log, open_question)
    last = read_state(story.log, lambda state: state.last_time)
    report = do_verify_record(story.log)
    # then the history ends before now on the story's clock, the node's clock is the real one again,
    # every entry checks (rules included), and the visitor may still vote
    assert NOW - 30 * DAY_MS < last < NOW < question.deadline
    # and the visitor's ballot stays open for weeks after the demo is set up
    assert question.deadline > NOW + 28 * DAY_MS
    assert clock.now_ms is not story.tick
    assert report.ok, report.problem
    assert story.pub(VISITOR) in question.eligible and story.pub(VISITOR) not in question.votes


def test_cargos_rotated_by_turn_with_a_swap_an_exemption_a_mandate_and_a_failed_recall(story: Story) -> None:
    # when the terms of each cargo are read
    def households(state: Any, cargo: str) -> list[str]:
        return [term.household for term in state.cargos[cargo].terms]

    convenors = read_state(story.log, lambda state: households(state, "convenor"))

    def facts(state: Any) -> dict[str, Any]:
        return {
            "swaps": [o for o in state.swap_offers.values() if o.accepted_seq],
            "exemptions": state.exemptions,
            "mandates": list(state.mandates),
            "reports": [s for s in state.sessions.values() if s.report_seq],
            "recalls": [state.proposals[p].status for p in state.recall_petitions],
            "draws": [d.completed_seq for d in state.draws.values()],
            "charters": len(state.charters),
            "minutes": [len(m.notes) for m in state.meetings.values() if m.closed_seq],
            "members": len(state.members),
        }

    found = read_state(story.log, facts)
    # then the convenor's seat went round households, and each practice of the council is on record
    assert len(set(convenors)) >= 4
    assert len(found["swaps"]) == 1 and len(found["exemptions"]) == 1
    assert found["mandates"] == [("fejuve", "Nueva tarifa del agua")] and found["reports"]
    assert found["recalls"] == ["rejected"]
    assert all(found["draws"]) and len(found["draws"]) == 1
    assert found["charters"] == 2
    assert len(found["minutes"]) == 3 and all(found["minutes"])
    assert found["members"] == len(EVERYONE)
