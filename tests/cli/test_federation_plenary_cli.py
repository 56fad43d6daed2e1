"""`ayllu act open-plenary`: anyone opens a plenary the member assemblies convened, on a federation held
here; opening it before it starts is refused in words and writes nothing."""

from pathlib import Path

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.federations import petition_content
from factories.federations_stored import OfficeScene, office_scene, stored_act
from factories.keys import seed_for
from factories.scenes import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


@pytest.fixture
def scene(db: None, clock: Clock) -> OfficeScene:
    forget_replayed_state()
    return office_scene(clock)


def test_ayllu_act_open_plenary_opens_it_once_it_starts(
    scene: OfficeScene, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a plenary convened by two member assemblies' decisions
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        meeting = stored_act(scene.log, "lola", "federation.petition_cited", petition_content(home, backing))
    key = tmp_path / "anyone.key"
    create_key_file(key, seed=seed_for("lola"))
    args = ["act", "open-plenary", "--log", scene.log, "--key", str(key), "--meeting", str(meeting)]
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when it is opened before it starts, then at its start
    early = main(args)
    out = capsys.readouterr()
    clock.now = scene.plenary + 1000
    opened = main(args)
    # then
    assert early != 0 and "meeting_not_started" in out.out + out.err
    assert opened == 0, capsys.readouterr()
    assert models.Entry.objects.filter(record__log=scene.log).count() == size + 1
