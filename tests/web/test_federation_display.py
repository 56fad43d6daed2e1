"""What the federation pages show that they used to leave out: a resolution's title (its proposal's words,
shown as the federation's record shows them), a ratification awaiting the assembly counted among what
waits for its answer, the recalls cited into the federation, and the federation's offices on its
Concentration page."""

import html
import json

import pytest
from django.test import Client

from ayllu.queries.federation_votes import list_recall_forms
from factories.federation_votes_stored import recalled_delegate
from factories.federations import household_of, office_content
from factories.federations_stored import (
    OfficeScene,
    ResolvedFederation,
    hold,
    office_scene,
    resolved_federation,
    stored_act,
)
from factories.keys import keypair, pub
from factories.scenes import Clock
from factories.stored import log_in_as, page_url

TITLE = "Paro cívico por el agua"


def _page(client: Client, name: str, lang: str, **kwargs: object) -> str:
    answer = client.get(page_url(name, lang, **kwargs), headers={"accept-language": lang})
    assert answer.status_code == 200, answer.content
    return " ".join(answer.content.decode().split())


def _resolved(clock: Clock, *, vis: str = "public", held: bool = True) -> ResolvedFederation:
    scene = resolved_federation(clock, vis=vis)
    if held:
        hold(scene.alto)
    return scene


@pytest.mark.parametrize(("lang", "number"), [("es", "Resolución"), ("en", "Resolution")])
def test_a_resolution_is_shown_with_its_title_on_the_federation_and_on_our_federations(
    client: Client, clock: Clock, lang: str, number: str
) -> None:
    # given a resolution adopted with public words
    scene = _resolved(clock)
    # when
    federation = _page(client, "federation_home", lang, log=scene.log)
    home = _page(client, "assembly", lang, log=scene.alto.log)
    # then both name it by its number and its title
    for page in (federation, home):
        assert f"{number} {scene.resolution}:" in page
        assert f"<bdi data-ayllu-resolution-title>{TITLE}</bdi>" in page


def test_a_members_only_title_is_withheld_from_whoever_is_not_a_member_of_the_federation(
    client: Client, clock: Clock
) -> None:
    # given a resolution whose words the federation's record keeps for its members
    scene = _resolved(clock, vis="members")
    # when an outsider reads the federation, and a member of alto (not of the federation) alto's home
    federation = _page(client, "federation_home", "en", log=scene.log)
    log_in_as(client, scene.alto.log, keypair("bea"))
    home = _page(client, "assembly", "en", log=scene.alto.log)
    # then neither shows the title: both say it is for members only
    for page in (federation, home):
        assert TITLE not in page
        assert "(members only)" in page and f"Resolution {scene.resolution}:" in page


@pytest.mark.parametrize(
    ("lang", "words", "nothing"),
    [
        ("es", "Una resolución de", "Nada espera su respuesta."),
        ("en", "A resolution of", "Nothing waits for your answer."),
    ],
)
def test_a_ratification_awaiting_the_assembly_is_counted_among_what_waits_for_its_answer(
    client: Client, clock: Clock, lang: str, words: str, nothing: str
) -> None:
    # given a pending resolution alto has not decided on, and a member of alto logged in
    scene = _resolved(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    page = _page(client, "assembly", lang, log=scene.alto.log)
    # then "waiting for your answer" lists it (by its title) and does not say nothing waits
    waiting = page.split('id="questions-title"')[1].split("</section>")[0]
    assert f'data-ayllu-ratification-due="{scene.resolution}"' in waiting
    assert TITLE in waiting and words in waiting
    assert nothing not in waiting


def test_a_ratification_counted_no_longer_waits(client: Client, clock: Clock) -> None:
    # given alto ratified and its answer is counted
    from factories.federations import ratified_content, ratify_at_home

    scene = _resolved(clock, held=False)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.alto, recorded, scene.resolution)
    )
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    page = _page(client, "assembly", "en", log=scene.alto.log)
    # then
    assert "data-ayllu-ratification-due" not in page


