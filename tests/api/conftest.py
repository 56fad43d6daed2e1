"""Fixtures for API tests: a fresh replay cache and a founded assembly."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import forget_assembly_states
from factories.api import ApiAssembly


@pytest.fixture
def api(db: None, client: Client) -> Client:
    """The test client, with every cached replayed state dropped."""
    forget_replayed_state()
    forget_assembly_states()
    return client


@pytest.fixture
def assembly(api: Client) -> ApiAssembly:
    """An assembly founded through the API by ana (convenor), bea (minute-keeper) and carla."""
    return ApiAssembly.found(api, ["ana", "bea", "carla"])
