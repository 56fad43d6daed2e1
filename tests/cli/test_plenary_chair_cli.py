"""`ayllu act chair-plenary` (decision 0030): a delegate present at the opened sitting takes the chair;
someone who holds no seat is refused in words and nothing is written."""

from pathlib import Path

import pytest

from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.keys import seed_for
from factories.plenary_chair import opened_plenary
from factories.scenes import Clock


def test_ayllu_act_chair_plenary_takes_the_chair_for_a_delegate_present_only(
    db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    scene = opened_plenary(clock)
    size = models.Entry.objects.filter(record__log=scene.log).count()

    def chair(who: str) -> int:
        key = tmp_path / f"{who}.key"
        create_key_file(key, seed=seed_for(who))
        return main(
            ["act", "chair-plenary", "--log", scene.log, "--key", str(key), "--meeting", str(scene.meeting)]
        )

    # when someone who holds no seat asks for the chair, it is refused and nothing is written
    refused = chair("lola")
    out = capsys.readouterr()
    assert refused != 0 and "not_a_seated_delegate" in out.out + out.err
    assert models.Entry.objects.filter(record__log=scene.log).count() == size
    # when a delegate present asks for it, it is theirs
    assert chair(scene.delegates[1]) == 0, capsys.readouterr()
    assert models.Entry.objects.filter(record__log=scene.log).count() == size + 1
