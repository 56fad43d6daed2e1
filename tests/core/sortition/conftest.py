"""Fixtures of the sortition tests; the pools themselves are in tests/factories/pools.py."""

import pytest

from ayllu.core.sortition import Instance, build_instance
from factories.pools import QUOTAS, TINY_QUOTAS, biased_pool


@pytest.fixture
def instance() -> Instance:
    return build_instance(biased_pool(seed=7, people=60), quotas=QUOTAS, panel_size=9)


@pytest.fixture
def tiny() -> Instance:
    return build_instance(biased_pool(seed=3, people=12), quotas=TINY_QUOTAS, panel_size=3)
