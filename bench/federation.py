"""Benchmark of issue 14: a city's councils federated in 3 levels (councils -> districts -> the city).

    .venv/bin/python bench/federation.py [--assemblies 600] [--districts 14] [--households 50|50-500]
        [--delegates 4] [--pages 10] [--postgres] [--no-follower] [--no-pages] [--profile] [--queries]

1. Builds, in memory (signed, sealed and replayed entry by entry, as tests/factories do), `--assemblies`
   neighbourhood councils (`--households` founding households each; `LOW-HIGH` spreads the councils'
   counts evenly over the range by council number, so that each district spans it) split among
   `--districts` district federations, and a city federation whose members are the districts. In each
   district every council creates the cargo that represents it (`--delegates` seats), each of its
   delegates issues a credential
   and takes a seat (citing it), the district tables a resolution, each council decides its mandate
   (a majority of its households voting) and its first delegate votes (citing credential and mandate),
   the question closes, and each council ratifies by its own decision, cited back
   (`federation.ratified`); the resolution needs every member's answer. The city does the same with its
   districts (one delegate each): a federation creates no cargo (decision 0033), so each district amends
   its charter (by its councils' mandated votes) to have an office that represents it in the city
   (decision 0029), the council whose turn it is names the holder, whose office credential is cited into
   the district, and the holder issues the district's credential and takes its seat in the city.
   `--districts 1` puts every council in one federation.
2. Times per federation act as the write path's rules take it (sign, seal, replay of the entry: the
   citation's proof checked, the rules of the seat, vote or ratification) and the replay of each
   federation record from scratch.
3. Stores every record on a fresh node (`do_import_record`: verified whole, rules replayed, citations
   checked by their proofs), with the checkpoints of it that the federations' citations carry, as the
   node that seals a record keeps every checkpoint it signs (SQLite, or PostgreSQL with `--postgres`:
   AYLLU_DATABASE_URL, by default the database `fedspeed_bench` at 127.0.0.1:5432, dropped and made
   again). Times the verification of the federation records as `ayllu verify LOG` runs it
   (`do_verify_record_citations`: the record verified and every citation checked against the member
   records held here in the same walk), starting as a fresh process would (no signed text checked
   before), with one worker and in a pool of the machine's cores (decision 0036); then a pass over the
   whole node as `ayllu verify` of every record runs it (the councils, then the federations, which find
   the cited acts' signatures checked). Against raw Ed25519 verify and raw
   SQLite inserts measured in the same run, and the signatures a federation entry carries (its own
   two, each distinct cited header's two, each distinct checkpoint's one). Then, in a fresh process,
   the node's first check of every record (storage/served.py: what a process's first page waits for)
   against every record checked one at a time, with the statements each runs. `--no-pages` stops there.
   The node's key is the one the records were sealed with, so it seals them: the city's record is stored
   without its last entry (the last district's ratification), which the node appends later through the
   write path.
4. Memory of a node holding every record: a fresh process on the node's database reads every record's
   state once (as pages do), and prints its resident memory and the replay cache's estimated size.
5. The federation home page (a district's, the city's) and a council's home through Django's test
   client, served as `ayllu serve` serves them (on PostgreSQL a thread listens for the node's records
   version, decision 0034; each repeat answer is timed again with it stopped): the first view
   (rendered, every Django cache emptied before each), the page rendered again as after a write that
   left the member cards alone (the page's cache entry dropped, the cards kept), the same page asked
   for again by an outsider (from Django's cache) and by a browser holding it (304), each as
   requests/s of CPU against the smallest Django view in the same process. `--queries` also prints the
   statements the database driver ran for each kind of repeat answer (every one is a round trip on
   PostgreSQL), counted on the driver's own connection.
6. The time from the last ratification to the outcome on a follower: a second node (its own data
   directory, SQLite) follows this one over HTTP (this node served on a loopback port by the standard
   library's WSGI server), first the districts' records and the city's (the records the city cites;
   the councils' it checks by proof); then this node appends the last ratification to the city's
   record, and the follower, waiting in its own process, runs one round of `follow_record` (what
   `ayllu follow` runs, without the process start) for the city and reads the outcome. The served
   node's process is started for the follower (its URLs loaded before it says it is ready, as `ayllu
   serve`'s workers load them): its first answer (the record asked for checked and replayed) is timed
   apart, within the first sync.

All figures are ratios to baselines measured in the same run; see docs/performance.md.
"""

import argparse
import os
import platform
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the in-memory builders of tests/factories
sys.path.insert(0, str(ROOT / "bench"))  # web_bench_settings
POSTGRES = "postgresql://postgres@127.0.0.1:5432/fedspeed_bench"
MINIMAL = "/bench/minimal/"
HOUSEHOLDS = (50, 50)


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
        _forget_checked()  # building the content checked its citations: the rules check them afresh
        start = time.process_time()
        entry = fed.act(who, type, content)
        self.times.setdefault(type, []).append(time.process_time() - start)
        return entry


def household_names(households: int) -> list[str]:
    """The test names of a council's members, one per household, registered with the factories (the
    same names in every council: keys are per record)."""
    from factories import assemblies
    from factories.keys import pub

    names = ["ana", "bea", "carla", *(f"v{i:03}" for i in range(max(0, households - 3)))][:households]
    for name in names:
        if name not in assemblies.BY_KEY.values():
            assemblies.NAMES.append(name)
            assemblies.BY_KEY[pub(name)] = name
    return names


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


