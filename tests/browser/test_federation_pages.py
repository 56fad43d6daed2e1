"""The pages about other nodes in a real browser: axe finds no serious problem in either language at
phone and desktop size, nothing overflows the screen and every target is 44px high (and, with
AYLLU_SCREENSHOTS=<dir>, the pages are shot there: scripts/screenshots.py does that)."""

import os
from pathlib import Path
from typing import Any

import pytest

from web.test_federation_pages import Scene, build_scene

from .browsing import DESKTOP, PHONE, TARGETS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None) -> Scene:
    """Mirrored, witnessed, moved, with a fork and withheld entries caught, in the live server's database."""
    return build_scene()


def node_paths(log: str) -> dict[str, dict[str, str]]:
    return {
        "es": {
            "nodes": "/es/nodos/",
            "follow": "/es/nodos/seguir/",
            "evidence": f"/es/asamblea/{log}/registro/evidencia/",
            "record": f"/es/asamblea/{log}/registro/",
        },
        "en": {
            "nodes": "/en/nodes/",
            "follow": "/en/nodes/follow/",
            "evidence": f"/en/assembly/{log}/record/evidence/",
            "record": f"/en/assembly/{log}/record/",
        },
    }


def _check(page: Any, path: str, viewport: dict[str, int]) -> None:
    assert_accessible(page, path, viewport, targets=TARGETS + ", main summary")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_about_nodes_have_no_serious_accessibility_problem(
    new_page: Any, live_server: Any, scene: Scene, viewport: dict[str, int]
) -> None:
    # given: a visitor on the node's own machine (the follow form shows), allowed to inject axe
    page = new_page(viewport, axe=True)
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    size = "phone" if viewport == PHONE else "desktop"
    for language, paths in node_paths(scene.log).items():
        for name, path in paths.items():
            # when
            page.goto(f"{live_server.url}{path}", wait_until="networkidle")
            if shots and (language, size) in (("es", "phone"), ("en", "desktop")):
                page.screenshot(path=str(Path(shots) / f"nodes-{name}-{language}-{size}.png"), full_page=True)
            # then
            _check(page, path, viewport)
        # and the follow form refusing a bad address, in words
        page.goto(f"{live_server.url}{paths['follow']}", wait_until="networkidle")
        page.fill("input[name=url]", "ftp://192.0.2.7/")
        with page.expect_navigation():
            page.locator("form.follow-form button[type=submit]").click()
        assert page.locator(".field__error").count() == 1
        if shots and (language, size) in (("es", "phone"), ("en", "desktop")):
            page.screenshot(
                path=str(Path(shots) / f"nodes-follow-error-{language}-{size}.png"), full_page=True
            )
        _check(page, paths["follow"], viewport)
