"""A federation's home page: its member assemblies (named where this node holds their records) and the
delegates each has seated, in Spanish and English; an assembly's record has no such page."""

import pytest
from django.test import Client

from ayllu.core.cargos.powers import represent_in
from ayllu.queries.replayed import read_state
from factories.federations import household_of
from factories.federations_stored import SeatedFederation, seated_federation
from factories.keys import pub
from factories.scenes import CargoAssembly, Clock, create_cargo, found_cargo_assembly
from factories.stored import log_in_as, page_url


@pytest.fixture
def scene(clock: Clock) -> SeatedFederation:
    return seated_federation(clock)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            ("Asambleas miembro", "Miembro fundador", "1 delegado en funciones", "Todavía no hay delegados"),
        ),
        ("en", ("Member assemblies", "Founding member", "1 delegate standing", "No delegate seated yet")),
    ],
)
def test_the_federation_home_lists_member_assemblies_and_their_delegates(
    client: Client, scene: SeatedFederation, lang: str, words: tuple[str, ...]
) -> None:
    # when
    page = client.get(page_url("federation_home", lang, log=scene.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text
    assert "Junta vecinal Villa Esperanza" in text  # alto's name: its record is held here
    # alto's delegate by their household in alto (alto held here), not by the start of their key
    assert f'<bdi class="person__name" dir="auto">{household_of(scene.alto, scene.delegate)}</bdi>' in text
    assert pub(scene.delegate)[:8] not in text
    assert page_url("assembly", lang, log=scene.alto.log) in text
    assert scene.bajo.log in text  # bajo's record is not held: its id is shown
    assert page_url("federation_home", lang, log=scene.log) in text  # the nav links the page


def test_an_assemblys_record_has_no_federation_page(client: Client, scene: SeatedFederation) -> None:
    # when
    page = client.get(page_url("federation_home", "en", log=scene.alto.log))
    # then
    assert page.status_code == 404


FED = "ab" * 32  # a federation's log id: the cargo names it, the credential's form needs nothing else


@pytest.fixture
def home(clock: Clock) -> CargoAssembly:
    asm = found_cargo_assembly(clock)
    create_cargo(asm, "delegado", powers=[represent_in(FED)])
    return asm


def test_the_holder_of_the_federation_cargo_is_offered_the_credential_form(
    client: Client, home: CargoAssembly
) -> None:
    # given
    [holder] = home.holders("delegado")
    other = next(n for n in ("ana", "bea", "carla") if n != holder)
    url = page_url("mandates", "es", log=home.log)
    # when
    log_in_as(client, home.log, home.keys[holder])
    offered = client.get(url).content.decode()
    client.post(f"/en/assembly/{home.log}/logout/")
    log_in_as(client, home.log, home.keys[other])
    not_offered = client.get(url).content.decode()
    # then
    assert 'data-type="delegate.accredited"' in offered and "Emitir su credencial" in offered
    assert 'data-type="delegate.accredited"' not in not_offered


def test_an_issued_credential_is_listed_with_its_citation(client: Client, home: CargoAssembly) -> None:
    # given
    [holder] = home.holders("delegado")
    until = read_state(home.log, lambda s: s.cargos["delegado"].holders[home.pub(holder)])
    seq = home.act(holder, "delegate.accredited", {"federation": FED, "until": until})
    # when
    page = client.get(page_url("mandates", "en", log=home.log)).content.decode()
    # then
    assert "Credentials for this federation" in page
    assert page_url("record_entry_citation", "en", log=home.log, seq=seq) in page
