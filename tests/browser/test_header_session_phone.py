"""The header of a logged-in member, on a 360 px phone and on a desktop, on every kind of page that shows
it: the node's name whole, "Salir" on one line, nothing sideways; who is logged in shown on a desktop, and
on a phone read aloud whole and drawn short (a first name, or the household cut to fit)."""

from typing import Any

import pytest

from factories.stored import StoredAssembly, act

from .browsing import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE_TALL = {**PHONE, "height": 740}
MEASURE = """() => {
    const brand = document.querySelector('.brand');
    const out = document.querySelector('.session__button');
    const who = document.querySelector('.session__who');
    const short = document.querySelector('.session__short');
    return {
        brandCut: brand.scrollWidth > brand.clientWidth + 1,
        outHeight: out ? out.getBoundingClientRect().height : 0,
        whoWidth: who ? who.getBoundingClientRect().width : -1,
        whoText: who ? who.textContent.trim() : '',
        shortWidth: short ? short.getBoundingClientRect().width : -1,
        shortText: short ? short.textContent.trim() : '',
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
        # and on a phone its short form is drawn beside "Salir" (the household here: no name was chosen)
        drawn_short = found["shortWidth"] > 20
        assert found["shortText"] == "casa-1" and drawn_short is (viewport != DESKTOP), (name, found)


def test_a_member_with_a_long_name_is_called_by_the_first_word_on_a_phone(
    member_page: Any, live_server: Any, demo: StoredAssembly
) -> None:
    # given: a member who chose a long name, on a 360 px phone
    act(demo, demo.members[0], "member.named", {"name": "María Fernanda Quispe Mamani de Choque"})
    page = member_page(demo.log, demo.members[0], language="es", viewport=PHONE_TALL)
    # when
    page.goto(f"{live_server.url}/es/asamblea/{demo.log}/")
    found = page.evaluate(MEASURE)
    # then the header draws the first name beside "Salir", reads the whole name aloud, and fits
    assert (found["shortText"], found["shortWidth"] > 20) == ("María", True), found
    assert "María Fernanda Quispe Mamani de Choque" in found["whoText"], found
    assert not found["brandCut"] and 0 < found["outHeight"] < 47 and not found["wide"], found
