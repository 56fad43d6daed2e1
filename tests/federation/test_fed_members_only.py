"""A charter that keeps the whole record to members' nodes (`record.replicas`: "members"): the node
serves it to no other node, and a node no member delegated refuses to mirror it rather than mirroring
it unchecked; a node a member delegated mirrors it."""

import pytest
from fed_nodes import Nodes

from ayllu.core.ledger.delegation import delegate_node
from factories.records import MEMBERS

pytestmark = pytest.mark.slow  # every test starts real nodes on loopback


def test_a_record_kept_to_members_is_mirrored_only_by_a_node_a_member_delegated(nodes: Nodes) -> None:
    # given an origin whose charter keeps its record to members' nodes, with a few notices
    a = nodes.make("a")
    log = a.seed("found", "members")
    a.seed("append", "3")
    a.start()
    b = nodes.make("b")
    c = nodes.make("c")
    c_key = c.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    delegation = c.data / "delegation.json"
    delegation.write_bytes(delegate_node(MEMBERS[0], log=log, node=c_key, until=2**52).raw)
    # when an anonymous node B and a delegated node C follow it
    anonymous = b.follow(a.url, "--log", log)
    delegated = c.follow(a.url, "--log", log, "--delegation", str(delegation))
    # then B is served nothing, stores nothing and says why; C mirrors and checks every rule
    assert anonymous.returncode != 0
    assert "record_kept_to_members" in anonymous.stdout, anonymous.stdout
    assert b.stored()[1] == []
    assert delegated.returncode == 0, delegated.stdout
    assert "rules checked for 4 of 4 entries" in delegated.stdout
