"""The deadlines a federation sets an assembly that belongs to it appear in the assembly's calendar and in
each member's own: a resolution awaiting the assembly's answer (until its deadline) and a question of the
federation its delegate votes on (until it closes), read from the federation's record held here, named
with the federation's public words only, in the feed's language; gone once the deadline passed."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from ayllu.actions.calendar_links import do_make_calendar_link
from ayllu.actions.record import forget_replayed_state
from ayllu.queries.calendar_links import get_calendar_token
from ayllu.queries.replayed import read_state
from factories.federation_votes_stored import mandated_federation
from factories.federations import found_home
from factories.federations_stored import hold, resolved_federation
from factories.scenes import Clock

FEDERATION = "Federación de juntas vecinales"


@pytest.fixture
def fake(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    forget_replayed_state()
    clock = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    return clock


def events(client: Client, url: str) -> dict[str, tuple[str, datetime, str]]:
    """The feed's events by UID: (summary, start, link)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    found = Calendar.from_ical(response.content).walk("VEVENT")
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART"), str(e["URL"])) for e in found}


def own_calendar(log: str, *, language: str = "en") -> str:
    member = read_state(log, lambda s: sorted(s.members)[0])
    do_make_calendar_link(log, member=member)
    with translation.override(language):
        return reverse("web:member_calendar", kwargs={"token": get_calendar_token(log, member=member)})


def federation_events(
    found: dict[str, tuple[str, datetime, str]], kind: str
) -> list[tuple[str, datetime, str]]:
    return [event for uid, event in found.items() if uid.startswith(kind)]


@pytest.mark.parametrize("vis", ["public", "members"])
def test_a_resolution_awaiting_the_assemblys_answer_is_in_both_calendars_until_its_deadline(
    fake: Clock, vis: str
) -> None:
    # given a federation's resolution adopted here, awaiting alto's answer (its words under `vis`)
    scene = resolved_federation(fake, days=30, vis=vis)
    hold(scene.alto)
    deadline = read_state(scene.log, lambda s: s.resolutions[scene.resolution].deadline)
    client = Client()
    # when alto's public calendar and a member's own are read
    public = federation_events(events(client, f"/en/assembly/{scene.alto.log}/calendar.ics"), "ratification")
    mine = federation_events(events(client, own_calendar(scene.alto.log)), "ratification")
    # then a member's calendar has the deadline, with the resolution's title only where it is public
    assert len(mine) == 1
    summary, start, link = mine[0]
    assert start == datetime.fromtimestamp(deadline / 1000, tz=UTC)
    assert link.endswith(f"/en/assembly/{scene.alto.log}/#federations-title")
    if vis == "public":
        assert summary == f"Time to ratify ends: Paro cívico por el agua ({FEDERATION})"
        # and the public calendar lists it the same way
        assert public == mine
    else:
        assert summary == f"Time to ratify a resolution of {FEDERATION} ends"
        # and the public calendar lists no deadline without public words
        assert public == []
    # and the API's calendar gives the same deadline, with the same public words
    api = [
        e
        for e in client.get(f"/api/assemblies/{scene.alto.log}/calendar").json()
        if e["kind"] == "ratification"
    ]
    assert [(e["start"], e["title"], e["federation"]) for e in api] == [
        (deadline, "Paro cívico por el agua" if vis == "public" else "", FEDERATION)
    ]
    # and once the deadline passed, neither lists it
    fake.now = deadline + 1
    assert not federation_events(events(client, own_calendar(scene.alto.log)), "ratification")


def test_a_federation_question_the_delegate_votes_on_is_in_both_calendars_in_spanish_too(fake: Clock) -> None:
    # given a federation question open until tomorrow, on which alto's seated delegate votes
    scene = mandated_federation(fake)
    deadline = read_state(scene.log, lambda s: s.questions[scene.question].deadline)
    client = Client()
    # when alto's calendars are read, in English and in Spanish
    public = federation_events(events(client, f"/en/assembly/{scene.alto.log}/calendar.ics"), "federation")
    mine = federation_events(events(client, own_calendar(scene.alto.log)), "federation")
    spanish = federation_events(events(client, own_calendar(scene.alto.log, language="es")), "federation")
    # then both list the question's deadline, named with its title and the federation's name
    assert public == mine
    assert [(s, start) for s, start, _ in mine] == [
        (
            f"Federation vote closes: Tarifa del agua ({FEDERATION})",
            datetime.fromtimestamp(deadline / 1000, tz=UTC),
        )
    ]
    assert mine[0][2].endswith(f"/en/assembly/{scene.alto.log}/mandates/")
    assert [s for s, _, _ in spanish] == [
        f"Cierra la votación de la federación: Tarifa del agua ({FEDERATION})"
    ]
    # and once it closed (its deadline passed), it is gone
    fake.now = deadline + 1
    assert not federation_events(events(client, own_calendar(scene.alto.log)), "federation")


def test_only_an_assembly_whose_record_names_the_federation_sees_its_deadlines(fake: Clock) -> None:
    # given the federation's question, and another assembly held here whose record names no federation
    # (no credential, no ratification: the node cannot tell it belongs, as "Our federations")
    scene = mandated_federation(fake)
    other = found_home(["gil", "hugo", "ines"])
    hold(other)
    # when that assembly's calendar and the federation's own are read
    bajo = events(Client(), f"/en/assembly/{other.log}/calendar.ics")
    own = events(Client(), f"/en/assembly/{scene.log}/calendar.ics")
    # then neither lists a federation's deadline (the federation lists its question as any question)
    assert not federation_events(bajo, "federation") and not federation_events(bajo, "ratification")
    assert not federation_events(own, "federation") and not federation_events(own, "ratification")
    assert any(uid.startswith(f"question-{scene.question}-deadline") for uid in own)
