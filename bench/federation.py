"""Benchmark of issue 14: a city's councils federated in 3 levels (councils -> districts -> the city).

    .venv/bin/python bench/federation.py [--assemblies 600] [--districts 14] [--pages 10]

1. Builds, in memory (signed, sealed and replayed entry by entry, as tests/factories do), `--assemblies`
   neighbourhood councils (three founding households each) split among `--districts` district
   federations, and a city federation whose members are the districts. In each district every council
   creates the cargo that represents it, its delegate issues a credential and takes a seat (citing it),
   the district tables a resolution, each council decides its mandate and its delegate votes (citing
   credential and mandate), the question closes, and each council ratifies by its own decision, cited
   back (`federation.ratified`). The city does the same with its districts. So the bottom level holds
   `--assemblies` seats, votes and ratifications. `--districts 1` puts every council in one federation:
   the case where the federation's replay scans grow with its members.
2. Times per federation act as the write path's rules take it (sign, seal, replay of the entry: the
   citation's proof checked, the rules of the seat, vote or ratification) and the replay of each
   federation record from scratch.
3. Stores every record on a fresh SQLite node (`do_import_record`: verified whole, citations checked
   against the member records already held) and times `do_verify_record` of the federation records,
   against raw Ed25519 verify (two signatures an entry) and raw SQLite inserts measured in the same run.
4. The federation home page (a district's, the city's) through Django's test client, first and again,
   against the smallest Django view in the same process.

All figures are ratios to baselines measured in the same run; see docs/performance.md.
"""

import argparse
import os
import platform
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the in-memory builders of tests/factories


def _cpu() -> float:
    """CPU seconds of this process and its reaped workers."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def raw_verify_rate(n: int = 5000) -> tuple[float, float]:
    """Raw PyNaCl verifications per second on one core (600-byte messages): (wall, CPU)."""
    from nacl.signing import SigningKey

    key = SigningKey(secrets.token_bytes(32))
    signed = [key.sign(secrets.token_bytes(600)) for _ in range(n)]
    verify_key = key.verify_key
    start, cpu = time.perf_counter(), time.process_time()
    for s in signed:
        verify_key.verify(s.message, s.signature)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def raw_insert_rate(data: Path, n: int = 20_000) -> float:
    """Raw SQLite inserts per second of 600-byte rows in one transaction (WAL, synchronous=FULL)."""
    db = sqlite3.connect(data / "raw.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, raw BLOB)")
    rows = [(i, secrets.token_bytes(600)) for i in range(n)]
    start = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    took = time.perf_counter() - start
    db.close()
    return n / took


class Timer:
    """CPU time (this process) per kind of act: the machine is shared, so wall time measures the load."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def act(self, fed: Any, who: str, type: str, content: dict[str, Any]) -> Any:
        start = time.process_time()
        entry = fed.act(who, type, content)
        self.times.setdefault(type, []).append(time.process_time() - start)
        return entry


def found(name: str, founders: list[tuple[str, str]], charter: dict[str, Any]) -> Any:
    """A record in memory founded by `founders` (test name, household or member assembly's log id)."""
    from ayllu.core.assembly.replay import apply_entry, initial_state
    from ayllu.core.charter.founding import found_assembly
    from factories.assemblies import T0, Assembly
    from factories.keys import keypair

    entry, body = found_assembly(
        [(keypair(who), household) for who, household in founders],
        name=name,
        founded_at=T0,
        charter=charter,
        node=keypair("node"),
    )
    asm = Assembly(log=entry.log, node=keypair("node"), state=initial_state(entry.log), clock=T0)
    asm.state = apply_entry(asm.state, entry, body)
    asm.entries.append(entry)
    asm.bodies[body.hash] = body
    return asm


# A federation's members and their seated delegates (delegate, credential), by its log id: a federation
# decides by its member assemblies' mandated voices (voting.py), so a district's own decisions (its
# delegate to the city, its mandate there, its ratification) are its councils' decisions too.
DELEGATIONS: dict[str, list[tuple[Any, str, Any]]] = {}


def decide(asm: Any, matter: str, effect: dict[str, Any], timer: Timer) -> int:
    """Table, open, let every active member vote yes (a federation: every member assembly decides its
    mandate and its delegate votes), close; return the proposal id."""
    from ayllu.core.charter.rules import DAY_MS
    from factories.assemblies import asm_names
    from factories.federations import close_after_grace
    from factories.keys import pub

    names = asm_names(asm)
    proposal = asm.table(names[0], matter=matter, effect=effect)
    federation = asm.state.rules.federation is not None
    question = asm.open_question(names[0], proposal, voting_ms=60 * DAY_MS if federation else 10_000)
    if not federation:
        for name in names:
            if pub(name) in asm.state.questions[question].eligible:
                asm.vote(name, question, "yes")
        asm.act(names[0], "question.closed", {"question": question})
    else:
        vote(asm, question, timer)
        close_after_grace(asm, question, by=names[0])
    return proposal


