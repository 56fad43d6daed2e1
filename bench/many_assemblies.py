"""Benchmark of issue 14: one node, many assemblies (100 by default, 600 with --many) of 200 households.

    .venv/bin/python bench/many_assemblies.py [--assemblies 100 | --many] [--households 200] [--data DIR]

1. Builds the assemblies through the real write path (founding, then applications and sponsorships in
   batches) on SQLite in a fresh data directory.
2. Memory of the replayed states: with an empty cache, every assembly is read once (its summary) and
   the memory Python holds after it is traced (tracemalloc), per assembly, with the default budget
   (AYLLU_REPLAY_CACHE_MB) and with a budget of a tenth of it; the cache's own estimate beside it.
3. The front page: its first request, a request it answers from Django's cache, a 304, its size and
   its queries, against the listing every request built before (`list_records`: a verification
   query and a Merkle root per record) measured in the same run; and a logged-in member's (its header
   names them: rendered for each request, never from the cache) and the member's 304.
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/factories

T0 = 1_764_000_000_000
MIB = 1024 * 1024


def keys(count: int) -> list[Any]:
    from ayllu.core.ledger.keys import Keypair

    return [Keypair.from_seed(i.to_bytes(4, "big") * 8) for i in range(1, count + 1)]


def build(assemblies: int, households: int) -> list[str]:
    from django.core.management import call_command

    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.actions.record import do_append_many, do_found_assembly
    from ayllu.core.charter.founding import found_assembly
    from ayllu.core.charter.rules import default_charter_data

    call_command("migrate", verbosity=0)
    members = keys(households)
    node = keys(households + 1)[-1]
    charter = default_charter_data()
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    apply, sponsor = ACT_KINDS["apply"], ACT_KINDS["sponsor"]
    logs = []
    started = time.perf_counter()
    for n in range(assemblies):
        entry, body = found_assembly(
            [(members[0], "h-0")], name=f"Junta Vecinal {n:03}", founded_at=T0 + n, charter=charter, node=node
        )
        do_found_assembly(signed_act=entry.signed_act(), body=body)
        batch = []
        for i in range(1, households):
            batch.append(
                sign_kind(members[i], entry.log, kind=apply, values={"household": f"h-{i}"}, nonce=f"a{i}")
            )
            values = {"applicant": members[i].public}
            batch.append(sign_kind(members[0], entry.log, kind=sponsor, values=values, nonce=f"s{i}"))
        do_append_many(entry.log, items=batch)
        logs.append(entry.log)
    took = time.perf_counter() - started
    print(f"built {assemblies} assemblies of {households} households in {took:.0f}s")
    return logs


def traced_per_assembly(logs: list[str], budget_mb: int) -> tuple[float, float]:
    """MiB traced and estimated by the cache after reading every assembly once, per assembly."""
    from django.conf import settings

    from ayllu.actions.record import forget_replayed_state
    from ayllu.queries.assembly import get_assembly
    from ayllu.storage import replayed

    settings.AYLLU_REPLAY_CACHE_MB = budget_mb
    forget_replayed_state()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for log in logs:
        get_assembly(log)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    return held / MIB, replayed.cached_bytes() / MIB


def counting(queries: list[str]) -> Any:
    """An execute wrapper noting each query run through Django's cursor."""

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def front_page(logs: list[str]) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from ayllu.queries.record import list_records

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.get("/es/")  # the node's first check of every record
    listing = []
    for _ in range(5):
        started = time.perf_counter()
        list_records()
        listing.append(time.perf_counter() - started)
    cold, warm, unchanged = [], [], []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(counting(cold_queries := [])):
            response = client.get("/es/")
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.execute_wrapper(counting(warm_queries := [])):
            client.get("/es/")
        warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert client.get("/es/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        unchanged.append(time.perf_counter() - started)
    ms = 1000
    base = statistics.median(listing)
    print(f"front page with {len(logs)} assemblies (median of 5):")
    print(f"  before: listing every record (list_records) alone  {base * ms:7.1f} ms")
    for label, times in (("first request", cold), ("from the cache", warm), ("304 Not Modified", unchanged)):
        print(
            f"  {label:<20} {statistics.median(times) * ms:7.1f} ms  ({base / statistics.median(times):.1f}x)"
        )
    size = len(response.content) / 1024
    print(f"  page size {size:.0f} KB, queries: first {len(cold_queries)}, cached {len(warm_queries)}")
    member_front_page(logs[0], base=base)


def member_front_page(log: str, *, base: float) -> None:
    """The front page of a member logged in to `log`: rendered for every request, and its 304."""
    from django.db import connection
    from django.test import Client

    from factories.stored import log_in_as  # the real challenge and login routes

    client = Client()
    log_in_as(client, log, keys(1)[0])
    response = client.get("/es/")
    assert b"session__who" in response.content
    rendered, unchanged = [], []
    for _ in range(5):
        started = time.perf_counter()
        with connection.execute_wrapper(counting(queries := [])):
            response = client.get("/es/")
        rendered.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert client.get("/es/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        unchanged.append(time.perf_counter() - started)
    ms = 1000
    for label, times in (("member's page", rendered), ("member's 304", unchanged)):
        print(
            f"  {label:<20} {statistics.median(times) * ms:7.1f} ms  ({base / statistics.median(times):.1f}x)"
        )
    print(f"  member's page: {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assemblies", type=int, default=100)
    parser.add_argument("--many", action="store_true", help="600 assemblies")
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--data", help="reuse the assemblies an earlier run built in this data directory")
    args = parser.parse_args()
    count = 600 if args.many else args.assemblies
    data = args.data or tempfile.mkdtemp(prefix="ayllu-bench-many-")
    os.environ["AYLLU_DATA_DIR"] = data
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
    os.environ.pop("AYLLU_DATABASE_URL", None)
    import django

    django.setup()
    print(f"SQLite (WAL, synchronous=FULL) in {data}")
    if args.data:
        from ayllu.storage import models

        logs = list(models.Record.objects.order_by("created", "pk").values_list("log", flat=True))
        count = len(logs)
        print(f"reusing {count} assemblies")
    else:
        logs = build(count, args.households)
    tracemalloc.start()
    for budget in (256, 25):
        traced, estimated = traced_per_assembly(logs, budget)
        print(
            f"replay cache {budget:>3} MiB: {traced:6.1f} MiB held after reading every assembly "
            f"({traced / count * 1024:.0f} KiB each), cache estimate {estimated:6.1f} MiB"
        )
    tracemalloc.stop()
    front_page(logs)


if __name__ == "__main__":
    main()
