"""`ayllu` commands through the real executable: demo, verify, export, import, checkpoint, keys."""

import json
import random
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ayllu.cli.demo_story import EVERYONE
from ayllu.cli.exportfile import write_export
from factories.nodes import APPENDER, Node
from factories.records import found_record

pytestmark = pytest.mark.slow  # each test runs the installed `ayllu` command several times


def _rows(node: Node, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(node.sqlite()) as db:
        return db.execute(sql).fetchall()


def test_demo_setup_creates_the_assembly_once(demo: Node) -> None:
    # given
    entries = _rows(demo, "SELECT count(*) FROM ayllu_entry")
    # when
    again = demo.run("demo-setup")
    # then
    assert again.returncode == 0
    assert "already set up: Junta Vecinal Villa Esperanza" in again.stdout
    assert _rows(demo, "SELECT count(*) FROM ayllu_entry") == entries
    assert _rows(demo, "SELECT name FROM ayllu_record") == [("Junta Vecinal Villa Esperanza",)]
    assert _rows(demo, "SELECT ok FROM ayllu_verification_run") == [(1,)]
    # every demo member asked for e-mail, which the demo's inbox catches (web/views_demo.py)
    addresses = [row[0] for row in _rows(demo, "SELECT email FROM ayllu_notification_settings")]
    assert addresses and all(a.endswith("@vecinos.example.org") for a in addresses)
    keys = [demo.data / "node.key", *sorted((demo.data / "demo-members").iterdir())]
    assert len(keys) == 1 + len(EVERYONE)
    assert {stat.S_IMODE(k.stat().st_mode) for k in keys} == {0o600}


def test_export_verify_import_round_trip(demo: Node, make_node: Callable[..., Node], tmp_path: Path) -> None:
    # given
    log = demo.only_log()
    assert demo.run("checkpoint", log).returncode == 0
    export = tmp_path / "record.jsonl"
    target = make_node("target")
    # when
    exported = demo.run("export", log, "-o", str(export))
    checked = target.run("verify", "--file", str(export))
    imported = target.run("import", str(export))
    verified = target.run("verify", log)
    # then
    assert exported.returncode == 0 and checked.returncode == 0, exported.stderr + checked.stdout
    assert checked.stdout.startswith("ok: ")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert verified.returncode == 0 and verified.stdout.startswith(f"ok: record {log}: ")
    query = "SELECT seq, header FROM ayllu_entry ORDER BY seq"
    assert _rows(target, query) == _rows(demo, query)
    assert _rows(target, "SELECT signed FROM ayllu_checkpoint") == _rows(
        demo, "SELECT signed FROM ayllu_checkpoint"
    )


def _entry_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith('{"entry"')]


def _flip(lines: list[str], rng: random.Random) -> tuple[list[str], int]:
    i = rng.choice(_entry_lines(lines))
    text = json.loads(lines[i])["entry"]
    at = rng.randrange(len(text))
    changed = text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]
    return [*lines[:i], json.dumps({"entry": changed}), *lines[i + 1 :]], _entry_lines(lines).index(i) + 1


def _drop(lines: list[str], rng: random.Random) -> tuple[list[str], int]:
    # The entry line goes with the body lines written after it: a lone entry line dropped leaves its
    # bodies before any entry naming them, which the reader refuses first (test_export_reader.py).
    entries = _entry_lines(lines)
    k = rng.randrange(1, len(entries) - 1)
    return [line for j, line in enumerate(lines) if not entries[k] <= j < entries[k + 1]], k + 1


def _duplicate(lines: list[str], rng: random.Random) -> tuple[list[str], int]:
    entries = _entry_lines(lines)
    k = rng.randrange(len(entries) - 1)
    return [*lines[: entries[k] + 1], lines[entries[k]], *lines[entries[k] + 1 :]], k + 2


def _swap(lines: list[str], rng: random.Random) -> tuple[list[str], int]:
    entries = _entry_lines(lines)
    k = rng.randrange(1, len(entries) - 1)
    a, b = entries[k], entries[k + 1]
    swapped = list(lines)
    swapped[a], swapped[b] = lines[b], lines[a]
    return swapped, k + 1


@pytest.mark.parametrize("tamper", [_flip, _drop, _duplicate, _swap])
def test_a_tampered_export_fails_verify_naming_the_entry_and_imports_nothing(
    demo: Node, make_node: Callable[..., Node], tmp_path: Path, tamper: Callable[..., tuple[list[str], int]]
) -> None:
    # given
    export = tmp_path / "record.jsonl"
    assert demo.run("export", demo.only_log(), "-o", str(export)).returncode == 0
    lines, bad_seq = tamper(export.read_text("utf-8").splitlines(), random.Random(tamper.__name__))
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines) + "\n", "utf-8")
    target = make_node("target")
    # when
    checked = target.run("verify", "--file", str(tampered))
    imported = target.run("import", str(tampered))
    # then
    assert checked.returncode == 1
    named = re.search(r"FAILED: .*: entry (\d+): (\w+)", checked.stdout)
    assert named is not None, checked.stdout
    assert int(named.group(1)) <= bad_seq
    assert imported.returncode == 1 and "nothing was imported" in imported.stdout
    for table in ("ayllu_record", "ayllu_entry", "ayllu_body", "ayllu_checkpoint"):
        assert _rows(target, f"SELECT count(*) FROM {table}") == [(0,)]