def vote(fed: Any, question: int, timer: Timer) -> None:
    """Each member assembly of `fed` decides its mandate "yes" on `question`; its delegate votes so."""
    from factories.assemblies import asm_names
    from factories.federations import MANDATED, VOTED, vote_content

    for home, delegate, credential in DELEGATIONS[fed.log]:
        decide(home, "mandate", {"body": fed.log, "question": str(question), "position": "yes"}, timer)
        content = {"federation": fed.log, "question": question, "position": "yes"}
        mandate = home.act(asm_names(home)[0], MANDATED, content)
        fed.clock = max(fed.clock, home.clock)
        timer.act(fed, delegate, VOTED, vote_content(home, credential, question, "yes", mandate))


def federate(fed: Any, members: list[Any], timer: Timer) -> int:
    """Every member seats a delegate in `fed`, which adopts a resolution by their mandated votes; each
    member ratifies it by its own decision, cited back. Return the resolution's id."""
    from ayllu.core.cargos.powers import represent_in
    from ayllu.core.charter.rules import DAY_MS
    from factories.assemblies import asm_names, holders
    from factories.federations import (
        accredit,
        close_after_grace,
        ratified_content,
        record_ratification,
        seat_content,
    )

    DELEGATIONS[fed.log] = []
    for home in members:
        home.clock = max(home.clock, fed.clock)
        cargo = {
            "cargo": "delegado",
            "powers": [represent_in(fed.log)],
            "burden": 1,
            "term_days": 2000,
            "seats": 1,
        }
        decide(home, "cargo_creation", cargo, timer)
        delegate = holders(home, "delegado")[0]
        credential = accredit(home, delegate, fed.log, days=1900)
        fed.clock = max(fed.clock, home.clock)
        timer.act(fed, delegate, "federation.seated", seat_content(home, credential))
        DELEGATIONS[fed.log].append((home, delegate, credential))
    founder = asm_names(fed)[0]
    effect = {"rule": "assemblies", "share": "1/2", "deadline": fed.clock + 300 * DAY_MS}
    proposal = fed.table(founder, matter="resolution", effect=effect)
    question = fed.open_question(founder, proposal, voting_ms=100 * DAY_MS)
    vote(fed, question, timer)
    close_after_grace(fed, question, by=founder)
    for home in members:
        ratified = decide(home, "ratification", {"federation": fed.log, "resolution": proposal}, timer)
        recorded = record_ratification(home, ratified)
        fed.clock = max(fed.clock, home.clock)
        timer.act(fed, asm_names(home)[0], "federation.ratified", ratified_content(home, recorded, proposal))
    assert fed.state.resolutions[proposal].answers.keys() == {h.log for h in members}
    return proposal


def build(assemblies: int, districts: int, timer: Timer) -> tuple[list[Any], list[Any], Any]:
    from factories.charters import cargo_charter
    from factories.federations import FEDERATION

    charter = cargo_charter(federation=dict(FEDERATION))
    councils = [
        found(f"Junta vecinal {n:03}", [(w, f"{w}-{n}") for w in ("ana", "bea", "carla")], cargo_charter())
        for n in range(assemblies)
    ]
    groups = [councils[d::districts] for d in range(districts)]
    feds = [found(f"Distrito {d + 1}", [("ana", group[0].log)], charter) for d, group in enumerate(groups)]
    for fed, group in zip(feds, groups, strict=True):
        federate(fed, group, timer)
    city = found("Federación de la ciudad", [("ana", feds[0].log)], charter)
    federate(city, feds, timer)
    return councils, feds, city


def replay_time(asm: Any) -> float:
    from factories.assemblies import replay_all

    start = time.process_time()
    replay_all(asm.log, asm.entries, asm.bodies)
    return time.process_time() - start


def store(records: list[Any]) -> float:
    """Import each record (verified whole; citations checked against the records held before it)."""
    from factories.federations_stored import hold

    start = time.perf_counter()
    for asm in records:
        hold(asm, checkpoint=True)
    return time.perf_counter() - start


