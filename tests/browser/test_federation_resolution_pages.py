"""A resolution's answers on a phone in Spanish: the federation's home lists a small federation's answers
(and counts those awaited), past its limit links to the resolution's page, which pages them; the
assembly's home names a federation whose record this node does not hold. No sideways scroll at 360 px,
accessible (axe, 44 px targets); with AYLLU_SCREENSHOTS=<dir>, each page is shot there."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.web import views_federation_body
from factories.assemblies import T0
from factories.federations import (
    accredit,
    found_federation,
    found_home,
    give_federation_cargo,
)
from factories.federations_stored import hold, ratified_by_alto
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def fake(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    forget_replayed_state()
    clock = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    yield clock
    forget_replayed_state()


def _open(page: Any, live_server: Any, name: str, query: str = "", **kwargs: object) -> str:
    with translation.override("es"):
        path = reverse(f"web:{name}", kwargs=kwargs) + query
    page.goto(live_server.url + path)
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, PHONE)
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    if shots:
        page.screenshot(
            path=str(Path(shots) / f"{name}{query.replace('?', '-')}-es-phone.png"), full_page=True
        )
    return path


def test_a_small_federations_answers_are_listed_on_its_home(
    new_page: Any, live_server: Any, fake: Clock
) -> None:
    scene = ratified_by_alto(fake)
    page = new_page(PHONE, axe=True)
    _open(page, live_server, "federation_home", log=scene.log)
    card = page.locator(f'[data-ayllu-resolution="{scene.resolution}"]')
    assert card.locator("[data-ayllu-answer]").count() == 3
    assert "2 todavía no respondieron." in card.inner_text()


def test_a_long_list_of_answers_is_paged_on_the_resolutions_page(
    new_page: Any, live_server: Any, fake: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = ratified_by_alto(fake)
    monkeypatch.setattr(views_federation_body, "ANSWERS_ON_HOME", 2)
    monkeypatch.setattr(views_federation_body, "ANSWERS_PER_PAGE", 2)
    page = new_page(PHONE, axe=True)
    _open(page, live_server, "federation_home", "?long", log=scene.log)
    card = page.locator(f'[data-ayllu-resolution="{scene.resolution}"]')
    assert card.locator("[data-ayllu-answer]").count() == 0
    card.get_by_role("link", name="Las respuestas de sus 3 asambleas miembro, una por una").click()
    page.wait_for_load_state()
    assert page.locator("[data-ayllu-answer]").count() == 2
    _open(page, live_server, "federation_resolution", "?p=2", log=scene.log, resolution=scene.resolution)
    assert page.locator("[data-ayllu-answer]").count() == 1


def test_a_federation_not_held_here_is_named_on_the_assemblys_home(
    new_page: Any, live_server: Any, fake: Clock
) -> None:
    fake.now = max(fake.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo})
    accredit(alto, give_federation_cargo(alto, fed.log), fed.log)
    hold(alto)
    fake.now = max(fake.now, alto.clock + 1000)
    page = new_page(PHONE, axe=True)
    _open(page, live_server, "assembly", log=alto.log)
    assert page.locator(f'[data-ayllu-unheld-federation="{fed.log}"]').count() == 1
