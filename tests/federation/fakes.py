"""Misbehaving peers for federation tests, served from the test process on loopback.

- `MaliciousNode` serves a record held in memory (factories.records.MemoryRecord) through the /fed/
  endpoints a follower uses; the test swaps its record for a fork, a shorter one, or withholds entries.
- `Proxy` stands between a follower and an honest node and damages entry responses: it forges a byte,
  reorders or duplicates lines, truncates, replays an earlier response, or refuses to answer.
"""

import json
import random
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.merkle import consistency_proof, root_of
from ayllu.core.ledger.record import body_keys
from factories.records import MemoryRecord


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        status, body = self.server.owner.get(self.path)
        self._send(status, body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        status, body = self.server.owner.post(self.path, self.rfile.read(length))
        self._send(status, body)


class _Served:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def get(self, path: str) -> tuple[int, bytes]:
        raise NotImplementedError

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        return 404, b"{}"


def _query(path: str) -> tuple[str, dict[str, int]]:
    parsed = urllib.parse.urlparse(path)
    return parsed.path, {k: int(v[0]) for k, v in urllib.parse.parse_qs(parsed.query).items()}


class MaliciousNode(_Served):
    """A node serving whatever record (and checkpoint) the test gives it."""

    def __init__(self, record: MemoryRecord) -> None:
        self.record = record
        self.checkpoint_time = 2_000_000_000_000
        self.withhold = False
        self.checkpoint_size: int | None = None
        self.skip: set[int] = set()  # seqs left out of every answer
        self.lie = False  # sign a root that is not the record's
        super().__init__()

    def checkpoint_bytes(self) -> bytes:
        size = len(self.record.entries) if self.checkpoint_size is None else self.checkpoint_size
        self.checkpoint_time += 1000  # a fresh checkpoint on every request
        hashes = [e.hash for e in self.record.entries[:size]]
        root = root_of(hashes[:-1] if self.lie else hashes)
        return sign_checkpoint(
            self.record.node, log=self.record.log, size=size, root=root, time=self.checkpoint_time
        ).raw

    def get(self, path: str) -> tuple[int, bytes]:
        route, args = _query(path)
        prefix = f"/fed/{self.record.log}/"
        if route == "/fed/":
            return 200, json.dumps({"node": self.record.node.public, "records": [self.record.log]}).encode()
        if route == prefix + "checkpoint/":
            return 200, self.checkpoint_bytes()
        if route == prefix + "proof/consistency/":
            hashes = [e.hash for e in self.record.entries[: args["to"]]]
            return 200, json.dumps({"proof": consistency_proof(hashes, old_size=args["from"])}).encode()
        first, last = args.get("from", 1), args.get("to", 1)
        chosen = [] if self.withhold else self.record.entries[first - 1 : last]
        chosen = [e for e in chosen if e.seq not in self.skip]
        if route == prefix + "entries/":
            return 200, b"".join(e.raw + b"\n" for e in chosen)
        if route == prefix + "bodies/":
            lines = []
            for entry in chosen:
                for key in body_keys(entry.act, self.record.bodies.get):
                    body = self.record.bodies[key]
                    item = {"hash": body.hash, "vis": body.vis, "body": body.raw.decode()}
                    lines.append(json.dumps(item).encode() + b"\n")
            return 200, b"".join(lines)
        return 404, b"{}"


class Proxy(_Served):
    """Forwards to `upstream`, damaging entry responses according to `mode`."""

    MODES = ("none", "forge", "reorder", "duplicate", "truncate", "replay", "refuse")

    def __init__(self, upstream: str, *, seed: int = 7) -> None:
        self.upstream = upstream
        self.mode = "none"
        self.random = random.Random(seed)
        self.earlier: list[bytes] = []
        super().__init__()

    def _forward(self, path: str, data: bytes | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.upstream + path, data=data, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def get(self, path: str) -> tuple[int, bytes]:
        if self.mode == "refuse":
            return 503, b'{"code": "unavailable"}'
        status, body = self._forward(path)
        if "/entries/" not in path or status != 200:
            return status, body
        lines = [line for line in body.split(b"\n") if line]
        self.earlier.append(body)
        if self.mode == "forge" and lines:
            i = self.random.randrange(len(lines))
            at = lines[i].index(b'"nonce":"') + 9
            lines[i] = lines[i][:at] + b"X" + lines[i][at + 1 :]
        elif self.mode == "reorder":
            self.random.shuffle(lines)
        elif self.mode == "duplicate":
            lines = [line for line in lines for _ in (0, 1)]
        elif self.mode == "truncate":
            lines = lines[: max(1, len(lines) // 3)]
        elif self.mode == "replay" and len(self.earlier) > 1:
            return status, self.earlier[0]
        return status, b"".join(line + b"\n" for line in lines)

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        return self._forward(path, body)
