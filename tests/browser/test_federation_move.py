"""Moving a federation's record from phones, in Spanish (decision 0033): the delegates of both member
assemblies, each logged in at home, endorse the move (move.js signs the statement with the home key,
data-key-log) and one of them signs `record.moved` (act-form.js, the same key)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.federation_move import seated_pair
from factories.keys import keypair, pub
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000
NEW_NODE = keypair("new-node").public


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[dict[str, str]]:
    forget_replayed_state()
    yield seated_pair(clock)
    forget_replayed_state()


def _wait(page: Any, done: Any) -> None:
    for _ in range(WAIT_MS // 250):
        if done():
            return
        page.wait_for_timeout(250)


def _phone(new_page: Any, live_server: Any, home: str, delegate: str, *, axe: bool = False) -> Any:
    page = new_page(PHONE, axe=axe)
    key = keypair(delegate)
    log_in_as(page, live_server.url, home, seed=key.seed().hex(), public=key.public, language="es")
    return page


def test_delegates_endorse_the_federations_move_from_their_phones_and_one_signs_it(
    new_page: Any, live_server: Any, scene: dict[str, str]
) -> None:
    fed = scene["fed"]
    with translation.override("es"):
        path = reverse("web:record_move", kwargs={"log": fed})
    endorsements = models.MoveEndorsement.objects.filter(log=fed, node=NEW_NODE)
    # given alto's delegate, logged in at home, names the new node and endorses the move
    first = _phone(new_page, live_server, scene["alto"], scene["alto_delegate"], axe=True)
    first.goto(live_server.url + path)
    first.get_by_label("Clave del nodo al que se traslada el registro").fill(NEW_NODE)
    first.get_by_role("button", name="Respaldar el traslado").click()
    _wait(first, lambda: endorsements.count() == 1)
    assert endorsements.get().key == pub(scene["alto_delegate"])
    # and bajo's delegate endorses the same move from its card
    second = _phone(new_page, live_server, scene["bajo"], scene["bajo_delegate"])
    second.goto(live_server.url + path)
    second.get_by_role("button", name="Respaldar este traslado").click()
    _wait(second, lambda: endorsements.count() == 2)
    # when alto's delegate reads the page again and signs the move
    first.goto(live_server.url + path)
    first.screenshot(path="/tmp/fedrules-federation-move-360-es.png", full_page=True)
    assert_accessible(first, path, PHONE)
    first.get_by_role("button", name="Firmar el traslado").click()
    moved = models.Entry.objects.filter(record__log=fed, type="record.moved")
    _wait(first, moved.exists)
    # then the federation's record moved, by an act signed with alto's delegate's home key
    forget_replayed_state()
    assert moved.count() == 1 and moved.get().author == pub(scene["alto_delegate"])
    assert read_state(fed, lambda state: state.node) == NEW_NODE
