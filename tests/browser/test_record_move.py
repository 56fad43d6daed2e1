"""Moving the record to another node from phones, in Spanish: two of three members endorse the move on
their devices (move.js signs the move statement), and the third signs `record.moved` (act-form.js)."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly, found_with_officers

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000
NEW_NODE = keypair("new-node").public


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def _wait(page: Any, done: Any) -> None:
    for _ in range(WAIT_MS // 250):
        if done():
            return
        page.wait_for_timeout(250)


def test_members_endorse_a_move_on_their_phones_and_one_signs_it(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    address = f"{live_server.url}/es/asamblea/{assembly.log}/registro/traslado/"
    endorsements = models.MoveEndorsement.objects.filter(log=assembly.log, node=NEW_NODE)
    # given the first member names the new node and endorses the move
    first = member_page(assembly.log, assembly.members[0], language="es", axe=True)
    first.goto(address)
    first.get_by_label("Clave del nodo al que se traslada el registro").fill(NEW_NODE)
    first.get_by_role("button", name="Respaldar el traslado").click()
    _wait(first, lambda: endorsements.count() == 1)
    # and the second endorses the same move from its card
    second = member_page(assembly.log, assembly.members[1], language="es")
    second.goto(address)
    second.get_by_role("button", name="Respaldar este traslado").click()
    _wait(second, lambda: endorsements.count() == 2)
    # when the first reads the page again, and signs the move
    first.goto(address)
    first.screenshot(path="/tmp/phones-record-move.png", full_page=True)
    assert_accessible(first, address, PHONE)
    first.get_by_role("button", name="Firmar el traslado").click()
    moved = models.Entry.objects.filter(record__log=assembly.log, type="record.moved")
    _wait(first, moved.exists)
    # then the record moved to the new node
    forget_replayed_state()
    assert moved.count() == 1
    assert read_state(assembly.log, lambda state: state.node) == NEW_NODE
