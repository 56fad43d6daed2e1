"""Fixtures for page tests: assemblies founded through the real write path, verification runs stored."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache, caches

from ayllu.actions.record import forget_replayed_state
from factories.scenes import Clock
from factories.stored import PAGES_FOUNDED_AT, StoredAssembly, found, record_verification


@pytest.fixture
def make_assembly(db: None) -> Callable[..., StoredAssembly]:
    """Found assemblies of three members with `notices` notices (3 unless given), on PAGES_FOUNDED_AT."""
    forget_replayed_state()

    def make(name: str, *, notices: int = 3) -> StoredAssembly:
        return found(name, founded_at=PAGES_FOUNDED_AT, notices=notices)

    return make


@pytest.fixture
def assembly(make_assembly: Callable[..., StoredAssembly]) -> StoredAssembly:
    """A founded assembly of four entries, not yet verified."""
    return make_assembly("Junta Vecinal Villa Esperanza")


@pytest.fixture
def verified_assembly(assembly: StoredAssembly) -> StoredAssembly:
    """The assembly, verified whole on CHECKED_AT."""
    record_verification(assembly.log, ok=True, size=assembly.size)
    return assembly


@pytest.fixture
def broken_assembly(assembly: StoredAssembly) -> StoredAssembly:
    """The assembly, whose last verification found a forged author signature at entry 3."""
    record_verification(assembly.log, ok=False, size=assembly.size, code="bad_author_signature", seq=3)
    return assembly


@pytest.fixture(autouse=True)
def empty_page_cache() -> Iterator[None]:
    """Outsiders' pages and the pages' fragments are kept in Django's caches (web/page_cache.py, the
    `fragments` alias): each test starts without them."""
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


@pytest.fixture
def clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """This node's clock, a fake the test moves (a page file may keep a clock fixture of its own)."""
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake
