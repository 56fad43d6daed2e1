"""The federation's minute-keeper adds a note to the federation's minutes from their phone, in Spanish:
bajo's delegate, given the cargo by the federation's decision and logged in at home, writes the note and
signs it with the key their device keeps for bajo (act-form.js, data-key-log); the note is in the record
as theirs. No sideways scroll at 360 px, accessible; with AYLLU_SCREENSHOTS=<dir>, the page is shot."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state, node_keypair
from ayllu.queries.replayed import read_state
from factories.federation_recall import minutes_scene
from factories.federations_stored import hold
from factories.keys import keypair
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as
from .walk import sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[tuple[str, str, str, int]]:
    forget_replayed_state()
    homes, fed, names, meeting = minutes_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = max(clock.now, fed.clock + 1000)
    yield fed.log, homes[1].log, names["bajo"], meeting
    forget_replayed_state()


def test_the_minute_keeper_adds_a_note_from_their_phone_at_home(
    new_page: Any, live_server: Any, scene: tuple[str, str, str, int]
) -> None:
    fed, home, keeper, meeting = scene
    page = new_page(PHONE, axe=True)
    key = keypair(keeper)
    log_in_as(page, live_server.url, home, seed=key.seed().hex(), public=key.public, language="es")
    with translation.override("es"):
        path = reverse("web:minutes", kwargs={"log": fed, "meeting_id": meeting})
    # when the minute-keeper opens the federation's minutes at home and writes a note
    page.goto(live_server.url + path)
    page.get_by_label("Agregar una nota, firmada como suya").fill("Se acordó el paro cívico.")
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, PHONE)
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    if shots:
        page.screenshot(path=str(Path(shots) / "federation-minutes-keeper-es-phone.png"), full_page=True)
    sign(page, "Agregar la nota")
    # then the note is in the federation's record, signed by them
    forget_replayed_state()
    notes = read_state(fed, lambda s: [n["member"] for n in s.meetings[meeting].notes])
    assert notes == [key.public]
