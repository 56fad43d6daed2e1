"""A member assembly's node follows its federation's record, and the records that federation cites, with
no hand step: every `ayllu follow` round asks the peers it knows for what its assemblies' federations
need (docs/federation-bodies.md, "No centre")."""

import pytest
from fakes import MaliciousNode

from ayllu.cli.main import main as ayllu
from ayllu.federation.client import Peer
from ayllu.federation.follow import follow_federations
from ayllu.queries.federations import list_records_to_follow
from ayllu.queries.replication import list_follows
from ayllu.storage import models
from factories.assemblies import Assembly
from factories.federations import accredit, found_federation, found_home, give_federation_cargo, seat_content
from factories.federations_stored import hold
from factories.records import MemoryRecord


def _served(asm: Assembly) -> MaliciousNode:
    """A peer serving `asm`'s record honestly (the fake node of the federation tests)."""
    record = MemoryRecord(
        log=asm.log,
        node=asm.node,
        time=asm.clock,
        entries=list(asm.entries),
        bodies={b.key: b for b in asm.bodies.values()},
    )
    return MaliciousNode(record)


@pytest.fixture
def city() -> tuple[Assembly, Assembly, Assembly]:
    """Alto and bajo federated; each seated a delegate citing its credential: (alto, bajo, federation)."""
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo})
    for home in (alto, bajo):
        delegate = give_federation_cargo(home, fed.log)
        credential = accredit(home, delegate, fed.log)
        fed.clock = max(fed.clock, home.clock)
        fed.act(delegate, "federation.seated", seat_content(home, credential))
    return alto, bajo, fed


def _held() -> set[str]:
    return set(models.Record.objects.values_list("log", flat=True))


def test_a_member_node_follows_its_federation_and_the_records_it_cites(
    db: None, city: tuple[Assembly, Assembly, Assembly]
) -> None:
    # given this node holds alto, whose record names the federation (its delegate's credential)
    alto, bajo, fed = city
    hold(alto)
    assert list_records_to_follow() == [fed.log]
    # and two peers: one serves the federation, another bajo's record (which the federation cites)
    fed_node, bajo_node = _served(fed), _served(bajo)
    try:
        # when
        results = follow_federations([Peer(bajo_node.url), Peer(fed_node.url)])
    finally:
        fed_node.close()
        bajo_node.close()
    # then both are followed, each from the peer that serves it, verified whole
    assert [r.ok for r in results] == [True, True]
    assert _held() == {alto.log, bajo.log, fed.log}
    assert {(f.log, f.url) for f in list_follows()} == {(fed.log, fed_node.url), (bajo.log, bajo_node.url)}
    assert list_records_to_follow() == []


def test_a_node_holding_no_member_assembly_follows_nothing_more(
    db: None, city: tuple[Assembly, Assembly, Assembly]
) -> None:
    # given this node holds an assembly that names no federation
    hold(found_home(["gina", "hilda", "ines"]))
    fed_node = _served(city[2])
    try:
        # when
        results = follow_federations([Peer(fed_node.url)])
    finally:
        fed_node.close()
    # then
    assert results == [] and list_follows() == []


def test_an_ayllu_follow_round_brings_the_federation_without_being_asked(
    db: None, city: tuple[Assembly, Assembly, Assembly], capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds alto and follows bajo's node; the federation's node is a peer it knows
    alto, bajo, fed = city
    hold(alto)
    fed_node, bajo_node = _served(fed), _served(bajo)
    try:
        # when the operator's usual round follows bajo's node only
        status = ayllu(["follow", bajo_node.url, "--peer", fed_node.url, "--workers", "1"])
    finally:
        fed_node.close()
        bajo_node.close()
    # then the federation came too, from the peer that serves it
    assert status == 0, capsys.readouterr()
    assert fed.log in _held()
    assert (fed.log, fed_node.url) in {(f.log, f.url) for f in list_follows()}
    assert f"ok: record {fed.log}" in capsys.readouterr().out
