"""Benchmark of the record against raw Ed25519 on this machine (not a test; prints figures and ratios).

    .venv/bin/python bench/record.py [--entries 100000] [--single 500]

In one run: raw PyNaCl sign/s and verify/s on one core; appends one per transaction (SQLite WAL,
synchronous=FULL) and batched; `verify` of the whole record with 1 and 2 workers; what checking what
the node serves costs (storage/served.py): per append against the same appends without the checks,
on start against `verify`, and per request. Ratios are against
the raw rates measured in the same run, so they mean the same on a slow or a fast machine. Targets:
verification per signature >= 0.5 x raw verify (one core); batched append >= 0.5 x raw sign.

Each figure is given twice: by wall-clock time, and by CPU time (this process's, plus its worker
processes' where there are any). On a machine shared with other jobs the wall-clock figures fall
with the load; the CPU figures say what the code costs, and "main" says what the sealing or walking
process alone spends, which bounds the rate when the workers have cores of their own.
"""

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path


class Clock:
    """Wall time, this process's CPU time and its reaped children's CPU time, from `start`."""

    def __init__(self) -> None:
        self.wall, self.main, self.children = time.perf_counter(), time.process_time(), _children()

    def since(self) -> tuple[float, float, float]:
        """(wall, main CPU, main + workers CPU) seconds since this clock started."""
        main = time.process_time() - self.main
        return time.perf_counter() - self.wall, main, main + _children() - self.children


def _children() -> float:
    times = os.times()
    return times.children_user + times.children_system


