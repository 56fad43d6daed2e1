"""Nodes on loopback for federation tests: real processes, each with its own data dir and SQLite file.

`nodes.start(name)` runs the node's web app (server.py) on a free port; `node.ayllu(...)` runs the CLI
against the node's data dir; `node.stored()` reads what the node's database holds straight from the
SQLite file, and `node.verified()` re-verifies it with the pure core, so a test never trusts the node's
own account. Every process a test starts is stopped at the end of the test.
"""

import signal
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ayllu.core.ledger.record import Body
from ayllu.core.ledger.verify import ERASED, VerifyReport, verify_record
from factories.nodes import AYLLU, SEED, node_env

HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    name: str
    data: Path
    port: int = 0
    process: subprocess.Popen[str] | None = None
    children: list[subprocess.Popen[str]] = field(default_factory=list)
    database_url: str | None = None  # a PostgreSQL node's database; None: the SQLite file in `data`

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return node_env(self.data, self.database_url)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=300, cwd=HERE)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def ayllu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(AYLLU, *args, check=check)

    def seed(self, *args: str) -> str:
        return self.run(sys.executable, SEED, *args).stdout.strip()

    def follow(self, url: str, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return self.ayllu("follow", url, *args, check=check)

    def start(self) -> "Node":
        self.port = self.port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "server.py", str(self.port)],
            env=self.env,
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
        self.process = None

    def key(self) -> str:
        import json
        import urllib.request

        with urllib.request.urlopen(self.url + "/fed/", timeout=10) as response:
            return str(json.loads(response.read())["node"])

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.data / 'ayllu.sqlite3'}?mode=ro", uri=True, timeout=30)

    def _rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Rows of `sql` (placeholders `?`) read straight from the node's database, SQLite or PostgreSQL."""
        if self.database_url is None:
            with self._db() as db:
                return db.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return db.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    def stored(self) -> tuple[str, list[bytes], dict[str, object]]:
        """(log, entry headers in seq order, bodies by (hash, vis)) read straight from the node's database."""
        rows = self._rows("select id, log from ayllu_record")
        if not rows:
            return "", [], {}
        ((pk, log),) = rows
        headers = [
            bytes(h)
            for (h,) in self._rows("select header from ayllu_entry where record_id=? order by seq", pk)
        ]
        bodies: dict[tuple[str, str], object] = {
            (h, vis): ERASED if erased or raw is None else Body(bytes(raw), vis)
            for h, vis, raw, erased in self._rows(
                "select hash, vis, raw, erased from ayllu_body where record_id=?", pk
            )
        }
        return log, headers, bodies

    def verified(self, *, receipts: tuple[bytes, ...] = ()) -> VerifyReport:
        """Re-verify everything the node stored, with the pure core; the whole stored record must hold."""
        log, headers, bodies = self.stored()
        report = verify_record(
            log,
            headers,
            bodies=bodies.get,
            visible=frozenset({"public"}),
            receipts=receipts,  # type: ignore[arg-type]
        )
        assert report.size == len(headers), report.problem
        return report

    def evidence(self) -> list[tuple[str, bytes]]:
        with self._db() as db:
            return [(k, bytes(r)) for k, r in db.execute("select kind, raw from ayllu_evidence order by id")]


class Nodes:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.all: list[Node] = []

    def make(self, name: str, *, database_url: str | None = None) -> Node:
        node = Node(name, self.root / name, database_url=database_url)
        self.all.append(node)
        return node

    def start(self, name: str) -> Node:
        return self.make(name).start()

    def stop_all(self) -> None:
        for node in self.all:
            node.stop()
            for child in node.children:
                if child.poll() is None:
                    child.kill()
                    child.wait(timeout=10)
                for stream in (child.stdout, child.stderr):
                    if stream is not None:
                        stream.close()
