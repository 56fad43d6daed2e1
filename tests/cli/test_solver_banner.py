"""HiGHS prints a banner to file descriptor 1 when a process makes its first solver: not in our output."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test starts a Python process (the banner goes to its descriptor 1)

MAKE_A_SOLVER = "import highspy; highspy.Highs(); print('answer')"


def _stdout_of(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_a_first_solver_prints_a_banner_to_stdout() -> None:
    # given / when: a process that makes a solver without silencing
    shown = _stdout_of(MAKE_A_SOLVER)
    # then: the banner is there (if HiGHS stops printing it, silence_solver_banner can go)
    assert "HiGHS" in shown


def test_commands_that_solve_silence_the_banner_first() -> None:
    # given / when: the command line's silencing runs before the first solver
    shown = _stdout_of(
        "from ayllu.cli.main import silence_solver_banner; silence_solver_banner(); " + MAKE_A_SOLVER
    )
    # then: only the command's own output reaches stdout
    assert shown == "answer\n"
