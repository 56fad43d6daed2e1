"""Browser fixtures: Debian's Chromium driven by Playwright for Python, against a live server.

Tests here skip when Chromium is absent, unless AYLLU_REQUIRE_BROWSER=1 (set by .ci/run), which turns the
skip into a failure. Playwright's own browser download is not used: we launch the system's Chromium.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from web.builders import Founded, found_assembly, record_verification

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    """The system Chromium's binary (AYLLU_CHROMIUM overrides), or None when there is none."""
    candidates = [os.environ.get("AYLLU_CHROMIUM", ""), *CHROMIUM_CANDIDATES, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Chromium, or skip (fail when AYLLU_REQUIRE_BROWSER=1)."""
    path = chromium_path()
    if path is None:
        message = f"no Chromium at {', '.join(CHROMIUM_CANDIDATES)} (see scripts/install_system_deps.sh)"
        if os.environ.get("AYLLU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser is required (AYLLU_REQUIRE_BROWSER=1) but there is {message}")
        pytest.skip(message)
    return path


@pytest.fixture
def demo(transactional_db: None) -> Founded:
    """A founded, verified assembly in the live server's database."""
    forget_replayed_state()
    founded = found_assembly("Junta Vecinal Villa Esperanza", notices=5)
    record_verification(founded.log, ok=True, size=founded.size)
    return founded


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep every browser test on one xdist worker, so one Playwright serves them all."""
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def playwright(chromium: str) -> Iterator[Any]:
    """Playwright's sync API, started once per worker: a second instance in one thread is refused.

    Playwright's sync API keeps an asyncio loop in this thread, and Django refuses ORM calls while a loop
    is running; our fixtures make those calls outside any async code, so that guard is lifted while
    Playwright lives (and only then).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as running:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Any, chromium: str) -> Iterator[Any]:
    """One headless Chromium for the session's browser tests."""
    launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    try:
        yield launched
    finally:
        launched.close()


TARGETS = "main a, main button, main select, main input:not([type=hidden])"


def assert_accessible(
    page: Any, path: str, viewport: dict[str, int], *, targets: str = TARGETS, skip_checkboxes: bool = False
) -> None:
    """Open every <details>, then: no serious or critical axe violation, no sideways scroll, 44 px targets."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{path}: {serious}"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    small = page.eval_on_selector_all(
        targets,
        "els => els.filter(e => e.offsetParent).map(e => [e.outerHTML.slice(0, 80), "
        "e.getBoundingClientRect().height])",
    )
    assert [
        (html, h) for html, h in small if h < 44 and not (skip_checkboxes and "checkbox" in html)
    ] == [], path
