"""`ayllu serve` behind nginx set up as docs/operations.md says ("A buffering proxy in front", "The
client's address behind the proxy"): limits are counted per real client, a forged X-Forwarded-For escapes
none, and clients sending their bodies slowly hold nginx's connections, not the node's threads.

Clients on loopback take distinct source addresses (127.0.0.2, 127.0.0.3): nginx sees each as its own
client, as it would see two machines. Skipped where nginx is not installed (scripts/install_system_deps.sh
installs it; CI requires it)."""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from test_serve import free_port, serve_on_a_free_port, stop_group

from factories.api import founding_request
from factories.charters import instant_charter
from factories.nodes import node_env

pytestmark = pytest.mark.slow

THREADS = 2
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The settings of docs/operations.md that matter here, on loopback and without TLS.
NGINX_CONF = """
worker_processes 1;
user root;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    limit_conn_zone $binary_remote_addr zone=per_address:10m;
    server {{
        listen 127.0.0.1:{port};
        client_header_timeout 10s;
        client_body_timeout 10s;
        send_timeout 30s;
        client_max_body_size 9m;
        limit_conn per_address 20;
        location / {{
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto http;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_pass http://127.0.0.1:{node};
        }}
    }}
}}
"""


@pytest.fixture
def proxy(tmp_path: Path, sqlite_only: None) -> Iterator[int]:
    """nginx on a free port in front of `ayllu serve --threads THREADS`, which trusts 127.0.0.1 only."""
    if not os.access(NGINX, os.X_OK):
        if os.environ.get("CI") == "true":  # .ci/run: scripts/install_system_deps.sh installed it
            pytest.fail("nginx is required in CI (scripts/install_system_deps.sh installs it)")
        pytest.skip("nginx is not installed")
    (tmp_path / "behind_proxy.py").write_text(
        "from ayllu.settings.dev import *  # noqa: F403\n"
        "AYLLU_TRUSTED_PROXIES = ['127.0.0.1']\n"
        "AYLLU_FOUNDINGS_PER_ADDRESS = 1\n"
        "ALLOWED_HOSTS = ['*']\n"
    )
    env = node_env(tmp_path / "node") | {
        "DJANGO_SETTINGS_MODULE": "behind_proxy",
        "PYTHONPATH": str(tmp_path),
    }
    node, node_port = serve_on_a_free_port(env, tmp_path / "serve.log")
    nginx: subprocess.Popen[bytes] | None = None
    logs: list[IO[bytes]] = []
    try:
        # nginx is started once the node answers; a start that ends early (the free port taken meanwhile
        # by another test's server) is tried again on another port, with its own words kept for the
        # failure's message.
        for attempt in range(3):
            proxy_port = free_port()
            root = tmp_path / f"nginx{attempt}"
            root.mkdir()
            conf = root / "nginx.conf"
            conf.write_text(NGINX_CONF.format(root=root, port=proxy_port, node=node_port))
            logs.append((root / "stdout.log").open("wb"))
            nginx = subprocess.Popen(
                [NGINX, "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
                stdout=logs[-1],
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                _wait_until_served(
                    proxy_port, nginx, what="nginx", log=root / "stdout.log", errors=root / "error.log"
                )
                break
            except AssertionError:
                stop_group(nginx)
                if attempt == 2:
                    raise
        yield proxy_port
    finally:
        if nginx is not None:
            stop_group(nginx)
        stop_group(node)
        for log in logs:
            log.close()


def _wait_until_served(
    port: int, server: subprocess.Popen[bytes], *, what: str, log: Path, errors: Path | None = None
) -> None:
    """Wait for `server` to answer on `port`; if it ends or takes over 90 s, fail with what it said."""
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(OSError):
            if request(port, "GET", "/en/")[0] == 200:
                return
        if server.poll() is not None or time.monotonic() > deadline:
            said = [p.read_text(errors="replace")[-2000:] for p in (log, errors) if p and p.exists()]
            raise AssertionError(f"{what} did not start (exit {server.poll()}): {' | '.join(said)}")
        time.sleep(0.5)


def request(
    port: int,
    method: str,
    path: str,
    *,
    source: str = "127.0.0.1",
    body: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """One request to nginx from the loopback address `source`; the status and body of its answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        sent = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=body.encode() if body else None, headers=sent)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def found(port: int, n: int, *, source: str, headers: dict[str, str] | None = None) -> int:
    body = founding_request([f"p{n}-a", f"p{n}-b"], name=f"Junta {n}", charter=instant_charter())
    return request(port, "POST", "/api/assemblies", source=source, body=json.dumps(body), headers=headers)[0]


def test_behind_nginx_each_client_has_its_own_limit_and_a_forged_header_escapes_none(proxy: int) -> None:
    # given: a client at 127.0.0.2 that used up its foundings (one per address here)
    assert found(proxy, 1, source="127.0.0.2") == 201
    # when: it tries again, once plainly and once naming another address in X-Forwarded-For
    again = found(proxy, 2, source="127.0.0.2")
    forged = found(proxy, 3, source="127.0.0.2", headers={"X-Forwarded-For": "203.0.113.5"})
    # then: both refused (nginx appended the real peer, which the node reads from the right)
    assert (again, forged) == (429, 429)
    # and another client behind the same proxy still has its own limit
    assert found(proxy, 4, source="127.0.0.3") == 201


def test_behind_nginx_slow_bodies_on_more_connections_than_threads_do_not_stop_a_get(proxy: int) -> None:
    # given: four times as many clients as the node has threads, each sending its body slowly
    slow = []
    for n in range(4 * THREADS):
        conn = socket.create_connection(
            ("127.0.0.1", proxy), timeout=30, source_address=(f"127.0.0.{10 + n}", 0)
        )
        conn.sendall(
            b"POST /api/assemblies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        slow.append(conn)
    try:
        time.sleep(1)
        # when
        start = time.monotonic()
        status, _ = request(proxy, "GET", "/en/", source="127.0.0.9")
        took = time.monotonic() - start
        # then: nginx holds the slow bodies; the node answers the GET at once
        assert status == 200
        assert took < 1, took
    finally:
        for conn in slow:
            conn.close()
