"""Pure federation rules: succession on replay, self-verifying evidence, cosigning, extension checks."""

import pytest

from ayllu.core.errors import InconsistentCheckpoint
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.extend import Refused, empty_tip, extend
from ayllu.core.ledger.merkle import consistency_proof, root_of
from ayllu.core.ledger.record import make_body, seal_entry, sign_act
from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content, endorse_move
from ayllu.core.ledger.verify import check_entry_batch, verify_record
from ayllu.core.ledger.witness import decide_cosign, parse_cosignature
from factories.keys import keypair
from factories.records import MEMBERS, MemoryRecord, federation_record

OLD, NEW, OTHER = keypair(40), keypair(41), keypair(42)


def _verify(record: MemoryRecord):
    return verify_record(record.log, [e.raw for e in record.entries], bodies=record.bodies.get)


def _move(record: MemoryRecord, *, to: str, endorsers, sealer) -> None:
    endorsements = [endorse_move(m, log=record.log, node=to, after=record.head) for m in endorsers]
    body = make_body(build_move_content(node=to, after=record.head, endorsements=endorsements), vis="public")
    signed = sign_act(MEMBERS[0], log=record.log, type=RECORD_MOVED, body=body, nonce=f"move-{to[:6]}")
    record.node = sealer
    record.seal(signed, body)


def test_a_move_endorsed_by_a_majority_hands_the_record_to_the_new_node() -> None:
    # given a record sealed by OLD, moved to NEW by two of three members, continued by NEW
    record = federation_record(OLD)
    record.notice("antes")
    _move(record, to=NEW.public, endorsers=MEMBERS[:2], sealer=NEW)
    record.notice("despues")
    # when it is verified
    report = _verify(record)
    # then it holds
    assert report.ok, report.problem
    assert report.replayed == 4


def test_after_a_move_an_entry_sealed_by_the_old_node_is_rejected() -> None:
    # given a moved record, then an entry the old node seals on top of it
    record = federation_record(OLD)
    _move(record, to=NEW.public, endorsers=MEMBERS[:2], sealer=NEW)
    record.node = OLD
    record.notice("captured")
    # when it is verified
    report = _verify(record)
    # then the old node's entry is refused by replay
    assert not report.ok
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (3, "not_the_records_node")


def test_a_move_endorsed_by_half_or_fewer_members_is_rejected() -> None:
    # given a move endorsed by one member of three
    record = federation_record(OLD)
    _move(record, to=NEW.public, endorsers=MEMBERS[:1], sealer=NEW)
    # when verified / then refused
    report = _verify(record)
    assert report.problem is not None
    assert report.problem.code == "move_not_endorsed"


def test_a_move_endorsed_by_a_stranger_or_to_another_place_is_rejected() -> None:
    # given a move where one endorsement is by a non-member
    record = federation_record(OLD)
    _move(record, to=NEW.public, endorsers=[MEMBERS[0], OTHER], sealer=NEW)
    report = _verify(record)
    assert report.problem is not None
    assert report.problem.code == "bad_move_endorsement"
    # and a move whose endorsements name another place in the record
    record = federation_record(OLD)
    stale = record.head
    record.notice("entre")
    endorsements = [endorse_move(m, log=record.log, node=NEW.public, after=stale) for m in MEMBERS[:2]]
    body = make_body(
        build_move_content(node=NEW.public, after=stale, endorsements=endorsements), vis="public"
    )
    record.node = NEW
    record.seal(sign_act(MEMBERS[0], log=record.log, type=RECORD_MOVED, body=body, nonce="mv"), body)
    report = _verify(record)
    assert report.problem is not None
    assert report.problem.code == "malformed_body"


def test_without_a_move_another_node_may_not_seal_the_record() -> None:
    # given a record sealed by OLD, then an entry sealed by OTHER without any move
    record = federation_record(OLD)
    record.node = OTHER
    record.notice("intruso")
    # then replay refuses it
    report = _verify(record)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (2, "not_the_records_node")


# --- evidence ------------------------------------------------------------------------------------
def _forked() -> tuple[MemoryRecord, MemoryRecord]:
    record = federation_record(OLD)
    record.notice("uno")
    other = record.branch(2)
    record.notice("dos")
    other.notice("otro dos")
    return record, other


def test_fork_evidence_verifies_and_any_altered_byte_breaks_it() -> None:
    # given two entries sealed by one node at seq 3
    record, other = _forked()
    raw = ev.fork_evidence(record.entries[2], other.entries[2])
    # when checked
    checked = ev.check_evidence(raw)
    # then it names the node and the seq
    assert (checked.kind, checked.node, checked.seq) == ("fork", OLD.public, 3)
    # and a flipped signature character makes it invalid
    broken = raw.replace(record.entries[2].nsig.encode(), ("0" * 128).encode())
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(broken)


def test_the_same_entry_twice_is_not_a_fork() -> None:
    record, _ = _forked()
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.fork_evidence(record.entries[2], record.entries[2]))


