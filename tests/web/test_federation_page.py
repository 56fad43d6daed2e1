"""A federation's home page: its member assemblies (named where this node holds their records) and the
delegates each has seated, in Spanish and English; an assembly's record has no such page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.cargos.powers import represent_in
from ayllu.queries.replayed import read_state
from factories.federations_stored import SeatedFederation, seated_federation
from factories.keys import pub
from factories.scenes import CargoAssembly, Clock, create_cargo, found_cargo_assembly
from factories.stored import log_in_as


def _url(name: str, lang: str, **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> SeatedFederation:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return seated_federation(fake)


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
    page = client.get(_url("federation_home", lang, log=scene.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text
    assert "Junta vecinal Villa Esperanza" in text  # alto's name: its record is held here
    assert pub(scene.delegate)[:8] in text
    assert _url("assembly", lang, log=scene.alto.log) in text
    assert scene.bajo.log in text  # bajo's record is not held: its id is shown
    assert _url("federation_home", lang, log=scene.log) in text  # the nav links the page


def test_an_assemblys_record_has_no_federation_page(client: Client, scene: SeatedFederation) -> None:
    # when
    page = client.get(_url("federation_home", "en", log=scene.alto.log))
    # then
    assert page.status_code == 404


FED = "ab" * 32  # a federation's log id: the cargo names it, the credential's form needs nothing else


@pytest.fixture
def home(db: None, monkeypatch: pytest.MonkeyPatch) -> CargoAssembly:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    asm = found_cargo_assembly(fake)
    create_cargo(asm, "delegado", powers=[represent_in(FED)])
    return asm


def test_the_holder_of_the_federation_cargo_is_offered_the_credential_form(
    client: Client, home: CargoAssembly
) -> None:
    # given
    [holder] = home.holders("delegado")
    other = next(n for n in ("ana", "bea", "carla") if n != holder)
    url = _url("mandates", "es", log=home.log)
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
    page = client.get(_url("mandates", "en", log=home.log)).content.decode()
    # then
    assert "Credentials for this federation" in page
    assert _url("record_entry_citation", "en", log=home.log, seq=seq) in page
