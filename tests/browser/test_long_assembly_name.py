"""An assembly named by one long unbroken word (200 characters, the most a title holds) stays within a
phone's width on its record page and its pages: the heading breaks anywhere rather than widen the page."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found

from .browsing import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LONG_NAME = "Juntavecinal" + "a" * 188


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found(LONG_NAME, members=3)
    forget_replayed_state()


@pytest.mark.parametrize("path", ["/es/asamblea/{log}/registro/", "/es/asamblea/{log}/", "/es/"])
def test_a_200_character_unbroken_name_does_not_widen_the_page(
    new_page: Any, live_server: Any, assembly: StoredAssembly, path: str
) -> None:
    # given a phone
    page = new_page(PHONE)
    # when it opens a page headed by the assembly's name
    page.goto(live_server.url + path.format(log=assembly.log))
    # then neither the page nor any heading is wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    widest = page.eval_on_selector_all(
        "h1, h2, .assembly-nav__name", "els => Math.max(...els.map(e => e.scrollWidth))"
    )
    assert widest <= PHONE["width"]
    if "registro" in path:
        page.screenshot(path="/tmp/phones-long-name-record.png", full_page=False)