def test_verify_names_the_first_altered_entry_in_the_database(demo: Node) -> None:
    # given: one byte of entry 5's stored header is altered
    ((header,),) = _rows(demo, "SELECT header FROM ayllu_entry WHERE seq = 5")
    altered = bytes(header).replace(b'"seq":5', b'"seq":6')
    with sqlite3.connect(demo.sqlite()) as db:
        db.execute("UPDATE ayllu_entry SET header = ? WHERE seq = 5", (altered,))
    # when
    done = demo.run("verify")
    # then
    assert done.returncode == 1
    assert ": entry 5: " in done.stdout
    assert _rows(demo, "SELECT ok, problem_seq FROM ayllu_verification_run ORDER BY id DESC LIMIT 1") == [
        (0, 5)
    ]


def test_verify_holds_the_node_to_its_receipts(demo: Node, tmp_path: Path) -> None:
    # given: three receipted appends, then the last one is rolled back behind the node's back
    done = subprocess.run(
        [sys.executable, APPENDER, str(demo.data / "demo-members" / "ana.key"), "3"],
        env=demo.env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    receipts = tmp_path / "receipts.txt"
    receipts.write_text(done.stdout)
    assert demo.run("verify", "--receipts", str(receipts)).returncode == 0
    ((size,),) = _rows(demo, "SELECT max(seq) FROM ayllu_entry")
    ((prev,),) = _rows(demo, f"SELECT hash FROM ayllu_entry WHERE seq = {size - 1}")
    with sqlite3.connect(demo.sqlite()) as db:
        db.execute(f"DELETE FROM ayllu_entry WHERE seq = {size}")
        db.execute("UPDATE ayllu_record SET head_seq = ?, head_hash = ?", (size - 1, prev))
    # when
    checked = demo.run("verify", "--receipts", str(receipts))
    # then
    assert checked.returncode == 1
    assert "receipt_not_honoured" in checked.stdout


def _seeds(node: Node) -> list[str]:
    files = [node.data / "node.key", *(node.data / "demo-members").iterdir()]
    return [line for f in files for line in f.read_text().splitlines() if not line.startswith("#")]


def test_private_keys_never_appear_in_output_or_exports(demo: Node, tmp_path: Path) -> None:
    # given
    export = tmp_path / "record.jsonl"
    key_file = tmp_path / "member.key"
    # when
    outputs = [
        demo.run("demo-setup"),
        demo.run("verify"),
        demo.run("checkpoint", demo.only_log()),
        demo.run("export", demo.only_log(), "-o", str(export)),
        demo.run("keygen", str(key_file)),
    ]
    # then
    seeds = [*_seeds(demo), *[line for line in key_file.read_text().splitlines() if not line.startswith("#")]]
    assert len(seeds) == 2 + len(EVERYONE)
    text = "".join(o.stdout + o.stderr for o in outputs) + export.read_text()
    assert all(o.returncode == 0 for o in outputs)
    assert not [seed for seed in seeds if seed in text]
    assert re.fullmatch(r"[0-9a-f]{64}\n", outputs[-1].stdout)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.postgres
def test_import_into_a_postgresql_node(
    demo: Node, make_node: Callable[..., Node], tmp_path: Path, postgres_url: str
) -> None:
    # given
    export = tmp_path / "record.jsonl"
    assert demo.run("export", demo.only_log(), "-o", str(export)).returncode == 0
    target = make_node("target", database_url=postgres_url)
    # when
    imported = target.run("import", str(export))
    verified = target.run("verify")
    # then
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert verified.returncode == 0 and verified.stdout.startswith(f"ok: record {demo.only_log()}: ")


def test_a_public_only_export_verifies_and_carries_no_members_bodies(demo: Node, tmp_path: Path) -> None:
    # given
    export = tmp_path / "public.jsonl"
    # when
    exported = demo.run("export", demo.only_log(), "-o", str(export), "--public-only")
    checked = demo.run("verify", "--file", str(export))
    # then
    assert exported.returncode == 0 and checked.returncode == 0, checked.stdout + checked.stderr
    lines = [json.loads(line) for line in export.read_text().splitlines()]
    assert lines[0]["visible"] == ["public"]
    assert {line["vis"] for line in lines if "body" in line} == {"public"}
    members_bodies = _rows(demo, "SELECT count(*) FROM ayllu_body WHERE vis = 'members'")
    assert members_bodies != [(0,)]


def test_verify_fails_a_replica_that_cannot_check_every_rule(
    tmp_path: Path, make_node: Callable[..., Node]
) -> None:
    # given a record in the old format (1) whose membership acts are members-only, exported for
    # outsiders: its chain and signatures hold, but the rules of entry 2 on need words it does not carry
    record = found_record()
    record.apply("eva", vis="members")
    record.sponsor("ana", applicant="eva")
    record.sponsor("bea", applicant="eva")
    record.post("eva", text="hola")
    export = tmp_path / "public.jsonl"
    with export.open("w") as out:
        write_export(
            out,
            log=record.log,
            name="Junta vecinal",
            visible=frozenset({"public"}),
            entries=((e.raw, e.act) for e in record.entries),
            bodies={key: body for key, body in record.bodies.items() if key[1] == "public"},
            checkpoints=(),
        )
    # when
    checked = make_node("n").run("verify", "--file", str(export))
    # then it says how far the rules were checked and exits non-zero, never "ok"
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert checked.stdout.startswith("FAILED: ") and "rules checked for 1 of 5 entries" in checked.stdout
