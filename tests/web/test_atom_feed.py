"""The assembly's Atom feed of decisions and minutes: valid Atom, one entry per decided question and per
closed meeting, public words only, linked from the assembly's pages."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from ayllu.actions.record import do_append
from factories.records import signed
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET_NOTE = "La familia 4 debe 300 Bs."
SECRET_TITLE = "Reunion reservada"


@pytest.fixture
def council(db: None) -> StoredAssembly:
    """A public meeting where a proposal passed by consent, then closed with a public note and a
    members-only note; a members-only meeting, closed too; one open meeting (no minutes yet)."""
    assembly = found_with_officers("Junta Vecinal Novedades")
    meeting = meeting_with_everyone(assembly)
    consent_decided_with_answered_objection(assembly, meeting)
    act(assembly, assembly.members[1], "minutes.note_added", {"meeting": meeting, "text": "Se compra arena."})
    note, body = signed(
        assembly.members[1],
        log=assembly.log,
        type="minutes.note_added",
        content={"meeting": meeting, "text": SECRET_NOTE},
        vis="members",
    )
    do_append(assembly.log, signed_act=note, body=body)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    hidden, body = signed(
        assembly.convenor,
        log=assembly.log,
        type="meeting.convened",
        content={"title": SECRET_TITLE, "starts": 1_700_000_000_000},
        vis="members",
    )
    secret_meeting = do_append(assembly.log, signed_act=hidden, body=body).seq
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": secret_meeting})
    act(assembly, assembly.convenor, "meeting.convened", {"title": "Abierta", "starts": 1_700_000_000_000})
    return assembly


def entries(response: object) -> list[ET.Element]:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("application/atom+xml")  # type: ignore[index]
    root = ET.fromstring(response.content)  # type: ignore[attr-defined]
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    return root.findall(f"{ATOM}entry")


def test_the_feed_has_an_entry_per_decision_and_per_closed_meeting(
    council: StoredAssembly, client: Client
) -> None:
    # when anyone fetches the assembly's feed
    found = entries(client.get(f"/en/assembly/{council.log}/feed.atom"))
    # then it has the decision, the public meeting's minutes and the members-only meeting's, newest first
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert titles == [
        "Minutes of a meeting for members only",
        "Minutes: Asamblea ordinaria",
        "Decided: Arreglar la cancha (Adopted)",
    ]
    # and each entry has its id, its time and a link to its page
    for entry in found:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert f"/en/assembly/{council.log}/" in entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    minutes = found[1].findtext(f"{ATOM}summary") or ""
    assert "Se compra arena." in minutes and "Arreglar la cancha" in minutes


def test_the_feed_holds_public_words_only(council: StoredAssembly, client: Client) -> None:
    # when anyone fetches the feed
    raw = client.get(f"/en/assembly/{council.log}/feed.atom").content.decode()
    # then no members-only word is in it
    assert SECRET_NOTE not in raw and SECRET_TITLE not in raw


def test_the_feed_speaks_spanish_under_the_spanish_address(council: StoredAssembly, client: Client) -> None:
    found = entries(client.get(f"/es/asamblea/{council.log}/novedades.atom"))
    assert found[1].findtext(f"{ATOM}title") == "Acta: Asamblea ordinaria"


def test_the_assembly_pages_link_to_the_feed_and_the_calendar(
    council: StoredAssembly, client: Client
) -> None:
    page = client.get(f"/en/assembly/{council.log}/").content.decode()
    assert f'rel="alternate" type="application/atom+xml" href="/en/assembly/{council.log}/feed.atom"' in page
    assert f'rel="alternate" type="text/calendar" href="/en/assembly/{council.log}/calendar.ics"' in page


def test_an_unknown_assembly_has_no_feed(db: None, client: Client) -> None:
    assert client.get(f"/en/assembly/{'0' * 64}/feed.atom").status_code == 404
    assert client.get(f"/en/assembly/{'0' * 64}/calendar.ics").status_code == 404
