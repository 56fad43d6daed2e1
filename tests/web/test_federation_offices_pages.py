"""A federation's offices and petitions on its home page, and a home assembly's page of its federations'
offices and petitions, with the forms of every new act, in Spanish and English."""

import html
import json

import pytest
from django.test import Client

from ayllu.actions.record import do_append
from ayllu.cargo_words import office_name
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.petitions import petition_question
from ayllu.queries.federation_offices import get_federation_offices
from factories.assemblies import T0, Assembly, decide
from factories.federations import (
    back_petition,
    federation_charter,
    found_home,
    office_charter,
    petition_content,
)
from factories.federations_stored import OfficeScene, found_stored_federation, hold, office_scene
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as, page_url

CITED = "federation.petition_cited"


@pytest.fixture
def scene(clock: Clock) -> OfficeScene:
    return office_scene(clock)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Cargos por turno", "Próximos turnos:", "Peticiones de las asambleas miembro")),
        ("en", ("Offices by turn", "Next turns:", "Petitions of member assemblies")),
    ],
)
def test_the_federation_home_shows_its_offices_and_whose_turn_is_next(
    client: Client, scene: OfficeScene, lang: str, words: tuple[str, ...]
) -> None:
    # when
    page = client.get(page_url("federation_home", lang, log=scene.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text
    assert "convenor" in text and "spokesperson" in text
    assert "Junta vecinal Villa Esperanza" in text  # the assembly whose turn it is, named: held here


def test_the_federation_home_names_the_assemblies_that_held_an_office_and_counts_the_rest(
    client: Client, scene: OfficeScene, clock: Clock
) -> None:
    # given the federation's terms per member assembly, some with none
    offices = get_federation_offices(scene.log, now=clock.now)
    assert offices is not None
    terms = {a.assembly: a.terms for a in offices.concentration.assemblies}
    unserved = [log for log, count in terms.items() if not count]
    assert unserved and len(unserved) < len(terms)
    # when
    page = client.get(page_url("federation_home", "en", log=scene.log), headers={"accept-language": "en"})
    # then the list of who held the offices names only those with terms
    text = page.content.decode()
    held = text.split("Who held the offices")[1].split("data-ayllu-offices-unserved")[0]
    assert held.count("<li>") == len(terms) - len(unserved)
    assert " 0 terms" not in held
    # and one line counts the rest, linked to the concentration page that lists every member's terms
    line = text.split("data-ayllu-offices-unserved")[1].split("</p>")[0]
    assert page_url("concentration", "en", log=scene.log) in line
    noun = "member assembly has" if len(unserved) == 1 else "member assemblies have"
    assert f"{len(unserved)} {noun} held no office yet." in line


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Cargos y peticiones de la federación", "Es nuestro turno", "Citarla en la federación")),
        ("en", ("Federation offices and petitions", "It is our turn", "Cite it in the federation")),
    ],
)
def test_the_home_assembly_shows_its_turn_and_the_form_that_cites_the_holders_credential(
    client: Client, scene: OfficeScene, lang: str, words: tuple[str, ...]
) -> None:
    # given a member of the assembly whose turn it is, logged in
    log_in_as(client, scene.turn.log, keypair(scene.holder))
    # when
    page = client.get(
        page_url("federation_offices", lang, log=scene.turn.log), headers={"accept-language": lang}
    )
    # then
    text = page.content.decode()
    assert page.status_code == 200, text
    for expected in words:
        assert expected in text
    # the form posts to the federation's record, signed with this assembly's key, citing the credential
    assert 'data-type="federation.office_taken"' in text
    assert f'data-key-log="{scene.turn.log}"' in text and f'data-log="{scene.log}"' in text
    cites = text.split('name="body.cites" data-ayllu-kind="json" value="')[1].split('"')[0]
    [citation] = json.loads(html.unescape(cites))
    assert (citation["log"], citation["seq"], citation["entry"]) == (
        scene.turn.log,
        scene.credential.seq,
        scene.credential.hash,
    )
    # and the form that proposes the assembly back a petition (a mandate decision)
    assert 'value="petition:convene:' in text


