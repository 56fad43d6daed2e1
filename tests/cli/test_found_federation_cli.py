"""`ayllu found` founds a federation too: founders name their assemblies' log ids in place of households,
the charter carries the `federation` block, and, as on the found page, nobody holds a cargo from the
founding (the federation's offices go by turn; docs/federation-bodies.md, "Founding")."""

import json
import re
from pathlib import Path

from test_assembly_cli import Cli, cli  # noqa: F401  (the fixture)

from ayllu.queries.federations import get_federation
from ayllu.queries.replayed import read_state
from factories.federations import federation_charter

LATER = 4_102_444_800_000


def _found(c: Cli, name: str, founders: list[str], *extra: str) -> str:
    keys = [a for who in founders for a in ("--key", str(c.keys[who]))]
    code, out, err = c.run("found", "--name", name, *keys, *extra)
    assert code == 0, err
    return re.search(r"of record ([0-9a-f]{64})", out)[1]  # type: ignore[index]


def test_ayllu_found_founds_a_federation_of_assemblies_with_no_founding_cargo(
    cli: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    # given two assemblies founded here
    alto, bajo = _found(cli, "Alto", ["ana", "bea"]), _found(cli, "Bajo", ["carla", "dora"])
    (tmp_path / "fed.json").write_text(json.dumps(federation_charter(joining="closed")))
    # when ana and carla found a federation, each naming their assembly
    fed = _found(
        cli, "Federación", ["ana", "carla"], "--household", alto, "--household", bajo,
        "--charter", str(tmp_path / "fed.json"),
    )  # fmt: skip
    # then its members are the two assemblies, and no founder holds a cargo of it
    federation = get_federation(fed, now=LATER)
    assert federation is not None and {a.assembly for a in federation.assemblies} == {alto, bajo}
    assert read_state(fed, lambda s: [t for c in s.cargos.values() for t in c.terms]) == []
