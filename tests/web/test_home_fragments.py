"""The fragments of the assembly pages kept in Django's cache (`fragments`), each under every value it
reads (templates web/assembly/base_assembly.html, home.html, includes/language_switch.html): a page
rendered with the fragments kept from earlier states is byte for byte the page rendered afresh, through
the changes an append, a reader, a language or the clock make."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from ayllu.core.charter.rules import DAY_MS
from factories.federations import ratified_content, ratify_at_home
from factories.federations_stored import hold, resolved_federation, stored_act
from factories.keys import keypair
from factories.scenes import CargoAssembly, Clock, build_scene
from factories.statements import statements
from factories.stored import log_in_as, page_url

HOUR = 3_600_000


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # a form's nonce is made with each render (templatetags/ayllu.py `form_nonce`)
    return re.sub(r'data-nonce="[^"]*"', 'data-nonce=""', response.content.decode())


def assert_fragments_fresh(readers: dict[str, tuple[Client, str]], log: str, pages: tuple[str, ...]) -> None:
    """Each reader's pages as rendered with every fragment kept so far (by every reader, in every
    earlier state), then afresh, with nothing kept (an outsider's whole page is kept too, in the default
    cache: web/page_cache.py): the same bytes."""
    nothing = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for client, lang in readers.values():
        for name in pages:
            url = page_url(name, lang, log=log)
            kept = _page(client, url)
            with override_settings(CACHES={**settings.CACHES, "default": nothing, "fragments": nothing}):
                fresh = _page(client, url)
            assert kept == fresh, (name, lang)


@pytest.fixture
def scene(clock: Clock) -> CargoAssembly:
    return build_scene(clock)


def test_no_fragment_outlives_an_append_a_name_or_the_clock_that_changes_it(
    scene: CargoAssembly, clock: Clock
) -> None:
    # given an outsider in either language and two members, each reading the pages once
    ana, carla = Client(), Client()
    log_in_as(ana, scene.log, scene.keys["ana"])
    log_in_as(carla, scene.log, scene.keys["carla"])
    readers = {
        "outsider": (Client(), "en"),
        "afuera": (Client(), "es"),
        "ana": (ana, "es"),
        "carla": (carla, "en"),
    }
    every = ("assembly", "proposals", "members", "charter")
    assert_fragments_fresh(readers, scene.log, every)
    home = ("assembly",)
    # when a question opens: then every page as rendered afresh
    proposal = scene.act(
        "ana", "proposal.tabled", {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}}
    )
    question = scene.act("ana", "question.opened", {"proposal": proposal, "deadline": clock.now + DAY_MS})
    assert_fragments_fresh(readers, scene.log, home)
    # when members vote (carla's question leaves her page; ana's stays)
    scene.act("carla", "vote.cast", {"question": question, "choice": "yes"})
    assert_fragments_fresh(readers, scene.log, home)
    # when a recall petition gains a signature (the alerts count it)
    scene.act("flor", "recall.signed", {"petition": scene.ids["petition"]})
    assert_fragments_fresh(readers, scene.log, home)
    # when a member names herself (the header and the people the pages name)
    scene.act("carla", "member.named", {"name": "Carla Quispe"})
    assert_fragments_fresh(readers, scene.log, every)
    # when a meeting is convened for later, starts, and the question's deadline passes
    scene.act("ana", "meeting.convened", {"title": "Asamblea de febrero", "starts": clock.now + 2 * HOUR})
    assert_fragments_fresh(readers, scene.log, home)
    clock.advance(3 * HOUR)
    assert_fragments_fresh(readers, scene.log, home)
    clock.advance(DAY_MS)
    assert_fragments_fresh(readers, scene.log, home)


def test_a_kept_home_page_section_follows_the_federation_it_names(clock: Clock) -> None:
    # given alto's recorded ratification, offered to a member to cite into the federation
    scene = resolved_federation(clock, share="2/3")
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto, checkpoint=True)
    bea = Client()
    log_in_as(bea, scene.alto.log, keypair("bea"))
    readers = {"outsider": (Client(), "en"), "bea": (bea, "es")}
    assert_fragments_fresh(readers, scene.alto.log, ("assembly",))
    # when anyone cites it into the federation (alto's own record does not change)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.alto, recorded, scene.resolution)
    )
    # then alto's home says it is counted, with the fragments kept as without them
    assert_fragments_fresh(readers, scene.alto.log, ("assembly",))
    assert "contó nuestra respuesta" in _page(bea, page_url("assembly", "es", log=scene.alto.log))


def test_the_language_switch_is_kept_per_path_and_query(scene: CargoAssembly) -> None:
    # given the proposals page read with no query
    client = Client()
    url = page_url("proposals", "en", log=scene.log)
    client.get(url)
    # when read with a query
    page = client.get(f"{url}?meeting=1").content.decode()
    # then its links to the other language keep the query, as rendered afresh
    assert f"{page_url('proposals', 'es', log=scene.log)}?reunion=1" in page
    assert_fragments_fresh({"outsider": (client, "en")}, scene.log, ("proposals",))


def test_a_members_first_view_after_an_append_reads_the_waiting_room_once(scene: CargoAssembly) -> None:
    # given ana read her home page once
    ana = Client()
    log_in_as(ana, scene.log, scene.keys["ana"])
    url = page_url("assembly", "es", log=scene.log)
    ana.get(url)
    # when another member's act is appended and she reads it again
    scene.act("carla", "member.named", {"name": "Carla"})
    with statements() as ran:
        assert ana.get(url).status_code == 200
    # then the waiting room was counted once, for the key and the page's reads, and not listed
    assert len([s for s in ran if "ayllu_waiting_act" in s]) == 1
