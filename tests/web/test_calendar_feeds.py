"""Calendars a phone subscribes to: the assembly's public one and a member's own, by a link they make and
may revoke. Each feed is parsed with the icalendar library, as a calendar app would read it."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from icalendar import Calendar

from ayllu.actions.record import do_append
from ayllu.core.charter.rules import DAY_MS
from ayllu.storage.models import CalendarLink
from factories.keys import keypair
from factories.records import signed
from factories.scenes import build_scene, clock
from factories.stored import StoredAssembly, act, admit, found_with_officers, log_in_as

__all__ = ["clock"]  # the fixture, imported for the tests below

SECRET_MEETING = "Reunion reservada sobre la deuda"
SECRET_PROPOSAL = "Pagar la deuda de la casa 4"
DEADLINE = 1_900_000_000_000  # 2030: after every entry's time


def calendar(response: object) -> Calendar:
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"  # type: ignore[index]
    return Calendar.from_ical(response.content)  # type: ignore[attr-defined]


def summaries(cal: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in cal.walk("VEVENT")]


def members_only(assembly: StoredAssembly, author: int, type: str, content: dict[str, object]) -> int:
    act_, body = signed(assembly.members[author], log=assembly.log, type=type, content=content, vis="members")
    return do_append(assembly.log, signed_act=act_, body=body).seq


@pytest.fixture
def council(db: None) -> StoredAssembly:
    """Four members; a public meeting and a members-only one; a question open on a public proposal and
    one on a members-only proposal, every member eligible for both."""
    assembly = found_with_officers("Junta Vecinal Calendario")
    starts = int(datetime(2026, 7, 1, 23, 0, tzinfo=UTC).timestamp() * 1000)
    act(assembly, assembly.convenor, "meeting.convened", {"title": "Asamblea de julio", "starts": starts})
    members_only(assembly, 0, "meeting.convened", {"title": SECRET_MEETING, "starts": starts + DAY_MS})
    public = act(
        assembly,
        assembly.members[1],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Arreglar la cancha", "text": "Arena.", "effect": {}},
    )
    act(assembly, assembly.convenor, "question.opened", {"proposal": public, "deadline": DEADLINE})
    private = members_only(
        assembly,
        1,
        "proposal.tabled",
        {"matter": "ordinary", "title": SECRET_PROPOSAL, "text": "300 Bs.", "effect": {}},
    )
    act(assembly, assembly.convenor, "question.opened", {"proposal": private, "deadline": DEADLINE})
    return assembly


def test_the_public_calendar_lists_meetings_and_public_deadlines_and_never_members_only_words(
    council: StoredAssembly, client: Client
) -> None:
    # given an assembly with a members-only meeting and a members-only proposal being voted on
    # when anyone fetches its calendar
    response = client.get(f"/en/assembly/{council.log}/calendar.ics")
    # then it is a calendar with both meetings (the members-only one without its title) and the public
    # question's deadline only; no members-only word is anywhere in it
    cal = calendar(response)
    assert sorted(s for s in summaries(cal) if not s.startswith("Term as")) == [
        "Meeting of the assembly",
        "Meeting: Asamblea de julio",
        "Voting closes: Arreglar la cancha",
    ]
    raw = response.content.decode()
    assert SECRET_MEETING not in raw and SECRET_PROPOSAL not in raw
    # and times are UTC, every event has a UID and a DTSTAMP
    meeting = next(e for e in cal.walk("VEVENT") if "julio" in str(e["SUMMARY"]))
    assert meeting.decoded("DTSTART") == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)
    assert "DTSTART:20260701T230000Z" in raw
    assert all(e.get("UID") and e.get("DTSTAMP") for e in cal.walk("VEVENT"))


def test_uids_stay_the_same_as_the_record_grows(council: StoredAssembly, client: Client) -> None:
    # given the calendar as a phone first fetched it
    before = {
        str(e["UID"]) for e in calendar(client.get(f"/en/assembly/{council.log}/calendar.ics")).walk("VEVENT")
    }
    # when the record grows by another meeting
    act(council, council.convenor, "meeting.convened", {"title": "Otra", "starts": 1_800_000_000_000})
    after = {
        str(e["UID"]) for e in calendar(client.get(f"/en/assembly/{council.log}/calendar.ics")).walk("VEVENT")
    }
    # then every earlier event keeps its UID and the new one has its own
    assert before < after and len(after - before) == 1


def test_the_calendar_speaks_the_language_of_its_address(council: StoredAssembly, client: Client) -> None:
    # when the calendar is fetched under the Spanish prefix
    cal = calendar(client.get(f"/es/asamblea/{council.log}/calendario.ics"))
    # then its texts are Spanish
    assert "Reunión: Asamblea de julio" in summaries(cal)


def test_a_member_makes_a_private_link_that_shows_members_words_and_revoking_it_makes_it_404(
    council: StoredAssembly, client: Client
) -> None:
    # given a member logged in, on the calendars page
    log_in_as(client, council.log, council.members[2])
    page = client.get(f"/en/assembly/{council.log}/calendars/")
    assert page.status_code == 200 and b"Make my calendar link" in page.content
    # when they make their link
    client.post(f"/en/assembly/{council.log}/calendars/", {"do": "make"})
    token = CalendarLink.objects.get().token
    assert len(token) >= 40
    page = client.get(f"/en/assembly/{council.log}/calendars/")
    assert token.encode() in page.content
    # then the link opens their calendar without any session, with the words members read
    stranger = Client()
    response = stranger.get(f"/en/calendar/{token}.ics")
    assert response["Cache-Control"] == "private, no-store"
    assert sorted(s for s in summaries(calendar(response)) if "term as" not in s) == [
        "Meeting: Asamblea de julio",
        f"Meeting: {SECRET_MEETING}",
        "Voting closes: Arreglar la cancha",
        f"Voting closes: {SECRET_PROPOSAL}",
    ]
    # when they make a new one, the old stops working; when they revoke it, the new stops too
    client.post(f"/en/assembly/{council.log}/calendars/", {"do": "make"})
    renewed = CalendarLink.objects.get().token
    assert renewed != token
    assert stranger.get(f"/en/calendar/{token}.ics").status_code == 404
    assert stranger.get(f"/en/calendar/{renewed}.ics").status_code == 200
    client.post(f"/en/assembly/{council.log}/calendars/", {"do": "revoke"})
    assert stranger.get(f"/en/calendar/{renewed}.ics").status_code == 404
    assert not CalendarLink.objects.exists()


def test_only_a_logged_in_member_makes_a_link(council: StoredAssembly, client: Client) -> None:
    # when someone not logged in posts to make a link
    response = client.post(f"/en/assembly/{council.log}/calendars/", {"do": "make"})
    # then they are sent to log in and nothing is stored
    assert response.status_code == 302
    assert not CalendarLink.objects.exists()
    assert client.get("/en/calendar/made-up.ics").status_code == 404


def test_a_members_calendar_keeps_their_households_turns_and_the_public_one_everyones(
    db: None, clock: object, client: Client
) -> None:
    # given the cargo scene: cargos filled by turn among five households
    asm = build_scene(clock)  # type: ignore[arg-type]
    public = calendar(client.get(f"/en/assembly/{asm.log}/calendar.ics"))
    terms = [s for s in summaries(public) if s.startswith("Term as")]
    # then the public calendar lists the terms of every household
    assert terms and any("Mamani" in s or "Condori" in s for s in terms)
    # when ana makes her own link
    log_in_as(client, asm.log, asm.keys["ana"])
    client.post(f"/en/assembly/{asm.log}/calendars/", {"do": "make"})
    token = CalendarLink.objects.get().token
    mine = calendar(Client().get(f"/en/calendar/{token}.ics"))
    # then her calendar holds only her household's terms, and fewer than the public one
    own = [s for s in summaries(mine) if s.startswith("Our household's term")]
    assert 0 < len(own) < len(terms)


def test_a_member_sees_only_the_deadlines_of_questions_they_may_vote_on(
    council: StoredAssembly, client: Client
) -> None:
    # given a newcomer admitted after both questions opened (so not eligible in them)
    newcomer = keypair(77)
    admit(council, newcomer)
    # when the newcomer makes their calendar link
    log_in_as(client, council.log, newcomer)
    client.post(f"/en/assembly/{council.log}/calendars/", {"do": "make"})
    token = CalendarLink.objects.get().token
    # then their calendar has the meetings and no deadline
    got = summaries(calendar(Client().get(f"/en/calendar/{token}.ics")))
    assert sorted(got) == ["Meeting: Asamblea de julio", f"Meeting: {SECRET_MEETING}"]


def test_a_closed_question_leaves_the_calendar(council: StoredAssembly, client: Client) -> None:
    # given the public question, closed before its deadline
    question = next(
        e
        for e in calendar(client.get(f"/en/assembly/{council.log}/calendar.ics")).walk("VEVENT")
        if str(e["SUMMARY"]).startswith("Voting closes")
    )
    number = int(str(question["UID"]).split("-")[1])
    for member in council.members:
        act(council, member, "vote.cast", {"question": number, "choice": "consent"})
    act(council, council.convenor, "question.closed", {"question": number})
    # then its deadline is no longer in the calendar
    got = summaries(calendar(client.get(f"/en/assembly/{council.log}/calendar.ics")))
    assert not [s for s in got if s.startswith("Voting closes")]
