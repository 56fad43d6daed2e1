"""Draws by lot as record events: anyone recomputes the panel from the record; bad evidence fails replay."""

import hashlib
from fractions import Fraction
from typing import Any

import pytest

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.replay import try_act
from ayllu.core.assembly.state import copy_state
from ayllu.core.errors import DomainError
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence, get_draw_evidence, instance_of
from ayllu.core.sortition.preparation import audit_draw, lottery_fields, lottery_probabilities, prepare_draw
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
    zones = [replica.draws[draw].pool[m]["zone"] for m in evidence.panel]
    assert len(zones) == 3 and 1 <= zones.count("north") <= 2
    assert evidence.withheld == (pub("dora"),)
    audit = audit_draw(replica.draws[draw])
    assert audit["within"]
    assert audit["max_gap"] <= Fraction(evidence.largest_shift_ppm or 0, 10**6) + Fraction(3, 10**6)


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


# Every member a type of their own (a quota on "seat" per member), so a list can favour some members of a
# zone over others: north (5 members) should each get 1/5, south (3 members) 1/3.
SINGLETON_QUOTAS = [*QUOTAS, *(Quota("seat", str(i), 0, 1) for i in range(len(MEMBERS)))]


def _singleton_pool() -> dict[str, dict[str, str]]:
    return {pub(n): {"zone": "north" if i % 3 else "south", "seat": str(i)} for i, n in enumerate(MEMBERS)}


def _skewed(asm: Assembly, *, figures: bool) -> dict[str, Any]:
    """A draw.prepared whose list never seats three of the five northerners (they should get 1/5 each)."""
    honest = prepare_draw(_singleton_pool(), quotas=SINGLETON_QUOTAS, panel_size=2, size=100)
    body = _prepared(asm, **honest)
    draw = asm.act("ana", "draw.prepared", body).seq
    instance = instance_of(asm.state.draws[draw])
    north = [t for t, profile in enumerate(instance.profiles) if "north" in profile][:2]
    south = [t for t, profile in enumerate(instance.profiles) if "south" in profile]
    seats = []
    for i in range(100):
        panel = [0] * len(instance.profiles)
        panel[north[i % 2]] = 1
        panel[south[i % 3]] = 1
        seats.append(tuple(panel))
    skewed = {**body, **lottery_fields(instance, seats)}
    if not figures:
        del skewed["largest_shift_ppm"], skewed["lowest_chance_ppm"], skewed["leximin_lowest_ppm"]
    else:
        skewed["lowest_chance_ppm"] = 0
    return skewed


@pytest.mark.parametrize("figures", [True, False])
def test_the_audit_catches_a_list_that_skips_members(figures: bool) -> None:
    # given a list where three northerners, who should each get 1/5, never sit, recorded with the honest
    # list's largest shift (or, as records written before, with no figures at all)
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = asm.act("ana", "draw.prepared", _skewed(asm, figures=figures)).seq
    record = asm.state.draws[draw]
    assert sorted(lottery_probabilities(record).values())[:3] == [0, 0, 0]
    # when
    audit = audit_draw(record)
    # then the audit sees the two favoured northerners at 1/2 instead of 1/5
    assert not audit["within"]
    assert audit["max_gap"] == pytest.approx(Fraction(3, 10), abs=1e-6)
    assert lottery_probabilities(record)[audit["person"]] == Fraction(1, 2)


def test_a_recorded_shift_past_the_guarantee_does_not_cover_a_skewed_list() -> None:
    # given the skewed list, recorded as if the rounding had moved people by half a chance
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    body = {**_skewed(asm, figures=True), "largest_shift_ppm": 500_000}
    record = asm.state.draws[asm.act("ana", "draw.prepared", body).seq]
    # when
    audit = audit_draw(record)
    # then the audit holds it to the rounding's guarantee, (k + 2) / M = 4/100, not to the claim
    assert audit["guaranteed"] == Fraction(4, 100)
    assert audit["allowed"] < Fraction(5, 100)
    assert not audit["within"]