def page_times(url: str, rounds: int) -> tuple[float, float, float]:
    """(first request, median of `rounds` more, median CPU of those) in seconds, by Django's test client."""
    from django.test import Client

    client = Client()
    start = time.perf_counter()
    response = client.get(url)
    first = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    times, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return first, statistics.median(times), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assemblies", type=int, default=600, help="neighbourhood councils")
    parser.add_argument("--districts", type=int, default=14, help="district federations (1: flat)")
    parser.add_argument("--pages", type=int, default=10, help="page requests timed after the first")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="ayllu-bench-fed-"))
    os.environ["AYLLU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "web_bench_settings"
    os.environ.pop("AYLLU_DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import translation

    from ayllu.actions.record import do_verify_record

    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"loadavg at the start: {_loadavg()}")
    verify_rate, verify_cpu = raw_verify_rate()
    insert_rate = raw_insert_rate(data)
    print(
        f"raw PyNaCl verify, one core: wall {verify_rate:6.0f}/s, CPU {verify_cpu:6.0f}/s;"
        f" raw SQLite insert: {insert_rate:8.0f} rows/s"
    )

    timer = Timer()
    start = time.perf_counter()
    councils, feds, city = build(args.assemblies, args.districts, timer)
    built = time.perf_counter() - start
    entries = sum(len(a.entries) for a in (*councils, *feds, city))
    print(
        f"built {args.assemblies} councils, {args.districts} districts and the city in {built:.1f} s"
        f" ({entries} entries; the biggest federation has {max(len(f.entries) for f in feds)})"
    )
    for kind, times in sorted(timer.times.items()):
        mean = statistics.mean(times)
        print(
            f"  {kind:22} {len(times):5} acts, {1e3 * mean:6.2f} ms each (median"
            f" {1e3 * statistics.median(times):6.2f},"
            f" last tenth {1e3 * statistics.mean(times[-len(times) // 10 :]):6.2f})"
        )
    cited = [t for k, ts in timer.times.items() for t in ts]
    print(f"  per cited act, all kinds: {1e3 * statistics.mean(cited):.2f} ms")

    federations = [*feds, city]
    replays = [replay_time(f) for f in federations]
    fed_entries = sum(len(f.entries) for f in federations)
    took = sum(replays)
    print(
        f"replay (CPU) of the {len(federations)} federation records from scratch ({fed_entries} entries):"
        f" {took:.2f} s, {fed_entries / took:.0f} entries/s = {2 * fed_entries / took / verify_cpu:.2f} x raw"
        f" verify/sig; the biggest: {max(replays):.2f} s for {max(len(f.entries) for f in feds)} entries"
    )

    # The records' times run ahead of today's date (a year of decisions from T0): the node's clock stands
    # a second after the latest entry, as if the node read the records then.
    from ayllu.storage import clock

    latest = max(a.entries[-1].time for a in (*councils, *federations)) + 1000
    clock.now_ms = lambda: latest  # type: ignore[assignment]
    call_command("migrate", verbosity=0)
    stored = store(councils)
    print(
        f"import of {len(councils)} councils: {stored:.1f} s"
        f" ({sum(len(c.entries) for c in councils)} entries)"
    )
    cpu = _cpu()
    stored = store(federations)
    cpu = _cpu() - cpu
    print(
        f"import of the federation records (citations checked against the councils held): wall"
        f" {stored:.1f} s, CPU {cpu:.1f} s, {fed_entries / cpu:.0f} entries/s of CPU ="
        f" {2 * fed_entries / cpu / verify_cpu:.2f} x raw verify/sig of CPU"
    )
    start, cpu = time.perf_counter(), _cpu()
    for fed in federations:
        report = do_verify_record(fed.log, workers=1)
        assert report.ok, report.problem
    took, cpu = time.perf_counter() - start, _cpu() - cpu
    print(
        f"verify of the federation records, 1 worker: wall {took:.2f} s, CPU {cpu:.2f} s,"
        f" {fed_entries / cpu:.0f} entries/s of CPU = {2 * fed_entries / cpu / verify_cpu:.2f} x raw"
        f" verify/sig of CPU (target >= 0.5), {fed_entries / took / insert_rate:.4f} x raw insert (wall)"
    )

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    base = page_times("/bench/minimal/", args.pages)
    print(
        f"minimal view: first {1e3 * base[0]:.1f} ms,"
        f" again {1e3 * base[1]:.2f} ms (CPU {1e3 * base[2]:.2f} ms)"
    )
    with translation.override("es"):
        for label, fed in (("a district", feds[0]), ("the city", city)):
            url = reverse("web:federation_home", args=[fed.log])
            first, again, cpu = page_times(url, args.pages)
            members = len(fed.state.member_assemblies)
            print(
                f"federation home of {label} ({members} members): first {1e3 * first:.0f} ms, again"
                f" {1e3 * again:.1f} ms wall, {1e3 * cpu:.1f} ms CPU"
                f" = {base[2] / cpu:.4f} x the minimal view (CPU)"
            )
    print(f"loadavg at the end: {_loadavg()}")
    print(f"data left in {data}", file=sys.stderr)


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "?"


if __name__ == "__main__":
    main()
