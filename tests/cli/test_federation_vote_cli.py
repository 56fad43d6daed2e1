"""`ayllu act federation-vote`: a seated delegate casts their assembly's voice on a federation's question
held here, citing the credential and the mandate `ayllu cite` writes; a vote against the mandate is
refused in words, nothing written. The commands run in this process on the test database."""

import json
from pathlib import Path

import pytest

from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.federation_votes_stored import MandatedFederation, mandated_federation
from factories.keys import seed_for
from factories.scenes import Clock


def _vote(
    scene: MandatedFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str], choice: str
) -> tuple[int, str]:
    key = tmp_path / "delegate.key"
    create_key_file(key, seed=seed_for(scene.delegate))
    content = scene.vote(choice)
    code = main(
        [
            "act", "federation-vote", "--log", scene.log, "--key", str(key),
            "--question", str(scene.question), "--choice", choice,
            "--cites", json.dumps(content["cites"]), "--mandate", json.dumps(content["mandate"]),
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    return code, out + err


def test_ayllu_act_federation_vote_casts_the_assemblys_voice(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    scene = mandated_federation(node_clock)
    # when
    code, out = _vote(scene, tmp_path, capsys, "yes")
    # then
    assert code == 0, out
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == "federation.voted"


def test_ayllu_act_federation_vote_refuses_a_vote_against_the_mandate(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    scene = mandated_federation(node_clock)
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when
    code, out = _vote(scene, tmp_path, capsys, "no")
    # then
    assert code != 0 and "contrary_to_mandate: El voto va contra el mandato" in out, out
    assert models.Entry.objects.filter(record__log=scene.log).count() == size
