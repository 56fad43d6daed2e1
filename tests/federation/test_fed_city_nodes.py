"""A three-node federation without a centre, on real nodes (issue 14): each node serves one member
council's record and the federation's; one member node goes down, one is captured (it forges and
withholds: caught as the member record is followed, by the checkpoints the federation's citations
carry), and the others still follow, verify and check the federation's citations; the federation
moves to another member's node and its followers continue from there, refusing the old node if it
keeps sealing. Each test changes its nodes (stops
one, appends), so each starts its own."""

import sys
from pathlib import Path

import pytest
from fed_nodes import Node, Nodes

from ayllu.core.ledger import evidence as ev

pytestmark = pytest.mark.slow  # every test starts real nodes on loopback

CITY = str(Path(__file__).parents[1] / "factories" / "city_seed.py")


def _hold(node: Node, *names: str) -> list[str]:
    """Keep copies of the named city records on `node` (city_seed.py); return their log ids."""
    return node.run(sys.executable, CITY, *names).stdout.split()


def test_with_a_member_node_down_the_others_follow_verify_and_say_what_they_cannot_check(
    nodes: Nodes,
) -> None:
    # given bajo's node and centro's node, each serving its council's record and the federation's (bajo's
    # copy has one act more: a delegate's notice)
    b, c = nodes.make("bajo"), nodes.make("centro")
    _, fed = _hold(b, "bajo", "fed+")
    _hold(c, "centro", "fed")
    b.start()
    c.start()
    # and alto's node, holding alto only (whose delegate's credential names the federation)
    a = nodes.make("alto")
    _hold(a, "alto")
    # when centro's node is down and alto's node makes its usual round
    c.stop()
    done = a.follow(b.url, "--peer", c.url)
    # then it follows the federation, with its latest act, and bajo's record from bajo's node
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok: record {fed}: 5 entries (5 new), verified; rules checked for 5 of 5" in done.stdout
    assert "ok:" in a.ayllu("verify").stdout
    # and says which citation it could check by proof only (centro's record, on the node that is down)
    cites = a.ayllu("check-citations", fed)
    proof_only = (
        "3 hold (2 through the cited assembly's rules, 0 against this node's copy, 1 checked by proof only)"
    )
    assert proof_only in cites.stdout
    assert "0 refused" in cites.stdout


def test_a_captured_node_serving_a_forged_member_record_is_refused_with_evidence(nodes: Nodes) -> None:
    # given bajo's node, serving bajo and the federation, and alto's node captured: it re-sealed alto
    # with another credential at the seq the federation's seat cites, and serves that
    b, c = nodes.make("bajo"), nodes.make("alto")
    _, fed = _hold(b, "bajo", "fed")
    (alto,) = _hold(c, "alto-forged")
    b.start()
    c.start()
    # and centro's node, honest, holding centro only
    a = nodes.make("centro")
    _hold(a, "centro")
    # when it follows the federation from bajo's node, and the records it cites from its peers
    done = a.follow(b.url, "--peer", c.url)
    # then the federation is stored, and the forged alto, served after it, is refused at once: its
    # node signed another tree of the size the seat's citation carries a checkpoint of
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"ok: record {fed}: 4 entries (4 new)" in done.stdout
    assert f"FAILED: record {alto}: equivocation" in done.stdout
    # with evidence of it, signed by the captured node itself, and nothing of the forged alto kept
    assert [kind for kind, _ in a.evidence()] == ["equivocation"]
    assert all(ev.check_evidence(raw).log == alto for _, raw in a.evidence())
    cites = a.ayllu("check-citations", fed)
    assert "0 refused" in cites.stdout
    # and a node that took the captured node's alto first refuses the federation's seat as it follows it
    d = nodes.make("otro")
    assert d.follow(c.url).returncode == 0
    refused = d.follow(b.url)
    assert refused.returncode == 1
    assert f"FAILED: record {fed}: citation_fork" in refused.stdout
    assert [kind for kind, _ in d.evidence()] == ["fork"]


