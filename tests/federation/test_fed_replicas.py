"""Followers never store a rolled-back or forked branch unseen, and evidence stays small: real nodes on
loopback, anonymous and delegated followers, each test able to fail if the promise broke."""

import json
import shutil
import sqlite3
import urllib.request
from pathlib import Path

import pytest
from fakes import MaliciousNode
from fed_nodes import Node, Nodes

from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import parse_receipt, sign_checkpoint, sign_receipt
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import parse_entry
from ayllu.storage.keyfiles import create_key_file, read_key_file
from factories.keys import keypair, seed_for
from factories.records import MemoryRecord, federation_record

pytestmark = pytest.mark.slow  # every test starts real nodes (and often fake peers) on loopback

FOLLOWERS = ["anonymous", "delegated"]


def _delegation(node: Node, log: str) -> list[str]:
    """`--delegation FILE` by the record's first member (key 1) for `node`, whose key it creates."""
    node_key = node.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    member = node.data / "member.key"
    if not member.exists():
        create_key_file(member, seed=seed_for(1))
    out = node.data / "delegation.json"
    node.ayllu("delegate", str(member), "--log", log, "--node", node_key, "-o", str(out))
    return ["--delegation", str(out)]


def _as(kind: str, node: Node, log: str) -> list[str]:
    return _delegation(node, log) if kind == "delegated" else []


