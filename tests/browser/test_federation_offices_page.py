"""A home assembly's federation offices page on a phone: our turn, accessible, no sideways scroll; the
member presses "Cite it in the federation" and their device signs, with the home assembly's key, the act
that names the office's holder in the federation's record."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.storage import models
from factories.federations_stored import OfficeScene, office_scene
from factories.keys import keypair, pub
from factories.scenes import Clock

from .browsing import DESKTOP, PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[OfficeScene]:
    forget_replayed_state()
    yield office_scene(clock)
    forget_replayed_state()


@pytest.mark.parametrize(
    ("language", "viewport", "button"),
    [("es", PHONE, "Citarla en la federación"), ("en", DESKTOP, "Cite it in the federation")],
)
def test_the_holder_cites_their_credential_into_the_federation_from_the_home_page(
    new_page: Any,
    live_server: Any,
    scene: OfficeScene,
    clock: Clock,
    language: str,
    viewport: dict[str, int],
    button: str,
) -> None:
    # given the holder of the convenor's cargo, logged in to the assembly whose turn it is
    page = new_page(viewport, axe=True)
    key = keypair(scene.holder)
    seed = key.seed().hex()
    log_in_as(page, live_server.url, scene.turn.log, seed=seed, public=key.public, language=language)
    with translation.override(language):
        path = reverse("web:federation_offices", kwargs={"log": scene.turn.log})
    page.goto(live_server.url + path)
    assert_accessible(page, path, viewport)
    # when they press the button that cites their credential in the federation
    form = page.locator('form[data-type="federation.office_taken"]')
    page.wait_for_selector('form[data-type="federation.office_taken"][data-bound="1"]')
    form.get_by_role("button", name=button).click()
    page.wait_for_selector('form[data-type="federation.office_taken"]', state="detached", timeout=10_000)
    # then the federation's record names them holder, signed by their home key, and the form is gone
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == "federation.office_taken" and last.author == pub(scene.holder)
    offices = get_federation_offices(scene.log, now=clock.now)
    assert offices is not None
    convenor = next(o for o in offices.offices if o.office == "convenor")
    assert convenor.current is not None and convenor.current.holder == pub(scene.holder)
