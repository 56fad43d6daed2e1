"""`ayllu act take-seat`: a delegate takes a seat in a federation held here with the credential's
citation `ayllu cite` writes; a seat citing another assembly's record is refused in words, nothing written.

The commands run in this process on the test database (like test_citations_cli.py).
"""

import json
from pathlib import Path

import pytest

from ayllu.actions.record import do_verify_record
from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.federations import ratified_content, ratify_at_home, seat_content
from factories.federations_stored import hold, homes_held_and_credential, resolved_federation
from factories.keys import seed_for
from factories.scenes import Clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def _seat_args(tmp_path: Path, delegate: str, fed: str, content: dict[str, object]) -> list[str]:
    key = tmp_path / "delegate.key"
    create_key_file(key, seed=seed_for(delegate))
    return [
        "act", "take-seat", "--log", fed, "--key", str(key), "--assembly", str(content["assembly"]),
        "--cites", json.dumps(content["cites"]), "--credential", json.dumps(content["credential"]),
    ]  # fmt: skip


def test_ayllu_act_take_seat_seats_the_delegate(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    alto, _, fed, delegate, credential = homes_held_and_credential(node_clock)
    # when
    code, out = run(capsys, *_seat_args(tmp_path, delegate, fed, seat_content(alto, credential)))
    # then
    assert code == 0, out
    last = models.Entry.objects.filter(record__log=fed).order_by("-seq").first()
    assert last is not None and last.type == "federation.seated"


def test_check_citations_says_how_far_each_seat_was_checked(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a seat citing alto's credential: this node holds alto's record, and verified it
    alto, _, fed, delegate, credential = homes_held_and_credential(node_clock)
    assert run(capsys, *_seat_args(tmp_path, delegate, fed, seat_content(alto, credential)))[0] == 0
    assert do_verify_record(alto.log, workers=1).ok
    # when
    code, out = run(capsys, "check-citations", fed)
    # then
    assert code == 0, out
    assert "1 hold (1 through the cited assembly's rules" in out


def test_ayllu_act_take_seat_refuses_another_assemblys_record(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a seat claiming bajo's name for alto's credential
    alto, bajo, fed, delegate, credential = homes_held_and_credential(node_clock)
    content = {**seat_content(alto, credential), "assembly": bajo.log}
    # when
    code, out = run(capsys, *_seat_args(tmp_path, delegate, fed, content), "--lang", "en")
    # then
    assert code == 2 and "credential_other_assembly: The cited credential belongs to another" in out
    assert models.Entry.objects.filter(record__log=fed).count() == 1


def _ratify_args(tmp_path: Path, fed: str, content: dict[str, object]) -> list[str]:
    key = tmp_path / "anyone.key"
    if not key.exists():
        create_key_file(key, seed=seed_for("zoe"))
    return [
        "act", "cite-ratification", "--log", fed, "--key", str(key),
        "--resolution", str(content["resolution"]), "--cites", json.dumps(content["cites"]),
        "--report", json.dumps(content["report"]),
    ]  # fmt: skip


def test_ayllu_act_cite_ratification_counts_the_assemblys_answer_and_check_citations_says_how_far(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a resolution, and alto's recorded decision to ratify it (alto's record held and verified here)
    scene = resolved_federation(node_clock)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    assert do_verify_record(scene.alto.log, workers=1).ok
    content = ratified_content(scene.alto, recorded, scene.resolution)
    # when anyone cites it, and then cites it again
    code, out = run(capsys, *_ratify_args(tmp_path, scene.log, content))
    again, refused = run(capsys, *_ratify_args(tmp_path, scene.log, content), "--lang", "en")
    checked, report = run(capsys, "check-citations", scene.log)
    # then
    assert code == 0, out
    last = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first()
    assert last is not None and last.type == "federation.ratified"
    assert (
        again == 2
        and "ratification_duplicate: This assembly's answer to the resolution is already" in refused
    )
    assert checked == 0 and "through the cited assembly's rules" in report, report


def test_ayllu_show_federation_prints_the_members_and_each_resolutions_ratification(
    node_clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a resolution, and alto's decision to ratify it cited into the federation
    scene = resolved_federation(node_clock)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    code, out = run(
        capsys, *_ratify_args(tmp_path, scene.log, ratified_content(scene.alto, recorded, scene.resolution))
    )
    assert code == 0, out
    # when
    code, out = run(capsys, "show", "federation", scene.log)
    # then: as the API's federation read
    assert code == 0, out
    shown = json.loads(out)
    assert scene.alto.log in {a["assembly"] for a in shown["assemblies"]}
    (resolution,) = [r for r in shown["resolutions"] if r["resolution"] == scene.resolution]
    assert [a["assembly"] for a in resolution["answers"]] == [scene.alto.log]
    # and an assembly's record has no federation to show
    code, out = run(capsys, "show", "federation", scene.alto.log)
    assert code != 0 and "not_a_federation" in out
