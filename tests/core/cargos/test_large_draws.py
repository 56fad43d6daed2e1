"""Large draws fit the record: a 2,000-person pool with 8 attributes, its panel list as sparse runs.

The lottery here is not LEXIMIN (solving 2,000/8/200 takes ~12 s of CPU, bench/sortition.py): replay
checks only that every panel meets the quotas and that the list hashes to `lottery_hash`, so panels
drawn at random within the quotas give a body of the size a real draw has, or larger.
"""

import hashlib
import random
from typing import Any

import pytest

from ayllu.core.assembly.state import Member
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.record import (
    MAX_BODY_BYTES,
    MAX_DRAW_BODY_BYTES,
    Body,
    make_body,
    seal_entry,
    sign_act,
)
from ayllu.core.ledger.verify import verify_record
from ayllu.core.sortition import Quota, build_instance, commitment_for, panel_meets_quotas, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.core.sortition.preparation import lottery_fields
from factories.assemblies import NAMES, Assembly
from factories.charters import cargo_charter
from factories.keys import keypair

DRAWERS = NAMES[:4]
BEACON = {"source": "drand-quicknet", "round": 7, "value": "ab" * 32}
ATTRIBUTES = {
    "zone": ["north", "south", "east", "west", "centre"],
    "age": ["16-29", "30-44", "45-64", "65+"],
    "gender": ["woman", "man", "other"],
    "schooling": ["primary", "secondary", "tertiary"],
    "tenure": ["owner", "tenant", "other"],
    "language": ["es", "ay", "qu", "other"],
    "work": ["employed", "informal", "unemployed", "retired", "student"],
    "household": ["1", "2", "3-4", "5+"],
}
PANEL_SIZE = 200


def _secret(name: str) -> str:
    return hashlib.sha256(b"secret/" + name.encode()).hexdigest()


def _assembly_with_pool(people: int) -> tuple[Assembly, dict[str, dict[str, str]]]:
    """An assembly whose state holds `people` more active members (64-hex ids), with their attributes."""
    asm = Assembly.found(DRAWERS, charter=cargo_charter())
    rng = random.Random(7)
    pool: dict[str, dict[str, str]] = {}
    for i in range(people):
        member = hashlib.sha256(f"volunteer/{i}".encode()).hexdigest()
        asm.state.members[member] = Member(id=member, key=member, household=f"house-{i}", since=1)
        pool[member] = {name: rng.choice(values) for name, values in ATTRIBUTES.items()}
    return asm, pool


def _quotas(panel_size: int, *, slack: float) -> list[Quota]:
    """A quota on every feature of every attribute: its even share of seats, give or take `slack`."""
    return [
        Quota(name, value, int(panel_size / len(values) * (1 - slack)), panel_size)
        if slack >= 1
        else Quota(
            name,
            value,
            int(panel_size / len(values) * (1 - slack)),
            int(panel_size / len(values) * (1 + slack)) + 1,
        )
        for name, values in ATTRIBUTES.items()
        for value in values
    ]


