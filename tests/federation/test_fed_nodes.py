"""Promise 4 with real nodes on loopback: mirrors verify everything, survive partitions and kills,
resist malicious peers and proxies, detect forks, rollbacks and withholding, and follow a succession."""

import signal
import subprocess
import time

import pytest
from fakes import MaliciousNode, Proxy
from fed_nodes import AYLLU, Nodes

from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content, endorse_move
from ayllu.core.ledger.verify import verify_record
from factories.keys import keypair
from factories.records import MEMBERS, federation_record

pytestmark = pytest.mark.slow  # every test starts real nodes (and often proxies) on loopback


def _head(node) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    report = node.verified()
    return report.size, report.head


def test_three_nodes_converge_through_a_mirror_and_a_partition(nodes: Nodes) -> None:
    # given an origin with a record, a mirror B following it, and C following the mirror
    a = nodes.make("a")
    log = a.seed("found")
    a.seed("append", "120")
    a.start()
    b, c = nodes.start("b"), nodes.make("c")
    assert b.follow(a.url).returncode == 0
    assert c.follow(b.url).returncode == 0
    assert _head(c) == _head(b) == _head(a)
    # when the origin is cut off, C cannot reach it but keeps everything it verified
    a.stop()
    assert c.follow(a.url, "--log", log).returncode == 1
    assert c.verified().size == 121
    # and when the origin comes back with more entries (each acknowledged by a receipt)
    receipt = a.seed("append", "30", "after")
    a.start()
    assert b.follow(a.url).returncode == 0
    assert c.follow(b.url).returncode == 0
    # then the honest followers converge on the origin's head and honour its last receipt
    assert _head(c) == _head(b) == _head(a) == (151, _head(a)[1])
    assert c.verified(receipts=(receipt.encode(),)).ok


