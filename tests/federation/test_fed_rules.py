"""Rules replayable by anyone who may hold the record (format 2), with real nodes on loopback.

An anonymous mirror (served public bodies only) and a node a member delegates (served members-only
bodies too) both replay every rule of the demo assembly, whose membership acts are members-only; and
both refuse an entry the origin's database holds past the rules: sealed by a key that is not the
record's node, signed by a key that is no member's, of an unknown type, or dated far ahead; and both
report a body the origin holds as erased although no act erased it. A mirror that cannot replay every
rule (an old-format record whose rule data is members-only) says how far it checked and fails."""

import re
import sqlite3
from pathlib import Path

import pytest
from fed_nodes import Node, Nodes

from ayllu.cli.exportfile import write_export
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.delegation import delegate_node
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.verify import ERASED
from factories.keys import keypair
from factories.records import found_record

pytestmark = pytest.mark.slow  # every test starts real nodes on loopback

RULES = re.compile(r"rules checked for ([\d,]+) of ([\d,]+) entr")


def _rules(output: str) -> tuple[int, int]:
    found = RULES.search(output)
    assert found is not None, output
    return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))


def _delegated(nodes: Nodes, origin: Node, name: str) -> tuple[Node, Path]:
    """A node that the demo's member Ana delegates to receive members-only bodies."""
    log = origin.ayllu("verify", check=False).stdout.split("record ")[1].split(":")[0]
    node = nodes.make(name)
    key = node.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    delegation = node.data / "delegation.json"
    ana = str(origin.data / "demo-members" / "ana.key")
    origin.ayllu("delegate", ana, "--log", log, "--node", key, "-o", str(delegation))
    return node, delegation


def test_an_anonymous_mirror_and_a_delegated_node_replay_every_rule_of_the_demo(nodes: Nodes) -> None:
    # given the demo assembly, whose applications and sponsorships are members-only acts
    a = nodes.make("a")
    a.ayllu("demo-setup")
    c, delegation = _delegated(nodes, a, "c")
    a.start()
    b = nodes.make("b")
    # when an anonymous node B and a delegated node C follow it
    anonymous = b.follow(a.url)
    delegated = c.follow(a.url, "--delegation", str(delegation))
    # then both stored every entry and checked the rules of every one
    assert anonymous.returncode == 0, anonymous.stdout
    assert delegated.returncode == 0, delegated.stdout
    size = a.verified().size
    assert _rules(anonymous.stdout) == (size, size)
    assert _rules(delegated.stdout) == (size, size)
    # B holds no members-only word, yet its own verify and the pure core replay every rule
    _, _, bodies = b.stored()
    assert {vis for _, vis in bodies} == {"public"}

    # and the households that joined are opaque ids to B: their names (members' words) reach C only
    def texts(node: Node) -> str:
        return "".join(body.raw.decode() for body in node.stored()[2].values() if hasattr(body, "raw"))

    joined = ("Gutierrez", "Cruz")
    assert not any(name in texts(b) for name in joined)
    assert all(f'"household_name":"{name}"' in texts(c) for name in joined)
    verified = b.ayllu("verify")
    assert verified.returncode == 0 and _rules(verified.stdout) == (size, size)
    assert b.verified().replayed == size
    assert c.verified().replayed == size


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("rogue_node", "not_the_records_node"),
        ("non_member", "not_a_member"),
        ("unknown_type", "unknown_entry_type"),
        # Dated centuries ahead, an entry would make a replica fill cargo terms by turn all the way
        # there before reaching its own rules: it is refused first, from its date alone.
        ("future", "entry_from_the_future"),
    ],
)
def test_followers_refuse_an_entry_that_breaks_a_rule_in_members_only_words(
    nodes: Nodes, how: str, code: str
) -> None:
    # given the demo assembly, and one more members-only entry forged into its database
    a = nodes.make("a")
    a.ayllu("demo-setup")
    forged = int(a.seed("forge", how))
    c, delegation = _delegated(nodes, a, "c")
    a.start()
    b = nodes.make("b")
    # when an anonymous node and a delegated node follow it
    anonymous = b.follow(a.url)
    delegated = c.follow(a.url, "--delegation", str(delegation))
    # then both refuse the forged entry, say why, keep only whole batches that hold, and exit non-zero
    for node, done in ((b, anonymous), (c, delegated)):
        assert done.returncode != 0, done.stdout
        assert code in done.stdout
        kept = node.verified()
        assert kept.size < forged and kept.replayed == kept.size
        assert _rules(done.stdout) == (kept.size, kept.size)


