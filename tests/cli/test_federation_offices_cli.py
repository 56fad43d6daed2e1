"""`ayllu act cite-office` and `ayllu act cite-petition`: anyone cites into a federation held here the
home entries `ayllu cite` gives; a petition cited twice for one assembly is refused in words.

The commands run in this process on the test database (like test_federation_cli.py).
"""

import json
from pathlib import Path

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.federations import office_content, petition_content
from factories.federations_stored import OfficeScene, office_scene
from factories.keys import seed_for
from factories.scenes import Clock


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> OfficeScene:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return office_scene(fake)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def _args(tmp_path: Path, act: str, fed: str, content: dict[str, object], body: str) -> list[str]:
    key = tmp_path / "anyone.key"
    if not key.exists():
        create_key_file(key, seed=seed_for("lola"))
    return [
        "act", act, "--log", fed, "--key", str(key), "--assembly", str(content["assembly"]),
        "--cites", json.dumps(content["cites"]), f"--{body}", json.dumps(content[body]),
    ]  # fmt: skip


def _last_type(log: str) -> str:
    last = models.Entry.objects.filter(record__log=log).order_by("-seq").first()
    return last.type if last is not None else ""


def test_ayllu_act_cite_office_names_the_holder(
    scene: OfficeScene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # when
    content = office_content(scene.turn, scene.credential)
    code, out = run(capsys, *_args(tmp_path, "cite-office", scene.log, content, "credential"))
    # then
    assert code == 0, out
    assert _last_type(scene.log) == "federation.office_taken"


def test_ayllu_act_cite_petition_counts_each_assembly_once(
    scene: OfficeScene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    content = petition_content(scene.homes[0], scene.backings[0])
    code, out = run(capsys, *_args(tmp_path, "cite-petition", scene.log, content, "backing"))
    assert code == 0, out
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when the same assembly's decision is cited again
    code, out = run(capsys, *_args(tmp_path, "cite-petition", scene.log, content, "backing"))
    # then
    assert code != 0
    assert "petition_already_backed: La decisión de esa asamblea ya se cuenta en esta petición." in out
    assert models.Entry.objects.filter(record__log=scene.log).count() == size


def test_ayllu_show_offices_prints_whose_turn_it_is(
    scene: OfficeScene, capsys: pytest.CaptureFixture[str]
) -> None:
    # when
    code, out = run(capsys, "show", "offices", scene.log)
    # then
    assert code == 0, out
    shown = json.loads(out)
    convenor = next(o for o in shown["offices"] if o["office"] == "convenor")
    assert convenor["current"]["assembly"] == scene.turn.log and len(convenor["next"]) == 3
    # and an assembly's record has no offices to show
    code, out = run(capsys, "show", "offices", scene.turn.log)
    assert code != 0 and "not_a_federation" in out
