"""The home assembly's mandates page, for a federation this node holds: what we mandated on each of the
federation's questions beside how our delegates cast our voice there, and the form that states a mandate
for the federation (offered as the core answers), in Spanish and English."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories.federation_votes_stored import MandatedFederation, mandated_federation
from factories.federations_stored import stored_act
from factories.keys import keypair, pub
from factories.scenes import Clock
from factories.stored import log_in_as


def _url(name: str, lang: str, **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Pregunta", "de la federación", "Nuestro mandato:", "Nuestro voto allí:")),
        ("en", ("Question", "of the federation", "We mandated:", "Our voice there:")),
    ],
)
def test_the_home_shows_how_our_delegates_voted_beside_what_we_mandated(
    client: Client, clock: Clock, lang: str, words: tuple[str, ...]
) -> None:
    # given alto's delegate cast alto's voice in the federation, citing the mandate
    scene: MandatedFederation = mandated_federation(clock)
    stored_act(scene.log, scene.delegate, "federation.voted", scene.vote("yes"))
    # when
    page = client.get(_url("mandates", lang, log=scene.alto.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text
    assert f"{scene.question} " in text and pub(scene.delegate)[:8] in text
    assert _url("record_entry_citation", lang, log=scene.alto.log, seq=scene.mandate.seq) in text
    assert "card--alert" not in text.split(words[1])[1].split("</li>")[0]


def test_a_decided_mandate_not_yet_stated_offers_members_the_form_to_state_it(
    client: Client, clock: Clock
) -> None:
    # given alto decided its mandate but nobody stated it for the federation yet
    scene = mandated_federation(clock, stated=False)
    url = _url("mandates", "en", log=scene.alto.log)
    # when
    anonymous = client.get(url).content.decode()
    log_in_as(client, scene.alto.log, keypair("bea"))
    member = client.get(url).content.decode()
    # then
    assert "Our delegates have not voted on it yet." in member
    assert 'data-type="delegate.mandated"' in member and "State the mandate for the federation" in member
    assert f'name="body.question" value="{scene.question}"' in member
    assert 'data-type="delegate.mandated"' not in anonymous