def _erase_behind_the_node(node: Node) -> str:
    """Mark the newest public body of the node's record erased in its database, with no act erasing it."""
    newest = "select id, hash from ayllu_body where vis = 'public' order by id desc"
    with sqlite3.connect(node.data / "ayllu.sqlite3") as db:
        pk, hash_ = db.execute(newest).fetchone()
        db.execute("update ayllu_body set raw = NULL, erased = 1 where id = ?", (pk,))
    return str(hash_)


def test_followers_refuse_words_erased_on_the_origin_without_an_act(nodes: Nodes) -> None:
    # given the demo assembly, one of whose public bodies the origin's database then holds as erased
    # although no act erased it (an operator "erasing" words the assembly never decided to erase)
    a = nodes.make("a")
    a.ayllu("demo-setup")
    c, delegation = _delegated(nodes, a, "c")
    erased = _erase_behind_the_node(a)
    a.start()
    b = nodes.make("b")
    # when an anonymous node and a delegated node follow it
    anonymous = b.follow(a.url)
    delegated = c.follow(a.url, "--delegation", str(delegation))
    # then both say so and exit non-zero; the body they could not get stays reported, never "ok"
    for node, done in ((b, anonymous), (c, delegated)):
        assert done.returncode != 0, done.stdout
        assert "unauthorised_erasure" in done.stdout, done.stdout
        assert node.stored()[2].get((erased, "public")) in (None, ERASED)
        verify = node.ayllu("verify", check=False)
        assert verify.returncode != 0 and "unauthorised_erasure" in verify.stdout, verify.stdout
    # and the origin's own verify names it too
    verify = a.ayllu("verify", check=False)
    assert verify.returncode != 0 and "unauthorised_erasure" in verify.stdout, verify.stdout


def test_an_anonymous_mirror_that_cannot_check_every_rule_says_how_far_and_fails(
    nodes: Nodes, tmp_path: Path
) -> None:
    # given an origin holding a record in the old format (1) whose membership acts are members-only:
    # an anonymous mirror is served neither the words nor the rule data they carry
    record = found_record()
    record.apply("eva", vis="members")
    record.sponsor("ana", applicant="eva")
    record.sponsor("bea", applicant="eva")
    record.post("eva", text="hola")
    root = root_of(record.hashes())
    export = tmp_path / "old.jsonl"
    with export.open("w") as out:
        write_export(
            out,
            log=record.log,
            name="Junta vecinal",
            visible=frozenset({"public", "members"}),
            entries=((e.raw, e.act) for e in record.entries),
            bodies=dict(record.bodies),
            checkpoints=[
                sign_checkpoint(record.node, log=record.log, size=5, root=root, time=record.time).raw
            ],
        )
    a = nodes.make("a")
    a.ayllu("import", str(export))
    a.start()
    b, c = nodes.make("b"), nodes.make("c")
    c_key = c.ayllu("init").stdout.split("(public ")[1].rstrip(")\n")
    delegation = c.data / "delegation.json"
    delegation.write_bytes(delegate_node(keypair("ana"), log=record.log, node=c_key, until=2**52).raw)
    # when an anonymous node and a node a member delegates follow it
    done = b.follow(a.url)
    delegated = c.follow(a.url, "--delegation", str(delegation))
    # then the anonymous one keeps what verifies but says it checked the rules of the founding only, and
    # exits non-zero; the delegated one, served the members' bodies, checks every rule
    assert done.returncode == 1, done.stdout
    assert done.stdout.startswith("FAILED: ") and _rules(done.stdout) == (1, 5), done.stdout
    verify = b.ayllu("verify", check=False)
    assert verify.returncode == 1 and _rules(verify.stdout) == (1, 5), verify.stdout
    assert delegated.returncode == 0 and _rules(delegated.stdout) == (5, 5), delegated.stdout
