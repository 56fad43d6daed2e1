"""No page of a populated assembly scrolls sideways, whatever its members wrote; each stays accessible.

The hostile scene (factories/scenes.py) fills every kind of page with the longest words the record
takes: an unbroken 200-character name and titles, unbroken 10,000-character texts, households written
right to left. A member's browser walks every page it can reach by following the assembly's links, at
360 px in Spanish and at 1280 px in English, and on each asks whether the document is wider than the
window, then checks it with axe and for 44 px touch targets (`assert_accessible`).
"""

import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.scenes import RIGHT_TO_LEFT, CargoAssembly, Clock, build_hostile_scene

from .browsing import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Links not to follow: downloads and JSON, logging in and out.
NOT_PAGES = ("web:record_export", "web:login")
MOST_PAGES = 80
# Where the walk keeps a screenshot of each page (AYLLU_SCREENSHOTS=dir), for a person to look at.
SHOTS = os.environ.get("AYLLU_SCREENSHOTS", "")

WIDER = "document.scrollingElement.scrollWidth > innerWidth"
# What sticks out: the innermost elements whose right edge passes the window's.
OVERFLOWING = """() => {
    const wide = [...document.querySelectorAll('body *')].filter(
        (e) => e.getBoundingClientRect().right > innerWidth + 1);
    const innermost = wide.filter((e) => !wide.some((o) => o !== e && e.contains(o)));
    return innermost.slice(0, 3).map((e) => e.outerHTML.slice(0, 100));
}"""


@pytest.fixture
def hostile(transactional_db: None, clock: Clock) -> Iterator[CargoAssembly]:
    forget_replayed_state()
    yield build_hostile_scene(clock)
    forget_replayed_state()


def walk(page: Any, start: str, *, log: str, viewport: dict[str, int], language: str) -> dict[str, list[str]]:
    """Visit every page reachable from `start` through links on this node that name the assembly;
    return those wider than the window, each with what sticks out, and those axe or the touch-target
    check finds fault with, each with what it found."""
    with translation.override(language):
        skipped = [reverse(name, kwargs={"log": log}) for name in NOT_PAGES] + [reverse("web:logout")]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    seen: set[str] = set()
    queue = deque([urlsplit(start).path])
    wide: dict[str, list[str]] = {}
    while queue and len(seen) < MOST_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(origin + path)
        assert response is not None and response.status < 500, path
        if page.evaluate(WIDER):
            wide[path] = page.evaluate(OVERFLOWING)
        try:
            assert_accessible(page, path, viewport, skip_checkboxes=True)
        except AssertionError as problem:
            wide[f"{path} (accessibility)"] = [str(problem)[:500]]
        if SHOTS:
            name = f"{viewport['width']}-{path.replace(log, '').strip('/').replace('/', '_') or 'home'}.png"
            page.screenshot(path=str(Path(SHOTS) / name), full_page=False)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if (
                f"{parts.scheme}://{parts.netloc}" == origin
                and parts.path.startswith(f"/{language}/")
                and log in parts.path
                and parts.path not in skipped
                and not parts.path.endswith((".json", ".pdf"))  # files, not pages
            ):
                queue.append(parts.path)
    assert len(seen) > 15, seen  # the walk reached the assembly's pages
    return wide


@pytest.mark.parametrize(
    ("language", "viewport"), [("es", PHONE), ("en", DESKTOP)], ids=["phone-es", "desktop-en"]
)
def test_no_page_of_a_populated_assembly_is_wider_than_the_window(
    member_page: Any, live_server: Any, hostile: CargoAssembly, language: str, viewport: dict[str, int]
) -> None:
    # given: ana (her household written right to left) logged in on her device
    page = member_page(hostile.log, hostile.keys["ana"], language=language, viewport=viewport, axe=True)
    with translation.override(language):
        home = live_server.url + reverse("web:assembly", kwargs={"log": hostile.log})
        invitations = live_server.url + reverse("web:invitations", kwargs={"log": hostile.log})
    # when: she makes an invitation link (a long unbroken address) and walks every page
    page.goto(invitations)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    link_is_wide = page.evaluate(WIDER)
    wide = walk(page, home, log=hostile.log, viewport=viewport, language=language)
    # then: no page is wider than the window
    assert (link_is_wide, wide) == (False, {})


def test_a_household_written_right_to_left_leaves_the_key_beside_it_in_order(
    member_page: Any, live_server: Any, hostile: CargoAssembly
) -> None:
    # given: the members' page, read by ana
    page = member_page(hostile.log, hostile.keys["ana"], language="es")
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:members", kwargs={"log": hostile.log}))
    # when: the household written right to left is shown next to her key
    isolated = page.evaluate(
        """(name) => [...document.querySelectorAll('main *')]
            .filter((e) => e.childElementCount === 0 && e.textContent.includes(name))
            .map((e) => e.closest('bdi, [dir=auto]') !== null)""",
        RIGHT_TO_LEFT,
    )
    # then: every place it appears is isolated from the text around it
    assert isolated and all(isolated), isolated
