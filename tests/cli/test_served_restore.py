"""A record that fails its check on a node stops taking writes until the operator restores a good copy
with `ayllu restore`, as docs/operations.md §9 says (through the real executable)."""

import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from test_serve import free_port, stop_group

from factories.nodes import AYLLU, Node

pytestmark = pytest.mark.slow  # runs the installed `ayllu` command several times


def _alter_a_body(node: Node) -> None:
    with sqlite3.connect(node.sqlite()) as db:
        db.execute(
            "UPDATE ayllu_body SET raw = ? WHERE id = (SELECT max(id) FROM ayllu_body)", (b'{"text":"x"}',)
        )


def _notice(node: Node, text: str) -> subprocess.CompletedProcess[str]:
    key = node.data / "demo-members" / "ana.key"
    return node.run(
        "act", "notice", "--log", node.only_log(), "--key", str(key), "--text", text, "--lang", "en"
    )


def test_a_damaged_record_takes_no_act_until_a_good_copy_is_restored(demo: Node, tmp_path: Path) -> None:
    # given a good copy kept aside, then a body altered in the database
    good = tmp_path / "good.jsonl"
    demo.ayllu("export", demo.only_log(), "-o", str(good))
    _alter_a_body(demo)
    # when an act is sent
    refused = _notice(demo, "antes")
    # then it is refused, naming the record's damage
    assert refused.returncode == 2, refused.stdout
    assert refused.stderr.startswith("error: record_damaged: Nothing can be written to this record")
    # when the operator follows docs/operations.md §9
    verify = demo.run("verify")
    restore = demo.run("restore", str(good))
    # then
    assert verify.returncode == 1 and "wrong_body_hash" in verify.stdout
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "restored record" in restore.stdout
    assert demo.run("verify").returncode == 0
    assert _notice(demo, "después").returncode == 0


def test_a_copy_shorter_than_what_the_node_verified_is_not_restored(demo: Node, tmp_path: Path) -> None:
    # given an old copy, then more entries, then damage
    old = tmp_path / "old.jsonl"
    demo.ayllu("export", demo.only_log(), "-o", str(old))
    assert _notice(demo, "nueva").returncode == 0
    _alter_a_body(demo)
    # when
    restore = demo.run("restore", str(old))
    # then nothing is replaced: the record still fails and still refuses acts
    assert restore.returncode == 2
    assert restore.stderr.startswith("error: restore_refused") and "reason='shorter'" in restore.stderr
    assert _notice(demo, "otra").returncode == 2


def test_ayllu_serve_sweeps_in_a_thread_and_every_answer_then_names_the_damage(demo: Node) -> None:
    # given the demo node served by `ayllu serve`, comparing heads and sweeping every half second
    port = free_port()
    env = demo.env | {"AYLLU_SERVED_SECONDS": "0.5", "AYLLU_SERVED_SWEEP_ROWS": "100000"}
    server = subprocess.Popen(
        [AYLLU, "serve", "--port", str(port), "--no-deliver"], env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert _served(port, server) == "ok"
        # when a body inside what was checked is altered, the record's head staying as it was
        _alter_a_body(demo)
        # then, with no request doing it, the sweep finds it and the answers name it
        deadline = time.monotonic() + 60
        while (said := _served(port, server)) == "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert said.startswith(f"damaged; log={demo.only_log()}; seq="), said
    finally:
        stop_group(server)


def _served(port: int, server: subprocess.Popen[bytes]) -> str:
    """The node's `Ayllu-Served` answer, once it answers at all."""
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as page:
                return str(page.headers["Ayllu-Served"])
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("ayllu serve did not answer") from None
            time.sleep(0.5)