@pytest.mark.parametrize(
    ("lang", "words", "cited_words"),
    [
        ("es", "Delegados revocados", "La revocatoria tal como la registra la asamblea: entrada"),
        ("en", "Delegates recalled", "The recall as the assembly's record states it: entry"),
    ],
)
def test_the_federation_lists_the_recalls_cited_into_it(
    client: Client, clock: Clock, lang: str, words: str, cited_words: str
) -> None:
    # given alto recalled its delegate and stated it; anyone cites it into the federation
    alto, fed, delegate = recalled_delegate(clock, stated=True)
    assert _page(client, "federation_home", lang, log=fed).count("data-ayllu-recall=") == 0
    [form] = list_recall_forms(fed, now=clock.now)
    seq = stored_act(fed, "zoe", "federation.recall_cited", json.loads(form.body))
    # when
    page = _page(client, "federation_home", lang, log=fed)
    # then it says which assembly recalled which delegate, from when, and the entry that cited it
    assert words in page
    listed = page.split(f'data-ayllu-recall="{seq}"')[1].split("</li>")[0]
    assert "Junta vecinal Villa Esperanza" in listed  # alto, held here
    assert household_of(alto, delegate) in listed and pub(delegate)[:8] not in listed
    assert f"{seq}" in listed
    # and the entry of alto's record it cites, linked to that entry's citation
    withdrawal = json.loads(form.body)["cites"][0]["seq"]
    cited = listed.split("data-ayllu-recall-cited-entry")[1]
    assert page_url("record_entry_citation", lang, log=alto.log, seq=withdrawal) in cited
    assert f"{withdrawal}" in cited and cited_words in cited
    # and when it was cited: a recall cited late shows how late
    assert ("citada el" if lang == "es" else "cited on") in listed


@pytest.fixture
def offices(clock: Clock) -> OfficeScene:
    scene = office_scene(clock)
    stored_act(
        scene.log, scene.holder, "federation.office_taken", office_content(scene.turn, scene.credential)
    )
    return scene


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Los cargos de la federación", "por asamblea miembro", "por persona")),
        ("en", ("The federation's offices", "per member assembly", "per person")),
    ],
)
def test_the_federations_concentration_page_shows_its_offices_per_assembly_and_per_person(
    client: Client, offices: OfficeScene, lang: str, words: tuple[str, ...]
) -> None:
    # when
    page = _page(client, "concentration", lang, log=offices.log)
    # then
    for expected in words:
        assert expected in page
    section = page.split("data-ayllu-federation-concentration")[1].split("</section>")[0]
    assert f'data-ayllu-office-assembly="{offices.turn.log}"' in section
    assert f'data-ayllu-office-person="{pub(offices.holder)}"' in section


def test_an_assemblys_concentration_page_has_no_federation_offices(
    client: Client, offices: OfficeScene
) -> None:
    page = _page(client, "concentration", "en", log=offices.turn.log)
    assert "data-ayllu-federation-concentration" not in page


@pytest.mark.parametrize(
    ("lang", "needs", "none", "said_before"),
    [
        ("es", "Necesita a todas las asambleas miembro.", "Ninguna la ratificó todavía.", "Necesita 1"),
        ("en", "It needs all member assemblies.", "None has ratified it yet.", "It needs 1"),
    ],
)
def test_a_resolution_needing_every_assembly_says_so_in_words(
    client: Client, clock: Clock, lang: str, needs: str, none: str, said_before: str
) -> None:
    # given a resolution that needs the whole of the member assemblies, none of which answered yet
    scene = resolved_federation(clock, share="1/1")
    # when
    page = html.unescape(_page(client, "federation_home", lang, log=scene.log))
    # then it reads as "all member assemblies", not as the number 1
    assert needs in page and none in page
    assert said_before not in page


@pytest.mark.parametrize(
    ("lang", "needs", "has"), [("es", "Necesita 1/2.", "Tiene 1/3."), ("en", "It needs 1/2.", "It has 1/3.")]
)
def test_a_resolution_needing_a_share_says_the_share_and_what_it_has(
    client: Client, clock: Clock, lang: str, needs: str, has: str
) -> None:
    # given one of three member assemblies ratified a resolution that needs half of them
    from factories.federations import ratified_content, ratify_at_home

    scene = _resolved(clock, held=False)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.alto, recorded, scene.resolution)
    )
    # when
    page = html.unescape(_page(client, "federation_home", lang, log=scene.log))
    # then
    assert needs in page and has in page
