"""The planned roster on the cargos page, beside the turn order, in Spanish and English: what it honours,
where it differs from the turn order (which decides), and the same roster on every replay."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries import cargos as q
from factories.scenes import CargoAssembly, Clock, build_scene, clock

from .test_cargo_pages import page, text_of, url
from .test_translations import visible_text

__all__ = ["clock"]  # the fixture, imported for the tests below


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:
    forget_replayed_state()
    return build_scene(clock, draw=False)


def test_cargos_page_shows_the_planned_roster_beside_the_turn_order(
    client: Client, scene: CargoAssembly, clock: Clock
) -> None:
    # given
    roster = q.get_planned_roster(scene.log, now=clock.now)
    differ = [t for t in roster.terms if not t.agrees]
    # when
    english = text_of(client, "en", scene.log, "cargos")
    spanish = text_of(client, "es", scene.log, "cargos")
    # then: what it honours, in plain words, and that the turn order decides
    assert "The planned roster beside each term" in english
    assert "Rest: after serving, a household rests 30 days before its next term." in english
    assert "Exemptions: nobody is given a term while the assembly has exempted them." in english
    assert "The turn order decides who serves." in english
    assert "El orden de turnos decide quién sirve." in spanish
    assert "Descanso: después de servir, una familia descansa 30 días antes de su próximo turno." in spanish
    # and every term where the two differ says so, in both languages
    agreeing = len(roster.terms) - len(differ)
    assert f"agrees with the turn order on {agreeing} of {len(roster.terms)} terms" in english
    assert english.count("The planned roster names instead:") == len(differ) > 0
    assert spanish.count("decide el orden de turnos") == len(differ)
    assert english.count("The planned roster names the same household.") == agreeing


def test_a_term_where_the_roster_differs_names_both_households(
    client: Client, scene: CargoAssembly, clock: Clock
) -> None:
    # given: the first term where the roster plans another household than the turn order
    roster = q.get_planned_roster(scene.log, now=clock.now)
    term = next(t for t in roster.terms if not t.agrees)
    # when
    html = page(client, url("en", scene.log, "cargos"))
    item = html.split(f'id="turn-{term.cargo}-{term.start}"', 1)[1].split("</li>", 1)[0]
    text = visible_text(item, language="en")
    # then: the turn order's household first (it serves), the roster's beside it
    (by_turn,) = term.turn_order.holders
    (planned,) = term.holders
    assert text.index(str(by_turn.household)) < text.index(f"names instead: {planned.household}")
    assert "the turn order decides" in text


def test_the_roster_is_the_same_after_a_second_replay(scene: CargoAssembly, clock: Clock) -> None:
    # given
    first = q.get_planned_roster(scene.log, now=clock.now)
    # when: this node forgets its replayed state and replays the record again
    forget_replayed_state()
    again = q.get_planned_roster(scene.log, now=clock.now)
    # then
    assert again == first and first.terms
    assert {t.cargo for t in first.terms} == {"tesoreria", "delegacion"}
    assert all(t.end - t.start == 30 * DAY_MS for t in first.terms)
