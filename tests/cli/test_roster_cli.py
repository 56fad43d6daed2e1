"""`ayllu show roster`: the planned roster from the command line, the same on a replica built from an
export file, and a translated refusal for a cargo that is not filled by turn."""

import json
from dataclasses import asdict
from pathlib import Path

from test_cargos_cli import Cli, cli

from ayllu.cli.exportfile import read_export
from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.cargos.reads import get_planned_roster
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import body_for_replay, parse_entry

__all__ = ["cli"]  # the fixture, imported for the tests below


def _create_cargos(c: Cli) -> None:
    c.decide(
        "propose-cargo",
        "--cargo",
        "agua",
        "--powers",
        "coordinate_work",
        "--burden",
        "2",
        "--term-days",
        "30",
    )
    c.decide("propose-cargo", "--cargo", "prensa", "--powers", "publish_announcements", "--burden", "1",
             "--term-days", "30")  # fmt: skip


def test_show_roster_prints_the_plan_beside_the_turn_order_for_every_cargo_or_one(cli: Cli) -> None:
    # given
    _create_cargos(cli)
    # when
    whole = cli.show("roster", "--at", str(cli.now))
    agua = cli.show("roster", "--at", str(cli.now), "--cargo", "agua", "--months", "6")
    # then
    assert whole["decided_by"] == "turn_order"
    assert {t["cargo"] for t in whole["terms"]} == {"agua", "prensa"}
    assert all("turn_order" in t and "agrees" in t for t in whole["terms"])
    assert agua["cargo"] == "agua" and {t["cargo"] for t in agua["terms"]} == {"agua"}
    assert all(t["start"] < cli.now + 200 * DAY_MS for t in agua["terms"])


def test_show_roster_refuses_a_cargo_not_filled_by_turn_in_the_chosen_language(cli: Cli) -> None:
    # given
    _create_cargos(cli)
    # when
    es_code, _, es_err = cli.run("show", "roster", cli.log, "--cargo", "convenor", "--lang", "es")
    en_code, _, en_err = cli.run("show", "roster", cli.log, "--cargo", "nadie", "--lang", "en")
    # then
    assert es_code != 0 and "No hay ningún cargo por turno llamado convenor." in es_err
    assert en_code != 0 and "There is no cargo called nadie filled by turn." in en_err


def test_a_replica_built_from_the_export_file_plans_the_same_roster(cli: Cli, tmp_path: Path) -> None:
    # given: the roster this node prints, and the record exported to a file
    _create_cargos(cli)
    shown = cli.show("roster", "--at", str(cli.now))
    export = tmp_path / "record.jsonl"
    code, _, err = cli.run("export", cli.log, "-o", str(export))
    assert code == 0, err
    # when: a replica replays the exported entries from nothing and plans the roster itself
    with export.open(encoding="utf-8") as lines:
        exported = read_export(lines)
    state = initial_state(exported.log)
    for raw in exported.entries:
        entry = parse_entry(raw)
        body = body_for_replay(entry.act, lambda key: exported.bodies.get(key) or None)  # type: ignore[arg-type,return-value]
        state = apply_entry(state, entry, body)  # type: ignore[arg-type]
    day = cli.now - cli.now % DAY_MS
    replica = get_planned_roster(state, now=day)
    # then
    assert json.loads(json.dumps(asdict(replica))) == shown and shown["terms"]