def test_a_follower_killed_mid_sync_resumes_and_stores_only_verified_entries(nodes: Nodes) -> None:
    # given an origin with 3000 entries and its last receipt
    a = nodes.make("a")
    a.seed("found")
    receipt = a.seed("append", "3000")
    a.start()
    b = nodes.make("b")
    b.ayllu("init")
    # when a follower is SIGKILLed after it has stored some batches
    child = subprocess.Popen(
        [AYLLU, "follow", a.url, "--batch", "100", "--workers", "1"],
        env=b.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    b.children.append(child)
    assert child.stderr is not None
    for line in child.stderr:
        if "entries verified and stored" in line and int(line.split(": ")[1].split("/")[0]) >= 300:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    # then what it stored so far is a verified prefix
    partial = b.verified()
    assert partial.ok and 300 <= partial.size < 3001
    # and a new run resumes, without losing any acknowledged entry
    done = b.follow(a.url, "--batch", "700")
    assert done.returncode == 0, done.stdout
    assert f"({3001 - partial.size} new)" in done.stdout
    assert b.verified(receipts=(receipt.encode(),)).ok
    assert _head(b) == _head(a)


@pytest.mark.parametrize(
    "mode",
    [
        "reorder",
        "forge",
        "refuse",
        "duplicate",
        "truncate",
        "replay",
    ],
)
def test_damaged_responses_never_get_a_follower_to_store_anything_unverified(nodes: Nodes, mode: str) -> None:
    # given an honest origin behind a proxy that damages entry responses
    a = nodes.make("a")
    a.seed("found")
    a.seed("append", "200")
    a.start()
    proxy = Proxy(a.url)
    try:
        b = nodes.make("b")
        proxy.mode = mode
        # when B follows through the damaging proxy, several times
        for _ in range(3):
            b.follow(proxy.url, "--batch", "40")
            # then everything B stored verifies, at every step
            assert b.verified().ok
        # and once the network heals, B converges on the origin's head
        proxy.mode = "none"
        assert b.follow(proxy.url, "--batch", "40").returncode == 0
        assert _head(b) == _head(a)
        assert b.evidence() == [] or mode in ("replay",)
    finally:
        proxy.close()


def test_a_fork_is_detected_kept_as_evidence_and_passed_on(nodes: Nodes) -> None:
    # given a malicious node that serves one history to B ...
    evil = keypair(60)
    record = federation_record(evil)
    for i in range(5):
        record.notice(f"n{i}")
    served = MaliciousNode(record)
    c = nodes.start("c")
    try:
        b = nodes.make("b")
        assert b.follow(served.url).returncode == 0
        # ... then another one with the same seq 4 onwards
        fork = record.branch(3)
        for i in range(4):
            fork.notice(f"otra {i}")
        served.record = fork
        result = b.follow(served.url, "--peer", c.url)
        # then B refuses it, keeps its verified record, and holds fork evidence naming the node
        assert result.returncode == 1
        assert b.verified().size == 6
        kinds = [kind for kind, _ in b.evidence()]
        assert "fork" in kinds
        raw = dict(b.evidence())["fork"]
        assert ev.check_evidence(raw).node == evil.public
        # and C, told by B, re-verified and kept the same evidence
        assert raw in [r for _, r in c.evidence()]
    finally:
        served.close()


def test_rollback_and_withholding_are_detected(nodes: Nodes) -> None:
    # given a follower that synced 6 entries from a node
    evil = keypair(61)
    record = federation_record(evil)
    for i in range(5):
        record.notice(f"n{i}")
    served = MaliciousNode(record)
    try:
        b = nodes.make("b")
        assert b.follow(served.url).returncode == 0
        # when the node later signs a smaller checkpoint
        served.checkpoint_size = 4
        b.follow(served.url)
        # then that is a rollback, proven by its own signatures
        assert "rollback" in [kind for kind, _ in b.evidence()]
        # and when it signs for more entries but will not serve them
        served.checkpoint_size = None
        record.notice("escondida")
        served.withhold = True
        assert b.follow(served.url).returncode == 1
        assert "withheld" in [kind for kind, _ in b.evidence()]
        assert b.verified().size == 6
    finally:
        served.close()


def test_succession_followers_take_the_new_node_and_refuse_the_old_one(nodes: Nodes) -> None:
    # given an origin A mirrored by B and C
    a = nodes.make("a")
    log = a.seed("found")
    a.seed("append", "20")
    a.start()
    b, c = nodes.start("b"), nodes.make("c")
    assert b.follow(a.url).returncode == 0
    assert c.follow(a.url).returncode == 0
    old_key = a.key()
    a.stop()
    # when the members move the record to B (two of three endorse) and B continues it
    b.seed("move", b.key())
    b.seed("append", "5", "nuevo")
    # then C follows the continuation from B
    assert c.follow(b.url).returncode == 0
    assert _head(c) == _head(b)
    assert c.verified().size == 27
    # and an entry the old node seals on top of the moved record is refused
    from ayllu.storage.keyfiles import read_key_file

    captured = federation_record(read_key_file(a.data / "node.key"))
    assert captured.node.public == old_key and captured.log == log
    from ayllu.core.ledger.record import parse_entry

    _, headers, bodies = c.stored()
    captured.entries = [parse_entry(h) for h in headers]
    captured.bodies = dict(bodies)  # type: ignore[arg-type]
    captured.time = captured.entries[-1].time
    captured.notice("desde el nodo viejo")
    served = MaliciousNode(captured)
    try:
        refused = c.follow(served.url)
        assert refused.returncode == 1
        assert "not_the_records_node" in refused.stdout
        assert c.verified().size == 27
    finally:
        served.close()


def test_a_witness_cosigns_honest_growth_and_refuses_a_fork(nodes: Nodes) -> None:
    # given a node B that follows and witnesses a peer
    evil = keypair(62)
    record = federation_record(evil)
    for i in range(4):
        record.notice(f"n{i}")
    served = MaliciousNode(record)
    try:
        b = nodes.make("b")
        assert b.follow(served.url).returncode == 0
        assert b.ayllu("witness").returncode == 0
        record.notice("honesta")
        assert b.ayllu("witness").returncode == 0
        # when the peer presents a longer checkpoint of another history
        fork = record.branch(4)
        for i in range(4):
            fork.notice(f"otra {i}")
        served.record = fork
        refused = b.ayllu("witness", check=False)
        # then the witness refuses to cosign it
        assert refused.returncode == 1
        assert "inconsistent_checkpoint" in refused.stdout or "bad_proof" in refused.stdout
    finally:
        served.close()


def test_move_act_builders_match_the_replay_rule() -> None:
    # a move act built by the helpers names the endorsed place (guards seed.py's `move`)
    record = federation_record(keypair(63))
    after = record.head
    endorsements = [endorse_move(m, log=record.log, node="ab" * 32, after=after) for m in MEMBERS[:2]]
    body = make_body(build_move_content(node="ab" * 32, after=after, endorsements=endorsements), vis="public")
    signed = sign_act(MEMBERS[0], log=record.log, type=RECORD_MOVED, body=body, nonce="mv")
    assert signed.act.vis == "public"


def test_a_mirror_of_an_assembly_with_members_only_bodies_verifies(nodes: Nodes) -> None:
    # given the demo assembly, whose membership acts have members-only bodies
    a = nodes.make("a")
    a.ayllu("demo-setup")
    a.start()
    b = nodes.make("b")
    # when B mirrors it (peers are served public bodies only)
    assert b.follow(a.url).returncode == 0
    # then B holds no members-only body, and its record verifies, from the CLI and from the file
    _, headers, bodies = b.stored()
    assert all(getattr(body, "vis", "public") == "public" for body in bodies.values())
    assert "ok:" in b.ayllu("verify").stdout
    assert b.verified().size == len(headers) == _head(a)[0]


def test_a_node_a_member_delegates_mirrors_members_only_bodies_too(nodes: Nodes) -> None:
    # given the demo assembly, and a node B that one of its members (Ana) delegates
    a = nodes.make("a")
    a.ayllu("demo-setup")
    a.start()
    log = a.ayllu("verify").stdout.split("record ")[1].split(":")[0]
    b = nodes.make("b")
    b_key = b.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    delegation = b.data / "delegation.json"
    b.ayllu(
        "delegate",
        str(a.data / "demo-members" / "ana.key"),
        "--log",
        log,
        "--node",
        b_key,
        "-o",
        str(delegation),
    )
    # when B follows with the delegation
    assert b.follow(a.url, "--delegation", str(delegation)).returncode == 0
    # then B holds the members-only bodies as well, each verified against its entry
    _, headers, bodies = b.stored()
    assert "members" in {getattr(body, "vis", "") for body in bodies.values()}
    report = b.verified()
    assert report.size == len(headers) == _head(a)[0]


def test_a_members_node_keeps_both_twins_of_a_body_and_verifies(nodes: Nodes) -> None:
    # given the demo assembly with the same notice posted twice: once public, once for members only
    a = nodes.make("a")
    a.ayllu("demo-setup")
    log = a.ayllu("verify").stdout.split("record ")[1].split(":")[0]
    ana = str(a.data / "demo-members" / "ana.key")
    for vis in ("public", "members"):
        a.ayllu("act", "notice", "--log", log, "--key", ana, "--text", "Minga el sábado", "--vis", vis)
    a.start()
    b = nodes.make("b")
    b_key = b.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    delegation = b.data / "delegation.json"
    b.ayllu("delegate", ana, "--log", log, "--node", b_key, "-o", str(delegation))
    # when a node Ana delegates follows it
    assert b.follow(a.url, "--delegation", str(delegation)).returncode == 0
    # then it stored both twins under one hash, and what it stored verifies with members' bodies required
    stored_log, headers, bodies = b.stored()
    twins = [h for h, vis in bodies if vis == "members" and (h, "public") in bodies]
    assert make_body({"text": "Minga el sábado"}, vis="members").hash in twins  # the notice's words
    report = verify_record(stored_log, headers, bodies=bodies.get, visible=frozenset({"public", "members"}))  # type: ignore[arg-type]
    assert report.ok and report.size == len(headers) == _head(a)[0]


def test_a_new_follower_catches_a_rollback_below_what_a_witness_cosigned(nodes: Nodes) -> None:
    # given a node whose checkpoint of 6 entries a witness W followed and cosigned
    evil = keypair(64)
    record = federation_record(evil)
    for i in range(5):
        record.notice(f"n{i}")
    served = MaliciousNode(record)
    try:
        w = nodes.make("w")
        assert w.follow(served.url).returncode == 0
        assert "cosigned" in w.ayllu("witness").stdout
        w.start()
        # when the node later serves a smaller checkpoint to C, who never saw it before
        served.checkpoint_size = 4
        c = nodes.make("c")
        result = c.follow(served.url, "--peer", w.url)
        # then C, holding W's cosigned checkpoint, has proof of the rollback and of the withheld entries
        kinds = {kind for kind, _ in c.evidence()}
        assert {"rollback", "withheld"} <= kinds, result.stdout
        assert result.returncode == 1
        assert "FAILED" in result.stdout and "rollback" in result.stdout
        # and stored none of the rolled-back branch: nothing it serves can be checked against 6
        assert c.verified().size == 0
    finally:
        served.close()


def test_a_node_showing_two_followers_two_histories_is_caught_when_they_compare(nodes: Nodes) -> None:
    # given a node that shows B one history and C another (a split view), 7 entries each
    evil = keypair(65)
    record = federation_record(evil)
    for i in range(3):
        record.notice(f"n{i}")
    other = record.branch(4)
    for i in range(3):
        record.notice(f"x{i}")
        other.notice(f"y{i}")
    to_b, to_c = MaliciousNode(record), MaliciousNode(other)
    try:
        b, c = nodes.make("b"), nodes.make("c")
        assert b.follow(to_b.url).returncode == 0
        assert c.follow(to_c.url).returncode == 0
        b.start()
        c.start()
        # when they follow each other
        from_b = c.follow(b.url)
        from_c = b.follow(c.url)
        # then each refuses the other's history and holds evidence of the fork, signed by the node
        assert from_b.returncode == from_c.returncode == 1
        for node in (b, c):
            kinds = {kind for kind, _ in node.evidence()}
            assert "fork" in kinds
            assert all(ev.check_evidence(raw).node == evil.public for _, raw in node.evidence())
        assert b.verified().head == record.head and c.verified().head == other.head
    finally:
        to_b.close()
        to_c.close()


def test_the_origin_killed_mid_sync_loses_no_acknowledged_entry_and_the_sync_resumes(nodes: Nodes) -> None:
    # given an origin with 3000 entries and its last receipt, and a follower syncing from it
    a = nodes.make("a")
    a.seed("found")
    receipt = a.seed("append", "3000")
    a.start()
    b = nodes.make("b")
    b.ayllu("init")
    child = subprocess.Popen(
        [AYLLU, "follow", a.url, "--batch", "100", "--workers", "1"],
        env=b.env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    b.children.append(child)
    assert child.stderr is not None
    for line in child.stderr:
        if "entries verified and stored" in line:
            break
    # when the origin is SIGKILLed mid-sync
    a.stop()
    child.wait(timeout=60)
    # then the follower stopped with a verified prefix
    assert child.returncode == 1
    assert b.verified().ok
    # and once the origin is back, the sync resumes and every acknowledged entry is there
    a.start()
    assert b.follow(a.url).returncode == 0
    assert b.verified(receipts=(receipt.encode(),)).ok
    assert _head(b) == _head(a)


def test_a_node_that_keeps_following_picks_up_new_entries(nodes: Nodes) -> None:
    # given a follower that syncs every half second
    a = nodes.make("a")
    a.seed("found")
    a.start()
    b = nodes.make("b")
    b.ayllu("init")
    child = subprocess.Popen(
        [AYLLU, "follow", a.url, "--every", "0.5", "--workers", "1"],
        env=b.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    b.children.append(child)
    # when the origin appends entries
    a.seed("append", "25")
    # then the follower holds them soon after, verified
    deadline = time.monotonic() + 60
    while len(b.stored()[1]) < 26:
        assert time.monotonic() < deadline, "the follower did not catch up"
        time.sleep(0.2)
    assert _head(b) == _head(a)
