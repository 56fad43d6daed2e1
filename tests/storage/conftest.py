"""Fixtures for storage tests: a founded assembly in the test database."""

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
