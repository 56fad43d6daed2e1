"""The minutes are generated from the record, never typed by one person: who came, each proposal with its
objections and outcome, a question closed unanswered as lapsed, the minute-keeper's signed notes; a
reader who may not read a note's act gets the note without its words."""

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from factories.records import signed
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers


@pytest.fixture
def council(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Actas")


def test_the_minutes_say_who_came_what_was_decided_and_the_keepers_notes(council: StoredAssembly) -> None:
    # given a meeting where a proposal passed by consent after an answered, withdrawn objection, a note
    # by the minute-keeper, a members-only note, and a second proposal whose question was left open
    meeting = meeting_with_everyone(council)
    ids = consent_decided_with_answered_objection(council, meeting)
    keeper = council.members[1]
    note = act(council, keeper, "minutes.note_added", {"meeting": meeting, "text": "Se compra arena."})
    private, body = signed(
        keeper,
        log=council.log,
        type="minutes.note_added",
        content={"meeting": meeting, "text": "Deuda"},
        vis="members",
    )
    hidden = do_append(council.log, signed_act=private, body=body).seq
    left = act(
        council,
        council.members[2],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Pintar", "text": "La sede.", "effect": {}, "meeting": meeting},
    )
    open_question = act(council, council.convenor, "question.opened", {"proposal": left})
    act(council, council.convenor, "meeting.closed", {"meeting": meeting})
    # when an outsider reads the minutes
    minutes = Client().get(f"/api/assemblies/{council.log}/meetings/{meeting}/minutes").json()
    # then everyone present is there, the decision with its objection, answer and outcome
    assert minutes["present"] == [m.public for m in council.members]
    decided, lapsed = minutes["proposals"]
    assert (decided["id"], decided["status"], decided["title"]) == (
        ids["proposal"],
        "adopted",
        "Arreglar la cancha",
    )
    [objection] = decided["objections"]
    assert (objection["reason"], objection["answer"], objection["withdrawn"]) == (
        "Falta el presupuesto.",
        "Son 300 Bs.",
        True,
    )
    [question] = decided["questions"]
    assert question["outcome"]["result"] == "passed" and not question["lapsed"]
    # and the question closed with the meeting lapsed, without an outcome
    [unanswered] = lapsed["questions"]
    assert unanswered["id"] == open_question and unanswered["lapsed"] and unanswered["outcome"] is None
    # and the notes are the keeper's, the members-only one without its words
    assert minutes["notes"] == [
        {"seq": note, "member": keeper.public, "text": "Se compra arena.", "members_only": False},
        {"seq": hidden, "member": keeper.public, "text": None, "members_only": True},
    ]
