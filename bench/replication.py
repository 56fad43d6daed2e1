"""Benchmark: follow a 100,000-entry record over loopback, against the verify rate measured in the same run.

    .venv/bin/python bench/replication.py [--entries N] [--batch B] [--workers W]

It builds an origin node with N public notices (tests/factories/seed.py), serves it on a free
loopback port (tests/federation/server.py), and times `ayllu follow` into an empty node. In the same
run it measures raw PyNaCl verifications per second on one core and `verify_record` on the same
entries, and prints entries/s and the ratios. Not a test: nothing here asserts a time.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parent.parent
FED = ROOT / "tests" / "federation"
SEED = str(ROOT / "tests" / "factories" / "seed.py")
AYLLU = str(Path(sys.executable).with_name("ayllu"))


def raw_verify_rate(seconds: float = 2.0) -> float:
    """Ed25519 verifications per second on one core, of a message the size of an entry header."""
    key = SigningKey(bytes(32))
    message = b"x" * 600
    signed = key.sign(message)
    verify = key.verify_key.verify
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(200):
            verify(signed)
        count += 200
    return count / (time.perf_counter() - start)


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
    return env | {"DJANGO_SETTINGS_MODULE": "ayllu.settings.dev", "AYLLU_DATA_DIR": str(data)}


def _run(data: Path, *args: str) -> str:
    done = subprocess.run(args, env=_env(data), cwd=FED, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


VERIFY_CHILD = """
import sqlite3, sys, time
import django
django.setup()
from ayllu.actions.record import batch_mapper
from ayllu.core.ledger.record import Body
from ayllu.core.ledger.verify import verify_record
db = sqlite3.connect(sys.argv[1])
(pk, log), = db.execute("select id, log from ayllu_record")
rows = db.execute("select header from ayllu_entry where record_id=? order by seq", (pk,))
headers = [bytes(h) for (h,) in rows]
rows = db.execute("select hash, vis, raw from ayllu_body where record_id=?", (pk,))
bodies = {(h, v): Body(bytes(r), v) for h, v, r in rows}
with batch_mapper(int(sys.argv[2])) as m:
    start = time.perf_counter()
    report = verify_record(log, headers, bodies=bodies.get, visible=frozenset({"public"}), map_batches=m)
    took = time.perf_counter() - start
assert report.ok, report.problem
print(len(headers) / took)
"""


def verify_rate(data: Path, workers: int) -> float:
    """`verify_record` entries/s over the follower's stored record (public bodies), in a child process."""
    args = [sys.executable, "-c", VERIFY_CHILD, str(data / "ayllu.sqlite3"), str(workers)]
    out = subprocess.run(args, env=_env(data), capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayllu-bench-") as tmp:
        origin, follower = Path(tmp) / "origin", Path(tmp) / "follower"
        print(f"building an origin record of {args.entries} entries ...", flush=True)
        start = time.perf_counter()
        _run(origin, sys.executable, SEED, "found")
        _run(origin, sys.executable, SEED, "append", str(args.entries))
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
        port = _port()
        server = subprocess.Popen(
            [sys.executable, "server.py", str(port)],
            env=_env(origin),
            cwd=FED,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            _run(follower, AYLLU, "init")
            start = time.perf_counter()
            out = _run(
                follower, AYLLU, "follow", f"http://127.0.0.1:{port}",
                "--batch", str(args.batch), "--workers", str(args.workers),
            )  # fmt: skip
            took = time.perf_counter() - start
        finally:
            server.kill()
            server.wait()
            if server.stdout is not None:
                server.stdout.close()
        print(out.strip())
        size = args.entries + 1
        raw = raw_verify_rate()
        rate_1 = verify_rate(follower, 1)
        rate_w = verify_rate(follower, args.workers)
        follow_rate = size / took
    print()
    print(f"raw PyNaCl verify, 1 core: {raw:8.0f} signatures/s = {raw / 2:.0f} entries/s (2 per entry)")
    print(f"verify_record, 1 worker:               {rate_1:10.0f} entries/s")
    print(f"verify_record, {args.workers} workers:              {rate_w:10.0f} entries/s")
    print(
        f"ayllu follow, {args.workers} workers: {follow_rate:8.0f} entries/s ({size} entries in {took:.1f} s)"
    )
    print(f"ratio follow / verify_record ({args.workers} workers): {follow_rate / rate_w:.2f}")
    print(f"ratio follow / verify_record (1 worker):  {follow_rate / rate_1:.2f}")
    print(f"ratio follow / raw single-core entry rate: {follow_rate / (raw / 2):.2f}")


if __name__ == "__main__":
    main()
