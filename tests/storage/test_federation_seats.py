"""Seats in a federation held on this node: the write path checks the cited credential against this
node's copy of the home record (a fork is refused with evidence), and a second replica, replaying the
federation's entries from nothing, reaches the same members and seats."""

from dataclasses import asdict

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.actions.replication import do_extend_replica
from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.errors import CitationFork
from ayllu.core.federations.errors import NotYourCredential
from ayllu.core.ledger.extend import Refused
from ayllu.core.ledger.record import make_body, parse_entry, seal_entry, sign_act
from ayllu.queries.replayed import read_state
from ayllu.storage import models, reads
from factories.assemblies import T0, Assembly, replay_all
from factories.federations import accredit, found_federation, found_home, give_federation_cargo, seat_content
from factories.federations_stored import VISIBLE, found_stored_federation, hold, stored_seat
from factories.keys import keypair
from factories.scenes import Clock


@pytest.fixture
def node_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """This node's time: from T0 on, when the homes sealed in memory begin."""
    fake = Clock(now=T0)
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


@pytest.fixture
def homes(db: None, node_clock: Clock) -> tuple[Assembly, Assembly]:
    forget_replayed_state()
    return found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])


def _credential(home: Assembly, federation: str, node_clock: Clock) -> tuple[str, object]:
    delegate = give_federation_cargo(home, federation)
    entry = accredit(home, delegate, federation)
    node_clock.now = max(node_clock.now, home.clock + 1000)
    return delegate, entry


def _members(log: str) -> dict[str, object]:
    return read_state(log, lambda s: {k: asdict(v) for k, v in s.member_assemblies.items()})


def test_a_seat_is_appended_and_a_second_replica_replays_it_identically(
    homes: tuple[Assembly, Assembly], node_clock: Clock
) -> None:
    # given alto's record held here, and the federation founded here
    alto, bajo = homes
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegate, credential = _credential(alto, fed, node_clock)
    hold(alto)
    # when
    seq = stored_seat(fed, delegate, seat_content(alto, credential))
    # then the seat is in the record, and a replica replaying the entries from nothing agrees
    assert seq == 2
    live = _members(fed)
    assert live[alto.log]["seats"][0]["key"] == keypair(delegate).public  # type: ignore[index]
    record = reads.get_record(fed)
    entries = [
        parse_entry(bytes(raw))
        for raw in models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True)
    ]
    bodies = reads.replay_bodies(record, entries)
    state = initial_state(fed)
    for entry in entries:
        state = apply_entry(state, entry, bodies[entry.seq])
    assert {k: asdict(v) for k, v in state.member_assemblies.items()} == live
    report = do_verify_record(fed, workers=1)
    assert report.ok and report.replayed == 2


def test_a_seat_citing_a_forked_credential_is_refused_with_evidence(
    homes: tuple[Assembly, Assembly], node_clock: Clock
) -> None:
    # given this node holds alto's record; alto's node sealed another entry at the credential's place
    alto, bajo = homes
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegate, credential = _credential(alto, fed, node_clock)
    hold(alto)
    body = make_body({"federation": fed, "until": node_clock.now + 10**10}, vis="public")
    forged = sign_act(keypair(delegate), log=alto.log, type="delegate.accredited", body=body, nonce="fork")
    other = seal_entry(forged, seq=credential.seq, prev=credential.prev, time=credential.time, node=alto.node)  # type: ignore[attr-defined]
    alto.entries[-1] = other
    alto.bodies[body.hash] = body
    # when / then
    with pytest.raises(CitationFork):
        stored_seat(fed, delegate, seat_content(alto, other))
    assert models.Entry.objects.filter(record__log=fed).count() == 1
    assert models.Evidence.objects.filter(log=alto.log, kind="fork").count() == 1


def test_a_seat_signed_by_someone_else_is_refused_on_append(
    homes: tuple[Assembly, Assembly], node_clock: Clock
) -> None:
    # given
    alto, bajo = homes
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegate, credential = _credential(alto, fed, node_clock)
    thief = next(n for n in ("ana", "bea", "carla") if n != delegate)
    # when / then
    with pytest.raises(NotYourCredential):
        stored_seat(fed, thief, seat_content(alto, credential))
    assert models.Entry.objects.filter(record__log=fed).count() == 1


def test_a_follower_holding_the_home_record_takes_the_federation_in_and_replays_the_same_seats(
    homes: tuple[Assembly, Assembly], node_clock: Clock
) -> None:
    # given a federation sealed by another node, with alto's delegate seated; this node holds alto
    alto, bajo = homes
    fed = found_federation({"ana": alto, "dora": bajo})
    delegate = give_federation_cargo(alto, fed.log)
    fed.act(delegate, "federation.seated", seat_content(alto, accredit(alto, delegate, fed.log)))
    hold(alto)
    # when this node follows the federation
    bodies = {b.key: b for b in fed.bodies.values()}
    tip = do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    # then it replayed both entries to the sealer's state
    assert (tip.size, tip.replayed) == (2, 2)
    theirs = {k: asdict(v) for k, v in fed.state.member_assemblies.items()}
    assert _members(fed.log) == theirs


def test_a_follower_refuses_a_federation_whose_seat_cites_a_forked_credential(
    homes: tuple[Assembly, Assembly], node_clock: Clock
) -> None:
    # given this node holds alto; the federation's node seated a delegate on a credential from a branch
    # of alto's record that alto's node also sealed
    alto, bajo = homes
    fed = found_federation({"ana": alto, "dora": bajo})
    delegate = give_federation_cargo(alto, fed.log)
    hold_copy = accredit(alto, delegate, fed.log, days=30)
    hold(alto)
    branch = Assembly(alto.log, alto.node, alto.state, alto.clock, alto.entries[:-1], dict(alto.bodies))
    branch.state = replay_all(alto.log, branch.entries, branch.bodies)
    forked = accredit(branch, delegate, fed.log, days=40)
    assert forked.seq == hold_copy.seq and forked.hash != hold_copy.hash
    fed.act(delegate, "federation.seated", seat_content(branch, forked))
    # when / then
    bodies = {b.key: b for b in fed.bodies.values()}
    with pytest.raises(Refused) as refused:
        do_extend_replica(fed.log, raws=[e.raw for e in fed.entries], bodies=bodies, visible=VISIBLE)
    assert (refused.value.detail["seq"], refused.value.detail["problem"]) == (2, "citation_fork")
    assert not models.Record.objects.filter(log=fed.log).exists()
    assert models.Evidence.objects.filter(log=alto.log, kind="fork").count() == 1