def _lottery(
    pool: dict[str, dict[str, str]], quotas: list[Quota], *, panel_size: int, distinct: int, size: int
) -> dict[str, Any]:
    """`size` panels in `distinct` runs, each people drawn at random until the panel meets the quotas."""
    instance = build_instance(pool, quotas=quotas, panel_size=panel_size)
    type_of = {person: t for t, members in enumerate(instance.members) for person in members}
    rng = random.Random(11)
    people = sorted(pool)
    panels: list[tuple[int, ...]] = []
    while len(panels) < size:
        seats = [0] * len(instance.profiles)
        for person in rng.sample(people, panel_size):
            seats[type_of[person]] += 1
        if panel_meets_quotas(instance, counts=seats):
            panels.extend([tuple(seats)] * (size // distinct))
    return lottery_fields(instance, panels)


def _prepared(
    asm: Assembly, pool: dict[str, dict[str, str]], *, panel_size: int, quotas: list[Quota], distinct: int
) -> dict[str, Any]:
    return {
        "purpose": "asamblea ciudadana",
        "pool": pool,
        "quotas": [
            {"category": q.category, "feature": q.feature, "min": q.min, "max": q.max} for q in quotas
        ],
        "panel_size": panel_size,
        **_lottery(pool, quotas, panel_size=panel_size, distinct=distinct, size=1000),
        "commit_until": asm.clock + 10_000,
        "reveal_until": asm.clock + 20_000,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": asm.clock + 30_000,
    }


@pytest.mark.slow  # the longest core test: 2000 people, recorded, replayed and recomputed
def test_a_draw_over_2000_people_with_8_attributes_is_recorded_replayed_and_recomputed() -> None:
    # given: 2,000 volunteers, 8 attributes, a 1,000-panel list with 200 different 200-seat panels
    asm, pool = _assembly_with_pool(2000)
    quotas = _quotas(PANEL_SIZE, slack=0.5)
    content = _prepared(asm, pool, panel_size=PANEL_SIZE, quotas=quotas, distinct=200)
    size = len(canonical_bytes(content))
    # when
    draw = asm.act("ana", "draw.prepared", content).seq
    for name in DRAWERS[1:]:
        commitment = _commitment(asm, draw, name)
        asm.act(name, "draw.committed", {"draw": draw, "commitment": commitment})
    asm.wait(10_000)
    for name in DRAWERS[1:]:
        asm.act(name, "draw.revealed", {"draw": draw, "secret": _secret(name)})
    asm.wait(20_000)
    result = recompute_draw(draw_evidence(asm.state.draws[draw], beacon=BEACON))
    completion = {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}
    asm.act("dora", "draw.completed", completion)
    # then: over the general body limit, within the draw's, and the panel is the recomputed one
    assert MAX_BODY_BYTES < size < MAX_DRAW_BODY_BYTES
    recorded = asm.state.draws[draw]
    assert list(recorded.panel) == list(result.panel) and len(result.panel) == PANEL_SIZE
    instance = build_instance(pool, quotas=quotas, panel_size=PANEL_SIZE)
    assert len(instance.profiles) > 1000  # about one type per person: the sparse runs' worst case
    assert all(
        q.min <= sum(1 for m in recorded.panel if pool[m][q.category] == q.feature) <= q.max for q in quotas
    )
    assert len(recorded.lottery) == 1000


def _commitment(asm: Assembly, draw: int, name: str) -> str:
    recorded = asm.state.draws[draw].lottery_hash
    return commitment_for(bytes.fromhex(_secret(name)), lottery=recorded, member=keypair(name).public)


def test_the_dense_runs_of_earlier_records_still_replay_to_the_same_draw() -> None:
    # given: the same panel list written sparse (as now) and dense (seats of every type, as before)
    asm, pool = _assembly_with_pool(60)
    sparse = _small(asm, pool)
    types = len(build_instance(pool, quotas=_quotas(3, slack=1), panel_size=3).profiles)
    dense = [[count, [dict(pairs).get(t, 0) for t in range(types)]] for count, pairs in sparse["lottery"]]
    # when
    first = asm.act("ana", "draw.prepared", sparse).seq
    second = asm.act("bea", "draw.prepared", {**sparse, "lottery": dense}).seq
    # then
    assert asm.state.draws[first].lottery == asm.state.draws[second].lottery
    assert asm.state.draws[first].lottery_hash == asm.state.draws[second].lottery_hash


def _small(asm: Assembly, pool: dict[str, dict[str, str]]) -> dict[str, Any]:
    return _prepared(asm, pool, panel_size=3, quotas=_quotas(3, slack=1), distinct=5)


@pytest.mark.parametrize(
    "lottery",
    [
        [[1, [[2, 1], [1, 1], [3, 1]]]],  # types out of order
        [[1, [[0, 1], [0, 2]]]],  # a type twice
        [[1, [[0, 3], [99_999, 0]]]],  # no seats, and a type the pool does not have
        [[1, [[0, 1], 1, 1]]],  # sparse and dense mixed
        [[1, [[0, True], [1, 2]]]],  # not a number
    ],
)
def test_malformed_sparse_runs_are_refused(lottery: list[Any]) -> None:
    # given
    asm, pool = _assembly_with_pool(60)
    content = {**_small(asm, pool), "lottery": lottery}
    # when / then
    assert asm.rejects("ana", "draw.prepared", content) == "malformed_body"


@pytest.mark.parametrize(
    ("type", "limit"), [("draw.prepared", MAX_DRAW_BODY_BYTES), ("notice.posted", MAX_BODY_BYTES)]
)
def test_a_body_over_its_types_limit_is_refused_by_make_body_and_by_verify(type: str, limit: int) -> None:
    # given: a body one byte over the limit of its act's type, sealed by a node that skipped the check
    asm = Assembly.found(DRAWERS, charter=cargo_charter())
    content = {"purpose": ""}
    content["purpose"] = "x" * (limit + 1 - len(canonical_bytes(content)))
    raw = canonical_bytes(content)
    body = Body(raw, "public")
    signed = sign_act(keypair("ana"), log=asm.log, type=type, body=body, nonce="big")
    entry = seal_entry(signed, seq=2, prev=asm.entries[-1].hash, time=asm.clock + 1000, node=asm.node)
    bodies = {**asm.bodies, body.hash: body}
    # when
    with pytest.raises(MalformedBody) as made:
        make_body(content, vis="public", type=type)
    report = verify_record(asm.log, [e.raw for e in [*asm.entries, entry]], bodies=lambda k: bodies.get(k[0]))
    # then
    assert len(raw) == limit + 1
    assert made.value.code == "malformed_body" and made.value.detail["reason"] == "too_large"
    assert report.problem is not None and report.size == 1
    assert (report.problem.seq, report.problem.code) == (2, "malformed_body")
    assert report.problem.detail["reason"] == "too_large"
