"""A federation's home lists its member assemblies a page at a time (`?p=`, as the node's front page),
with a link to the next and the previous page, and keeps each member's card in Django's cache by what it
shows: a card whose member changed is rendered again."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from ayllu.actions.record import node_keypair
from ayllu.storage import models
from ayllu.web import views_federation_body
from factories.federation_recall import treasurer_scene
from factories.federations_stored import SeatedFederation, hold, seated_federation
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as, page_url


@pytest.fixture
def scene(clock: Clock) -> SeatedFederation:
    return seated_federation(clock)


def _cards(text: str) -> list[str]:
    """The member assemblies whose cards the page shows, in order."""
    return [part.split('"')[0] for part in text.split('<li class="card" id="assembly-')[1:]]


def test_the_member_list_is_paged_with_links_between_its_pages(
    client: Client, scene: SeatedFederation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a page of one member assembly (alto founded the federation first, then bajo)
    monkeypatch.setattr(views_federation_body, "MEMBERS_PER_PAGE", 1)
    url = page_url("federation_home", "es", log=scene.log)
    with translation.override("es"):
        # when the page is asked for without a page, then for the second, then past the last
        first = client.get(url, headers={"accept-language": "es"}).content.decode()
        second = client.get(f"{url}?p=2", headers={"accept-language": "es"}).content.decode()
        past = client.get(f"{url}?p=9", headers={"accept-language": "es"}).content.decode()
    # then each shows its own member, and links to the other page in Spanish
    assert _cards(first) == [scene.alto.log]
    assert _cards(second) == [scene.bajo.log]
    assert _cards(past) == [scene.bajo.log]  # past the last page: the last
    assert 'href="?p=2#member-assemblies" rel="next">Más asambleas miembro</a>' in first
    assert "Página 1 de 2" in first
    assert 'href="?p=1#member-assemblies" rel="prev">Asambleas miembro anteriores</a>' in second
    assert 'rel="next"' not in second


def test_a_federation_of_few_members_shows_them_all_without_pages(
    client: Client, scene: SeatedFederation
) -> None:
    # when
    text = client.get(page_url("federation_home", "en", log=scene.log)).content.decode()
    # then
    assert _cards(text) == [scene.alto.log, scene.bajo.log]
    assert "Pages of member assemblies" not in text


def test_a_members_card_is_rendered_again_when_what_it_shows_changes(
    client: Client, scene: SeatedFederation
) -> None:
    # given the page read once (its cards kept), then alto's record renamed on this node
    url = page_url("federation_home", "en", log=scene.log)
    assert "Junta vecinal Villa Esperanza" in client.get(url).content.decode()
    models.Record.objects.filter(log=scene.alto.log).update(name="Junta vecinal Nueva Esperanza")
    cache.clear()  # the page itself (its key names heads and checkpoints, not names)
    # when
    text = client.get(url).content.decode()
    # then alto's card names it as it is called now
    assert "Junta vecinal Nueva Esperanza" in text
    assert "Junta vecinal Villa Esperanza" not in text


def test_a_delegate_logged_in_at_home_finds_their_own_assembly_first_and_marked(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three member assemblies held here, one a page, and the delegate of the last one logged in
    # at home
    homes, fed, names = treasurer_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = fed.clock + 1000
    monkeypatch.setattr(views_federation_body, "MEMBERS_PER_PAGE", 1)
    url = page_url("federation_home", "es", log=fed.log)
    outsider = [_cards(_page(Client(), f"{url}?p={n}")) for n in (1, 2, 3)]
    order = [log for cards in outsider for log in cards]
    assert sorted(order) == sorted(h.log for h in homes)
    ours = order[-1]
    delegate = Client()
    role = {h.log: role for h, role in zip(homes, ("alto", "bajo", "sur"), strict=True)}[ours]
    log_in_as(delegate, ours, keypair(names[role]))
    # when the delegate reads each page of the member list
    pages = [_page(delegate, f"{url}?p={n}") for n in (1, 2, 3)]
    # then their assembly is first, marked as theirs, and the rest follow in the usual order
    assert [log for page in pages for log in _cards(page)] == [ours, *order[:-1]]
    assert "Su asamblea" in pages[0] and not any("Su asamblea" in page for page in pages[1:])
    # and an outsider after them reads that card unmarked (each card is kept by what it shows)
    assert all("Su asamblea" not in _page(Client(), f"{url}?p={n}") for n in (1, 2, 3))


def _page(client: Client, url: str) -> str:
    with translation.override("es"):
        return client.get(url, headers={"accept-language": "es"}).content.decode()
