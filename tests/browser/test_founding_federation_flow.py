"""Two councils' delegates found a federation from their phones (issue 14), each signing on their own.

The node holds both councils' records. Delegate A opens the found page in Spanish at 360 px, chooses
"a federation of assemblies", names each founder's council from the list of assemblies the node holds
(by name, no record id to copy), keeps the federation's default rules, and passes B their link; each
creates a key for the draft and endorses, and A signs. The federation's members are the two councils;
each phone logs in, stays to tell the next step (each council's delegates take their seats with a
credential from home) and goes on to the federation's page. Axe checks the pages; with
AYLLU_SCREENSHOTS=1 the found page in federation mode is shot to docs/screenshots/.
"""

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.federations import get_federation
from ayllu.storage import clock, models
from factories.keys import keypair
from factories.stored import found

from .browsing import PHONE, assert_accessible
from .walk import WAIT_MS, press

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def clean(transactional_db: None) -> Any:
    forget_replayed_state()
    yield
    forget_replayed_state()


def shoot(page: Any, name: str) -> None:
    if os.environ.get("AYLLU_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_two_councils_delegates_found_a_federation_from_their_phones(
    new_page: Any, live_server: Any, clean: None
) -> None:
    # given: the node holds two councils; their delegates A and B each have a phone
    alto = found("Junta Vecinal Alto Lima", members=[keypair(51), keypair(52)])
    bajo = found("Junta Vecinal Bajo Llojeta", members=[keypair(53), keypair(54)])
    a, b = (new_page(PHONE, axe=True) for _ in range(2))
    problems: list[str] = []
    for page in (a, b):
        page.on("pageerror", lambda error: problems.append(str(error)))
    # (the page in English reads as well, once)
    b.goto(f"{live_server.url}/en/found/?federation=1")
    assert_accessible(b, b.url, PHONE)
    assert b.get_by_label("Name of the federation").is_visible()
    # when: A chooses a federation on the found page and names each founder's council by name
    a.goto(f"{live_server.url}/es/fundar/")
    with a.expect_navigation():
        a.get_by_role("link", name=re.compile("Una federación de asambleas")).click()
    assert_accessible(a, a.url, PHONE)
    a.get_by_label("Nombre de la federación").fill("Federación de Juntas de la Ladera")
    held = a.get_by_label("Asamblea que está en este nodo")
    held.nth(0).select_option(label=alto.name)
    held.nth(1).select_option(label=bajo.name)
    shoot(a, "founding-federation-es-phone")
    with a.expect_navigation():
        a.get_by_role("button", name="Empezar la fundación").click()
    assert_accessible(a, a.url, PHONE)
    shoot(a, "founding-federation-draft-es-phone")
    assert "delegado de Junta Vecinal Alto Lima" in a.inner_text("main")
    links = [urlsplit(u.strip()).path for u in a.locator(".founding-link").all_inner_texts()]
    assert len(links) == 2
    # and each creates a key for the draft on their own phone, then endorses
    for page, link in ((a, links[0]), (b, links[1])):
        page.goto(f"{live_server.url}{link}")
        press(page, "Crear la clave de este dispositivo")
    for page in (a, b):
        page.reload()
        press(page, "Respaldar la fundación")
    assert models.Record.objects.count() == 2  # the councils only: nothing founded before A signs
    # and A signs the founding act
    a.reload()
    press(a, "Firmar el acta de fundación")
    # then: a federation whose members are the two councils, and A's phone lands on its page
    log = models.FoundingDraft.objects.get().log
    federation = get_federation(log, now=clock.now_ms())
    assert federation is not None
    assert {m.assembly for m in federation.assemblies} == {alto.log, bajo.log}
    with translation.override("es"):
        home = reverse("web:federation_home", kwargs={"log": log})
    # and each founder's phone logs in and stays to tell the next step, then goes to the federation
    for page, link in ((a, None), (b, links[1])):
        if link:
            page.goto(f"{live_server.url}{link}")
        page.wait_for_selector("[data-ayllu-founding][data-state=logged-in]", timeout=WAIT_MS)
        told = page.inner_text("main")
        assert "Después: los delegados ocupan sus puestos" in told and "Ya entró con este dispositivo" in told
        assert all(f"Mandatos de {home.name}" in told for home in (alto, bajo))
        if page is a:
            assert_accessible(a, a.url, PHONE)
            shoot(a, "founding-federation-founded-es-phone")
        with page.expect_navigation():
            page.get_by_role("link", name="Ir a la federación").click()
        page.wait_for_url(re.compile(re.escape(home) + "$"), timeout=WAIT_MS)
        assert "Junta Vecinal Bajo Llojeta" in page.inner_text("main")
    assert_accessible(a, a.url, PHONE)
    assert problems == []
