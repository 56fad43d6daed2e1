"""A cargo or office an assembly named reads as words on every page (the same words as `office_name`), in
lowercase as a built-in cargo's word is in the page's language: a cargo's name is a common noun. A page
that shows names alone (a list's titles) capitalises each one's first letter, whichever kind it is."""

import re

import pytest
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.assembly_words import word
from ayllu.cargo_words import cargo_word, office_name
from ayllu.notify.messages import cargo_name
from ayllu.web.templatetags.assembly import in_words
from ayllu.web.templatetags.cargos import cargo_in_words
from factories.scenes import CargoAssembly, Clock, build_scene, clock

__all__ = ["clock"]  # the fixture, imported for the scene below


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    ("code", "shown"), [("tesorero", "tesorero"), ("vocero_distrital", "vocero distrital")]
)
def test_a_named_cargo_reads_the_same_everywhere(language: str, code: str, shown: str) -> None:
    with translation.override(language):
        # when / then: the pages' filters, the words modules and the messages agree
        assert office_name(code) == shown
        assert in_words(code, "cargo") == cargo_in_words(code, "cargo") == shown
        assert word("cargo", code) == cargo_word("cargo", code) == cargo_name(code) == shown


@pytest.mark.parametrize(("language", "shown"), [("es", "convocante"), ("en", "convenor")])
def test_a_built_in_cargo_reads_in_the_pages_language(language: str, shown: str) -> None:
    with translation.override(language):
        assert in_words("convenor", "cargo") == cargo_in_words("convenor", "cargo") == shown


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("es", ["Convocante", "Secretaría de actas", "Tesoreria", "Delegacion"]),
        ("en", ["Convenor", "Minute-keeper", "Tesoreria", "Delegacion"]),
    ],
)
def test_built_in_and_named_cargos_read_alike_in_one_list(
    db: None, clock: Clock, language: str, titles: list[str]
) -> None:
    # given an assembly with the built-in cargos and two it created (tesoreria, delegacion)
    forget_replayed_state()
    scene: CargoAssembly = build_scene(clock)
    # when anyone reads the list of its cargos
    html = Client().get(f"/{language}/{'asamblea' if language == 'es' else 'assembly'}/{scene.log}/cargos/")
    # then each cargo's title starts with a capital letter, built-in or named
    shown = re.findall(r'<h3 class="card__title card__title--plain">([^<]+)</h3>', html.content.decode())
    assert sorted(shown) == sorted(titles)
