"""A federation's home page: its member assemblies (named where this node holds their records) and the
delegates each has seated, in Spanish and English; an assembly's record has no such page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.federations_stored import SeatedFederation, seated_federation
from factories.keys import pub
from factories.scenes import Clock


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
