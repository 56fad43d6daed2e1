"""Ratification in a federation held on this node: an answer is appended citing the home record this
node holds, verify and a replica replaying from nothing reach the same tally, a follower reaches the
sealer's, and an answer the home record's own rules refuse is refused where that record is held."""

from dataclasses import asdict

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.actions.replication import do_extend_replica
from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.federations.ratification import tally_resolution
from ayllu.core.ledger.extend import Refused
from ayllu.core.ledger.record import Entry, parse_entry
from ayllu.queries.replayed import read_state
from ayllu.storage import models, reads
from factories.assemblies import T0, Assembly, replay_all
from factories.federations import (
    adopt_resolution,
    found_home,
    ratified_content,
    ratify_at_home,
    ratifying_federation,
)
from factories.federations_stored import VISIBLE, hold, resolved_federation, stored_act
from factories.scenes import Clock


@pytest.fixture
def node_clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    forget_replayed_state()
    fake = Clock(now=T0)
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _resolutions(log: str) -> dict[int, object]:
    return read_state(log, lambda s: {k: asdict(v) for k, v in s.resolutions.items()})


def test_answers_are_appended_and_verify_and_a_replica_from_nothing_count_them_identically(
    node_clock: Clock,
) -> None:
    # given a resolution adopted here; alto ratified and sur refused, each by its own decision
    scene = resolved_federation(node_clock, share="2/3")
    for home, yes in ((scene.alto, True), (scene.sur, False)):
        recorded = ratify_at_home(home, scene.log, scene.resolution, yes=yes)
        hold(home)
        stored_act(
            scene.log, "zoe", "federation.ratified", ratified_content(home, recorded, scene.resolution)
        )
    # then the live state counts them; a replica replaying the stored entries agrees, and verify passes
    live = _resolutions(scene.log)
    record = reads.get_record(scene.log)
    headers = models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True)
    entries = [parse_entry(bytes(raw)) for raw in headers]
    bodies = reads.replay_bodies(record, entries)
    state = initial_state(scene.log)
    for entry in entries:
        state = apply_entry(state, entry, bodies[entry.seq])
    assert {k: asdict(v) for k, v in state.resolutions.items()} == live
    tally = tally_resolution(state.resolutions[scene.resolution], now=node_clock.now)
    assert (tally.yes, tally.no, tally.outcome) == (1, 1, "pending")
    report = do_verify_record(scene.log, workers=1)
    assert report.ok and report.replayed == len(entries)


def test_a_follower_holding_the_home_records_reaches_the_sealers_outcome(node_clock: Clock) -> None:
    # given a federation sealed by another node: alto and bajo ratified a resolution needing half
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    sur = found_home(["gina", "hilda", "ines", "juana", "karen"])
    fed = ratifying_federation({"ana": alto, "dora": bajo, "gina": sur})
    resolution = adopt_resolution(fed, [alto, bajo, sur], share="1/2")
    for home in (alto, bajo):
        recorded = ratify_at_home(home, fed.log, resolution)
        fed.act("ana", "federation.ratified", ratified_content(home, recorded, resolution))
        hold(home)
    # when this node follows the federation (after its question closed, past the recall grace time)
    node_clock.now = max(node_clock.now, fed.clock + 1000)
    bodies = {b.key: b for b in fed.bodies.values()}
    tip = do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    # then it replayed every entry to the sealer's state, and the same outcome
    assert tip.size == len(fed.entries)
    assert _resolutions(fed.log) == {k: asdict(v) for k, v in fed.state.resolutions.items()}
    ours = read_state(fed.log, lambda s: tally_resolution(s.resolutions[resolution], now=fed.clock))
    assert ours == tally_resolution(fed.state.resolutions[resolution], now=fed.clock)
    assert ours.outcome == "ratified"


def _forked_yes(home: Assembly, federation: str, resolution: int) -> Entry:
    """Home rejected the resolution and recorded "no"; its node also seals, at the same place of a
    branch, a "yes" (which home's rules would refuse). Home keeps the honest entry; return the forked."""
    refused = ratify_at_home(home, federation, resolution, yes=False)
    body = dict(home.bodies[refused.act.body].content())
    branch = Assembly(
        home.log, home.node, home.state, home.clock - 1000, home.entries[:-1], dict(home.bodies)
    )
    branch.state = replay_all(home.log, branch.entries, branch.bodies)
    entry, sealed = branch.seal("carla", "ratification.recorded", {**body, "answer": "yes"})
    home.bodies[sealed.hash] = sealed
    assert entry.seq == refused.seq and entry.hash != refused.hash
    return entry


def test_a_forked_answer_is_refused_by_a_follower_holding_the_home_record(node_clock: Clock) -> None:
    # given a federation sealed by another node, which counted a "yes" from a branch of alto's record
    # (its replay checks the proof only: it cannot tell), while alto's record says "no" at that place
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = ratifying_federation({"ana": alto, "dora": bajo})
    resolution = adopt_resolution(fed, [alto, bajo])
    forked = _forked_yes(alto, fed.log, resolution)
    fed.act("ana", "federation.ratified", ratified_content(_with_last(alto, forked), forked, resolution))
    hold(alto)
    # when this node, holding alto's record, follows the federation
    bodies = {b.key: b for b in fed.bodies.values()}
    with pytest.raises(Refused) as refused:
        do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    # then it refuses it with evidence of alto's node's fork, and stores nothing of the federation
    assert refused.value.detail["problem"] == "citation_fork"
    assert not models.Record.objects.filter(log=fed.log).exists()
    assert models.Evidence.objects.filter(log=alto.log, kind="fork").count() == 1


def _with_last(home: Assembly, entry: Entry) -> Assembly:
    """`home` as its node's branch ending at `entry` (to cite it)."""
    return Assembly(home.log, home.node, home.state, home.clock, [*home.entries[:-1], entry], home.bodies)
