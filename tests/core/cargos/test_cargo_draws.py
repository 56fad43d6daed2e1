"""Draws by lot as record events: anyone recomputes the panel from the record; bad evidence fails replay."""

import hashlib
from typing import Any

import pytest

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.replay import try_act
from ayllu.core.assembly.state import copy_state
from ayllu.core.errors import DomainError
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence, get_draw_evidence
from ayllu.core.sortition.preparation import audit_draw, prepare_draw
from factories.assemblies import NAMES, Assembly, replay_all
from factories.charters import cargo_charter
from factories.keys import pub

MEMBERS = NAMES[:8]
QUOTAS = [Quota("zone", "north", 1, 2), Quota("zone", "south", 1, 2)]


BEACON = {"source": "drand-quicknet", "round": 7, "value": "ab" * 32}


def _secret(name: str) -> str:
    return hashlib.sha256(b"secret/" + name.encode()).hexdigest()


def _commitment(asm: Assembly, draw: int, name: str, secret: str | None = None) -> str:
    recorded = asm.state.draws[draw].lottery_hash
    return commitment_for(bytes.fromhex(secret or _secret(name)), lottery=recorded, member=pub(name))


def _prepared(asm: Assembly, **changes: Any) -> dict[str, Any]:
    pool = {pub(n): {"zone": "north" if i % 3 else "south"} for i, n in enumerate(MEMBERS)}
    body = {
        "purpose": "comision de agua",
        **prepare_draw(pool, quotas=QUOTAS, panel_size=3, size=100),
        "commit_until": asm.clock + 10_000,
        "reveal_until": asm.clock + 20_000,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": asm.clock + 30_000,
    }
    return {**body, **changes}


def _run_draw(asm: Assembly) -> int:
    draw = asm.act("ana", "draw.prepared", _prepared(asm)).seq
    for name in ("bea", "carla", "dora"):
        asm.act(name, "draw.committed", {"draw": draw, "commitment": _commitment(asm, draw, name)})
    asm.wait(10_000)
    for name in ("bea", "carla"):  # dora withholds her reveal
        asm.act(name, "draw.revealed", {"draw": draw, "secret": _secret(name)})
    asm.wait(20_000)
    return draw


def _completion(asm: Assembly, draw: int) -> dict[str, Any]:
    result = recompute_draw(draw_evidence(asm.state.draws[draw], beacon=BEACON))
    return {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}


def test_the_panel_is_recomputed_from_the_record_alone_and_meets_the_quotas() -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = _run_draw(asm)
    # when
    asm.act("dora", "draw.completed", _completion(asm, draw))
    replica = replay_all(asm.log, asm.entries, asm.bodies)
    # then
    evidence = get_draw_evidence(replica, draw)
    assert evidence == get_draw_evidence(asm.state, draw)
    zones = [replica.draws[draw].pool[m]["zone"] for m in evidence["panel"]]
    assert len(zones) == 3 and 1 <= zones.count("north") <= 2
    assert evidence["withheld"] == [pub("dora")]
    assert audit_draw(replica.draws[draw])["within_bound"]


@pytest.mark.parametrize("field", ["index", "panel"])
def test_a_completion_with_a_wrong_index_or_panel_is_refused(field: str) -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = _run_draw(asm)
    honest = _completion(asm, draw)
    wrong_panel = sorted(m for m in asm.state.draws[draw].pool if m not in honest["panel"])[:3]
    tampered = {**honest, field: (honest["index"] + 1) % 100 if field == "index" else wrong_panel}
    # when
    code = asm.rejects("dora", "draw.completed", tampered)
    # then
    assert code == "draw_bad_evidence"


def test_tampered_lottery_evidence_fails_replay() -> None:
    # given: a lottery whose hash does not match, and one whose panel breaks a quota
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    good = _prepared(asm)
    south_heavy = [[good["lottery"][0][0], [3, 0]], *good["lottery"][1:]]
    bad_hash = _prepared(asm, lottery_hash="0" * 64)
    bad_panel = _prepared(asm, lottery=south_heavy)
    # when
    entry, body = asm.seal("ana", "draw.prepared", bad_hash)
    with pytest.raises(DomainError) as raised:
        replay_all(asm.log, [*asm.entries, entry], {**asm.bodies, body.hash: body})
    # then
    assert raised.value.code == "draw_bad_evidence"
    assert asm.rejects("ana", "draw.prepared", bad_panel) == "draw_bad_evidence"


def test_a_reveal_must_match_its_commitment_and_come_in_its_window() -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = asm.act("ana", "draw.prepared", _prepared(asm)).seq
    commitment = _commitment(asm, draw, "bea")
    asm.act("bea", "draw.committed", {"draw": draw, "commitment": commitment})
    # when
    early = asm.rejects("bea", "draw.revealed", {"draw": draw, "secret": _secret("bea")})
    asm.wait(10_000)
    wrong = asm.rejects("bea", "draw.revealed", {"draw": draw, "secret": _secret("eva")})
    late_commit = asm.rejects("carla", "draw.committed", {"draw": draw, "commitment": commitment})
    # then
    assert (early, wrong, late_commit) == ("draw_wrong_phase", "draw_bad_evidence", "draw_wrong_phase")


def test_a_pool_member_must_be_a_member() -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    body = _prepared(asm)
    body["pool"] = {**body["pool"], pub("stranger"): {"zone": "north"}}
    # when / then
    assert asm.rejects("ana", "draw.prepared", body) == "draw_bad_evidence"


def test_deciding_draw_acts_leaves_the_state_as_it_was() -> None:
    # given a draw whose reveals are in, and a copy of the state
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = _run_draw(asm)
    before = copy_state(asm.state)
    late = asm.clock + 1000
    tries = [
        ("dora", "draw.completed", _completion(asm, draw), ""),
        ("dora", "draw.completed", {**_completion(asm, draw), "index": 10_000}, "draw_bad_evidence"),
        (
            "eva",
            "draw.committed",
            {"draw": draw, "commitment": _commitment(asm, draw, "eva")},
            "draw_wrong_phase",
        ),
        ("ana", "draw.prepared", _prepared(asm), ""),
        ("ana", "draw.prepared", _prepared(asm, commit_until=asm.clock), "draw_wrong_phase"),
    ]
    # when each act is decided without applying it
    found = []
    for who, type, content, _ in tries:
        act = ACT_KINDS[type].parse(content)
        try:
            try_act(asm.state, key=pub(who), act=act, time=late)
            found.append("")
        except DomainError as error:
            found.append(error.code)
    # then each is accepted or refused as replay would, and nothing in the state changed
    assert found == [code for *_, code in tries]
    assert asm.state == before
