"""The `nodes` fixture: nodes on loopback, stopped at the end of each test (helpers in fed_nodes.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fed_nodes import Nodes


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[Nodes]:
    """Start and stop nodes on loopback; each has its own data dir and database."""
    cluster = Nodes(tmp_path)
    try:
        yield cluster
    finally:
        cluster.stop_all()
