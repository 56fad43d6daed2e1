"""A resolution's ratification on the federation's home: a tally per resolution (ratified, refused, still
awaited, the weights its rule counts), every member's answer listed there while the federation is small,
and past `ANSWERS_ON_HOME` members only counted there and listed on the resolution's own page, paged."""

import html

import pytest
from django.test import Client

from ayllu.web import views_federation_body
from factories.federations_stored import ResolvedFederation, ratified_by_alto
from factories.scenes import Clock
from factories.stored import page_url


def _page(client: Client, name: str, lang: str, query: str = "", **kwargs: object) -> str:
    answer = client.get(page_url(name, lang, **kwargs) + query, headers={"accept-language": lang})
    assert answer.status_code == 200, answer.content
    return html.unescape(" ".join(answer.content.decode().split()))


@pytest.fixture
def scene(clock: Clock) -> ResolvedFederation:
    """Three member assemblies (alto, bajo held here; sur not), a pending resolution alto ratified and
    whose ratification is counted; bajo and sur have not answered."""
    return ratified_by_alto(clock)


def _card(page: str, resolution: int) -> str:
    return page.split(f'data-ayllu-resolution="{resolution}"')[1].split('</li> </ul> <p class="note">')[0]


@pytest.mark.parametrize(
    ("lang", "tally", "ratified", "waiting"),
    [
        ("es", "2 todavía no respondieron.", "ratificada", "todavía no respondió"),
        ("en", "2 have not answered yet.", "ratified", "not answered yet"),
    ],
)
def test_a_small_federation_lists_each_members_answer_and_counts_those_awaited(
    client: Client, scene: ResolvedFederation, lang: str, tally: str, ratified: str, waiting: str
) -> None:
    # when
    card = _card(_page(client, "federation_home", lang, log=scene.log), scene.resolution)
    # then the tally counts the two awaited, and each member is listed with its answer or none yet
    assert tally in card
    assert card.count("data-ayllu-answer=") == 3
    alto = card.split(f'data-ayllu-answer="{scene.alto.log}"')[1].split("</li>")[0]
    assert "Junta vecinal" in alto and ratified in alto
    for awaited in (scene.bajo, scene.sur):
        assert waiting in card.split(f'data-ayllu-answer="{awaited.log}"')[1].split("</li>")[0]
    # and nothing sends the reader to another page for them
    assert page_url("federation_resolution", lang, log=scene.log, resolution=scene.resolution) not in card


@pytest.mark.parametrize(
    ("lang", "link", "more"),
    [
        ("es", "Las respuestas de sus 3 asambleas miembro, una por una", "Más respuestas"),
        ("en", "The answers of its 3 member assemblies, one by one", "More answers"),
    ],
)
def test_past_the_home_limit_the_answers_are_counted_there_and_paged_on_the_resolutions_page(
    client: Client,
    scene: ResolvedFederation,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    link: str,
    more: str,
) -> None:
    # given a home that lists the answers of at most two members, and a resolution page of two a page
    monkeypatch.setattr(views_federation_body, "ANSWERS_ON_HOME", 2)
    monkeypatch.setattr(views_federation_body, "ANSWERS_PER_PAGE", 2)
    # when
    card = _card(_page(client, "federation_home", lang, log=scene.log), scene.resolution)
    # then the home counts them and links to the resolution's page, listing none of them
    assert "data-ayllu-answer=" not in card and "data-ayllu-tally" in card
    address = page_url("federation_resolution", lang, log=scene.log, resolution=scene.resolution)
    assert f'href="{address}"' in card and link in card
    # and that page lists the answer counted first, then those awaited, two a page
    first = _page(client, "federation_resolution", lang, log=scene.log, resolution=scene.resolution)
    second = _page(client, "federation_resolution", lang, "?p=2", log=scene.log, resolution=scene.resolution)
    assert "Paro cívico por el agua" in first and "data-ayllu-tally" in first
    rows = [page.split("data-ayllu-answer=")[1:] for page in (first, second)]
    assert [len(r) for r in rows] == [2, 1]
    assert rows[0][0].startswith(f'"{scene.alto.log}"')
    assert more in first and more not in second


def test_a_resolution_the_federation_did_not_adopt_has_no_page(
    client: Client, scene: ResolvedFederation
) -> None:
    answer = client.get(
        page_url("federation_resolution", "en", log=scene.log, resolution=scene.resolution + 1)
    )
    assert answer.status_code == 404
    assert "The federation has adopted no resolution with that number." in answer.content.decode()
