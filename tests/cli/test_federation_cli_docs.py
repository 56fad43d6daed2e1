"""docs/federation-bodies.md, "From the command line": every act kind of federations has an example, and
each example is a command `ayllu`'s own parser takes (its kind, its fields, each field's type)."""

import re
import shlex
from pathlib import Path

import pytest

from ayllu.actions.catalogue import ACT_KINDS
from ayllu.cli.main import _parser
from factories.federations import FEDERATION_TYPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "federation-bodies.md"
# The forms of `proposal.tabled` a federation's acts need: its resolutions and their ratification.
FORMS = {"propose-resolution", "propose-ratification"}


def examples() -> list[str]:
    """The section's `ayllu act` lines, continuation lines joined."""
    section = DOC.read_text(encoding="utf-8").split("## From the command line", 1)[1].split("\n## ", 1)[0]
    joined = section.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line.startswith("ayllu act ")]


def as_typed(line: str) -> list[str]:
    """The arguments the shell would pass: a citation or a body read by `$(…)` as an empty JSON object,
    a log id variable as 64 hex digits."""
    line = re.sub(r"\$\([^)]*\)", "{}", line)
    line = line.replace("$HOME", "ab" * 32).replace("$FED", "cd" * 32)
    return shlex.split(line)[1:]


def test_every_act_kind_of_federations_has_an_example() -> None:
    # given the kinds of federations' acts (the catalogue's names), and the tabling forms they need
    wanted = {kind.name for kind in ACT_KINDS.values() if kind.type in FEDERATION_TYPES} | FORMS
    # when
    shown = {shlex.split(line)[2] for line in examples()}
    # then
    assert wanted <= shown, sorted(wanted - shown)


@pytest.mark.parametrize("line", examples(), ids=lambda line: line.split()[2])
def test_each_example_is_a_command_ayllu_takes(line: str) -> None:
    # when
    args = _parser().parse_args(as_typed(line))
    # then: the act, its record and key, and each field the line gives
    assert args.command == "act" and args.kind == line.split()[2] and args.log and args.key
    given = {name[2:].replace("-", "_") for name in re.findall(r" (--[a-z-]+)", line)} - {"log", "key"}
    assert all(getattr(args, f"field_{name}") is not None for name in given), line
