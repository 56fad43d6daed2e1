"""Benchmark of the record against raw Ed25519 on this machine (not a test; prints figures and ratios).

    .venv/bin/python bench/record.py [--entries 100000] [--single 500]

In one run: raw PyNaCl sign/s and verify/s on one core; appends one per transaction (SQLite WAL,
synchronous=FULL) and batched; `verify` of the whole record with 1 and 2 workers. Ratios are against
the raw rates measured in the same run, so they mean the same on a slow or a fast machine. Targets:
verification per signature >= 0.5 x raw verify (one core); batched append >= 0.5 x raw sign.
"""

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path


def raw_rates(n: int) -> tuple[float, float]:
    """Raw PyNaCl signatures per second on one core: (sign/s, verify/s) over ~600-byte messages."""
    from nacl.signing import SigningKey

    key = SigningKey(secrets.token_bytes(32))
    messages = [secrets.token_bytes(600) for _ in range(n)]
    start = time.perf_counter()
    signed = [key.sign(m) for m in messages]
    sign_rate = n / (time.perf_counter() - start)
    verify_key = key.verify_key
    start = time.perf_counter()
    for s in signed:
        verify_key.verify(s.message, s.signature)
    return sign_rate, n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=500, help="appends one per transaction")
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="ayllu-bench-"))
    os.environ["AYLLU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
    os.environ.pop("AYLLU_DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from ayllu.actions.record import batch_mapper, do_append, do_append_many, do_verify_record
    from ayllu.cli.demo import demo_setup
    from ayllu.core.record import make_body, sign_act
    from ayllu.queries.record import list_records
    from ayllu.storage.keyfiles import read_key_file

    settings.DEBUG = False  # no query log in the timed loops
    machine = f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    sign_rate, verify_rate = raw_rates(5000)
    print(f"raw PyNaCl, one core:        sign {sign_rate:9.0f}/s   verify {verify_rate:9.0f}/s")

    call_command("migrate", verbosity=0)
    demo_setup(data)
    (record,) = list_records()
    ana = read_key_file(data / "demo-members" / "ana.key")
    tag = secrets.token_hex(3)

    def acts(count: int, offset: int) -> list:
        items = []
        for i in range(offset, offset + count):
            body = make_body({"text": f"aviso {i}: reunión de la cuadra {i % 97}"}, vis="public")
            signed = sign_act(ana, log=record.log, type="notice.posted", body=body, nonce=f"{tag}-{i}")
            items.append((signed, body))
        return items

    single = acts(args.single, 0)
    start = time.perf_counter()
    for signed, body in single:
        do_append(record.log, signed_act=signed, body=body)
    single_rate = args.single / (time.perf_counter() - start)

    # Half the batched appends check authors' signatures in this process, half in a pool of two.
    total = args.entries - args.single - 13
    batch_rates = {}
    done = 0
    for workers, share in ((1, total // 2), (2, total - total // 2)):
        seconds, count = 0.0, 0
        with batch_mapper(workers) as map_batches:
            while count < share:
                batch = acts(min(args.batch, share - count), args.single + done)
                start = time.perf_counter()
                do_append_many(record.log, items=batch, map_batches=map_batches)
                seconds += time.perf_counter() - start
                count += len(batch)
                done += len(batch)
        batch_rates[workers] = count / seconds

    results = {}
    for workers in (1, 2):
        start = time.perf_counter()
        report = do_verify_record(record.log, workers=workers)
        seconds = time.perf_counter() - start
        assert report.ok, report.problem
        results[workers] = report.size / seconds
    size = report.size

    print(f"append, one per transaction: {single_rate:9.0f} entries/s (SQLite WAL, synchronous=FULL)")
    for workers, rate in batch_rates.items():
        label = f"append, batched by {args.batch}, {workers} worker{'s' if workers > 1 else ' '}"
        print(f"{label}: {rate:6.0f} entries/s   = {rate / sign_rate:.2f} x raw sign (target >= 0.5)")
    for workers, rate in results.items():
        per_signature = 2 * rate / verify_rate
        label = f"verify {size} entries, {workers} worker{'s' if workers > 1 else ' '}"
        ratio = f"{per_signature:.2f} x raw verify per signature (target >= 0.5)"
        print(f"{label}: {rate:9.0f} entries/s   = {ratio}")
    print(f"data left in {data}", file=sys.stderr)


if __name__ == "__main__":
    main()
