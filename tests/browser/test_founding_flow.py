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
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import list_members
from ayllu.queries.members import list_founding_keys
from ayllu.storage import models

from .browsing import PHONE, assert_accessible
from .walk import WAIT_MS, press

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

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


def route(lang: str, name: str, **kwargs: str) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


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
    a.get_by_label("Familias de quienes fundan").fill("casa-1\ncasa-2\ncasa-3")
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
    # then: the record exists with the three founders' households
    log = models.FoundingDraft.objects.get().log
    assert [m.household for m in list_members(log).members] == ["casa-1", "casa-2", "casa-3"]
    # (each founder's page logs them in with the draft's key by itself and goes to "Now": no extra click)
    a.wait_for_url(re.compile(rf"/es/asamblea/{log}/$"), timeout=WAIT_MS)
    check_axe(a)
    shoot(a, "founding-founded-es-phone")
    assert "No funcionó" not in a.inner_text("body")
    # and B, without opening the founding link again, enters from the assembly's login page and lands
    # on "Now"
    b.goto(f"{live_server.url}{route('en', 'login', log=log)}")
    with b.expect_navigation(timeout=WAIT_MS):
        b.get_by_role("button", name=BUTTONS["en"]["login"]).click()
    b.wait_for_url(re.compile(rf"/en/assembly/{log}/$"), timeout=WAIT_MS)
    check_axe(b)
    assert b.get_by_role("button", name="Log out").is_visible()
    # and C first opens "set up this device", which shows the founding key instead of making another
    c.goto(f"{live_server.url}{route('es', 'device', log=log)}")
    c.wait_for_selector("[data-ayllu-device][data-state=ready]", timeout=WAIT_MS)
    assert c.inner_text("[data-ayllu-public-hex]") in list_founding_keys(log)
    shoot(c, "founding-device-es-phone")
    with c.expect_navigation():
        c.get_by_role("link", name=BUTTONS["es"]["login"]).click()
    with c.expect_navigation(timeout=WAIT_MS):
        c.get_by_role("button", name=BUTTONS["es"]["login"]).click()
    c.wait_for_url(re.compile(rf"/es/asamblea/{log}/$"), timeout=WAIT_MS)
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}


STRAY_KEY = """async (log) => {
  const keys = await import("/static/web/js/device-key.js");
  return (await keys.createDeviceKey(log)).publicKey;
}"""


def test_a_founder_whose_device_made_a_second_key_still_enters_with_the_founding_key(
    new_page: Any, live_server: Any, clean: None
) -> None:
    # given: two founders; the second's device made a key of its own for the record after the founding
    # (what "set up this device" did before it looked for the founding key), which is no member's
    a, b = (new_page(PHONE) for _ in range(2))
    a.goto(f"{live_server.url}/es/fundar/")
    a.get_by_label("Nombre de la asamblea").fill("Junta Vecinal Santa Rosa")
    a.get_by_label("Familias de quienes fundan").fill("casa-1\ncasa-2")
    with a.expect_navigation():
        a.get_by_role("button", name="Empezar la fundación").click()
    links = [urlsplit(u.strip()).path for u in a.locator(".founding-link").all_inner_texts()]
    for page, link in ((a, links[0]), (b, links[1])):
        page.goto(f"{live_server.url}{link}")
        press(page, BUTTONS["es"]["key"])
    for page in (a, b):
        page.reload()
        press(page, BUTTONS["es"]["endorse"])
    a.reload()
    press(a, BUTTONS["es"]["sign"])
    log = models.FoundingDraft.objects.get().log
    b.goto(f"{live_server.url}{route('es', 'login', log=log)}")
    stray = b.evaluate(STRAY_KEY, log)
    assert stray not in list_founding_keys(log)
    # when: B reopens the founding link, then logs in
    b.goto(f"{live_server.url}{links[1]}")
    b.wait_for_selector("[data-ayllu-founding][data-state=filed]", timeout=WAIT_MS)
    said = b.inner_text("[data-ayllu-founding]")
    with b.expect_navigation():
        b.get_by_role("link", name=BUTTONS["es"]["login"]).click()
    with b.expect_navigation(timeout=WAIT_MS):
        b.get_by_role("button", name=BUTTONS["es"]["login"]).click()
    # then: no contradictory words, and B is in with the key B endorsed the founding with
    assert "No funcionó" not in said
    b.wait_for_url(re.compile(rf"/es/asamblea/{log}/$"), timeout=WAIT_MS)
