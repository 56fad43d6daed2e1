"""docs/federation.md's walkthrough runs as written: its shell block, unchanged, against real nodes.

The block is read from the document at test time, so the document cannot drift from what works; the
test only starts each node's web app (as `ayllu serve` would) and gives the script the nodes' URLs.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fed_nodes import Nodes

DOC = Path(__file__).parents[2] / "docs" / "federation.md"
SECTION = "## 5c. Walkthrough"

pytestmark = pytest.mark.slow  # real nodes on loopback


def walkthrough() -> str:
    """The shell block of the walkthrough section, exactly as the document gives it."""
    text = DOC.read_text("utf-8")
    section = text[text.index(SECTION) :]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found is not None, "the walkthrough has no ```sh block"
    return found.group(1)


def test_the_walkthrough_names_only_ayllu_commands_and_every_step_of_succession() -> None:
    script = walkthrough()
    commands = [
        line.split()[0] for line in script.splitlines() if line and not line.startswith(("for ", "#"))
    ]
    assert {c.split("=")[0] if "=" in c else c for c in commands} <= {
        "ayllu",
        "LOG",
        "B_KEY",
        "HEAD",
        "ENDORSERS",
    }
    for step in ("follow", "delegate", "witness", "endorse-move", "move-record", "verify"):
        assert re.search(rf"\bayllu (--data \w+ )?{step}\b", script), step


def test_the_walkthrough_runs_as_written(nodes: Nodes, tmp_path: Path) -> None:
    # given the nodes the walkthrough names, each serving its data directory
    work = tmp_path / "work"
    work.mkdir()
    served = {name: nodes.make(name) for name in ("a", "b", "w")}
    for name, node in served.items():
        node.data = work / name
        node.start()
    env = {k: v for k, v in served["a"].env.items() if k != "AYLLU_DATA_DIR"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env |= {name.upper(): node.url for name, node in served.items()}
    # when the block runs in a shell that stops at the first failing command
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", walkthrough()],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    # then every command succeeded, and what it says happened did
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "already cosigned" in done.stdout
    assert "moved to this node" in done.stdout
    assert done.stdout.count("ok: record") >= 3
