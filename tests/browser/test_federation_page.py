"""A federation's home on a phone and a desktop: member assemblies and their delegates, no sideways scroll
at 360 px, accessible (axe and 44 px touch targets), in Spanish and English."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.federations_stored import SeatedFederation, seated_federation
from factories.scenes import Clock

from .browsing import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[SeatedFederation]:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield seated_federation(fake)
    forget_replayed_state()


@pytest.mark.parametrize(
    ("language", "viewport", "heading"),
    [("es", PHONE, "Asambleas miembro"), ("en", DESKTOP, "Member assemblies")],
)
def test_the_federation_home_fits_the_screen_and_is_accessible(
    new_page: Any,
    live_server: Any,
    scene: SeatedFederation,
    language: str,
    viewport: dict[str, int],
    heading: str,
) -> None:
    # given
    page = new_page(viewport, axe=True)
    with translation.override(language):
        path = reverse("web:federation_home", kwargs={"log": scene.log})
    # when
    page.goto(live_server.url + path)
    # then
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".seats li").count() == 1
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, viewport)
