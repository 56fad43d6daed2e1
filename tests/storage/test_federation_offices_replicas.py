"""A federation's offices and petitions held on this node and followed: the same state on replay, on
verify and on a follower; a follower holding the home record refuses an office holder named on a forked
credential, with evidence."""

from dataclasses import asdict
from typing import Any

import pytest

from ayllu.actions.record import do_append, do_verify_record, forget_replayed_state
from ayllu.actions.replication import do_extend_replica
from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.offices import current_term
from ayllu.core.ledger.extend import Refused
from ayllu.core.ledger.record import parse_entry
from ayllu.queries.replayed import read_state
from ayllu.storage import models, reads
from factories.assemblies import T0, Assembly, replay_all
from factories.federations import (
    accredit_office,
    back_petition,
    give_office_cargo,
    home_of,
    office_content,
    pass_days,
    petition_content,
    three_homes,
)
from factories.federations_stored import VISIBLE, OfficeScene, hold, office_scene
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock


@pytest.fixture
def node_clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    forget_replayed_state()
    fake = Clock(now=T0)
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _book(state: AssemblyState) -> dict[str, Any]:
    return asdict(state.offices)


def _append(log: str, who: str, type: str, content: dict[str, Any]) -> int:
    act, body = signed(keypair(who), log=log, type=type, content=content)
    return do_append(log, signed_act=act, body=body).seq


def test_offices_and_a_petition_appended_here_replay_and_verify_identically(node_clock: Clock) -> None:
    # given the holder named and a petition completed on this node
    scene: OfficeScene = office_scene(node_clock)
    _append(scene.log, "lola", "federation.office_taken", office_content(scene.turn, scene.credential))
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        _append(scene.log, "lola", "federation.petition_cited", petition_content(home, backing))
    live = read_state(scene.log, _book)
    # when a replica replays the stored entries from nothing
    record = reads.get_record(scene.log)
    entries = [parse_entry(raw) for raw in reads.entry_bytes(record)]
    bodies = reads.replay_bodies(record, entries)
    state = initial_state(scene.log)
    for entry in entries:
        state = apply_entry(state, entry, bodies[entry.seq])
    # then it reaches the same offices, holders and petitions, and the record verifies
    assert _book(state) == live
    assert live["plenaries"] and any(t["holders"] for terms in live["terms"].values() for t in terms)
    report = do_verify_record(scene.log, workers=1)
    assert report.ok and report.replayed == len(entries)


def _sealed_elsewhere() -> tuple[list[Assembly], Assembly, Assembly]:
    """A federation sealed by another node, whose convenor was named and whose plenary was convened."""
    homes, fed = three_homes(petition_assemblies=2)
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    turn = home_of(homes, term.assembly)
    holder = give_office_cargo(turn, fed.log, "convenor")
    fed.act(
        "lola",
        "federation.office_taken",
        office_content(turn, accredit_office(turn, holder, fed.log, "convenor")),
    )
    starts = fed.clock + 10 * 86_400_000
    for home in homes[:2]:
        fed.act(
            "lola",
            "federation.petition_cited",
            petition_content(home, back_petition(home, fed.log, "convene", starts=starts)),
        )
    return homes, fed, turn


def test_a_follower_holding_the_home_records_reaches_the_same_offices_and_petitions(
    node_clock: Clock,
) -> None:
    # given a federation sealed elsewhere; this node holds every home record
    homes, fed, _ = _sealed_elsewhere()
    for home in homes:
        hold(home)
    node_clock.now = max(node_clock.now, fed.clock + 1000)
    # when this node follows the federation
    bodies = {b.key: b for b in fed.bodies.values()}
    tip = do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    # then it replayed every entry to the sealer's offices and petitions
    assert (tip.size, tip.replayed) == (len(fed.entries), len(fed.entries))
    assert read_state(fed.log, _book) == _book(fed.state)


def test_a_follower_refuses_an_office_holder_named_on_a_forked_credential(node_clock: Clock) -> None:
    # given the assembly whose turn it is issued a credential on one branch of its record, and this node
    # holds the other branch
    homes, fed = three_homes(petition_assemblies=2)
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    turn = home_of(homes, term.assembly)
    holder = give_office_cargo(turn, fed.log, "convenor")
    kept = accredit_office(turn, holder, fed.log, "convenor", days=30)
    hold(turn)
    branch = Assembly(turn.log, turn.node, turn.state, turn.clock, turn.entries[:-1], dict(turn.bodies))
    branch.state = replay_all(turn.log, branch.entries, branch.bodies)
    forked = accredit_office(branch, holder, fed.log, "convenor", days=40)
    assert forked.seq == kept.seq and forked.hash != kept.hash
    fed.act("lola", "federation.office_taken", office_content(branch, forked))
    node_clock.now = max(node_clock.now, fed.clock + 1000)
    # when / then
    bodies = {b.key: b for b in fed.bodies.values()}
    with pytest.raises(Refused) as refused:
        do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    assert refused.value.detail["problem"] == "citation_fork"
    assert not models.Record.objects.filter(log=fed.log).exists()
    assert models.Evidence.objects.filter(log=turn.log, kind="fork").count() == 1