def test_the_honest_list_records_its_shift_and_lowest_chance_and_passes_the_audit() -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    body = _prepared(asm, **prepare_draw(_singleton_pool(), quotas=SINGLETON_QUOTAS, panel_size=2, size=100))
    # when
    draw = asm.act("ana", "draw.prepared", body).seq
    # then the lowest chance is 1/5 and nobody moved: 100 entries hold 1/5 and 1/3 within a hundredth
    evidence = get_draw_evidence(asm.state, draw)
    assert evidence.lowest_chance_ppm == 200_000 and evidence.leximin_lowest_ppm == 200_000
    assert (evidence.largest_shift_ppm or 0) <= 10_000
    audit = audit_draw(asm.state.draws[draw])
    assert audit["within"] and audit["lowest_agrees"]


def test_the_audit_catches_a_lowest_chance_before_rounding_the_solver_does_not_give() -> None:
    # given an honest list whose record claims the lowest LEXIMIN chance was 1/4 (it is 1/5)
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    honest = prepare_draw(_singleton_pool(), quotas=SINGLETON_QUOTAS, panel_size=2, size=100)
    body = _prepared(asm, **{**honest, "leximin_lowest_ppm": 250_000})
    record = asm.state.draws[asm.act("ana", "draw.prepared", body).seq]
    # when
    audit = audit_draw(record)
    # then nobody's chance moved past the shift, but the claimed figure is caught
    assert audit["max_gap"] <= audit["allowed"]
    assert audit["leximin_lowest"] == pytest.approx(Fraction(1, 5), abs=1e-6)
    assert not audit["lowest_agrees"] and not audit["within"]


def test_a_wrong_lowest_chance_fails_replay() -> None:
    # given a body claiming a lowest chance the list does not give
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    body = _prepared(asm)
    body["lowest_chance_ppm"] += 1
    # when / then
    assert asm.rejects("ana", "draw.prepared", body) == "draw_bad_evidence"


@pytest.mark.parametrize(
    ("charter_panels", "listed", "accepted"), [(None, 100, True), (100, 100, True), (200, 100, False)]
)
def test_a_charter_that_states_its_number_of_panels_binds_every_draw(
    charter_panels: int | None, listed: int, accepted: bool
) -> None:
    # given an assembly whose charter states how many panels a lottery lists (or says nothing)
    sortition = {} if charter_panels is None else {"sortition": {"panels": charter_panels}}
    asm = Assembly.found(MEMBERS, charter=cargo_charter(**sortition))
    body = _prepared(asm)
    assert sum(count for count, _ in body["lottery"]) == listed
    # when a draw listing `listed` panels is prepared
    if accepted:
        asm.act("ana", "draw.prepared", body)
        return
    with pytest.raises(DomainError) as raised:
        asm.act("ana", "draw.prepared", body)
    # then a list of another length is refused, saying both numbers
    assert raised.value.code == "draw_bad_evidence"
    assert raised.value.detail["reason"] == "panel_count"
    assert (raised.value.detail["expected"], raised.value.detail["found"]) == (200, 100)


@pytest.mark.parametrize(
    "value",
    ["", "abc", "AB" * 32, "zz" * 32, "ab" * 513, 12],
    ids=["empty", "odd", "upper", "not-hex", "long", "int"],
)
def test_a_completion_with_a_malformed_beacon_value_is_refused_by_the_rule(value: Any) -> None:
    # given a draw whose beacon's time has come, and its honest completion with the beacon's value changed
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = _run_draw(asm)
    completion = {**_completion(asm, draw), "beacon": {**BEACON, "value": value}}
    act = ACT_KINDS["draw.completed"].parse(completion)
    # when
    with pytest.raises(DomainError) as refused:
        try_act(asm.state, key=pub("dora"), act=act, time=asm.clock + 1000)
    # then
    assert (refused.value.code, refused.value.detail["reason"]) == ("draw_bad_evidence", "beacon_value")


def test_a_beacon_value_of_whole_bytes_in_lowercase_hex_completes_the_draw() -> None:
    # given
    asm = Assembly.found(MEMBERS, charter=cargo_charter())
    draw = _run_draw(asm)
    # when the value is 64 bytes (as NIST's beacon publishes) rather than drand's 32
    beacon = {**BEACON, "value": "0f" * 64}
    result = recompute_draw(draw_evidence(asm.state.draws[draw], beacon=beacon))
    asm.act(
        "dora",
        "draw.completed",
        {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": beacon},
    )
    # then
    assert asm.state.draws[draw].completed_seq