def test_a_captured_node_withholding_a_cited_entry_is_caught_with_withheld_evidence(nodes: Nodes) -> None:
    # given alto's node captured: it serves the federation, and alto without the credential the
    # federation's seat cites (with its own checkpoint of what it serves)
    c = nodes.make("alto")
    alto, fed = _hold(c, "alto-withheld", "fed")
    c.start()
    # and centro's node, honest, holding centro only
    a = nodes.make("centro")
    _hold(a, "centro")
    # when it follows the federation and the records it cites from the captured node
    done = a.follow(c.url)
    # then it holds the federation whole, and alto's node is caught withholding the cited entry: the
    # seat's citation carries its checkpoint of 8 entries, and it serves 7
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"ok: record {fed}: 4 entries (4 new)" in done.stdout
    assert f"FAILED: record {alto}: rollback" in done.stdout
    withheld = [ev.check_evidence(raw) for kind, raw in a.evidence() if kind == "withheld"]
    assert [(w.log, w.seq) for w in withheld] == [(alto, 8)]
    assert f"evidence: withheld by node {withheld[0].node} at 8" in done.stdout
    # and it still says how far the citations were checked, refusing none of the seats
    cites = a.ayllu("check-citations", fed)
    assert "0 refused" in cites.stdout


def test_succession_the_federation_moves_to_a_member_node_and_its_followers_continue(nodes: Nodes) -> None:
    # given the federation served by bajo's node, and followed by alto's node and centro's node
    b, c, a = nodes.make("bajo"), nodes.make("centro"), nodes.make("alto")
    _, fed = _hold(b, "bajo", "fed")
    _hold(c, "centro")
    _hold(a, "alto")
    b.start()
    c.start()
    assert a.follow(b.url, "--peer", c.url).returncode == 0
    # when the founding delegates move the federation to centro's node, which follows it and continues
    assert c.follow(b.url).returncode == 0
    c.run(sys.executable, CITY, "move", c.key())
    c.run(sys.executable, CITY, "notice", "Minga del sábado")
    # and bajo's node, which sealed it until then, is down
    b.stop()
    done = a.follow(c.url, "--peer", b.url)
    # then alto's node takes the move and the new node's act from centro's node, verified and replayed
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok: record {fed}: 6 entries (2 new), verified; rules checked for 6 of 6 entries" in done.stdout
    assert "ok:" in a.ayllu("verify").stdout


def test_succession_an_old_node_that_keeps_sealing_after_the_move_is_refused_with_evidence(
    nodes: Nodes,
) -> None:
    # given the federation sealed by bajo's node (it holds the federation's node key), and followed by
    # alto's node; its founding delegates moved it to centro's node, which continued it
    b, c, a = nodes.make("bajo"), nodes.make("centro"), nodes.make("alto")
    b.run(sys.executable, CITY, "sealer", "fed-node")
    _, fed = _hold(b, "bajo", "fed")
    _hold(c, "centro")
    _hold(a, "alto")
    b.start()
    c.start()
    assert a.follow(b.url, "--peer", c.url).returncode == 0
    assert c.follow(b.url).returncode == 0
    c.run(sys.executable, CITY, "move", c.key())
    c.run(sys.executable, CITY, "notice", "Minga del sábado")
    assert a.follow(c.url).returncode == 0
    # when bajo's node, captured, keeps sealing the federation where it was, and alto's node asks it
    for text in ("Seguimos aquí", "Asamblea el lunes", "No hubo traslado"):
        b.run(sys.executable, CITY, "notice", text)
    done = a.follow(b.url)
    # then alto's node refuses its branch, keeping the record as moved, with evidence against it
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"FAILED: record {fed}: broken_chain" in done.stdout
    assert [kind for kind, _ in a.evidence()] == ["sealed_after_move"]
    (raw,) = [raw for _, raw in a.evidence()]
    assert ev.check_evidence(raw).seq == 5
    assert "ok:" in a.ayllu("verify").stdout
    assert "6 entries" in a.follow(c.url).stdout
