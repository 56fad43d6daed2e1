"""A folded charter ("Read the starting charter") shows a chevron and the link colour on a phone, so a
newcomer sees it opens: its summary is a flex box, which drops the browser's own triangle."""

from typing import Any

import pytest

from .browsing import PHONE

pytestmark = pytest.mark.browser


def test_the_folded_starting_charter_on_the_founding_page_shows_a_chevron(
    new_page: Any, live_server: Any, transactional_db: None
) -> None:
    # given the founding page on a Spanish phone
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/es/fundar/")
    summary = page.get_by_text("Leer el estatuto inicial", exact=True)
    # then its summary draws a chevron after the words, in the colour of the page's links
    looks = summary.evaluate(
        """s => ({after: getComputedStyle(s, '::after').content,
                  colour: getComputedStyle(s).color,
                  link: getComputedStyle(document.querySelector('main a') || s).color})"""
    )
    assert looks["after"] not in ("none", "normal"), looks
    assert looks["colour"] == looks["link"], looks
    # and it opens the charter when tapped
    summary.click()
    assert page.locator("details.charter-version[open] ol.charter li").first.is_visible()
