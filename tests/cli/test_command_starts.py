"""The `ayllu` command starts in a fresh process: its parser (every subcommand's) is built before Django
is set up, so no subcommand's module may import models, actions or queries at import time (one did, and
every command failed with AppRegistryNotReady while the in-process tests, where Django is set up,
passed)."""

import re
import subprocess
from pathlib import Path

import pytest

from factories.nodes import AYLLU, node_env


@pytest.mark.slow  # a fresh `ayllu` process (run it by path when you add a subcommand)
def test_the_command_builds_every_subcommand_in_a_fresh_process(tmp_path: Path) -> None:
    # when a fresh process asks for the command's help (which builds every subcommand's parser)
    answer = subprocess.run(
        [AYLLU, "--help"], env=node_env(tmp_path / "node"), capture_output=True, text=True, timeout=120
    )
    # then it answers, listing the subcommands
    assert answer.returncode == 0, answer.stderr[-2000:]
    listed = set(re.findall(r"^    ([a-z][a-z-]+)", answer.stdout, re.M))
    assert {"serve", "verify", "deliver", "cite", "check-citation", "minute-book"} <= listed
