"""A plenary's meeting page on a phone, in Spanish (decision 0030): a delegate present, logged in at home,
presses "Tomar la presidencia" and their device signs, with the home assembly's key, the act that gives
them the chair in the federation's record; the page is accessible, with no sideways scroll."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from factories.keys import keypair, pub
from factories.plenary_chair import OpenedPlenary, opened_plenary
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[OpenedPlenary]:
    yield opened_plenary(clock)
    forget_replayed_state()


def test_a_delegate_present_takes_the_plenarys_chair_from_a_phone(
    new_page: Any, live_server: Any, scene: OpenedPlenary
) -> None:
    # given alto's delegate, present at the opened plenary, logged in at home on their phone
    delegate, home = scene.delegates[0], scene.homes[0]
    page = new_page(PHONE, axe=True)
    key = keypair(delegate)
    log_in_as(page, live_server.url, home.log, seed=key.seed().hex(), public=key.public, language="es")
    with translation.override("es"):
        path = reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": scene.meeting})
    page.goto(live_server.url + path)
    assert_accessible(page, path, PHONE)
    page.screenshot(path="/tmp/fc/plenary-chair-360-es.png", full_page=True)
    # and only their own form is offered (the other delegate's key is not on this device)
    assert page.locator('form[data-type="federation.plenary_chaired"]').count() == 1
    # when they press the button that takes the chair (their own form: their home's key)
    selector = f'form[data-type="federation.plenary_chaired"][data-key-log="{home.log}"]'
    page.wait_for_selector(selector + '[data-bound="1"]')
    page.locator(selector).get_by_role("button", name="Tomar la presidencia").click()
    page.wait_for_selector(selector, state="detached", timeout=10_000)
    # then the federation's record holds it, signed by their home key, and the page offers closing
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == "federation.plenary_chaired" and last.author == pub(delegate)
    page.wait_for_selector('form[data-type="meeting.closed"]')
    page.screenshot(path="/tmp/fc/plenary-chaired-360-es.png", full_page=True)


def test_a_delegate_proposes_who_holds_a_federation_cargo_from_a_phone(
    new_page: Any, live_server: Any, scene: OpenedPlenary
) -> None:
    # given alto's delegate logged in at home on their phone
    delegate, home = scene.delegates[0], scene.homes[0]
    page = new_page(PHONE, axe=True)
    key = keypair(delegate)
    log_in_as(page, live_server.url, home.log, seed=key.seed().hex(), public=key.public, language="es")
    with translation.override("es"):
        path = reverse("web:new_matter_proposal", kwargs={"log": scene.log, "matter": "cargo_assignment"})
    page.goto(live_server.url + path)
    assert_accessible(page, path, PHONE)
    page.screenshot(path="/tmp/fc/cargo-assignment-360-es.png", full_page=True)
    # the form names the seated delegates and is signed with the key kept for their home
    form = page.locator(f'form[data-type="proposal.tabled"][data-key-log="{home.log}"]')
    assert form.locator('select[name="effect.member"] option').count() == 2
