"""`ayllu act cite-membership` and `ayllu act table` in a federation (decision 0029): an assembly's
decision to leave, cited from the command line, takes it out of the federation; a founder holding no
seat is refused tabling, in words, and nothing is written.

The commands run in this process on the test database (like test_federation_cli.py).
"""

import json
from pathlib import Path

import pytest

from ayllu.cli.main import main
from ayllu.queries.federations import get_federation
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.assemblies import T0, decide
from factories.federations import cite, found_home
from factories.federations_stored import found_stored_federation, hold
from factories.keys import seed_for
from factories.scenes import Clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def _key(tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.key"
    create_key_file(path, seed=seed_for(name))
    return str(path)


def test_ayllu_act_cite_membership_takes_the_leaving_assembly_out(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given alto decided at home to leave a federation founded here, stated it, and is held here
    node_clock.now = max(node_clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    decide(alto, "mandate", {"body": fed, "question": "membership:leave", "position": "yes"})
    entry = alto.act("bea", "membership.decided", {"federation": fed, "action": "leave"})
    node_clock.now = max(node_clock.now, alto.clock + 1000)
    hold(alto, checkpoint=True)
    cites = json.dumps([cite(alto, entry).as_json()])
    decision = json.dumps(alto.bodies[entry.act.body].content())
    # when
    code, out = run(
        capsys, "act", "cite-membership", "--log", fed, "--key", _key(tmp_path, "lola"),
        "--assembly", alto.log, "--cites", cites, "--decision", decision,
    )  # fmt: skip
    # then
    assert code == 0, out
    federation = get_federation(fed, now=node_clock.now)
    assert federation is not None and {a.assembly for a in federation.assemblies} == {bajo.log}


def test_ayllu_act_table_by_an_unseated_founder_is_refused_in_words(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a federation founded here by ana (alto) and dora (bajo); nobody seated
    node_clock.now = max(node_clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    before = models.Entry.objects.filter(record__log=fed).count()
    # when
    code, out = run(
        capsys, "act", "table", "--log", fed, "--key", _key(tmp_path, "ana"),
        "--matter", "ordinary", "--title", "Agua", "--text", "",
    )  # fmt: skip
    # then
    assert code != 0 and "not_a_seated_delegate: En una federación solo actúa como miembro" in out, out
    assert models.Entry.objects.filter(record__log=fed).count() == before
