"""'Our federations' on an assembly's home names the federations its record names whose record this node
does not hold: their identifier, what the assembly's own record says of them (its delegate's latest
credential), and how the node gets their record; once the node holds it, the federation shows as any."""

import html

import pytest
from django.test import Client

from factories.assemblies import T0
from factories.federations import accredit, found_federation, found_home, give_federation_cargo
from factories.federations_stored import hold
from factories.scenes import Clock
from factories.stored import page_url


def _home(client: Client, log: str, lang: str) -> str:
    answer = client.get(page_url("assembly", lang, log=log), headers={"accept-language": lang})
    assert answer.status_code == 200
    return html.unescape(" ".join(answer.content.decode().split()))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            (
                "Nuestras federaciones",
                "Una federación cuyo registro este nodo no tiene",
                "La última credencial de nuestro delegado para ella: entrada",
                "ayllu follow",
            ),
        ),
        (
            "en",
            (
                "Our federations",
                "A federation whose record this node does not hold",
                "Our delegate's latest credential for it: entry",
                "ayllu follow",
            ),
        ),
    ],
)
def test_a_federation_our_record_names_but_this_node_does_not_hold_is_listed_with_what_is_known(
    client: Client, clock: Clock, lang: str, words: tuple[str, ...]
) -> None:
    # given alto (held here) accredited a delegate to a federation whose record this node does not hold
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo})
    credential = accredit(alto, give_federation_cargo(alto, fed.log), fed.log)
    hold(alto)
    clock.now = max(clock.now, alto.clock + 1000)
    # when
    page = _home(client, alto.log, lang)
    # then our federations name it by its identifier, with our delegate's credential, and how to follow it
    section = page.split('id="federations-title"')[1].split("</section>")[0]
    card = section.split(f'data-ayllu-unheld-federation="{fed.log}"')[1]
    for expected in words:
        assert expected in section
    assert fed.log in card
    citation = page_url("record_entry_citation", lang, log=alto.log, seq=credential.seq)
    assert f'href="{citation}"' in card
    # and once this node holds its record, it is listed as a federation held here, by its name
    hold(fed)
    page = _home(client, alto.log, lang)
    assert "data-ayllu-unheld-federation" not in page
    assert "Federación de juntas vecinales" in page.split('id="federations-title"')[1]


def test_an_assembly_that_names_no_federation_has_no_federations_section(
    client: Client, clock: Clock
) -> None:
    alto = found_home(["ana", "bea", "carla"])
    hold(alto)
    clock.now = max(clock.now, alto.clock + 1000)
    assert 'id="federations-title"' not in _home(client, alto.log, "en")
