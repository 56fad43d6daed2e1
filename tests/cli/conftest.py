"""Fixtures for CLI tests: nodes run the real `ayllu` command in their own data directories."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.cli_acts import ActAt
from factories.nodes import Node
from factories.scenes import Clock


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


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo node per module, copied for each test (setting one up costs a dozen fsyncs)."""
    node = Node(tmp_path_factory.mktemp("demo") / "node")
    done = node.run("demo-setup")
    assert done.returncode == 0, done.stderr
    return node.data


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path, sqlite_only: None) -> Node:
    """A node with the demo assembly, a checkpoint and a verification run (a SQLite node)."""
    node = Node(tmp_path / "source")
    shutil.copytree(demo_template, node.data)
    return node


@pytest.fixture
def node_clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """This node's time (the scenes move it), on a test database whose replayed states start afresh."""
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


@pytest.fixture
def act_at(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> ActAt:
    """`ayllu act` run in this process, signing with key files made under tmp_path."""
    return ActAt(capsys, tmp_path)
