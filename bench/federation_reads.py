"""Benchmark of issue 15's ratification reminders: what reading the federations an assembly names costs a
delivery pass.

    .venv/bin/python bench/federation_reads.py [--runs 500]

Each delivery pass asks, for each assembly with reachable members, what concerns them now
(`queries.notifications.list_members_reminders`: once when queueing, once per batch when sending). That
read asks `queries.federations.list_federations_awaiting`, which reads the home record's named
federations, asks the database which of them this node holds, and reads each held federation's
resolutions awaiting the assembly's answer. Builds, on SQLite in a fresh data directory, the scene of
tests/notify/test_ratification_reminders.py (three homes, a federation founded and seated here, a
resolution adopted, alto and bajo held), then times with the states warm (as between two passes with
no new entry): the whole awaited read, its parts, and the reminders of alto's members with it. Not a
test: nothing here asserts a time.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(read: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayllu-bench-fed-") as data:
        os.environ["AYLLU_DATA_DIR"] = data
        os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
        os.environ.pop("AYLLU_DATABASE_URL", None)
        sys.path.insert(0, str(ROOT / "tests"))
        import django

        django.setup()
        from django.core.management import call_command

        from ayllu.core.federations.ratification import list_awaited_answers
        from ayllu.queries.federations import _read_home, list_federations_awaiting
        from ayllu.queries.notifications import list_members_reminders
        from ayllu.queries.replayed import read_state
        from ayllu.storage import clock as node_clock
        from ayllu.storage import models
        from factories.federations_stored import hold, resolved_federation
        from factories.scenes import Clock

        call_command("migrate", verbosity=0)
        clock = Clock()
        node_clock.now_ms = clock  # type: ignore[assignment]
        scene = resolved_federation(clock, days=30)
        hold(scene.alto)
        hold(scene.bajo)
        log, now, runs = scene.alto.log, clock.now, args.runs
        members = read_state(log, lambda s: sorted(s.members))
        named = read_state(log, _read_home)[0]
        assert list_federations_awaiting(log, now=now), "the scene has a resolution awaiting alto's answer"
        whole = _median_ms(lambda: list_federations_awaiting(log, now=now), runs)
        home = _median_ms(lambda: read_state(log, _read_home), runs)
        held = _median_ms(
            lambda: list(models.Record.objects.filter(log__in=named - {log}).values_list("log", flat=True)),
            runs,
        )
        one = _median_ms(
            lambda: read_state(scene.log, lambda s: list_awaited_answers(s, assembly=log, now=now)), runs
        )
        reminders = _median_ms(lambda: list_members_reminders(log, members=members, now=now), runs)
        print(f"federations named by alto: {len(named)}, held here: 1 (median of {runs}, states warm)")
        print(f"list_federations_awaiting: {whole:.3f} ms")
        print(f"  the home's named federations (read_state): {home:.3f} ms")
        print(f"  which of them this node holds (one query): {held:.3f} ms")
        print(f"  one held federation's awaited resolutions (read_state): {one:.3f} ms")
        print(f"the reminders of alto's {len(members)} members, that read included: {reminders:.3f} ms")


if __name__ == "__main__":
    main()
