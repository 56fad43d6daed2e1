"""A federation's charter editor on a phone, in Spanish: the section with the federation's own rules
(offices by turn, petitions, plenaries) opens, fits 360 px without sideways scroll, is accessible with
44 px targets; with AYLLU_SCREENSHOTS=1 it is shot to docs/screenshots/."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.federations import found_federation, found_home, seated_delegate
from factories.federations_stored import hold
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def federation(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    forget_replayed_state()
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    fed = found_federation({"ana": homes[0], "dora": homes[1]})
    for home in homes:
        seated_delegate(fed, home)
    clock = Clock()
    clock.now = fed.clock + 1000
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    hold(fed)
    yield fed.log
    forget_replayed_state()


def test_the_federation_rules_of_the_charter_editor_fit_a_phone_in_spanish(
    new_page: Any, live_server: Any, federation: str
) -> None:
    # given
    page = new_page(PHONE, axe=True)
    with translation.override("es"):
        path = reverse("web:new_matter_proposal", kwargs={"log": federation, "matter": "charter_amendment"})
    # when: the federation's rules are opened
    page.goto(live_server.url + path)
    section = page.locator("[data-ayllu-federation-rules]")
    section.locator("summary").first.click()
    # then
    assert section.get_by_label("Días de cada turno").count() == 2  # no office yet: two empty rows
    assert section.get_by_label("Quórum de una plenaria postergada").count() == 1
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    if os.environ.get("AYLLU_SCREENSHOTS") == "1":
        page.evaluate("document.querySelector('[data-ayllu-federation-rules]').scrollIntoView()")
        page.screenshot(path=str(SHOTS / "charter-federation-es-phone.png"))
        if os.environ.get("AYLLU_WHOLE_SHOT"):  # the whole section, to look at (not kept)
            section.screenshot(path=os.environ["AYLLU_WHOLE_SHOT"])
    assert_accessible(page, path, PHONE)
