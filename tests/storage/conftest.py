"""Fixtures for storage tests: a founded assembly in the test database."""

import os
from collections.abc import Callable

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    """A founded assembly of three members, with a fresh replay cache."""
    forget_replayed_state()
    return found()


@pytest.fixture
def make_assembly(db: None) -> Callable[..., StoredAssembly]:
    """Found further assemblies by name."""

    def make(name: str = "Junta Vecinal", *, founders: int = 3) -> StoredAssembly:
        return found(name, members=founders)

    return make


@pytest.fixture
def sqlite_only() -> None:
    """Skip in the suite's PostgreSQL run: the test starts its own SQLite node, already run once."""
    if os.environ.get("AYLLU_TEST_DB") == "postgres":
        pytest.skip("runs its own SQLite node; covered by the SQLite run")
