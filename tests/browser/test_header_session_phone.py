"""The header of a logged-in member, on a 360 px phone and on a desktop, on every kind of page that shows
it: the node's name whole, "Salir" on one line, nothing sideways; who is logged in shown on a desktop and
read aloud (not drawn) on a phone."""

from typing import Any

import pytest

from factories.stored import StoredAssembly

from .browsing import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE_TALL = {**PHONE, "height": 740}
MEASURE = """() => {
    const brand = document.querySelector('.brand');
    const out = document.querySelector('.session__button');
    const who = document.querySelector('.session__who');
    return {
        brandCut: brand.scrollWidth > brand.clientWidth + 1,
        outHeight: out ? out.getBoundingClientRect().height : 0,
        whoWidth: who ? who.getBoundingClientRect().width : -1,
        whoText: who ? who.textContent.trim() : '',
        wide: document.scrollingElement.scrollWidth > innerWidth,
    };
}"""


def _paths(log: str) -> dict[str, str]:
    return {
        "front": "/es/",
        "assembly": f"/es/asamblea/{log}/",
        "record": f"/es/asamblea/{log}/registro/",
        "decisions": f"/es/asamblea/{log}/registro/decisiones/",
        "citation": f"/es/asamblea/{log}/registro/entradas/1/cita/",
        "login": f"/es/asamblea/{log}/entrar/",
    }


@pytest.mark.parametrize("viewport", [PHONE_TALL, DESKTOP], ids=["phone", "desktop"])
def test_a_members_header_fits_every_page(
    member_page: Any, live_server: Any, demo: StoredAssembly, viewport: dict[str, int]
) -> None:
    # given: a member logged in on this device
    page = member_page(demo.log, demo.members[0], language="es", viewport=viewport)
    for name, path in _paths(demo.log).items():
        # when
        page.goto(live_server.url + path)
        found = page.evaluate(MEASURE)
        # then the node's name is whole, "Salir" is one line high, nothing scrolls sideways
        assert not found["brandCut"] and 0 < found["outHeight"] < 47 and not found["wide"], (name, found)
        # and who is logged in is in the header: drawn on a desktop, read aloud only on a phone
        assert found["whoText"].startswith("Usted entró"), (name, found)
        assert (found["whoWidth"] > 50) is (viewport == DESKTOP), (name, found)
