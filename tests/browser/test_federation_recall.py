"""A recall petition against a federation's cargo holder from phones, in Spanish (decision 0033): alto's
delegate, logged in at home, opens it and sur's delegate signs it, each signing with the key their device
keeps for their home (act-form.js, data-key-log); the page counts member assemblies and, at two, the
member assemblies vote."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state, node_keypair
from ayllu.queries.replayed import read_state
from factories.federation_recall import treasurer_scene
from factories.federations_stored import hold
from factories.keys import keypair, pub
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as
from .walk import sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOT = "/tmp/fedrecall-federation-recall-360-es.png"
NEW_SHOT = "/tmp/fedrecall-federation-recall-new-360-es.png"


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[dict[str, str]]:
    forget_replayed_state()
    homes, fed, names = treasurer_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = max(clock.now, fed.clock + 1000)
    yield {
        "fed": fed.log,
        "alto": homes[0].log,
        "sur": homes[2].log,
        **{f"{k}_delegate": v for k, v in names.items()},
    }
    forget_replayed_state()


def _phone(new_page: Any, live_server: Any, home: str, delegate: str, *, axe: bool = False) -> Any:
    page = new_page(PHONE, axe=axe)
    key = keypair(delegate)
    log_in_as(page, live_server.url, home, seed=key.seed().hex(), public=key.public, language="es")
    return page


def test_delegates_open_and_sign_a_recall_of_the_federations_treasurer_from_their_phones(
    new_page: Any, live_server: Any, scene: dict[str, str]
) -> None:
    fed = scene["fed"]
    with translation.override("es"):
        path = reverse("web:recall", kwargs={"log": fed})
    # given alto's delegate, logged in at home, asks to recall the treasurer (bajo's delegate)
    alto = _phone(new_page, live_server, scene["alto"], scene["alto_delegate"])
    alto.goto(live_server.url + path)
    alto.locator(f"a[href*='cargo=tesorero&miembro={pub(scene['bajo_delegate'])}']").click()
    alto.get_by_label("La razón, para que la lean todos los miembros").fill("No rinde cuentas.")
    alto.screenshot(path=NEW_SHOT, full_page=True)
    sign(alto, "Abrir la petición")
    petition = read_state(fed, lambda s: max(s.recall_petitions))
    assert read_state(fed, lambda s: list(s.recall_petitions[petition].signers)) == [
        pub(scene["alto_delegate"])
    ]
    # when sur's delegate reads the recall page at home and signs
    sur = _phone(new_page, live_server, scene["sur"], scene["sur_delegate"], axe=True)
    sur.goto(live_server.url + path)
    card = sur.locator(f"#peticion-{petition}, #petition-{petition}").first
    assert "Firmada por 1 de 2 asambleas miembro" in card.inner_text()
    sur.screenshot(path=SHOT, full_page=True)
    assert_accessible(sur, path, PHONE)
    sign(sur, "Firmar la petición", within=card)
    # then two member assemblies signed: the member assemblies vote on the recall
    forget_replayed_state()
    assert read_state(fed, lambda s: s.recall_petitions[petition].question) > 0
