"""Benchmark: /fed/ proofs of a large record, from kept block roots, against hashing every entry.

    .venv/bin/python bench/proofs.py [--entries N] [--requests R]

It builds a node with N public notices (tests/factories/seed.py), then in this process times, for
inclusion proofs of random entries in the whole tree: the way proofs were answered before (read every
entry hash, build the tree: `list_entry_hashes` + `inclusion_proof`), the first /fed/ request (which
makes the block roots and keeps them in the cache), and later /fed/ requests; and, as the floor, a
request for one entry. Prints milliseconds per
proof and the ratio. Not a test: nothing here asserts a time.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "tests" / "factories" / "seed.py")


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
    return env | {"DJANGO_SETTINGS_MODULE": "ayllu.settings.dev", "AYLLU_DATA_DIR": str(data)}


def _seed(data: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, SEED, *args], env=_env(data), cwd=ROOT / "tests", capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"seed {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.2f} ms (median of {len(seconds)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayllu-bench-proofs-") as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        log = _seed(data, "found")
        _seed(data, "append", str(args.entries - 1))
        print(f"record of {args.entries} entries built in {time.perf_counter() - started:.0f} s")
        os.environ.update(_env(data))
        sys.path.insert(0, str(ROOT / "tests"))
        import django

        django.setup()
        from django.test import Client

        from ayllu.core.ledger.merkle import inclusion_proof
        from ayllu.queries.replication import list_entry_hashes
        from ayllu.storage import models

        log = models.Record.objects.values_list("log", flat=True).get()
        size = models.Record.objects.get(log=log).head_seq
        client = Client(HTTP_HOST="127.0.0.1")
        rng = random.Random(7)
        seqs = [rng.randint(1, size) for _ in range(args.requests)]

        before = []
        for seq in seqs:
            start = time.perf_counter()
            inclusion_proof(list_entry_hashes(log, size=size), index=seq - 1)
            before.append(time.perf_counter() - start)

        def ask(seq: int) -> float:
            start = time.perf_counter()
            answer = client.get(f"/fed/{log}/proof/inclusion/", {"seq": seq, "size": size})
            assert answer.status_code == 200, answer.content
            return time.perf_counter() - start

        def floor() -> float:
            start = time.perf_counter()
            answer = client.get(f"/fed/{log}/entries/", {"from": 1, "to": 1})
            assert answer.status_code == 200, answer.content
            return time.perf_counter() - start

        floor()  # a process's first request checks every record once (the served check): not timed
        floors = [floor() for _ in seqs]
        first = ask(seqs[0])
        after = [ask(seq) for seq in seqs]
        consistency = []
        for seq in seqs:
            start = time.perf_counter()
            answer = client.get(f"/fed/{log}/proof/consistency/", {"from": seq, "to": size})
            assert answer.status_code == 200, answer.content
            consistency.append(time.perf_counter() - start)
        print(f"/fed/ one entry (the request's floor)    {_ms(floors)}")
        print(f"before: every hash, then the proof      {_ms(before)}")
        print(f"/fed/ inclusion, first (makes the roots) {first * 1000:8.2f} ms")
        print(f"/fed/ inclusion, later                   {_ms(after)}")
        print(f"/fed/ consistency, later                 {_ms(consistency)}")
        print(f"ratio before / later inclusion: {statistics.median(before) / statistics.median(after):.0f}x")


if __name__ == "__main__":
    main()