def test_another_member_assembly_sees_the_turn_is_not_ours_and_is_offered_no_credential_form(
    client: Client, scene: OfficeScene
) -> None:
    # given
    other = next(h for h in scene.homes if h is not scene.turn)
    founder = {scene.homes[0].log: "ana", scene.homes[1].log: "dora", scene.homes[2].log: "gina"}[other.log]
    log_in_as(client, other.log, keypair(founder))
    # when
    page = client.get(page_url("federation_offices", "en", log=other.log))
    # then
    text = page.content.decode()
    assert page.status_code == 200
    assert "It is our turn" not in text.split("convenor")[1].split("card__title")[0]
    assert 'data-type="office.accredited"' not in text
    assert 'data-type="federation.office_taken"' not in text


@pytest.fixture
def petition_scene(clock: Clock) -> tuple[list[Assembly], str, int]:
    """Three homes and a federation held here: alto decided and stated its backing of a plenary, which is
    cited in; bajo decided but has not stated it; centro has decided nothing."""
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    charter = office_charter(petition_assemblies=3)
    fed = found_stored_federation({"ana": homes[0], "dora": homes[1], "gina": homes[2]}, charter=charter)
    starts = clock.now + 10 * DAY_MS
    backing = back_petition(homes[0], fed, "convene", starts=starts)
    question = petition_question("convene", str(starts))
    decide(homes[1], "mandate", {"body": fed, "question": question, "position": "yes"})
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    act, body = signed(keypair("lola"), log=fed, type=CITED, content=petition_content(homes[0], backing))
    do_append(fed, signed_act=act, body=body)
    return homes, fed, starts


def test_a_home_that_decided_is_offered_to_state_it_and_one_that_did_not_is_offered_to_join(
    client: Client, petition_scene: tuple[list[Assembly], str, int]
) -> None:
    # given
    homes, _, starts = petition_scene
    # when bajo's member and centro's member open their pages
    log_in_as(client, homes[1].log, keypair("dora"))
    decided = client.get(page_url("federation_offices", "en", log=homes[1].log)).content.decode()
    log_in_as(client, homes[2].log, keypair("gina"))
    undecided = client.get(page_url("federation_offices", "en", log=homes[2].log)).content.decode()
    # then bajo may state its decision (not yet counted), and centro may propose to join the open petition
    assert 'data-type="petition.backed"' in decided
    assert f'name="body.starts" value="{starts}"' in decided
    assert "1 of 3 assemblies so far." in undecided
    assert f'<option value="petition:convene:{starts}">Join:' in undecided
    assert 'data-type="petition.backed"' not in undecided


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_office_is_named_readably_from_its_identifier_on_every_page_that_names_it(
    client: Client, clock: Clock, lang: str
) -> None:
    # given a federation whose charter's office is an identifier, and its member assemblies held here
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    office = {"office": "vocero_distrital", "term_days": 30, "burden": 1}
    fed = found_stored_federation(
        {"ana": homes[0], "dora": homes[1]}, charter=federation_charter(offices=[office])
    )
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    # when the federation's home and each member's page of federation offices are read
    pages = [page_url("federation_home", lang, log=fed)]
    pages += [page_url("federation_offices", lang, log=h.log) for h in homes]
    for url in pages:
        text = client.get(url, headers={"accept-language": lang}).content.decode()
        # then the office, a title there, reads "Vocero distrital", never its identifier
        assert "<bdi>Vocero distrital</bdi>" in text, url
        assert ">vocero_distrital<" not in text and "<bdi>vocero_distrital" not in text


@pytest.mark.parametrize(
    ("office", "shown"),
    [("tesorero", "tesorero"), ("vocero_distrital", "vocero distrital"), ("delegado__2", "delegado 2")],
)
def test_an_office_name_is_its_identifier_with_spaces_in_lowercase(office: str, shown: str) -> None:
    assert office_name(office) == shown
