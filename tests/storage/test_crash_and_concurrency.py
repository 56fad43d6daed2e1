"""Crash safety and concurrent writers, with real processes on SQLite and on PostgreSQL.

A receipt is the node's promise: every entry it receipted must survive a SIGKILL at any moment, and
writers racing on one record must produce exactly seq 1..n with no gap, duplicate or fork.
"""

import random
import signal
import time
from pathlib import Path

import pytest

from ayllu.core.ledger.checkpoints import parse_receipt
from factories.nodes import Node

KILLS = 20


def _crash_loop(node: Node, tmp_path: Path) -> None:
    # given: a demo node
    node.ayllu("demo-setup")
    rng = random.Random(20261129)
    receipts: list[bytes] = []
    # when: an appender is killed at random moments, again and again
    for _ in range(KILLS):
        with node.appender(0) as child:
            assert child.stdout is not None
            try:
                for _ in range(rng.randint(1, 6)):
                    line = child.stdout.readline()
                    assert line, "the appender died before being killed"
                    receipts.append(line.strip().encode())
                time.sleep(rng.random() * 0.02)
            finally:
                child.send_signal(signal.SIGKILL)
            # lines already written before the kill are receipts too
            rest, _ = child.communicate(timeout=30)
            receipts.extend(line.encode() for line in rest.splitlines() if line.strip())
    # then: every receipted entry is there, and the record verifies
    seqs = [parse_receipt(r).seq for r in receipts]
    assert len(set(seqs)) == len(seqs) >= KILLS
    receipt_file = tmp_path / "receipts.txt"
    receipt_file.write_bytes(b"\n".join(receipts) + b"\n")
    done = node.ayllu("verify", "--receipts", str(receipt_file), check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: record ")


@pytest.mark.slow
def test_receipted_entries_survive_sigkill_on_sqlite(tmp_path: Path, sqlite_only: None) -> None:
    _crash_loop(Node(tmp_path / "node"), tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_receipted_entries_survive_sigkill_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    _crash_loop(Node(tmp_path / "node", postgres_url), tmp_path)


def _race(node: Node, *, writers: int, appends: int, threads: int = 1) -> None:
    # given: a demo node
    node.ayllu("demo-setup")
    start = int(node.ayllu("verify").stdout.split(": ")[2].split()[0])
    # when: writers (processes, each with `threads` threads) append at the same time
    children = [node.appender(appends, quiet=True, threads=threads) for _ in range(writers)]
    try:
        outputs = [child.communicate(timeout=600)[0] for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    # then: exactly start + writers * threads * appends entries, seq 1..n, and the record verifies
    assert all(child.returncode == 0 for child in children)
    receipts = [parse_receipt(line.encode()) for out in outputs for line in out.splitlines()]
    assert len(receipts) == writers * threads
    done = node.ayllu("verify", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f": {start + writers * threads * appends} entries, head" in done.stdout


@pytest.mark.slow
def test_eight_writers_on_sqlite_give_one_gapless_record(tmp_path: Path, sqlite_only: None) -> None:
    _race(Node(tmp_path / "node"), writers=8, appends=500)


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_writers_on_postgres_give_one_gapless_record(tmp_path: Path, postgres_url: str) -> None:
    _race(Node(tmp_path / "node", postgres_url), writers=8, appends=500)


@pytest.mark.slow
def test_threads_of_two_processes_on_sqlite_give_one_gapless_record(
    tmp_path: Path, sqlite_only: None
) -> None:
    _race(Node(tmp_path / "node"), writers=2, appends=30, threads=4)


@pytest.mark.slow
@pytest.mark.postgres
def test_threads_of_two_processes_on_postgres_give_one_gapless_record(
    tmp_path: Path, postgres_url: str
) -> None:
    _race(Node(tmp_path / "node", postgres_url), writers=2, appends=30, threads=4)
