"""The federation's page on a phone, in Spanish, with a plenary the member assemblies convened: accessible,
no sideways scroll; a member of a member assembly presses "Instalar la plenaria" and their device signs,
with the home assembly's key, the act that opens it in the federation's record."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from factories.federations import petition_content
from factories.federations_stored import OfficeScene, office_scene, stored_act
from factories.keys import keypair, pub
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[OfficeScene]:
    forget_replayed_state()
    yield office_scene(clock)
    forget_replayed_state()


def test_anyone_opens_the_convened_plenary_from_a_phone(
    new_page: Any, live_server: Any, scene: OfficeScene, clock: Clock
) -> None:
    # given a plenary two member assemblies convened, on its day
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        stored_act(scene.log, "lola", "federation.petition_cited", petition_content(home, backing))
    clock.now = scene.plenary + 1000
    # and a member of the member assembly whose key the page's opening form names, logged in at home
    home = min(scene.homes, key=lambda h: h.log)
    member = "ana" if home is scene.homes[0] else "dora" if home is scene.homes[1] else "gina"
    page = new_page(PHONE, axe=True)
    key = keypair(member)
    log_in_as(page, live_server.url, home.log, seed=key.seed().hex(), public=key.public, language="es")
    with translation.override("es"):
        path = reverse("web:federation_home", kwargs={"log": scene.log})
    page.goto(live_server.url + path)
    assert_accessible(page, path, PHONE)
    # when they press the button that opens the plenary
    selector = 'form[data-type="federation.plenary_opened"]'
    page.wait_for_selector(selector + '[data-bound="1"]')
    page.locator(selector).get_by_role("button", name="Instalar la plenaria").click()
    page.wait_for_selector(selector, state="detached", timeout=10_000)
    # then the federation's record holds the opening, signed by their home key
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == "federation.plenary_opened" and last.author == pub(member)
