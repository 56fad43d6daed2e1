"""Query names and fragments follow the page's language; the English words of older links still work."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.web.address_words import (
    FRAGMENTS,
    QUERY_WORDS,
    fragment,
    in_query,
    query_name,
    query_value,
    translated_query,
)
from factories.scenes import CargoAssembly, Clock, build_scene, clock  # noqa: F401 (a fixture)

from .test_cargo_pages import page, url


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:  # noqa: F811 (the clock fixture)
    forget_replayed_state()
    return build_scene(clock)


def test_a_query_name_is_said_part_by_part_and_read_back_in_any_language() -> None:
    # given
    with translation.override("es"):
        spanish = query_name("methods.charter_amendment.method")
        # then: each part in Spanish, a matter by its word in paths
        assert spanish == "metodos.reforma-del-estatuto.metodo"
        # and the Spanish, the English and the code are all read back
        assert query_value({"reunion": "3"}, "meeting") == "3"
        assert query_value({"meeting": "4"}, "meeting") == "4"
        assert query_value({"reunion": "3", "meeting": "4"}, "meeting") == "3"  # the page's own word first
        assert in_query({"preview": "1"}, "preview") and not in_query({}, "preview")
        code = "methods.charter_amendment.method"
        assert query_value({code: "consent"}, code) == "consent"
    with translation.override("en"):
        assert query_value({"reunion": "3"}, "meeting") == "3"  # a link copied from a Spanish page
        assert query_name("meeting") == "meeting" and fragment("roster") == "roster"


def test_a_query_string_is_said_in_the_active_language_its_values_kept() -> None:
    with translation.override("en"):
        assert translated_query("reunion=3&metodos.admision.metodo=consent&q=reunion") == (
            "meeting=3&methods.admission.method=consent&q=reunion"
        )
    with translation.override("es"):
        assert translated_query("months=12&preview=1&unknown=x") == "meses=12&vista-previa=1&unknown=x"


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_no_two_names_or_fragments_share_a_word(language: str) -> None:
    with translation.override(language):
        names = [query_name(code) for code in QUERY_WORDS]
        fragments = [fragment(code) for code in FRAGMENTS]
    assert len(set(names)) == len(names)
    assert len(set(fragments)) == len(fragments)


def test_an_unknown_fragment_fails_loudly() -> None:
    with pytest.raises(KeyError, match="nowhere"):
        fragment("nowhere")


def test_a_spanish_page_reads_its_spanish_query_and_the_english_one_of_older_links(
    client: Client, scene: CargoAssembly
) -> None:
    # given
    address = url("es", scene.log, "concentration")
    # when
    spanish = page(client, f"{address}?meses=3")
    english = page(client, f"{address}?months=3")
    # then: both choose the last 3 months, and the page links its periods with the Spanish word
    for html in (spanish, english):
        assert 'href="?meses=3" aria-current="true"' in html
    assert spanish.count("?months=") == 1  # the language switch's link, below
    # and the language switch names the English page with the English word
    assert f"{url('en', scene.log, 'concentration')}?months=3" in spanish


def test_a_spanish_fragment_has_the_english_one_beside_it_for_older_links(
    client: Client, scene: CargoAssembly
) -> None:
    # when
    spanish = page(client, url("es", scene.log, "cargos"))
    english = page(client, url("en", scene.log, "cargos"))
    # then: the Spanish page is reached at #rol-planificado and still at #roster; the English page once
    assert 'id="rol-planificado"' in spanish and 'href="#rol-planificado"' in spanish
    assert '<span class="anchor-alias" id="roster"></span>' in spanish
    assert english.count('id="roster"') == 1 and "anchor-alias" not in english
