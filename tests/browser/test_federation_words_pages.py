"""The federation's words on a phone, in Spanish (360 px): the federation's home names delegates as their
home assemblies do and says what a resolution needs in words; a member assembly's "our federations"; the
federation's meetings page calls a plenary "Plenaria de la federación". Each page is accessible and has no
sideways scroll; screenshots go to $AYLLU_SHOTS (default /tmp/fedwords-shots)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.federations import household_of, petition_content
from factories.federations_stored import hold, office_scene, resolved_federation, stored_act
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(os.environ.get("AYLLU_SHOTS", "/tmp/fedwords-shots"))


@pytest.fixture
def fresh(transactional_db: None) -> Iterator[None]:
    forget_replayed_state()
    yield
    forget_replayed_state()


def _visit(page: Any, server: str, name: str, shot: str, **kwargs: Any) -> str:
    with translation.override("es"):
        path = reverse(name, kwargs=kwargs)
    page.goto(server + path)
    assert_accessible(page, path, PHONE)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    text: str = page.inner_text("main")
    return " ".join(text.split())


def test_the_federation_and_our_federations_read_naturally_on_a_phone(
    new_page: Any, live_server: Any, fresh: None, clock: Clock
) -> None:
    # given a federation of three councils held here, each with a seated delegate, a resolution that
    # needs every member assembly
    scene = resolved_federation(clock, share="1/1")
    for home in (scene.alto, scene.bajo, scene.sur):
        hold(home)
    page = new_page(PHONE, axe=True)
    # when
    federation = _visit(page, live_server.url, "web:federation_home", "federation-home-es-360", log=scene.log)
    ours = _visit(page, live_server.url, "web:assembly", "our-federations-es-360", log=scene.alto.log)
    # then
    assert "Necesita a todas las asambleas miembro." in federation
    assert household_of(scene.alto, "ana") in federation or household_of(scene.alto, "bea") in federation
    assert "Paro cívico por el agua" in ours


def test_a_plenary_is_titled_in_spanish_on_the_federations_meetings_page(
    new_page: Any, live_server: Any, fresh: None, clock: Clock
) -> None:
    # given a plenary two member assemblies convened
    scene = office_scene(clock)
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        stored_act(scene.log, "lola", "federation.petition_cited", petition_content(home, backing))
    page = new_page(PHONE, axe=True)
    # when
    meetings = _visit(page, live_server.url, "web:meetings", "federation-meetings-es-360", log=scene.log)
    # then
    assert "Plenaria de la federación" in meetings
    assert "plenary" not in meetings
