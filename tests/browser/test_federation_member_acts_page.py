"""A zone federation's home on a phone, in Spanish (decision 0029): the holder of the office that
represents it in the district, logged in at home, sees the credential to issue; no
sideways scroll at 360 px, accessible."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.federations import office_content
from factories.federations_stored import OfficeScene, office_scene, stored_act
from factories.keys import keypair
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[OfficeScene]:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    built = office_scene(fake, represents="d" * 64)
    stored_act(built.log, "lola", "federation.office_taken", office_content(built.turn, built.credential))
    yield built
    forget_replayed_state()


def test_the_zones_member_acts_fit_a_phone_in_spanish(
    new_page: Any, live_server: Any, scene: OfficeScene
) -> None:
    # given the holder logged in at home (the form is signed with the key kept for it)
    page = new_page(PHONE, axe=True)
    key = keypair(scene.holder)
    log_in_as(page, live_server.url, scene.turn.log, seed=key.seed().hex(), public=key.public)
    with translation.override("es"):
        path = reverse("web:federation_home", kwargs={"log": scene.log})
    # when
    page.goto(live_server.url + path)
    # then
    assert page.get_by_role("button", name="Emitir la credencial para la federación superior").count() == 1
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, PHONE)
