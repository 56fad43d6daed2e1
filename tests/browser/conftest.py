"""Browser fixtures: Debian's Chromium driven by Playwright for Python, against a live server.

Tests here skip when Chromium is absent, unless AYLLU_REQUIRE_BROWSER=1 (set by .ci/run), which turns the
skip into a failure. Playwright's own browser download is not used: we launch the system's Chromium.
"""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.scenes import Clock
from factories.stored import PAGES_FOUNDED_AT, StoredAssembly, found, record_verification

from .browsing import (
    AXE,
    CHROMIUM_ARGS,
    CHROMIUM_CANDIDATES,
    DESKTOP,
    PHONE,
    TARGETS,
    assert_accessible,
    chromium_path,
    launch_chromium,
    log_in_as,
    open_page,
)

# Tests import these from .browsing; they stay importable from here for older tests.
__all__ = ["AXE", "CHROMIUM_ARGS", "DESKTOP", "PHONE", "TARGETS", "assert_accessible", "chromium_path"]


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
def demo(transactional_db: None) -> StoredAssembly:
    """A founded, verified assembly in the live server's database."""
    forget_replayed_state()
    founded = found("Junta Vecinal Villa Esperanza", founded_at=PAGES_FOUNDED_AT, notices=5)
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
def browser(playwright: Any, chromium: str, live_server: Any) -> Iterator[Any]:
    """One headless Chromium for the session's browser tests.

    It asks for the live server so that it is closed first: a browser outliving the server keeps
    keep-alive connections whose request threads then close the shared test database after the
    server gave it back to its own thread (Django refuses that, and pytest reports it as an error).
    """
    launched = launch_chromium(playwright, chromium)
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages, each in a browser context of its own: `new_page(PHONE, axe=True)`; closed after the test.

    `axe=True` lets the test inject axe-core (for `assert_accessible`) past the node's CSP.
    """
    pages: list[Any] = []

    def open_(viewport: dict[str, int] = PHONE, *, axe: bool = False, **options: Any) -> Any:
        page = open_page(browser, viewport, axe=axe, **options)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.context.close()


@pytest.fixture
def member_page(new_page: Callable[..., Any], live_server: Any) -> Callable[..., Any]:
    """A page on a device holding a member's key, logged in with it on the live server:
    `member_page(log, key, language="es", viewport=PHONE, axe=False)` (key: a Keypair)."""

    def open_(
        log: str, key: Any, *, language: str = "es", viewport: dict[str, int] = PHONE, axe: bool = False
    ) -> Any:
        page = new_page(viewport, axe=axe)
        log_in_as(page, live_server.url, log, seed=key.seed().hex(), public=key.public, language=language)
        return page

    return open_


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A clock for the cargo scenes: the live server runs in this process, its entries and pages read it."""
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake
