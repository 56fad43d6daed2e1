"""A plenary's meeting page on a phone, in Spanish (decision 0028): a seated delegate, logged in at home,
presses "Registrar presente a nuestra asamblea" and their device signs, with the home assembly's key, the
act that counts their assembly at the sitting; the page is accessible, with no sideways scroll."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from factories.keys import keypair, pub
from factories.plenary_chair import OpenedPlenary, convened_plenary
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PRESENT = "federation.plenary_present"


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[OpenedPlenary]:
    yield convened_plenary(clock)
    forget_replayed_state()


def test_a_seated_delegate_signs_their_assembly_present_at_the_plenary_from_a_phone(
    new_page: Any, live_server: Any, scene: OpenedPlenary
) -> None:
    # given alto's delegate logged in at home on their phone, the plenary's sitting started
    delegate, home = scene.delegates[0], scene.homes[0]
    page = new_page(PHONE, axe=True)
    key = keypair(delegate)
    log_in_as(page, live_server.url, home.log, seed=key.seed().hex(), public=key.public, language="es")
    with translation.override("es"):
        path = reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": scene.meeting})
    page.goto(live_server.url + path)
    assert_accessible(page, path, PHONE)
    page.screenshot(path="/tmp/fc/plenary-present-360-es.png", full_page=True)
    # when they press their own form's button (their home's key)
    selector = f'form[data-type="{PRESENT}"][data-key-log="{home.log}"]'
    assert page.locator(f'form[data-type="{PRESENT}"]').count() == 1
    page.wait_for_selector(selector + '[data-bound="1"]')
    page.locator(selector).get_by_role("button", name="Registrar presente a nuestra asamblea").click()
    page.wait_for_selector(selector, state="detached", timeout=10_000)
    # then the federation's record holds their assembly's presence, signed by their home key
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == PRESENT and last.author == pub(delegate)
