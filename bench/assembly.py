"""Benchmark of issue 3: 5,000 households vote on one question; a 200,000-entry record is replayed.

    .venv/bin/python bench/assembly.py [--households 5000] [--replay 200000]

1. Through the real write path (actions.assembly.check_submit_act: body rebuilt, signature checked,
   record locked, rules replayed, entry sealed and committed) on SQLite in WAL mode with
   synchronous=FULL, in a fresh data directory: votes/s, p50/p99 latency per vote, and the time of the
   closing act, which computes the outcome.
2. Replay of a record of about 200,000 entries (admissions, then many questions with everyone voting)
   built in memory: parse + `apply_entry` per entry, in entries/s, against the raw Ed25519 verify rate
   measured in the same run (verifying one signature over an entry-sized message); and what making the
   read-only face readers get of the replayed state costs (`frozen_view`, once per published head),
   against one entry's replay.
Votes are signed before the clock starts, as members sign them on their own devices.
"""

import argparse
import os
import statistics
import tempfile
import time
from typing import Any

T0 = 1_764_000_000_000


def charter() -> dict[str, Any]:
    from ayllu.core.charter.rules import default_charter_data

    data = default_charter_data()
    data["methods"]["ordinary"] = {
        "method": "majority",
        "threshold": "1/2",
        "base": "yes_no",
        "comparison": "more_than",
    }
    data["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0}
    data["admission"] = {"by": "sponsorship", "sponsors": 1}
    return data


def keys(count: int) -> list[Any]:
    from ayllu.core.ledger.keys import Keypair

    return [Keypair.from_seed(i.to_bytes(4, "big") * 8) for i in range(1, count + 1)]


def bench_votes(households: int) -> None:
    from django.core.management import call_command

    from ayllu.actions.assembly import check_submit_act
    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.actions.record import do_append_many, do_found_assembly
    from ayllu.actions.record.append import Submitted
    from ayllu.core.charter.founding import found_assembly

    call_command("migrate", verbosity=0)
    members = keys(households)
    node = keys(households + 1)[-1]
    now = time.time_ns() // 1_000_000
    entry, body = found_assembly(
        [(members[0], "h-0")], name="Bench", founded_at=now, charter=charter(), node=node
    )
    do_found_assembly(signed_act=entry.signed_act(), body=body)
    log = entry.log
    started = time.perf_counter()
    apply, sponsor = ACT_KINDS["apply"], ACT_KINDS["sponsor"]
    for start in range(1, households, 500):
        batch = []
        for i in range(start, min(start + 500, households)):
            batch.append(
                sign_kind(members[i], log, kind=apply, values={"household": f"h-{i}"}, nonce=f"a{i}")
            )
            batch.append(
                sign_kind(
                    members[0], log, kind=sponsor, values={"applicant": members[i].public}, nonce=f"s{i}"
                )
            )
        do_append_many(log, items=batch)
    print(f"admitted {households} households in {time.perf_counter() - started:.1f}s (batches of 500)")

    def submit(who: Any, kind: str, nonce: str, **values: Any) -> Any:
        signed, _ = sign_kind(who, log, kind=ACT_KINDS[kind], values=values, nonce=nonce)
        taken = check_submit_act(
            log, kind=ACT_KINDS[kind], values=values, author=who.public, nonce=nonce, asig=signed.asig
        )
        assert isinstance(taken, Submitted), taken  # a member's act enters the record
        return taken.receipt

    proposal = submit(
        members[0], "table", "p1", matter="ordinary", title="Agua", text="Turnos por semana"
    ).seq
    deadline = time.time_ns() // 1_000_000 + 24 * 3600 * 1000
    question = submit(members[0], "open-question", "q1", proposal=proposal, deadline=deadline).seq
    vote = ACT_KINDS["vote"]
    ballots = []
    for i, member in enumerate(members):
        values = {"question": question, "choice": "yes" if i % 3 else "no"}
        signed, _ = sign_kind(member, log, kind=vote, values=values, nonce=f"v{i}")
        ballots.append((member.public, values, signed.asig, f"v{i}"))
    latencies = []
    started = time.perf_counter()
    for author, values, asig, nonce in ballots:
        t = time.perf_counter()
        check_submit_act(log, kind=vote, values=values, author=author, nonce=nonce, asig=asig)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    t = time.perf_counter()
    closed = submit(members[0], "close-question", "c1", question=question)
    close_s = time.perf_counter() - t
    q = statistics.quantiles(latencies, n=100)
    print(f"votes: {len(ballots)} in {elapsed:.2f}s = {len(ballots) / elapsed:.0f} votes/s")
    print(
        f"latency per vote: p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms, "
        f"max {max(latencies) * 1000:.2f} ms"
    )
    print(f"closing the question (outcome computed in replay, entry {closed.seq}): {close_s * 1000:.1f} ms")


def build_record(size: int, members_count: int) -> tuple[list[bytes], dict[str, Any]]:
    """A valid record of about `size` entries: admissions, then questions on which everyone votes."""
    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.core.charter.founding import found_assembly
    from ayllu.core.ledger.record import seal_entry

    members = keys(members_count)
    node = keys(members_count + 1)[-1]
    entry, founding = found_assembly(
        [(members[0], "h-0")], name="Bench", founded_at=T0, charter=charter(), node=node
    )
    log, raws, bodies = entry.log, [entry.raw], {founding.hash: founding}
    head = entry.hash

    def add(who: Any, kind: str, nonce: str, **values: Any) -> int:
        nonlocal head
        signed, body = sign_kind(who, log, kind=ACT_KINDS[kind], values=values, nonce=nonce)
        sealed = seal_entry(signed, seq=len(raws) + 1, prev=head, time=T0 + len(raws), node=node)
        raws.append(sealed.raw)
        bodies[body.hash] = body
        head = sealed.hash
        return sealed.seq

    for i in range(1, members_count):
        add(members[i], "apply", f"a{i}", household=f"h-{i}")
        add(members[0], "sponsor", f"s{i}", applicant=members[i].public)
    round_ = 0
    while len(raws) + members_count + 3 <= size:
        round_ += 1
        proposal = add(
            members[0], "table", f"p{round_}", matter="ordinary", title=f"Asunto {round_}", text=""
        )
        question = add(members[0], "open-question", f"q{round_}", proposal=proposal, deadline=T0 + 10**9)
        for i, member in enumerate(members):
            add(member, "vote", f"v{round_}-{i}", question=question, choice="yes" if i % 3 else "no")
        add(members[0], "close-question", f"c{round_}", question=question)
    while len(raws) < size:
        add(members[len(raws) % members_count], "notice", f"n{len(raws)}", text="Asamblea el domingo")
    return raws, bodies


def bench_replay(size: int, members_count: int) -> None:
    from nacl.signing import SigningKey

    from ayllu.core.assembly.replay import apply_entry, initial_state
    from ayllu.core.assembly.state import frozen_view
    from ayllu.core.ledger.keys import ACT_CONTEXT
    from ayllu.core.ledger.record import parse_entry

    started = time.perf_counter()
    raws, bodies = build_record(size, members_count)
    print(f"built a record of {len(raws)} entries in {time.perf_counter() - started:.1f}s")
    log = parse_entry(raws[0]).log
    started = time.perf_counter()
    state = initial_state(log)
    for raw in raws:
        entry = parse_entry(raw)
        state = apply_entry(state, entry, bodies.get(entry.act.body))
    replay_rate = len(raws) / (time.perf_counter() - started)
    signing = SigningKey(b"\x07" * 32)
    message = ACT_CONTEXT + raws[len(raws) // 2]
    signed = signing.sign(message)
    verify_key = signing.verify_key
    count = 20_000
    started = time.perf_counter()
    for _ in range(count):
        verify_key.verify(signed)
    verify_rate = count / (time.perf_counter() - started)
    print(
        f"replay to state: {replay_rate:,.0f} entries/s "
        f"({state.size} entries, {len(state.questions)} questions)"
    )
    print(f"raw Ed25519 verify (PyNaCl, one {len(message)}-byte message): {verify_rate:,.0f} signatures/s")
    print(f"replay / verify ratio: {replay_rate / verify_rate:.2f}")
    faces = 2000
    started = time.perf_counter()
    for _ in range(faces):
        frozen_view(state)
    face = (time.perf_counter() - started) / faces
    print(f"read-only face of the state: {face * 1e6:.0f} us, {face * replay_rate:.2f} x one entry's replay")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--replay", type=int, default=200_000)
    parser.add_argument("--replay-members", type=int, default=5000)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="ayllu-bench-")
    os.environ["AYLLU_DATA_DIR"] = data
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
    os.environ.pop("AYLLU_DATABASE_URL", None)
    import django

    django.setup()
    print(f"SQLite (WAL, synchronous=FULL) in {data}")
    bench_votes(args.households)
    bench_replay(args.replay, args.replay_members)


if __name__ == "__main__":
    main()
