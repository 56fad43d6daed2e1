"""The calendar, the news feed and the register's check through the JSON API: members-only words null
for outsiders, a member's own calendar by its token, the register's lines judged without echoing phones."""

import pytest
from django.test import Client

from ayllu.actions.calendar_links import do_make_calendar_link, do_revoke_calendar_link
from ayllu.actions.record import do_append, forget_replayed_state
from factories.records import signed
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers

SECRET = "Reunion reservada"


@pytest.fixture
def council(db: None) -> StoredAssembly:
    """A decided proposal in a closed public meeting, and a members-only meeting."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal API")
    meeting = meeting_with_everyone(assembly)
    consent_decided_with_answered_objection(assembly, meeting)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    hidden, body = signed(
        assembly.convenor,
        log=assembly.log,
        type="meeting.convened",
        content={"title": SECRET, "starts": 1_900_000_000_000},
        vis="members",
    )
    do_append(assembly.log, signed_act=hidden, body=body)
    return assembly


def test_the_calendar_in_json_hides_members_only_words_from_outsiders(council: StoredAssembly) -> None:
    # when an outsider reads the calendar
    response = Client().get(f"/api/assemblies/{council.log}/calendar")
    # then both meetings are there, the members-only one without its title
    assert response.status_code == 200
    meetings = [e for e in response.json() if e["kind"] == "meeting"]
    assert sorted((m["title"], m["members_only"]) for m in meetings if m["title"]) == [
        ("Asamblea ordinaria", False)
    ]
    assert [m["members_only"] for m in meetings if m["title"] is None] == [True]
    assert SECRET not in response.content.decode()


def test_a_members_own_calendar_by_its_token(council: StoredAssembly) -> None:
    # given a member's link
    token = do_make_calendar_link(council.log, member=council.members[2].public)
    # then the calendar shows members' words without any session
    response = Client().get(f"/api/calendar/{token}")
    assert response.status_code == 200
    assert SECRET in [e["title"] for e in response.json()]
    # and once revoked it is not found
    do_revoke_calendar_link(council.log, member=council.members[2].public)
    assert Client().get(f"/api/calendar/{token}").status_code == 404


def test_the_feed_in_json_lists_the_decision_and_the_minutes(council: StoredAssembly) -> None:
    response = Client().get(f"/api/assemblies/{council.log}/feed")
    assert response.status_code == 200
    assert [(e["kind"], e["title"]) for e in response.json()] == [
        ("minutes", "Asamblea ordinaria"),
        ("decision", "Arreglar la cancha"),
    ]


def test_the_register_check_judges_each_line_and_does_not_echo_phones(council: StoredAssembly) -> None:
    # given a register with a duplicate, an existing household and a phone
    text = "\ufeffnombre;telefono\nQuispe;+59170000001\n\nQuispe;\ncasa-1;\n"
    # when it is checked through the API
    response = Client().post(
        f"/api/assemblies/{council.log}/register/check", {"text": text}, content_type="application/json"
    )
    # then each line says what is wrong, and the phone is not in the answer
    assert response.status_code == 200
    body = response.json()
    assert body["problem"] == ""
    assert [(x["line"], x["problem"], x["has_phone"]) for x in body["lines"]] == [
        (2, "", True),
        (4, "duplicate", False),
        (5, "exists", False),
    ]
    assert "70000001" not in response.content.decode()
    # and a file without the name column says so
    bad = Client().post(
        f"/api/assemblies/{council.log}/register/check", {"text": "x\n1\n"}, content_type="application/json"
    )
    assert bad.json()["problem"] == "no_name_column"
