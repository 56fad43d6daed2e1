"""Three founders found an assembly in real browsers, each signing on their own device, and one logs in.

Founder A (Spanish) starts the founding and passes the links; A, B (English) and C (Spanish), each in a
separate browser context, create a key for the draft, endorse the frozen content, and A signs the
founding act. Then B's key is filed under the new record's id and B logs in with it. Axe checks the
founding pages at phone size in both languages; screenshots of the Spanish pages go to docs/screenshots/
when AYLLU_SCREENSHOTS=1.
"""

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import list_members
from ayllu.storage import models

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BUTTONS = {
    "es": {
        "key": "Crear la clave de este dispositivo",
        "endorse": "Respaldar la fundación",
        "sign": "Firmar el acta de fundación",
        "login": "Entrar con este dispositivo",
    },
    "en": {
        "key": "Create this device's key",
        "endorse": "Endorse the founding",
        "sign": "Sign the founding act",
        "login": "Log in with this device",
    },
}


@pytest.fixture
def clean(transactional_db: None) -> Any:
    forget_replayed_state()
    yield
    forget_replayed_state()


def press(page: Any, name: str) -> None:
    """Press a founding step's button; the page reloads once the node accepted the step."""
    button = page.get_by_role("button", name=name)
    button.wait_for(state="visible", timeout=WAIT_MS)
    with page.expect_navigation(timeout=WAIT_MS):
        button.click()


def check_axe(page: Any) -> None:
    assert_accessible(page, page.url, PHONE)


def shoot(page: Any, name: str) -> None:
    if os.environ.get("AYLLU_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_three_founders_found_an_assembly_each_on_their_own_device_and_one_logs_in(
    new_page: Any, live_server: Any, clean: None
) -> None:
    # given: three founders in separate browsers (axe=True only lets the test inject axe)
    a, b, c = (new_page(PHONE, axe=True) for _ in range(3))
    langs = {id(a): "es", id(b): "en", id(c): "es"}
    problems: list[str] = []
    hosts: set[str] = set()
    for page in (a, b, c):
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    # when: A starts the founding with three households
    a.goto(f"{live_server.url}/es/fundar/")
    check_axe(a)
    shoot(a, "founding-start-es-phone")
    a.get_by_label("Nombre de la asamblea").fill("Junta Vecinal Los Andes")
    a.get_by_label("Hogares de los fundadores").fill("casa-1\ncasa-2\ncasa-3")
    with a.expect_navigation():
        a.get_by_role("button", name="Empezar la fundación").click()
    links = [urlsplit(u.strip()).path for u in a.locator(".founding-link").all_inner_texts()]
    assert len(links) == 3
    urls = {id(a): links[0], id(b): links[1].replace("/es/fundar/", "/en/found/"), id(c): links[2]}
    # and every founder creates a key for the draft on their own device
    for page in (a, b, c):
        page.goto(f"{live_server.url}{urls[id(page)]}")
        press(page, BUTTONS[langs[id(page)]]["key"])
    # and every founder endorses the frozen content
    for page in (a, b, c):
        page.reload()
        if page is a:
            check_axe(a)
            shoot(a, "founding-endorse-es-phone")
        press(page, BUTTONS[langs[id(page)]]["endorse"])
    assert models.Record.objects.count() == 0  # nothing in any record before the act is signed
    # and A signs the founding act
    a.reload()
    press(a, BUTTONS["es"]["sign"])
    # then: the record exists with the three founders' households, and B logs in with the draft's key
    log = models.FoundingDraft.objects.get().log
    assert [m["household"] for m in list_members(log)["members"]] == ["casa-1", "casa-2", "casa-3"]
    a.wait_for_selector("[data-ayllu-founding][data-state=filed]", timeout=WAIT_MS)
    check_axe(a)
    shoot(a, "founding-founded-es-phone")
    b.reload()
    b.wait_for_selector("[data-ayllu-founding][data-state=filed]", timeout=WAIT_MS)
    check_axe(b)
    with b.expect_navigation():
        b.get_by_role("link", name=BUTTONS["en"]["login"]).click()
    with b.expect_navigation(timeout=WAIT_MS):
        b.get_by_role("button", name=BUTTONS["en"]["login"]).click()
    assert re.search(rf"/en/assembly/{log}/record/$", b.url)
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}