def raw_rates(n: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Raw PyNaCl rates on one core over ~600-byte messages: ((sign, verify) per wall s, per CPU s)."""
    from nacl.signing import SigningKey

    key = SigningKey(secrets.token_bytes(32))
    messages = [secrets.token_bytes(600) for _ in range(n)]
    clock = Clock()
    signed = [key.sign(m) for m in messages]
    sign_wall, sign_cpu, _ = clock.since()
    verify_key = key.verify_key
    clock = Clock()
    for s in signed:
        verify_key.verify(s.message, s.signature)
    verify_wall, verify_cpu, _ = clock.since()
    return (n / sign_wall, n / verify_wall), (n / sign_cpu, n / verify_cpu)


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
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.queries.record import list_records
    from ayllu.storage.keyfiles import read_key_file

    settings.DEBUG = False  # no query log in the timed loops
    machine = f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}, loadavg {_loadavg()}")
    (sign_rate, verify_rate), (sign_cpu, verify_cpu) = raw_rates(5000)
    print(f"raw PyNaCl, one core, wall:  sign {sign_rate:9.0f}/s   verify {verify_rate:9.0f}/s")
    print(f"raw PyNaCl, one core, CPU:   sign {sign_cpu:9.0f}/s   verify {verify_cpu:9.0f}/s")

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
    batch_times = {}
    done = 0
    for workers, share in ((1, total // 2), (2, total - total // 2)):
        wall = main = 0.0
        count = 0
        whole = Clock()
        with batch_mapper(workers) as map_batches:
            while count < share:
                batch = acts(min(args.batch, share - count), args.single + done)
                clock = Clock()
                do_append_many(record.log, items=batch, map_batches=map_batches)
                took = clock.since()
                wall, main = wall + took[0], main + took[1]
                count += len(batch)
                done += len(batch)
        # Workers are reaped when the pool closes: their CPU is counted over the whole block, which
        # also signed the acts (in this process), so that is taken out with the main process's time.
        _, whole_main, whole_all = whole.since()
        batch_times[workers] = (count, wall, main, main + whole_all - whole_main)

    verify_times = {}
    for workers in (1, 2):
        clock = Clock()
        report = do_verify_record(record.log, workers=workers)
        verify_times[workers] = clock.since()
        assert report.ok, report.problem
    size = report.size

    print(f"append, one per transaction: {single_rate:9.0f} entries/s (SQLite WAL, synchronous=FULL)")
    print("rates in entries/s; ratios against the raw rates of the same clock (wall / CPU)")
    for workers, (count, wall, main, cpu) in batch_times.items():
        label = f"append, batched by {args.batch}, {workers} worker{'s' if workers > 1 else ' '}"
        print(
            f"{label}: wall {count / wall:6.0f} = {count / wall / sign_rate:.2f} x sign;"
            f" main CPU {count / main:6.0f} = {count / main / sign_cpu:.2f} x sign;"
            f" all CPU {count / cpu:6.0f} = {count / cpu / sign_cpu:.2f} x sign (target >= 0.5)"
        )
    for workers, (wall, main, cpu) in verify_times.items():
        label = f"verify {size} entries, {workers} worker{'s' if workers > 1 else ' '}"
        print(
            f"{label}: wall {size / wall:6.0f} = {2 * size / wall / verify_rate:.2f} x verify/sig;"
            f" main CPU {size / main:6.0f};"
            f" all CPU {size / cpu:6.0f} = {2 * size / cpu / verify_cpu:.2f} x verify/sig (target >= 0.5)"
        )
    one_worker = verify_times[1]
    served_figures(
        record.log, acts, offset=args.entries, verify=(one_worker[0], one_worker[2]), verified=size
    )
    print(f"loadavg at the end: {_loadavg()}")
    print(f"data left in {data}", file=sys.stderr)


def served_figures(log: str, acts, *, offset: int, verify: tuple[float, float], verified: int) -> None:
    """What checking what the node serves costs (storage/served.py): per append, against the same
    appends with the checks switched off in the same run; on start, against `verify` of the record;
    per request, against nothing (it is the whole cost)."""
    from unittest import mock

    from ayllu.actions.record import do_append, do_append_many
    from ayllu.storage import models, served

    def appends(count: int, start: int, *, batch: int) -> tuple[float, float]:
        """(wall, CPU) seconds per append."""
        items = acts(count, start)
        clock = Clock()
        for i in range(0, count, batch):
            if batch == 1:
                do_append(log, signed_act=items[i][0], body=items[i][1])
            else:
                do_append_many(log, items=items[i : i + batch])
        wall, cpu, _ = clock.since()
        return wall / count, cpu / count

    size = models.Record.objects.get(log=log).head_seq
    # On start: every row hashed against the seal.
    served.forget_served()
    clock = Clock()
    assert served.check_record(log).damage is None
    start_wall, start_cpu, _ = clock.since()
    print(
        f"served check on start, {size} entries, sealed: wall {start_wall:6.2f} s, CPU {start_cpu:6.2f} s;"
        f" per entry {(start_wall / size) / (verify[0] / verified):.3f} x verify (1 worker) by wall,"
        f" {(start_cpu / size) / (verify[1] / verified):.3f} x by CPU"
    )
    # On the first start after the upgrade (no seal yet): the record is verified in full once.
    models.ServedSeal.objects.filter(record__log=log).delete()
    served.forget_served()
    clock = Clock()
    assert served.check_record(log).damage is None
    first_wall, first_cpu, _ = clock.since()
    print(
        f"served check on start, {size} entries, unsealed: wall {first_wall:6.2f} s, CPU {first_cpu:6.2f} s"
    )
    # Alternate rounds with and without the checks, so a neighbour's load weighs on both.
    per: dict[tuple[int, bool], list[tuple[float, float]]] = {}
    start = offset
    for _ in range(3):
        for checks in (True, False):
            for batch, count in ((1, 100), (100, 2000)):
                if checks:
                    took = appends(count, start, batch=batch)
                else:
                    with (
                        mock.patch.object(served, "require_writable", lambda log: None),
                        mock.patch.object(served, "extend_seal", lambda record, **_: None),
                    ):
                        took = appends(count, start, batch=batch)
                    _reseal(log)  # untimed: the seal and this process's check catch up
                per.setdefault((batch, checks), []).append(took)
                start += count
    for batch in (1, 100):
        for what, i in (("wall", 0), ("CPU", 1)):
            on, off = min(t[i] for t in per[(batch, True)]), min(t[i] for t in per[(batch, False)])
            print(
                f"served check per append, batches of {batch:3}, {what:4}: {1e6 * (on - off):7.1f} us"
                f" ({1e6 * on:7.1f} us with, {1e6 * off:7.1f} us without: {on / off:.3f} x)"
            )
    # Per request: the node-wide status as a page asks it, within the period and when it is due.
    served.node_served()
    rounds = 20_000
    clock = Clock()
    for _ in range(rounds):
        served.node_served()
    within = clock.since()[0] / rounds
    from django.conf import settings

    settings.AYLLU_SERVED_SECONDS = 0
    rows = settings.AYLLU_SERVED_SWEEP_ROWS
    clock = Clock()
    for _ in range(2000):
        served.node_served()
    due_wall, due_cpu, _ = clock.since()
    print(
        f"served check per request: {1e6 * within:5.1f} us; when due (every 2 s, heads compared, no"
        f" sweep): {1e6 * due_wall / 2000:6.1f} us wall, {1e6 * due_cpu / 2000:6.1f} us CPU"
    )
    # The sweep (a thread of `ayllu serve`, off the request path): already-checked rows hashed again,
    # `rows` per period, so a change inside them is seen without a restart. Timed over whole passes,
    # against the check on start (which hashes them all).
    periods = -(-size // rows)
    clock = Clock()
    for _ in range(2 * periods):
        served.sweep_pass()
    swept_wall, swept_cpu, _ = clock.since()
    print(
        f"served sweep, {rows} rows a period: {1e3 * swept_wall / (2 * periods):6.1f} ms wall,"
        f" {1e3 * swept_cpu / (2 * periods):6.1f} ms CPU per pass of the sweep thread; a whole pass over"
        f" {size} entries in {periods} periods ({2 * periods} s at 2 s),"
        f" {swept_wall / 2 / start_wall:.2f} x the check on start"
    )
    assert served.check_record(log).damage is None


def _reseal(log: str) -> None:
    """Move the seal to the record's head as an append would have, then let this process check the
    entries added since (hashing only): what the appends measured without the checks skipped."""
    from ayllu.core.ledger.merkle import Frontier
    from ayllu.storage import models, served

    record = models.Record.objects.get(log=log)
    frontier = Frontier.from_json(record.frontier)
    root = frontier.root()
    mac = served.seal_mac(log, size=frontier.size, head=record.head_hash, root=root)
    models.ServedSeal.objects.filter(record=record).update(
        size=frontier.size, head=record.head_hash, root=root, mac=mac
    )
    assert served.check_record(log).damage is None


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "?"


if __name__ == "__main__":
    main()
