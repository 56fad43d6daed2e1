"""Fixtures for CLI tests: nodes run the real `ayllu` command in their own data directories."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from factories.nodes import Node


@pytest.fixture
def make_node(tmp_path: Path) -> Callable[..., Node]:
    """Nodes in fresh data directories under the test's tmp_path."""

    def make(name: str, *, database_url: str | None = None) -> Node:
        return Node(tmp_path / name, database_url)

    return make


@pytest.fixture
def sqlite_only() -> None:
    """Skip in the suite's PostgreSQL run: these nodes are SQLite ones, already run once."""
    if os.environ.get("AYLLU_TEST_DB") == "postgres":
        pytest.skip("runs its own SQLite nodes; covered by the SQLite run")