def test_equivocation_rollback_and_withholding_evidence() -> None:
    # given checkpoints signed by one node
    record, other = _forked()
    hashes = [e.hash for e in record.entries]
    big = sign_checkpoint(OLD, log=record.log, size=3, root=root_of(hashes), time=10)
    twin = sign_checkpoint(
        OLD, log=record.log, size=3, root=root_of([e.hash for e in other.entries]), time=11
    )
    small_later = sign_checkpoint(OLD, log=record.log, size=2, root=root_of(hashes[:2]), time=20)
    small_earlier = sign_checkpoint(OLD, log=record.log, size=2, root=root_of(hashes[:2]), time=5)
    # then
    assert ev.check_evidence(ev.equivocation_evidence(big, twin)).kind == "equivocation"
    assert ev.check_evidence(ev.rollback_evidence(big, small_later)).seq == 3
    assert ev.check_evidence(ev.withheld_evidence(big, served=1)).seq == 2
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.rollback_evidence(big, small_earlier))  # an old checkpoint is no rollback
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.withheld_evidence(big, served=3))


def test_checkpoint_mismatch_evidence_needs_the_roots_to_differ() -> None:
    record, other = _forked()
    lie = sign_checkpoint(OLD, log=record.log, size=3, root=root_of([e.hash for e in other.entries]), time=9)
    honest = sign_checkpoint(
        OLD, log=record.log, size=3, root=root_of([e.hash for e in record.entries]), time=9
    )
    assert ev.check_evidence(ev.mismatch_evidence(lie, record.entries)).kind == "checkpoint_mismatch"
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.mismatch_evidence(honest, record.entries))


# --- witnessing ----------------------------------------------------------------------------------
def test_a_witness_never_cosigns_a_checkpoint_inconsistent_with_one_it_cosigned() -> None:
    # given a witness that cosigned size 3 of one branch
    record, other = _forked()
    witness = keypair(50)
    hashes = [e.hash for e in record.entries]
    first = sign_checkpoint(OLD, log=record.log, size=3, root=root_of(hashes), time=1)
    cosigned = decide_cosign(None, first, proof=[], witness=witness, time=2)
    assert parse_cosignature(cosigned.raw).covers(first)
    # when the node presents a longer checkpoint of the other branch
    other.notice("cuatro")
    others = [e.hash for e in other.entries]
    forked = sign_checkpoint(OLD, log=record.log, size=4, root=root_of(others), time=3)
    # then no proof makes the witness cosign it
    with pytest.raises(InconsistentCheckpoint):
        decide_cosign(first, forked, proof=consistency_proof(others, old_size=3), witness=witness, time=4)
    # while an honest extension is cosigned
    record.notice("cuatro bis")
    longer = [e.hash for e in record.entries]
    grown = sign_checkpoint(OLD, log=record.log, size=4, root=root_of(longer), time=5)
    decide_cosign(first, grown, proof=consistency_proof(longer, old_size=3), witness=witness, time=6)


# --- extending a verified prefix -----------------------------------------------------------------
def test_extend_refuses_an_entry_dated_after_the_followers_clock() -> None:
    # given a follower whose clock is a minute after the founding, and a notice dated a year on
    record = federation_record(OLD)
    record.time += 365 * 86_400_000
    record.notice("un año después")
    raws = record.raws()
    # when extended with that clock / then refused at the notice, from its date
    with pytest.raises(Refused) as refused:
        extend(
            empty_tip(record.log),
            raws,
            check_entry_batch(raws),
            bodies=record.bodies.get,
            visible=frozenset({"public"}),
            earlier_acts={},
            not_after=record.entries[0].time + 60_000,
        )
    assert refused.value.detail["problem"] == "entry_from_the_future"
    assert refused.value.detail["seq"] == len(raws)


@pytest.mark.parametrize("damage", ["forged", "reordered", "truncated_middle", "other_branch", "wrong_prev"])
def test_extend_refuses_damaged_batches_whole(damage: str) -> None:
    # given a follower holding the first two entries, and the next three as served
    record = federation_record(OLD)
    for i in range(4):
        record.notice(f"n{i}")
    tip = empty_tip(record.log)
    first = [e.raw for e in record.entries[:2]]
    extend(tip, first, check_entry_batch(first), bodies=record.bodies.get, visible=frozenset({"public"}),
           earlier_acts={})  # fmt: skip
    raws = [e.raw for e in record.entries[2:]]
    if damage == "forged":
        body = record.entries[3].act.body
        raws[1] = raws[1].replace(body.encode(), body[::-1].encode())
    elif damage == "reordered":
        raws[0], raws[1] = raws[1], raws[0]
    elif damage == "truncated_middle":
        del raws[1]
    elif damage == "wrong_prev":
        entry = record.entries[3]
        raws[1] = seal_entry(entry.signed_act(), seq=4, prev="0" * 64, time=entry.time, node=OLD).raw
    else:
        other = record.branch(2)
        other.notice("otra")
        raws[0] = other.entries[2].raw
    # when extended / then refused, and the caller stores none of the batch
    with pytest.raises(Refused):
        extend(tip, raws, check_entry_batch(raws), bodies=record.bodies.get, visible=frozenset({"public"}),
               earlier_acts={})  # fmt: skip
