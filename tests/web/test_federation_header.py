"""A delegate logged in at their home assembly acts in the federation from it: every page of the
federation names that assembly in the header, with the way back to it and out, instead of offering to
log in; an outsider's header still offers it, and a page cached for one is never served to the other."""

from dataclasses import FrozenInstanceError, dataclass

import pytest
from django.test import Client
from django.utils import translation

from ayllu.core.cargos.powers import represent_in
from ayllu.web.views_assembly import Away
from factories.federations_stored import found_stored_federation
from factories.scenes import CargoAssembly, Clock, create_cargo, found_cargo_assembly
from factories.stored import log_in_as, page_url


@dataclass
class Home:
    council: CargoAssembly
    fed: str


@pytest.fixture
def home(clock: Clock) -> Home:
    """A council sealed on this node, member of a federation held here, with a cargo representing it."""
    council = found_cargo_assembly(clock)
    fed = found_stored_federation({"ana": council})  # type: ignore[dict-item]
    create_cargo(council, "delegado", powers=[represent_in(fed)])
    return Home(council, fed)


def _delegate(home: Home) -> Client:
    client = Client()
    [holder] = home.council.holders("delegado")
    log_in_as(client, home.council.log, home.council.keys[holder])
    return client


def _header(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page: str = response.content.decode()
    return page.split('<div class="session">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("page", ["federation_home", "members", "charter"])
def test_the_header_names_the_home_assembly_of_a_delegate_and_offers_an_outsider_to_log_in(
    home: Home, page: str
) -> None:
    with translation.override("es"):
        url = page_url(page, "es", log=home.fed)
        home_url = page_url("assembly", "es", log=home.council.log)
        name = home.council.name
        # given an outsider who reads the page first (an outsider's page may be kept for every outsider)
        outsider = _header(Client(), url)
        assert "Entrar" in outsider
        # when the delegate, logged in at home, reads it
        delegate = _header(_delegate(home), url)
        # then the header names their assembly, links back to it and offers to log out
        assert "Salir" in delegate and "Entrar" not in delegate
        # and the page says, under the header, for which assembly they act, with the way back to it
        page = _delegate(home).get(url).content.decode()
        assert f"Usted actúa aquí por <bdi>{name}</bdi>, la asamblea donde entró." in page
        assert f'<a href="{home_url}">Volver a su asamblea</a>' in page
        # and an outsider after them is still offered to log in
        again = _header(Client(), url)
        assert again == outsider


def test_in_their_own_assembly_a_member_is_logged_in_as_before(home: Home) -> None:
    with translation.override("es"):
        header = _header(_delegate(home), page_url("members", "es", log=home.council.log))
        assert "Salir" in header and "Entrar" not in header


@pytest.mark.parametrize("page", ["federation_home", "recall", "record_move", "meetings"])
def test_every_federation_page_reads_the_delegate_home_login_once_as_a_frozen_away(
    home: Home, page: str
) -> None:
    # given the delegate, logged in at home
    client = _delegate(home)
    [holder] = home.council.holders("delegado")
    # when they read a page of the federation
    response = client.get(page_url(page, "en", log=home.fed))
    # then the page's context holds their home login and the home's name, once, in a frozen read model
    away = response.context["away"]
    key = home.council.keys[holder].public
    assert away == Away(log=home.council.log, key=key, name=home.council.name)
    with pytest.raises(FrozenInstanceError):
        away.name = "elsewhere"
    # and an outsider's page has none
    assert Client().get(page_url(page, "en", log=home.fed)).context["away"] is None