# A federation's members and their first seated delegate (delegate, credential), by its log id: a
# federation decides by its member assemblies' mandated voices (voting.py), so a district's own decisions
# (its delegate to the city, its mandate there, its ratification) are its councils' decisions too.
DELEGATIONS: dict[str, list[tuple[Any, str, Any]]] = {}


def decide(asm: Any, matter: str, effect: dict[str, Any], timer: Timer) -> int:
    """Table, open, let a majority of the active members vote yes (a federation: every member assembly
    decides its mandate and its delegate votes), close; return the proposal id."""
    from ayllu.core.charter.rules import DAY_MS
    from factories.assemblies import asm_names
    from factories.federations import close_after_grace
    from factories.keys import pub

    federation = asm.state.rules.federation is not None
    # a federation's acts are its seated delegates' (decision 0029)
    names = [DELEGATIONS[asm.log][0][1]] if federation else asm_names(asm)
    proposal = asm.table(names[0], matter=matter, effect=effect)
    # a council's vote: a second an act, room for every household
    voting_ms = 60 * DAY_MS if federation else max(10_000, 2_000 * len(names))
    question = asm.open_question(names[0], proposal, voting_ms=voting_ms)
    if not federation:
        eligible = [n for n in names if pub(n) in asm.state.questions[question].eligible]
        for name in eligible[: len(eligible) // 2 + 1]:
            asm.vote(name, question, "yes")
        asm.clock = max(asm.clock, asm.state.questions[question].deadline)  # not everyone answered
        asm.act(names[0], "question.closed", {"question": question})
        assert asm.state.proposals[proposal].status == "adopted", asm.state.proposals[proposal].status
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


def federate(fed: Any, members: list[Any], timer: Timer, *, delegates: int) -> int:
    """Every member seats `delegates` delegates in `fed`, which adopts a resolution (needing every
    member's ratification) by their mandated votes; each member ratifies it by its own decision, cited
    back. Return the resolution's id."""
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
        if home.state.rules.federation is not None:
            # a federation creates no cargo (decision 0033): its delegate holds an office (decision 0029)
            assert delegates == 1, delegates
            DELEGATIONS[fed.log].append((home, *office_delegate(home, fed, timer)))
            continue
        seated = []
        # a cargo has at most two seats: the delegation is one cargo per two delegates
        for index, seats in enumerate([2] * (delegates // 2) + [1] * (delegates % 2)):
            cargo = {
                "cargo": f"delegado-{index + 1}",
                "powers": [represent_in(fed.log)],
                "burden": 1,
                "term_days": 2000,
                "seats": seats,
            }
            decide(home, "cargo_creation", cargo, timer)
            seated += holders(home, cargo["cargo"])
        assert len(set(seated)) == delegates, seated
        for delegate in seated:
            credential = accredit(home, delegate, fed.log, days=1900)
            fed.clock = max(fed.clock, home.clock)
            timer.act(fed, delegate, "federation.seated", seat_content(home, credential))
            if delegate == seated[0]:
                DELEGATIONS[fed.log].append((home, delegate, credential))
    founder = DELEGATIONS[fed.log][0][1]  # a seated delegate acts as the federation's member
    effect = {"rule": "assemblies", "share": "1/1", "deadline": fed.clock + 300 * DAY_MS}
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


def office_delegate(district: Any, fed: Any, timer: Timer) -> tuple[str, Any]:
    """`district`'s delegate to `fed` and the credential they sat on: the district amends its charter (by
    its councils' mandated votes) to have an office that represents it in `fed`, an entry starts the
    office's first term, the council whose turn it is names the holder by a cargo serving the office, the
    holder's credential is cited into the district, and the holder issues the district's credential for
    `fed` and takes its seat there."""
    from ayllu.core.cargos.powers import office_in
    from factories.assemblies import holders
    from factories.federations import accredit, accredit_office, office_content, seat_content

    office = "delegacion"
    charter = district.state.charter.data
    block = charter["federation"]
    spec = {"office": office, "term_days": 2000, "burden": 1, "represents": fed.log}
    amended = {**charter, "federation": {**block, "offices": [*block.get("offices", []), spec]}}
    decide(district, "charter_amendment", {"charter": amended}, timer)
    district.wait(1000)
    district.table(DELEGATIONS[district.log][0][1])  # an entry that starts the office's first term
    term = district.state.offices.terms[office][-1]
    council = next(home for home, _, _ in DELEGATIONS[district.log] if home.log == term.assembly)
    council.clock = max(council.clock, district.clock)
    cargo = {
        "cargo": f"fed_{office}",
        "powers": [office_in(district.log, office)],
        "burden": 1,
        "term_days": 2000,
        "seats": 1,
    }
    decide(council, "cargo_creation", cargo, timer)
    holder = str(holders(council, cargo["cargo"])[0])
    taken = accredit_office(council, holder, district.log, office, days=1900)
    district.clock = max(district.clock, council.clock)
    timer.act(district, holder, "federation.office_taken", office_content(council, taken))
    credential = accredit(district, holder, fed.log, days=1800)  # within the office credential
    fed.clock = max(fed.clock, district.clock)
    timer.act(fed, holder, "federation.seated", seat_content(district, credential))
    return holder, credential


def first_delegate(council: Any, timer: Timer) -> str:
    """Who the turn names first to the council's first delegation cargo (tried on a copy: the turn does
    not depend on the federation the cargo represents the council in)."""
    import copy

    from ayllu.core.cargos.powers import represent_in
    from factories.assemblies import holders

    probe = copy.deepcopy(council)
    cargo = {"cargo": "delegado-1", "powers": [represent_in("ab" * 32)], "burden": 1, "term_days": 2000}
    decide(probe, "cargo_creation", {**cargo, "seats": 2}, timer)
    return str(holders(probe, "delegado-1")[0])


def build(args: argparse.Namespace, timer: Timer) -> tuple[list[Any], list[Any], Any]:
    from factories.charters import cargo_charter
    from factories.federations import FEDERATION

    low, high = args.households
    names = household_names(high)
    charter = cargo_charter(federation={**FEDERATION, "delegates_per_assembly": max(1, args.delegates)})
    councils = [
        found(f"Junta vecinal {n:03}", [(w, f"{w}-{n}") for w in names[:k]], cargo_charter())
        for n, k in enumerate(household_counts(args.assemblies, low, high))
    ]
    groups = [councils[d :: args.districts] for d in range(args.districts)]
    # each district is founded by the delegate its first council will seat (who acts for it in the city)
    feds = [
        found(f"Distrito {d + 1}", [(first_delegate(group[0], timer), group[0].log)], charter)
        for d, group in enumerate(groups)
    ]
    for fed, group in zip(feds, groups, strict=True):
        federate(fed, group, timer, delegates=args.delegates)
    city = found("Federación de la ciudad", [("ana", feds[0].log)], charter)
    federate(city, feds, timer, delegates=1)
    return councils, feds, city


def household_counts(assemblies: int, low: int, high: int) -> list[int]:
    """Households of each council, spread evenly from `low` to `high` by the council's number: the
    councils of a district (every `--districts`-th) span the whole range too. The same every run."""
    return [low + (high - low) * n // max(1, assemblies - 1) for n in range(assemblies)]


def _households(text: str) -> tuple[int, int]:
    """`--households N` (every council) or `LOW-HIGH` (spread, `household_counts`)."""
    low, _, high = text.partition("-")
    try:
        counts = int(low), int(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count or a range of counts: {text!r}") from None
    if not 2 <= counts[0] <= counts[1]:
        raise argparse.ArgumentTypeError(f"two households at least, the smaller first: {text!r}")
    return counts


def replay_time(asm: Any) -> float:
    from factories.assemblies import replay_all

    start = time.process_time()
    replay_all(asm.log, asm.entries, asm.bodies)
    return time.process_time() - start


def store(records: list[Any], *, cited: dict[str, set[bytes]] | None = None) -> float:
    """Import each record (verified whole, citations by their proofs) with its node's checkpoint of its
    head and, from `cited`, the checkpoints the federations' citations of it carry: the node that seals
    a record keeps every checkpoint it signed, one with each act another record cites (decision 0032)."""
    from ayllu.actions.record import do_import_record
    from factories.federations import cite
    from factories.federations_stored import VISIBLE

    start = time.perf_counter()
    for asm in records:
        head = cite(asm, asm.entries[-1]).checkpoint.raw
        kept = sorted({head, *(cited or {}).get(asm.log, ())})
        bodies = {b.key: b for b in asm.bodies.values()}
        raws = [e.raw for e in asm.entries]
        report = do_import_record(
            asm.log, entries=raws, bodies=bodies, checkpoints=kept, visible=VISIBLE, workers=1
        )
        assert report.ok, report
    return time.perf_counter() - start


def cited_checkpoints(federations: list[Any]) -> dict[str, set[bytes]]:
    """The checkpoint texts the federations' citations carry, by the log of the record they are of."""
    from ayllu.core.assembly.replay import ACT_KINDS

    found: dict[str, set[bytes]] = {}
    for fed in federations:
        for entry in fed.entries:
            kind = ACT_KINDS.get(entry.type)
            body = fed.bodies.get(entry.act.body)
            if kind is None or not kind.cites_in or body is None:
                continue
            for cited in body.content().get(kind.cites_in, []):
                found.setdefault(cited["log"], set()).add(cited["checkpoint"].encode())
    return found


def store_but_last(asm: Any) -> None:
    """Import a record without its last entry, with its node's checkpoint of that size."""
    from ayllu.actions.record import do_import_record
    from factories.federations import cite
    from factories.federations_stored import VISIBLE

    entries = asm.entries[:-1]
    bodies = {b.key: b for b in asm.bodies.values() if b.hash != asm.entries[-1].act.body}
    checkpoint = cite(asm, entries[-1], size=len(entries)).checkpoint.raw
    report = do_import_record(
        asm.log, entries=[e.raw for e in entries], bodies=bodies, checkpoints=[checkpoint], visible=VISIBLE,
        workers=1,
    )  # fmt: skip
    assert report.ok, report


def append_last(asm: Any) -> None:
    """Append the record's last act (signed in memory) through this node's write path."""
    from ayllu.actions.record import do_submit
    from ayllu.core.ledger.record import SignedAct

    last = asm.entries[-1]
    do_submit(asm.log, signed_act=SignedAct(act=last.act, asig=last.asig), body=asm.bodies[last.act.body])


def page_rates(url: str, rounds: int, *, profile: bool = False, client: Any = None) -> dict[str, float]:
    """CPU seconds per request (medians of `rounds`) by Django's test client, as an outsider (or as
    `client`, e.g. a delegate logged in at home): the first view (every Django cache but the sessions'
    emptied before each, so the page and its member cards are rendered), the page rendered again as
    after a write that left the member cards alone (the page's entry dropped from Django's cache, the
    cards kept), the page asked for again (from Django's cache; a logged-in reader's is rendered again)
    and asked for by a browser that holds it (If-None-Match: 304)."""
    from django.conf import settings
    from django.core.cache import cache, caches
    from django.test import Client

    def clear_all() -> None:
        for alias in caches:
            if alias != settings.SESSION_CACHE_ALIAS:
                caches[alias].clear()

    client = client or Client()
    out: dict[str, list[float]] = {"first": [], "rewritten": []}
    etag = ""
    for index in range(rounds):
        clear_all()
        if profile and index == 0:
            client.get(url)  # the states read, as on a node serving them
            clear_all()
            _profiled(client, url)
            clear_all()
        cpu = time.process_time()
        response = client.get(url)
        out["first"].append(time.process_time() - cpu)
        assert response.status_code == 200, (url, response.status_code)
        etag = response.headers.get("ETag", "")
    for _ in range(rounds):
        cache.delete(f"ayllu-page:{etag}")
        cpu = time.process_time()
        assert client.get(url).status_code == 200
        out["rewritten"].append(time.process_time() - cpu)
    rates = {kind: statistics.median(times) for kind, times in out.items()}
    return rates | repeat_rates(url, etag, rounds, client)


def repeat_rates(url: str, etag: str, rounds: int, client: Any) -> dict[str, float]:
    """CPU seconds per request (medians) of `url` asked again and of its 304 (`etag` held), and of the
    minimal view beside them. The cheap answers are timed ten times as often, each beside a request for
    the minimal view, whose median is the baseline of this page's ratios (the machine is shared: its load
    moves both alike); the minimal view is asked twice and timed the second time, not right after a
    bigger answer."""
    out: dict[str, list[float]] = {"minimal": [], "again": [], "held": []}
    for _ in range(10 * rounds):
        client.get(MINIMAL)
        cpu = time.process_time()
        assert client.get(MINIMAL).status_code == 200
        out["minimal"].append(time.process_time() - cpu)
        cpu = time.process_time()
        assert client.get(url).status_code == 200
        out["again"].append(time.process_time() - cpu)
        cpu = time.process_time()
        status = client.get(url, headers={"if-none-match": etag}).status_code if etag else 0
        out["held"].append(time.process_time() - cpu)
        assert status == 304 or not etag, status
    return {kind: statistics.median(times) for kind, times in out.items()}


def print_statements(label: str, url: str, *, client: Any = None) -> None:
    """The statements of `url` asked again (from Django's cache, or rendered for a logged-in reader)
    and of a 304, each after one request that warms what a serving node has warm."""
    from django.test import Client

    from factories.statements import statements

    client = client or Client()
    etag = client.get(url).headers.get("ETag", "")
    for kind, headers in (("asked again", {}), ("304", {"if-none-match": etag})):
        client.get(url, headers=headers)
        with statements() as seen:
            client.get(url, headers=headers)
        print(f"  {label}, {kind}: {len(seen)} statements")
        for sql in seen:
            print(f"    {' '.join(sql.split())[:150]}")


def print_rates(label: str, rates: dict[str, float]) -> None:
    """One page's CPU per request and its ratios (requests/s) to the minimal view timed beside it."""
    base = rates["minimal"]
    print(
        f"{label}: CPU per request and ratio to the minimal view ({1e3 * base:.2f} ms beside it; loadavg"
        f" {_loadavg()}): first view {1e3 * rates['first']:.1f} ms = {base / rates['first']:.4f} x;"
        f" rendered again, member cards kept {1e3 * rates['rewritten']:.1f} ms"
        f" = {base / rates['rewritten']:.4f} x; asked again {1e3 * rates['again']:.2f} ms ="
        f" {base / rates['again']:.3f} x; held (304) {1e3 * rates['held']:.2f} ms ="
        f" {base / rates['held']:.2f} x"
    )


def delegate_client(fed: Any) -> Any:
    """A test client logged in (through the login routes) at `fed`'s first member, as its first seated
    delegate: the reader a federation's page offers that member's forms to."""
    from django.test import Client

    from factories.keys import keypair
    from factories.stored import log_in_as

    home, delegate, _ = DELEGATIONS[fed.log][0]
    client = Client()
    log_in_as(client, home.log, keypair(delegate))
    return client


def _profiled(client: Any, url: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    print(f"profile of the first view of {url} (the states read before):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(60)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_child() -> None:
    """In a fresh process on the node's database: read every record's state once, as pages do; print the
    resident memory before and after, and the replay cache's estimated size and budget."""
    import django

    django.setup()
    from ayllu.queries.replayed import read_state
    from ayllu.storage import models, replayed

    logs = list(models.Record.objects.order_by("id").values_list("log", flat=True))
    before = _rss_kib()
    start = time.perf_counter()
    entries = sum(read_state(log, lambda state: state.size) for log in logs)
    took = time.perf_counter() - start
    print(
        f"{len(logs)} {entries} {before} {_rss_kib()} {replayed.cached_bytes()} {replayed.budget_bytes()}"
        f" {len(replayed.cached_logs())} {took:.2f}"
    )


def served_child(rounds: int = 3) -> None:
    """In a fresh process on the node's database: the first check of every record (storage/served.py,
    what a process's first page waits for) as a page makes it, against every record checked one at a
    time (`check_record` each, as that first check did before it read many records' rows together),
    alternating rounds; print the best wall and CPU seconds and the statements of each."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ayllu.storage import models, served

    logs = list(models.Record.objects.order_by("created", "pk").values_list("log", flat=True))
    entries = models.Entry.objects.count()

    def together() -> None:
        assert served.node_served().ok

    def one_at_a_time() -> None:
        assert all(served.check_record(log).damage is None for log in logs)

    figures: dict[str, list[tuple[float, float]]] = {"together": [], "one": []}
    for _ in range(rounds):
        for name, check in (("together", together), ("one", one_at_a_time)):
            served.forget_served()
            start, cpu = time.perf_counter(), time.process_time()
            check()
            figures[name].append((time.perf_counter() - start, time.process_time() - cpu))
    statements = {}
    for name, check in (("together", together), ("one", one_at_a_time)):
        served.forget_served()
        with CaptureQueriesContext(connection) as ran:
            check()
        statements[name] = len(ran)
    best = {name: (min(w for w, _ in times), min(c for _, c in times)) for name, times in figures.items()}
    print(
        f"{len(logs)} {entries} {best['together'][0]:.3f} {best['together'][1]:.3f} {statements['together']}"
        f" {best['one'][0]:.3f} {best['one'][1]:.3f} {statements['one']}"
    )


def measure_first_check() -> None:
    """The first check of every record in a fresh process, against one record at a time."""
    said = _child_says("--served-child", what="the first check")
    if said is None:
        return
    logs, entries, wall, cpu, statements, one_wall, one_cpu, one_statements = said
    print(
        f"the first check of every record ({logs} records, {entries} entries; best of 3, fresh process):"
        f" wall {wall} s, CPU {cpu} s, {statements} statements; one record at a time: wall {one_wall} s,"
        f" CPU {one_cpu} s, {one_statements} statements"
    )


def _fix_clock(now: int) -> None:
    """The records' times run ahead of today's date (a year of decisions from T0): the node's clock
    stands a second after the latest entry, as if the node read the records then."""
    from ayllu.storage import clock

    clock.now_ms = lambda: now  # type: ignore[assignment]


def serve_child(port: int, now: int) -> None:
    """This node's web app on a loopback port (as tests/federation/server.py), its clock at `now`."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    import django

    django.setup()
    _fix_clock(now)
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = make_server("127.0.0.1", port, get_wsgi_application(), Server, Quiet)
    get_resolver().url_patterns  # noqa: B018 (loaded before the first request, as `ayllu serve` does)
    print("ready", flush=True)
    server.serve_forever()


def follower_child(url: str, order: Path, city: str, now: int) -> None:
    """A second node (its own data directory): follow every record of `url` (in `order`), say "ready",
    wait for a line on stdin, then follow the city's record once more and read its resolution's outcome."""
    import django

    django.setup()
    _fix_clock(now)
    from django.core.management import call_command

    from ayllu.federation.client import Peer
    from ayllu.federation.follow import follow_record
    from ayllu.queries.federations import get_federation

    def outcome() -> str:
        page = get_federation(city, now=now)
        assert page is not None
        return page.resolutions[-1].outcome

    call_command("migrate", verbosity=0, interactive=False)
    peer = Peer(url)
    logs = order.read_text().split()
    start, cpu, entries = time.perf_counter(), time.process_time(), 0
    # The served node was just started: its first answer of each kind loads what a process loads once.
    first = peer.latest_checkpoint(logs[0])
    assert first is not None
    first_answer = time.perf_counter() - start
    for log in logs:
        result = follow_record(peer, log)
        assert result.ok and result.replayed == result.size, (log, result.problem, result.detail)
        entries += result.stored
    synced, synced_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"synced {len(logs)} {entries} {synced:.2f} {synced_cpu:.2f} {first_answer:.2f} {outcome()}",
        flush=True,
    )
    sys.stdin.readline()
    start, cpu = time.perf_counter(), time.process_time()
    result = follow_record(peer, city)
    followed, followed_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.ok and result.stored == 1, (result.problem, result.detail, result.stored)
    seen = outcome()
    read = time.perf_counter() - start - followed
    print(f"followed {followed:.4f} {followed_cpu:.4f} {read:.4f} {seen}", flush=True)


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
    return env | {"PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "tests")])} | extra


def _node_env() -> dict[str, str]:
    """This node's settings for a child process: the same data directory and database."""
    extra = {"AYLLU_DATA_DIR": os.environ["AYLLU_DATA_DIR"], "DJANGO_SETTINGS_MODULE": "web_bench_settings"}
    if os.environ.get("AYLLU_DATABASE_URL"):
        extra["AYLLU_DATABASE_URL"] = os.environ["AYLLU_DATABASE_URL"]
    return _child_env(**extra)


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _child_says(flag: str, *, what: str) -> list[str] | None:
    """The words a child process on this node's database printed, run with `flag`; None when it failed."""
    done = subprocess.run([sys.executable, __file__, flag], env=_node_env(), capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{what}: the child failed:\n{done.stderr[-3000:]}")
        return None
    return done.stdout.split()


def measure_memory() -> None:
    said = _child_says("--memory-child", what="memory")
    if said is None:
        return
    logs, entries, before, after, cached, budget, kept, took = said
    print(
        f"memory of a node holding {logs} records ({entries} entries), every state read once ({took} s):"
        f" RSS {int(before) / 1024:.0f} MiB before, {int(after) / 1024:.0f} MiB after"
        f" (+{(int(after) - int(before)) / 1024:.0f} MiB, {(int(after) - int(before)) / int(logs):.0f} KiB"
        f" a record); the replay cache {int(cached) / 2**20:.0f} MiB estimated, {kept} states kept"
        f" (budget {int(budget) / 2**20:.0f} MiB)"
    )


def measure_follower(city: Any, order: list[str], now: int, data: Path) -> None:
    """The time from the last ratification appended here to its outcome read on a follower."""
    port = _port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-child", str(port), str(now)],
        env=_node_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    follower_dir = data / "follower"
    follower_dir.mkdir()
    (data / "order.txt").write_text("\n".join(order))
    env = _child_env(AYLLU_DATA_DIR=str(follower_dir), DJANGO_SETTINGS_MODULE="ayllu.settings.dev")
    child = None
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        url = f"http://127.0.0.1:{port}"
        args = ["--follower-child", url, str(data / "order.txt"), city.log, str(now)]
        child = subprocess.Popen(
            [sys.executable, __file__, *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        line = child.stdout.readline().split()
        if not line:
            print("follower: the child failed (see its stderr)")
            return
        _, logs, entries, synced, synced_cpu, first, before = line
        print(
            f"follower (SQLite, its own data directory): followed {logs} records ({entries} entries) in"
            f" {float(synced):.1f} s ({float(synced_cpu):.1f} s CPU, {int(entries) / float(synced):.0f}"
            f" entries/s), of which {float(first):.1f} s the served node's first answer (a process just"
            f" started: the record asked for checked and replayed); the city's resolution there:"
            f" {before}"
        )
        start = time.perf_counter()
        append_last(city)
        appended = time.perf_counter() - start
        child.stdin.write("go\n")
        child.stdin.flush()
        answer = child.stdout.readline().split()
        took = time.perf_counter() - start
        if not answer:
            print("follower: the child failed (see its stderr)")
            return
        _, followed, followed_cpu, read, outcome = answer
        print(
            f"last ratification to the outcome on the follower: {1e3 * took:.0f} ms wall (appended here"
            f" {1e3 * appended:.0f} ms; the follower's round {1e3 * float(followed):.0f} ms, CPU"
            f" {1e3 * float(followed_cpu):.0f} ms; reading the outcome {1e3 * float(read):.0f} ms): {outcome}"
        )
    finally:
        for process in (child, server):
            if process is not None:
                process.kill()
                process.wait()


def _fresh_postgres(url: str) -> None:
    """Drop and make again the bench's database (named in `url`), through the server's `postgres` one."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assemblies", type=int, default=600, help="neighbourhood councils")
    parser.add_argument("--districts", type=int, default=14, help="district federations (1: flat)")
    parser.add_argument(
        "--households",
        type=_households,
        default=HOUSEHOLDS,
        help="households of each council: N, or LOW-HIGH spread evenly over the councils",
    )
    parser.add_argument("--delegates", type=int, default=4, help="delegates each council seats")
    parser.add_argument("--pages", type=int, default=10, help="page requests timed of each kind")
    parser.add_argument("--postgres", action="store_true", help=f"AYLLU_DATABASE_URL, else {POSTGRES}")
    parser.add_argument("--no-follower", action="store_true", help="leave out the follower's figure")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile `ayllu verify LOG` of the federations, a district page's first view",
    )
    parser.add_argument("--no-pages", action="store_true", help="stop after verification (no memory, pages)")
    parser.add_argument("--queries", action="store_true", help="print the statements of the repeat answers")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--served-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--follower-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.assemblies < 1 or args.districts < 1 or args.delegates < 1:
        parser.error("needs one council, one district and one delegate at least")
    # Each district is founded by a delegate of its first council: no more districts than councils. A
    # council holding a district's office needs a household that is not already one of its delegates
    # (a household holds one cargo at a time): fewer delegates than households.
    args.districts = min(args.districts, args.assemblies)
    args.delegates = min(args.delegates, args.households[0] - 1)
    if args.memory_child:
        return memory_child()
    if args.served_child:
        return served_child()
    if args.serve_child:
        return serve_child(*args.serve_child)
    if args.follower_child:
        url, order, city, now = args.follower_child
        return follower_child(url, Path(order), city, int(now))

    data = Path(tempfile.mkdtemp(prefix="ayllu-bench-fed-"))
    os.environ["AYLLU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "web_bench_settings"
    if args.postgres:
        os.environ["AYLLU_DATABASE_URL"] = os.environ.get("AYLLU_DATABASE_URL") or POSTGRES
        _fresh_postgres(os.environ["AYLLU_DATABASE_URL"])
    else:
        os.environ.pop("AYLLU_DATABASE_URL", None)
    from ayllu.storage.keyfiles import create_key_file
    from factories.keys import seed_for

    # This node seals the records: its key is the one they were sealed with in memory.
    create_key_file(data / "node.key", seed=seed_for("node"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"database: {connection.vendor}; loadavg at the start: {_loadavg()}")
    print(
        f"{args.assemblies} councils of {'-'.join(dict.fromkeys(map(str, args.households)))} households,"
        f" {args.delegates} delegates each,"
        f" {args.districts} districts"
    )
    verify_rate, verify_cpu = raw_verify_rate()
    insert_rate = raw_insert_rate(data)
    print(
        f"raw PyNaCl verify, one core: wall {verify_rate:6.0f}/s, CPU {verify_cpu:6.0f}/s;"
        f" raw SQLite insert: {insert_rate:8.0f} rows/s"
    )

    timer = Timer()
    start, cpu = time.perf_counter(), time.process_time()
    councils, feds, city = build(args, timer)
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    entries = sum(len(a.entries) for a in (*councils, *feds, city))
    print(
        f"built {args.assemblies} councils, {args.districts} districts and the city in {built:.1f} s"
        f" ({built_cpu:.1f} s CPU; {entries} entries; the biggest federation has"
        f" {max(len(f.entries) for f in feds)})"
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
    _forget_checked()
    replays = [replay_time(f) for f in federations]
    fed_entries = sum(len(f.entries) for f in federations)
    took = sum(replays)
    print(
        f"replay (CPU) of the {len(federations)} federation records from scratch ({fed_entries} entries):"
        f" {took:.2f} s, {fed_entries / took:.0f} entries/s = {2 * fed_entries / took / verify_cpu:.2f} x raw"
        f" verify/sig; the biggest: {max(replays):.2f} s for {max(len(f.entries) for f in feds)} entries"
    )

    latest = max(a.entries[-1].time for a in (*councils, *federations)) + 1000
    _fix_clock(latest)
    call_command("migrate", verbosity=0)
    _forget_checked()
    start, cpu = time.perf_counter(), _cpu()
    cited = cited_checkpoints(federations)
    store(councils, cited=cited)
    print(
        f"import of {len(councils)} councils: wall {time.perf_counter() - start:.1f} s, CPU"
        f" {_cpu() - cpu:.1f} s ({sum(len(c.entries) for c in councils)} entries)"
    )
    cpu = _cpu()
    store(feds, cited=cited)
    store_but_last(city)
    cpu = _cpu() - cpu
    held = fed_entries - 1
    print(
        f"import of the federation records (citations checked by proof; the city without"
        f" its last entry): CPU {cpu:.1f} s, {held / cpu:.0f} entries/s of CPU ="
        f" {2 * held / cpu / verify_cpu:.2f} x raw verify/sig of CPU"
    )
    measure_verify(
        councils, federations, verify_cpu=verify_cpu, insert_rate=insert_rate, profile=args.profile
    )
    measure_first_check()
    if not args.no_pages:
        measure_pages(args, feds, city)
    if not args.no_follower:
        # the city's node keeps the records the city cites (the districts'); the councils' records it
        # does not hold, so the districts' citations of them are checked by their proofs there
        order = [f.log for f in federations]
        measure_follower(city, order, latest + 60_000, data)
    print(f"loadavg at the end: {_loadavg()}")
    print(f"data left in {data}", file=sys.stderr)


def measure_pages(args: argparse.Namespace, feds: list[Any], city: Any) -> None:
    """Memory of a node holding every record, then the federation home pages against the minimal view.

    Pages are served here as by `ayllu serve`: on PostgreSQL a thread listens for the node's records
    version (storage/version_watch.py). Each page's repeat answers are timed again with it stopped (the
    version and the head read from the database on each request, as before decision 0034)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    measure_memory()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    listening = _listen(True)
    base = page_rates(MINIMAL, args.pages)["again"]
    print(f"minimal view: {1e3 * base:.2f} ms CPU, {1 / base:.0f} requests/s of CPU (loadavg {_loadavg()})")
    if args.queries:
        print_statements("the minimal view", MINIMAL)
    biggest = max(feds, key=lambda f: len(f.state.member_assemblies))
    council = next(iter(biggest.state.member_assemblies))
    with translation.override("es"):
        for label, fed in (("the biggest district", biggest), ("the city", city)):
            url = reverse("web:federation_home", args=[fed.log])
            members = len(fed.state.member_assemblies)
            rates = page_rates(url, args.pages, profile=args.profile and fed is biggest)
            print_rates(f"federation home of {label} ({members} members), an outsider", rates)
            if args.queries:
                print_statements("an outsider", url)
            if listening:
                print_unheard(url, args.pages, queries=args.queries)
            if (
                fed is not city
            ):  # the city's delegates hold an office of their district: their home is a council
                client = delegate_client(fed)
                rates = page_rates(url, args.pages, client=client)
                print_rates("  the same for its first member's delegate logged in at home", rates)
                if args.queries:
                    print_statements("a delegate at home", url, client=client)
                if listening:
                    print_unheard(url, args.pages, client=client, queries=args.queries)
        url = reverse("web:assembly", args=[council])
        print_rates("home of a council of the biggest district, an outsider", page_rates(url, args.pages))
        if args.queries:
            print_statements("an outsider", url)
        if listening:
            print_unheard(url, args.pages, queries=args.queries)
    _listen(False)


def _listen(on: bool) -> bool:
    """Start (or stop) this process's listener for the records version; answer whether it is heard."""
    from ayllu.storage.version_watch import (
        heard_records_version,
        stop_watching_records_version,
        watch_records_version,
    )

    if not on:
        stop_watching_records_version()
        return False
    watch_records_version()
    deadline = time.monotonic() + 10
    while heard_records_version() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return heard_records_version() is not None


def print_unheard(url: str, rounds: int, *, client: Any = None, queries: bool = False) -> None:
    """The repeat answers of `url` with the listener stopped, timed in the same run."""
    from django.test import Client

    client = client or Client()
    _listen(False)
    try:
        etag = client.get(url).headers.get("ETag", "")
        rates = repeat_rates(url, etag, rounds, client)
        base = rates["minimal"]
        print(
            f"    the listener stopped (version and head read on each request): asked again"
            f" {1e3 * rates['again']:.2f} ms = {base / rates['again']:.3f} x; held (304)"
            f" {1e3 * rates['held']:.2f} ms = {base / rates['held']:.2f} x (minimal {1e3 * base:.2f} ms)"
        )
        if queries:
            print_statements("    the listener stopped", url, client=client)
    finally:
        _listen(True)


def _forget_checked() -> None:
    """Forget the signed texts this process checked (as a fresh `ayllu verify` process starts)."""
    try:
        from ayllu.core.ledger.checked_texts import forget_checked_texts
    except ImportError:  # the code before 2026-12-07 kept none
        return
    forget_checked_texts()


def signature_floor(federations: list[Any]) -> tuple[int, int, int]:
    """(entries, distinct cited headers, distinct checkpoints) of the federation records: verifying
    them alone checks at least 2 signatures an entry, 2 a distinct cited header and 1 a checkpoint."""
    from ayllu.core.assembly.replay import ACT_KINDS

    headers: set[str] = set()
    checkpoints: set[str] = set()
    entries = 0
    for fed in federations:
        for entry in fed.entries:
            entries += 1
            kind = ACT_KINDS.get(entry.type)
            body = fed.bodies.get(entry.act.body)
            if kind is None or not kind.cites_in or body is None:
                continue
            for cited in body.content().get(kind.cites_in, []):
                headers.add(cited["header"])
                checkpoints.add(cited["checkpoint"])
    return entries, len(headers), len(checkpoints)


def measure_verify(
    councils: list[Any],
    federations: list[Any],
    *,
    verify_cpu: float,
    insert_rate: float,
    profile: bool = False,
) -> None:
    """Verify the federation records as `ayllu verify LOG` does (the record, and its citations against
    the member records held here), each pass starting as a fresh process would (the median of three);
    then a pass over the whole node (every council, then the federations) as `ayllu verify` of every
    record does."""
    from ayllu.actions.citations import do_check_record_citations
    from ayllu.actions.record import do_verify_record

    try:
        from ayllu.actions.record import do_verify_record_citations
    except ImportError:  # the code before 2026-12-07 (afternoon) checked the citations in a second pass
        do_verify_record_citations = None

    held = sum(len(f.entries) for f in federations) - 1
    entries, headers, checkpoints = signature_floor(federations)
    floor = 2 + (2 * headers + checkpoints) / entries
    print(
        f"signatures a federation entry carries, each distinct text once: {floor:.2f} ({headers} cited"
        f" headers, {checkpoints} checkpoints over {entries} entries): at most {2 / floor:.2f} x raw verify"
        f" counting 2 an entry if signatures were all it cost"
    )

    def verify(with_citations: bool, workers: int = 1) -> tuple[float, float]:
        start, cpu = time.perf_counter(), _cpu()
        for fed in federations:
            if with_citations and do_verify_record_citations is not None:
                report, checked = do_verify_record_citations(fed.log, workers=workers)
            else:
                report = do_verify_record(fed.log, workers=workers)
                checked = do_check_record_citations(fed.log) if with_citations else None
            assert report.ok, report.problem
            assert checked is None or not (checked.refused or checked.unreadable), checked
        return time.perf_counter() - start, _cpu() - cpu

    for label, with_citations in (("", False), (", every citation checked against the member records", True)):
        runs = []
        for _ in range(3):  # the median of three, each from nothing checked
            _forget_checked()
            runs.append(verify(with_citations))
        took, cpu = sorted(runs, key=lambda run: run[1])[1]
        print(
            f"verify of the federation records{label}, 1 worker: wall {took:.2f} s, CPU {cpu:.2f} s,"
            f" {held / cpu:.0f} entries/s of CPU = {2 * held / cpu / verify_cpu:.3f} x raw"
            f" verify/sig of CPU (target >= 0.5), {held / took / insert_rate:.4f} x raw insert (wall)"
        )
    workers = os.cpu_count() or 1
    if workers > 1 and do_verify_record_citations is not None:
        runs = []
        for _ in range(3):
            _forget_checked()
            runs.append(verify(True, workers))
        took, cpu = sorted(runs)[1]
        print(
            f"the same with {workers} workers asked for (`ayllu verify LOG`'s default: a pool for a record of"
            f" 2,000 entries or more, decision 0036): wall {took:.2f} s, CPU {cpu:.2f} s (workers included):"
            f" {2 * held / took / verify_cpu:.3f} x one core's raw verify/sig per wall second,"
            f" {2 * held / cpu / verify_cpu:.3f} x per CPU second"
        )
    if profile:
        _profile_verify(lambda: verify(True))
    _forget_checked()
    start = _cpu()
    for council in councils:
        report = do_verify_record(council.log, workers=1)
        assert report.ok, report.problem
    own = sum(len(c.entries) for c in councils)
    mid = _cpu()
    _, cpu = verify(True)
    print(
        f"the node's pass (every council, {own} entries, {mid - start:.2f} s CPU ="
        f" {2 * own / (mid - start) / verify_cpu:.3f} x; then the federation records, citations checked):"
        f" the federation records {cpu:.2f} s CPU = {2 * held / cpu / verify_cpu:.3f} x raw verify/sig;"
        f" the whole pass {2 * (own + held) / (mid - start + cpu) / verify_cpu:.3f} x"
    )


def _profile_verify(verify: Any) -> None:
    """Profile one pass of `ayllu verify LOG` over the federation records, from nothing checked."""
    import cProfile
    import pstats

    _forget_checked()
    profiler = cProfile.Profile()
    profiler.enable()
    verify()
    profiler.disable()
    print("profile of `ayllu verify LOG` of the federation records (every citation checked):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(35)


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "?"


if __name__ == "__main__":
    main()
