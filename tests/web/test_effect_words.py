"""Voters see what a proposal changes, in plain words, before the vote: on the proposal's page, in its
ballot and in the minutes; one function per effect kind (ayllu/effect_words.py) says it in every place."""

import pytest
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.proposals.effects import EFFECT_FIELDS
from ayllu.effect_words import EFFECT_WORDS, NOT_IN_WORDS, effect_in_words
from ayllu.queries.pages import Person
from factories.charters import no_wait_charter
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

from .test_assembly_pages import url
from .test_translations import visible_text

UNTIL = 1_798_804_800_000  # 2027-01-01 12:00 UTC, 08:00 in La Paz
DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza", charter=no_wait_charter())


def page_text(client: Client, language: str, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return visible_text(response.content.decode(), language=language)


def ballot_of(client: Client, address: str) -> str:
    html = client.get(address).content.decode()
    start = html.index('class="panel panel--decide"')
    return html[start : html.index("</section>", start)]


def test_every_effect_kind_has_its_words() -> None:
    # then: every kind of effect the core knows is put in words, or shown otherwise on purpose
    assert set(EFFECT_FIELDS) == set(EFFECT_WORDS) | NOT_IN_WORDS


def test_a_cargo_assignment_says_who_gets_which_cargo_until_when_on_the_page_and_in_the_ballot(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: a proposal that casa-3's member holds the convenor's cargo, open for a vote
    holder = assembly.members[2]
    effect = {"cargo": "convenor", "member": holder.public, "until": UNTIL}
    content = {"matter": "cargo_assignment", "title": "Nueva convocante", "text": "", "effect": effect}
    proposal = act(assembly, assembly.members[0], "proposal.tabled", content)
    act(assembly, assembly.members[0], "question.opened", {"proposal": proposal, "deadline": UNTIL})
    log_in_as(client, assembly.log, assembly.members[1])
    address = url("es", assembly.log, "proposals", proposal)
    # when
    text = page_text(client, "es", address)
    ballot = visible_text(ballot_of(client, address), language="es")
    # then
    holds = "ocupa el cargo «convocante» desde la decisión hasta el 1 de enero de 2027."
    sentence = f"casa-3 ({holder.public[:8]}) {holds}"
    assert "Lo que cambia esta propuesta si se aprueba" in text and sentence in text
    assert "Si se aprueba:" in ballot and sentence in ballot


def test_a_new_cargo_shows_its_powers_term_and_seats_in_each_language(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    effect = {
        "cargo": "delegacion",
        "powers": ["publish_announcements", "represent_in:fejuve"],
        "burden": 2,
        "term_days": 30,
        "seats": 2,
    }
    content = {"matter": "cargo_creation", "title": "Delegación", "text": "", "effect": effect}
    proposal = act(assembly, assembly.members[0], "proposal.tabled", content)
    # when
    spanish = page_text(client, "es", url("es", assembly.log, "proposals", proposal))
    english = page_text(client, "en", url("en", assembly.log, "proposals", proposal))
    # then
    assert "Se crea un nuevo cargo: «delegacion»." in spanish
    assert "representar a la asamblea en fejuve" in spanish and "Cada periodo dura 30 días." in spanish
    assert "2 familias lo ocupan juntas." in spanish
    assert "A new cargo is created: «delegacion»." in english and "Each term lasts 30 days." in english


def test_the_minutes_say_what_each_proposal_of_the_meeting_changes(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: in a meeting, a mandate is tabled
    meeting = meeting_with_everyone(assembly, title="Asamblea de abril")
    effect = {"body": "fejuve", "question": "Tarifa del agua", "position": "no"}
    content = {"matter": "mandate", "title": "Mandato", "text": "", "effect": effect, "meeting": meeting}
    act(assembly, assembly.members[1], "proposal.tabled", content)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    # when
    text = page_text(client, "es", url("es", assembly.log, "meetings", meeting, "minutes"))
    # then
    assert (
        "A partir de la decisión, la posición de la asamblea en fejuve sobre «Tarifa del agua» "
        "es «En contra»." in text
    )


@pytest.mark.parametrize(
    ("matter", "effect", "expected"),
    [
        ("suspension", {"member": "ab" * 32}, "casa-9 (abababab) is suspended"),
        ("reinstatement", {"member": "ab" * 32}, "casa-9 (abababab) is reinstated"),
        ("recall", {"cargo": "convenor", "member": "ab" * 32}, "no longer holds the cargo «convenor»"),
        ("key_replacement", {"key": "cd" * 32}, "The new key cdcdcdcd replaces the key of casa-9 (abababab)"),
        ("admission", {"applicant": "ef" * 32}, "casa-10 (efefefef) joins the assembly"),
        ("amendment", {"proposal": 4, "amendment": 6}, "amendment no. 6 is made to proposal no. 4"),
        (
            "exemption",
            {"household": "casa-9", "start": UNTIL, "end": UNTIL + 31 * DAY_MS, "reason": "viaje"},
            "casa-9 takes no turn in any cargo from Jan. 1, 2027 to Feb. 1, 2027.",
        ),
    ],
)
def test_each_effect_kind_in_words(matter: str, effect: dict[str, object], expected: str) -> None:
    # given
    known = {
        "people": {"ab" * 32: Person(id="ab" * 32, key="ab" * 32, name="", household="casa-9", current=True)},
        "applicants": {"ef" * 32: "casa-10"},
        "claims": {"cd" * 32: "ab" * 32},
    }
    # when
    with translation.override("en"):
        words = " ".join(effect_in_words(matter, effect, known))
    # then
    assert expected in words
