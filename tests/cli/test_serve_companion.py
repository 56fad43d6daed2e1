"""`ayllu serve` forks granian's workers from a process that runs no thread of its own: deliveries and
the served sweep run in a companion process started fresh. When they were threads of the serving
process, a fork while one of them was inside SQLite left the worker a lock nobody would release, and the
node never answered (every start hung with both working without pause; `make demo` hung under load)."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from test_serve import free_port, stop_group

from factories.nodes import AYLLU, Node

pytestmark = pytest.mark.slow  # starts the installed `ayllu serve` several times

# Both kinds of work without pause: each pass opens and uses the database again at once.
BUSY = {
    "AYLLU_DELIVER_SECONDS": "0.001",
    "AYLLU_SERVED_SECONDS": "0.001",
    "AYLLU_SERVED_SWEEP_ROWS": "100000",
}


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _companion_of(pid: int) -> int | None:
    """The companion among `pid`'s children: the one spawn runs (not the resource tracker)."""
    for child in _children(pid):
        try:
            if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _answers(port: int, server: "subprocess.Popen[bytes]", *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/es/", timeout=3) as page:
                return page.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def _serve(node: Node) -> tuple["subprocess.Popen[bytes]", int]:
    port = free_port()
    server = subprocess.Popen(
        [AYLLU, "serve", "--port", str(port)], env=node.env | BUSY, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return server, port


def test_the_node_answers_while_deliveries_and_the_sweep_work_without_pause(demo: Node) -> None:
    for start in range(3):
        # given the demo node served, delivering and sweeping without pause
        server, port = _serve(demo)
        try:
            # then every start answers, and the work runs in a companion process, not in the server's
            assert _answers(port, server, seconds=45), f"start {start + 1} never answered"
            companion = _companion_of(server.pid)
            assert companion is not None
        finally:
            stop_group(server)
        # and stopping the server stops the companion
        deadline = time.monotonic() + 20
        while _alive(companion) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(companion)


def test_a_companion_whose_server_was_killed_outright_ends_itself(demo: Node) -> None:
    # given a served node and its companion
    server, port = _serve(demo)
    try:
        assert _answers(port, server, seconds=45)
        companion = _companion_of(server.pid)
        assert companion is not None
        # when the serving process is killed with no chance to stop it
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        # then the companion notices and ends within a few seconds
        deadline = time.monotonic() + 20
        while _alive(companion) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(companion)
    finally:
        stop_group(server)