def _rows(node: Node, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{node.data / 'ayllu.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql).fetchall()


def _kinds(node: Node) -> list[str]:
    return [kind for kind, _ in node.evidence()]


def _notices(record: MemoryRecord, count: int, tag: str) -> None:
    for i in range(count):
        record.notice(f"{tag} {i}")


# --- 1. the largest checkpoint known binds what a follower stores ---------------------------------
@pytest.mark.parametrize("follower", FOLLOWERS)
def test_a_node_restored_from_an_old_backup_is_a_rollback_and_its_new_branch_is_never_stored(
    nodes: Nodes, follower: str
) -> None:
    # given A with 21 entries and a checkpoint of them, backed up; then 10 more that B follows and
    # witness W cosigns
    a = nodes.make("a")
    log = a.seed("found")
    a.seed("append", "20")
    a.start()
    _get(f"{a.url}/fed/{log}/checkpoint/")
    a.stop()
    backup = a.data.parent / "a-backup"
    shutil.copytree(a.data, backup)
    a.seed("append", "10", "later")
    a.start()
    b, w = nodes.make("b"), nodes.make("w")
    b_as = _as(follower, b, log)
    assert b.follow(a.url, *b_as).returncode == 0
    assert w.follow(a.url).returncode == 0
    assert "cosigned" in w.ayllu("witness").stdout
    w.start()
    # when A is restored from the old backup and serves its old checkpoint (signed before the rest)
    a.stop()
    shutil.rmtree(a.data)
    shutil.copytree(backup, a.data)
    a.start()
    assert _get(f"{a.url}/fed/{log}/checkpoint/")["size"] == 21
    again = b.follow(a.url, *b_as)
    # then B reports a rollback at once (not "ok, 0 new"), with evidence naming A
    assert again.returncode == 1, again.stdout
    assert "rollback" in again.stdout
    withheld = [ev.check_evidence(raw) for kind, raw in b.evidence() if kind == "withheld"]
    assert [(p.node, p.seq) for p in withheld] == [(a.key(), 22)]
    assert b.verified().size == 31
    # and when the restored A goes on with a new branch, longer than what W cosigned
    a.seed("append", "15", "otra")
    b_again = b.follow(a.url, *b_as)
    c = nodes.make("c")
    fresh = c.follow(a.url, "--peer", w.url, *_as(follower, c, log))
    # then neither B nor C, who knows W's cosigned checkpoint of 31, stores any of the new branch
    assert b_again.returncode == 1 and fresh.returncode == 1, fresh.stdout
    assert b.verified().size == 31
    original = [parse_entry(h).hash for h in b.stored()[1]]
    held = [parse_entry(h).hash for h in c.stored()[1]]
    assert held == original[: len(held)] and len(held) <= 21
    assert "inconsistent_with_known" in fresh.stdout
    # and C keeps compact evidence that A's checkpoint of 31 is not the root of what A sealed
    assert "checkpoint_mismatch" in _kinds(c)


@pytest.mark.parametrize("follower", FOLLOWERS)
def test_a_mirror_lagging_behind_a_known_checkpoint_is_blamed_for_nothing_and_not_followed_blindly(
    nodes: Nodes, follower: str
) -> None:
    # given an origin A with 31 entries that witness W cosigned, and a mirror M that holds 21 of them
    a = nodes.make("a")
    log = a.seed("found")
    a.seed("append", "20")
    a.start()
    m = nodes.make("m")
    assert m.follow(a.url).returncode == 0
    a.seed("append", "10", "later")
    w = nodes.make("w")
    assert w.follow(a.url).returncode == 0
    assert "cosigned" in w.ayllu("witness").stdout
    w.start()
    m.start()
    # when C, who holds A's 31 entries, and D, who holds none but knows W's cosignature, follow M
    c, d = nodes.make("c"), nodes.make("d")
    assert c.follow(a.url, *_as(follower, c, log)).returncode == 0
    from_c = c.follow(m.url, *_as(follower, c, log))
    from_d = d.follow(m.url, "--peer", w.url, *_as(follower, d, log))
    # then C finds M's checkpoint a prefix of its own, and D stores nothing it cannot check against 31
    assert from_c.returncode == 0, from_c.stdout
    assert from_d.returncode == 1 and "behind_known_checkpoint" in from_d.stdout
    assert c.verified().size == 31 and d.stored()[1] == []
    # and nobody blames A for a mirror's lag
    assert c.evidence() == d.evidence() == []


# --- 2. evidence from receipts fails the command; a skipped entry is withheld ----------------------
@pytest.mark.parametrize("follower", FOLLOWERS)
def test_a_broken_receipt_fails_the_sync_and_is_passed_on(nodes: Nodes, follower: str) -> None:
    # given a node that gave a receipt for entry 6, then serves another entry 6 (a rewritten history)
    evil = keypair(80)
    record = federation_record(evil)
    _notices(record, 5, "n")
    receipt = sign_receipt(evil, log=record.log, seq=6, entry=record.entries[5].hash, time=record.time).raw
    other = record.branch(5)
    _notices(other, 2, "otra")
    served = MaliciousNode(other)
    c = nodes.start("c")
    try:
        b = nodes.make("b")
        receipts = b.data.parent / "receipts.txt"
        receipts.write_bytes(receipt + b"\n")
        # when B follows it holding the receipt
        result = b.follow(
            served.url, "--receipts", str(receipts), "--peer", c.url, *_as(follower, b, record.log)
        )
        # then the sync fails, with receipt_fork evidence that C, told by B, kept too
        assert result.returncode == 1, result.stdout
        assert "receipt_not_honoured" in result.stdout
        assert "receipt_fork" in _kinds(b)
        assert "receipt_fork" in _kinds(c)
        # and a receipt beyond what the node serves fails too
        served.record = record.branch(5)
        d = nodes.make("d")
        short = d.follow(served.url, "--receipts", str(receipts))
        assert short.returncode == 1 and "withheld" in _kinds(d)
    finally:
        served.close()


@pytest.mark.parametrize("follower", FOLLOWERS)
def test_an_entry_skipped_inside_a_signed_checkpoint_is_withheld(nodes: Nodes, follower: str) -> None:
    # given a node that signs for 8 entries but never serves entry 5
    evil = keypair(81)
    record = federation_record(evil)
    _notices(record, 7, "n")
    served = MaliciousNode(record)
    served.skip = {5}
    c = nodes.start("c")
    try:
        b = nodes.make("b")
        result = b.follow(served.url, "--peer", c.url, *_as(follower, b, record.log))
        # then B fails the sync with withholding evidence (not just seq_gap), passed on to C
        assert result.returncode == 1
        assert "withheld" in result.stdout
        pieces = [ev.check_evidence(raw) for kind, raw in b.evidence() if kind == "withheld"]
        assert [(p.node, p.seq) for p in pieces] == [(evil.public, 5)]
        assert "withheld" in _kinds(c)
        assert b.verified().size == 0
    finally:
        served.close()


# --- 3. evidence is deduplicated, compact, paged and passed on ---------------------------------------
@pytest.mark.parametrize("follower", FOLLOWERS)
def test_a_sealer_lying_on_every_request_leaves_one_small_piece_of_evidence(
    nodes: Nodes, follower: str
) -> None:
    # given a follower B that holds 40 entries under an honest checkpoint of a node
    evil = keypair(82)
    record = federation_record(evil)
    _notices(record, 39, "n")
    served = MaliciousNode(record)
    c = nodes.start("c")
    try:
        b = nodes.make("b")
        b_as = _as(follower, b, record.log)
        assert b.follow(served.url, *b_as).returncode == 0
        # when the node appends 5 entries and signs a wrong root, afresh on every request, 4 rounds
        _notices(record, 5, "m")
        served.lie = True
        for _ in range(4):
            assert b.follow(served.url, "--peer", c.url, *b_as).returncode == 1
        # then B holds one piece, with the last 5 headers only, and one seen checkpoint of that size
        pieces = [raw for kind, raw in b.evidence() if kind == "checkpoint_mismatch"]
        assert len(pieces) == 1
        body = json.loads(pieces[0])
        assert len(body["entries"]) == 5 and "base" in body
        assert ev.check_evidence(pieces[0]).seq == 45
        assert _rows(b, "select count(*) from ayllu_seen_checkpoint where size = 45") == [(1,)]
        # and C, told by B, kept the same piece once
        assert [raw for kind, raw in c.evidence() if kind == "checkpoint_mismatch"] == pieces
        # and /fed/evidence/ serves it in pages (test_fed_endpoints checks the paging itself)
        c_page = _get(c.url + "/fed/evidence/?limit=1")
        assert [item["evidence"].encode() for item in c_page["evidence"]] == pieces  # type: ignore[union-attr]
    finally:
        served.close()


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return dict(json.loads(response.read()))


# --- 4. witnesses cosign a checkpoint once ----------------------------------------------------------
def test_witnesses_cosign_each_checkpoint_once(nodes: Nodes) -> None:
    # given an origin A and two witnesses following it
    a = nodes.make("a")
    a.seed("found")
    a.seed("append", "5")
    a.start()
    witnesses = [nodes.make("w1"), nodes.make("w2")]
    for w in witnesses:
        assert w.follow(a.url).returncode == 0
    # when each witnesses three rounds without a change, then one after A grew
    for _ in range(3):
        for w in witnesses:
            assert w.ayllu("witness").returncode == 0
    quiet = witnesses[0].ayllu("witness").stdout
    a.seed("append", "2", "mas")
    for w in witnesses:
        w.follow(a.url)
        assert "cosigned: " in w.ayllu("witness").stdout
    # then each witness holds one cosignature per size, and A one per witness and size
    assert "already cosigned" in quiet
    for w in witnesses:
        assert _rows(w, "select size, count(*) from ayllu_cosigned group by size") == [(6, 1), (8, 1)]
    assert _rows(a, "select size, count(*) from ayllu_cosigned group by size") == [(6, 2), (8, 2)]


# --- 5. import --receipts ---------------------------------------------------------------------------
def test_import_with_receipts_refuses_a_rolled_back_and_re_signed_export(nodes: Nodes) -> None:
    # given node A's record and a member's receipt for its last entry
    a = nodes.make("a")
    a.seed("found")
    receipt = a.seed("append", "8")
    # when A rolls back its last entry, seals another there, re-signs a checkpoint and exports that
    node = read_key_file(a.data / "node.key")
    _, headers, bodies = a.stored()
    record = federation_record(node)
    record.entries = [parse_entry(h) for h in headers[:-1]]
    record.bodies = dict(bodies)  # type: ignore[arg-type]
    record.time = record.entries[-1].time
    record.notice("otra cosa")
    forged = a.data.parent / "forged.jsonl"
    _write_export(record, forged)
    receipts = a.data.parent / "receipt.txt"
    receipts.write_text(receipt + "\n")
    # then B, holding the receipt, refuses it and stores nothing
    b = nodes.make("b")
    b.ayllu("init")
    refused = b.ayllu("import", str(forged), "--receipts", str(receipts), check=False)
    assert refused.returncode == 1 and "receipt_not_honoured" in refused.stdout
    assert "nothing was imported" in refused.stdout
    assert b.stored()[1] == []
    # while C, without it, cannot tell (which is why a member keeps receipts)
    c = nodes.make("c")
    c.ayllu("init")
    assert c.ayllu("import", str(forged)).returncode == 0
    assert parse_receipt(receipt.encode()).seq == len(c.stored()[1])


def _write_export(record: MemoryRecord, path: Path) -> None:
    from ayllu.cli.exportfile import write_export

    hashes = [e.hash for e in record.entries]
    checkpoint = sign_checkpoint(
        record.node, log=record.log, size=len(hashes), root=root_of(hashes), time=record.time + 1
    )
    with path.open("w", encoding="utf-8") as out:
        write_export(
            out,
            log=record.log,
            name="",
            visible=frozenset({"public"}),
            entries=((e.raw, e.act) for e in record.entries),
            bodies=record.bodies,  # type: ignore[arg-type]
            checkpoints=[checkpoint.raw],
        )


# --- 7. after a succession, the old node's later entries do not fork a follower off ----------------
@pytest.mark.parametrize("follower", FOLLOWERS)
def test_a_follower_holding_the_old_nodes_later_entries_takes_the_move(nodes: Nodes, follower: str) -> None:
    # given an origin A mirrored by B (the future node) and by C
    a = nodes.make("a")
    log = a.seed("found")
    a.seed("append", "20")
    a.start()
    b, c = nodes.start("b"), nodes.make("c")
    c_as = _as(follower, c, log)
    assert b.follow(a.url).returncode == 0
    # when the members move the record to B, and B continues it
    b.seed("move", b.key())
    b.seed("append", "3", "nuevo")
    # while the old node A, not told, seals 5 more entries that C follows
    a.seed("append", "5", "viejo")
    assert c.follow(a.url, *c_as).returncode == 0
    assert c.verified().size == 26
    old_key = a.key()
    # then C, following B, takes the move, keeps evidence against A, and holds B's record
    moved = c.follow(b.url, *c_as)
    assert moved.returncode == 0, moved.stdout
    assert [parse_entry(h).hash for h in c.stored()[1]] == [parse_entry(h).hash for h in b.stored()[1]]
    assert c.verified().ok
    pieces = [ev.check_evidence(raw) for kind, raw in c.evidence() if kind == "sealed_after_move"]
    assert [(p.node, p.seq) for p in pieces] == [(old_key, 22)]
    # and A's later entries, served again, are refused
    again = c.follow(a.url, *c_as)
    assert again.returncode == 1
    assert c.verified().size == 25


def test_a_follower_holding_more_than_a_thousand_of_the_old_nodes_later_entries_takes_the_move(
    nodes: Nodes,
) -> None:
    # given an origin A mirrored by B, whose members move the record to B
    a = nodes.make("a")
    a.seed("found")
    a.seed("append", "20")
    a.start()
    b, c = nodes.start("b"), nodes.make("c")
    assert b.follow(a.url).returncode == 0
    b.seed("move", b.key())
    b.seed("append", "3", "nuevo")
    # while the old node A, not told, seals 1,001 more entries that C follows (more than the window a
    # follower compares first)
    a.seed("append", "1001", "viejo")
    assert c.follow(a.url).returncode == 0
    assert c.verified().size == 1022
    # when C follows B
    moved = c.follow(b.url)
    # then it finds where the branches part, takes the move and holds B's record
    assert moved.returncode == 0, moved.stdout
    assert [parse_entry(h).hash for h in c.stored()[1]] == [parse_entry(h).hash for h in b.stored()[1]]
    assert c.verified().ok
    pieces = [ev.check_evidence(raw) for kind, raw in c.evidence() if kind == "sealed_after_move"]
    assert [(p.node, p.seq) for p in pieces] == [(a.key(), 22)]


# --- 6. succession step 3 from the command line: bad input is refused, nothing half-written -------
def test_move_record_refuses_a_move_without_a_majority_on_an_anonymous_mirror(nodes: Nodes) -> None:
    # given the demo assembly on A (act format 2), mirrored by B without members-only bodies: B can
    # replay every rule all the same (the rules read only public rule data)
    a = nodes.make("a")
    a.ayllu("demo-setup")
    log = a.ayllu("verify").stdout.split("record ")[1].split(":")[0]
    a.start()
    b = nodes.make("b")
    b_key = b.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    assert b.follow(a.url).returncode == 0
    head = b.ayllu("verify").stdout.split("head ")[1].split(",")[0]
    ana = str(a.data / "demo-members" / "ana.key")
    endorsement = b.data.parent / "ana.endorsement"
    b.ayllu("endorse-move", ana, "--log", log, "--node", b_key, "--after", head, "-o", str(endorsement))
    move = ("move-record", "--log", log, "--key", ana, "--endorsement", str(endorsement))
    # when B tries to append a move one member of 32 endorsed
    few = b.ayllu(*move, check=False)
    # then the rules refuse it, with a translated reason, and nothing is appended
    assert few.returncode == 2 and "move_not_endorsed" in few.stderr
    assert "1" in few.stderr and "32" in few.stderr
    # and a member's delegation fetches only the members-only words B lacked, nothing new
    delegation = b.data / "ana-delegation.json"
    b.ayllu("delegate", ana, "--log", log, "--node", b_key, "-o", str(delegation))
    delegated = b.follow(a.url, "--delegation", str(delegation))
    assert delegated.returncode == 0 and "(0 new)" in delegated.stdout
    # and a third node following B finds B's record unchanged, the same as A's
    c = nodes.make("c")
    b.start()
    assert c.follow(b.url).returncode == 0
    assert c.verified().head == b.verified().head == a.verified().head
