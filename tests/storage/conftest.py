"""Fixtures for storage tests: a founded assembly in the test database."""

import os
from collections.abc import Callable

import pytest
from record_builders import Assembly, found

from ayllu.actions.record import do_found_assembly, forget_replayed_state


@pytest.fixture
def assembly(db: None) -> Assembly:
    """A founded assembly of three members, with a fresh replay cache."""
    forget_replayed_state()
    signed, body, assembly = found()
    do_found_assembly(signed_act=signed, body=body)
    return assembly


@pytest.fixture
def make_assembly(db: None) -> Callable[..., Assembly]:
    """Found further assemblies by name."""

    def make(name: str = "Junta Vecinal", *, founders: int = 3) -> Assembly:
        signed, body, assembly = found(name, founders=founders)
        do_found_assembly(signed_act=signed, body=body)
        return assembly

    return make


@pytest.fixture
def sqlite_only() -> None:
    """Skip in the suite's PostgreSQL run: the test starts its own SQLite node, already run once."""
    if os.environ.get("AYLLU_TEST_DB") == "postgres":
        pytest.skip("runs its own SQLite node; covered by the SQLite run")
