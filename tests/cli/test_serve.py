"""`ayllu serve` on loopback: clients that send their body slowly hold no thread, and are cut off in time."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from factories.nodes import AYLLU, node_env

pytestmark = pytest.mark.slow

THREADS = 2
BODY_SECONDS = 3
BODY_MAX_BYTES = 4096
HEADER_SECONDS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def port(tmp_path: Path, sqlite_only: None) -> Iterator[int]:
    """A node served by `ayllu serve --threads THREADS`, with short body limits, on a free port."""
    (tmp_path / "short_limits.py").write_text(
        "from ayllu.settings.dev import *  # noqa: F403\n"
        f"AYLLU_REQUEST_BODY_SECONDS = {BODY_SECONDS}\n"
        f"AYLLU_REQUEST_BODY_MAX_BYTES = {BODY_MAX_BYTES}\n"
        f"AYLLU_REQUEST_HEADER_SECONDS = {HEADER_SECONDS}\n"
    )
    env = node_env(tmp_path / "node") | {
        "DJANGO_SETTINGS_MODULE": "short_limits",
        "PYTHONPATH": str(tmp_path),
    }
    server, chosen = serve_on_a_free_port(env, tmp_path / "serve.log")
    try:
        yield chosen
    finally:
        stop_group(server)


def serve_on_a_free_port(
    env: dict[str, str], log: Path, *, tries: int = 3
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `ayllu serve --threads THREADS` on a free port and wait until it answers. A start that ends
    early is tried again on another port: the port picked may be taken before the server binds it (by a
    client's own ephemeral port, or another test's server); the failure names what the server said."""
    for attempt in range(tries):
        chosen = free_port()
        args = [AYLLU, "serve", "--port", str(chosen), "--threads", str(THREADS)]
        # Its own process group: granian's worker processes go with it, even when it must be killed.
        with log.open("wb") as out:
            server = subprocess.Popen(
                args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{chosen}/en/", timeout=2):
                    return server, chosen
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        stop_group(server)
        if attempt == tries - 1:
            said = log.read_text(errors="replace")[-2000:]
            raise AssertionError(f"ayllu serve did not start (exit {server.poll()}): {said}")
    raise AssertionError("unreachable")


def stop_group(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process of its group (a worker left behind would serve on)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)


def slow_post(port: int, *, length: int = 1000) -> socket.socket:
    """A POST whose headers arrive at once and whose body has sent one byte of `length`."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=BODY_SECONDS + 10)
    head = (
        f"POST /api/assemblies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n{{"
    )
    conn.sendall(head.encode())
    return conn


def answer(conn: socket.socket) -> tuple[int, bytes]:
    """The status and body of the one answer on `conn` (the server closes it after a refusal)."""
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_slow_bodies_on_every_thread_do_not_stop_other_requests(port: int) -> None:
    # given: as many clients sending their body slowly as the node has threads
    slow = [slow_post(port) for _ in range(THREADS)]
    for conn in slow:
        conn.sendall(b" ")
    # when
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=BODY_SECONDS - 1) as page:
        status = page.status
    # then: the page is answered while every slow body is still arriving
    assert status == 200
    assert time.monotonic() - started < BODY_SECONDS - 1
    for conn in slow:
        conn.close()


def test_a_body_that_does_not_arrive_in_time_is_refused_with_408(port: int) -> None:
    # given
    conn = slow_post(port)
    # when
    with conn:
        status, body = answer(conn)
    # then
    assert status == 408
    assert json.loads(body) == {
        "code": "request_timeout",
        "message": f"El contenido de la solicitud no llegó en {BODY_SECONDS} segundos.",
        "detail": {"seconds": BODY_SECONDS},
    }


def test_a_body_over_the_limit_is_refused_with_413_and_a_small_one_reaches_the_app(port: int) -> None:
    # given
    big = slow_post(port, length=BODY_MAX_BYTES + 1)
    small = slow_post(port, length=2)
    # when
    big.sendall(b" " * BODY_MAX_BYTES)
    small.sendall(b"}")
    # then
    with big, small:
        status, body = answer(big)
        small.settimeout(10)
        reached = small.recv(65536)
    assert (status, json.loads(body)["code"]) == (413, "request_too_large")
    assert reached.startswith(b"HTTP/1.1 422")


def test_headers_that_do_not_arrive_in_time_are_cut_off_and_hold_no_thread(port: int) -> None:
    # given: more clients than threads, each sending its request head a few bytes at a time
    slow = [
        socket.create_connection(("127.0.0.1", port), timeout=HEADER_SECONDS + 20) for _ in range(3 * THREADS)
    ]
    for conn in slow:
        conn.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    # when: a page is asked meanwhile, and the slow heads are still unfinished past the header limit
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=HEADER_SECONDS) as page:
        status = page.status
    started = time.monotonic()
    # then: the page was answered, and granian closed every slow connection once its time was up
    assert status == 200
    for conn in slow:
        with conn:
            while conn.recv(65536):  # whatever granian answers before closing; b"" once closed
                pass
    assert time.monotonic() - started < HEADER_SECONDS + 10
