"""Federation writes on the test database (SQLite, and PostgreSQL in the suite's PostgreSQL run)."""

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.test import Client

from ayllu.actions import known_checkpoints
from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.actions.replication import (
    Refused,
    RulesNeedBodies,
    do_check_replayable,
    do_cosign_checkpoint,
    do_extend_replica,
    do_fill_bodies,
    do_note_checkpoint,
    do_store_checkpoint,
    do_store_evidence,
    forget_tips,
)
from ayllu.core.errors import InconsistentCheckpoint
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.evidence import (
    MAX_EVIDENCE_BYTES,
    InvalidEvidence,
    anchored_mismatch_evidence,
    check_evidence,
    equivocation_evidence,
    mismatch_evidence,
)
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import body_keys, make_body, sign_act
from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content
from ayllu.storage import models
from ayllu.storage.errors import RecordDamaged
from ayllu.storage.served import check_record
from factories.charters import instant_charter
from factories.keys import keypair
from factories.records import FOUNDED_AT, MemoryRecord, federation_record, founding_act, households
from factories.records import MEMBERS as MEMBERS_OF_TEST

PUBLIC = frozenset({"public"})
NODE = keypair(90)
FAR = 4_102_444_800_000  # 2100: a question's deadline that outlasts the test


@pytest.fixture
def record(db: None) -> MemoryRecord:
    """A record of 30 entries sealed in memory by NODE, and fresh caches."""
    forget_tips()
    forget_replayed_state()
    record = federation_record(NODE)
    for i in range(29):
        record.notice(f"n{i}")
    return record


def _extend(record: MemoryRecord, first: int, last: int, raws: list[bytes] | None = None):  # type: ignore[no-untyped-def]
    chosen = record.entries[first - 1 : last]
    return do_extend_replica(
        record.log,
        raws=raws if raws is not None else [e.raw for e in chosen],
        bodies={key: record.bodies[key] for e in chosen for key in body_keys(e.act, record.bodies.get)},
        visible=PUBLIC,
    )


def test_batches_are_stored_whole_and_the_mirror_verifies(record: MemoryRecord) -> None:
    # when a follower stores the record in three batches, resuming with a fresh cache in between
    _extend(record, 1, 10)
    forget_tips()
    _extend(record, 11, 20)
    tip = _extend(record, 21, 30)
    # then it holds exactly the record, and a whole verify of the database agrees
    assert (tip.size, tip.head) == (30, record.head)
    stored = list(
        models.Entry.objects.filter(record__log=record.log).order_by("seq").values_list("hash", flat=True)
    )
    assert stored == [e.hash for e in record.entries]
    assert do_verify_record(record.log, workers=1).ok


def test_a_bad_entry_in_a_batch_stores_none_of_it(record: MemoryRecord) -> None:
    # given a follower holding 10 entries
    _extend(record, 1, 10)
    # when a batch of 10 arrives with its sixth entry from another place (a gap)
    raws = [e.raw for e in record.entries[10:20]]
    raws[5] = record.entries[25].raw
    with pytest.raises(Refused) as refused:
        _extend(record, 11, 20, raws=raws)
    # then the problem names entry 16 and nothing of the batch was stored
    assert (refused.value.detail["seq"], refused.value.detail["problem"]) == (16, "seq_gap")
    assert models.Entry.objects.filter(record__log=record.log).count() == 10
    assert models.Record.objects.get(log=record.log).head_seq == 10


def test_a_checkpoint_is_kept_only_when_it_matches_what_was_verified(record: MemoryRecord) -> None:
    _extend(record, 1, 30)
    hashes = [e.hash for e in record.entries]
    good = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes), time=1)
    bad = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes[:29]), time=2)
    assert not do_store_checkpoint(record.log, bad)
    assert do_store_checkpoint(record.log, good)
    assert models.Checkpoint.objects.filter(record__log=record.log).count() == 1


def test_contradicting_checkpoints_become_evidence_once(record: MemoryRecord) -> None:
    hashes = [e.hash for e in record.entries]
    big = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes), time=10)
    twin = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes[1:]), time=11)
    later_small = sign_checkpoint(NODE, log=record.log, size=20, root=root_of(hashes[:20]), time=12)
    assert do_note_checkpoint(big) == []
    assert [e.kind for e in do_note_checkpoint(twin)] == ["equivocation"]
    # a rollback to 20 is proven against either larger one: one piece is kept per kind, node and position
    assert [e.kind for e in do_note_checkpoint(later_small)] == ["rollback"]
    assert do_note_checkpoint(later_small) == []  # already kept
    assert models.Evidence.objects.count() == 2


def test_the_witness_rule_persists_across_restarts(record: MemoryRecord) -> None:
    # given this node cosigned size 20 of the record
    hashes = [e.hash for e in record.entries]
    first = sign_checkpoint(NODE, log=record.log, size=20, root=root_of(hashes[:20]), time=1)
    do_cosign_checkpoint(first, proof=[], local_hashes=hashes)
    # when, later, it is shown a checkpoint of size 30 of another history
    other = record.branch(15)
    for i in range(15):
        other.notice(f"otra {i}")
    others = [e.hash for e in other.entries]
    forked = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(others), time=2)
    # then it refuses it, whoever computes the proof, and still cosigns the honest one
    with pytest.raises(InconsistentCheckpoint):
        do_cosign_checkpoint(forked, proof=[], local_hashes=others)
    with pytest.raises(InconsistentCheckpoint):
        do_cosign_checkpoint(forked, proof=[], local_hashes=hashes)
    honest = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes), time=3)
    do_cosign_checkpoint(honest, proof=[], local_hashes=hashes)
    assert models.Cosigned.objects.filter(log=record.log).count() == 2


def test_a_mirror_keeps_its_seal_and_refuses_to_sync_onto_an_altered_copy(record: MemoryRecord) -> None:
    # given a follower that stored 20 entries in two batches, then restarted: no alarm
    _extend(record, 1, 10)
    _extend(record, 11, 20)
    forget_tips()
    forget_replayed_state()
    assert check_record(record.log).damage is None
    # when entry 15's stored header is altered behind its back, and it restarts and syncs again
    row = models.Entry.objects.get(record__log=record.log, seq=15)
    row.header = bytes(row.header).replace(b'"seq":15', b'"seq":16')
    row.save()
    forget_tips()
    forget_replayed_state()
    # then it names the entry, and nothing more is stored on top of it
    assert (check_record(record.log).damage or pytest.fail("no damage")).seq == 15
    with pytest.raises(RecordDamaged) as refused:
        _extend(record, 21, 30)
    assert refused.value.detail["seq"] == 15
    assert models.Record.objects.get(log=record.log).head_seq == 20


def test_a_node_no_member_delegated_refuses_to_mirror_a_record_kept_to_members(db: None) -> None:
    # given a record whose charter keeps it to members' nodes, served to this node anyway
    from ayllu.core.charter.rules import default_charter_data
    from ayllu.core.ledger.record import seal_entry
    from factories.records import founding_act, households

    forget_tips()
    charter = {**default_charter_data(), "record": {"replicas": "members"}}
    signed, body = founding_act(households(MEMBERS_OF_TEST), charter=charter)
    entry = seal_entry(signed, seq=1, prev="", time=1, node=NODE)
    # when a node that only public bodies are served to extends its copy
    with pytest.raises(Refused) as refused:
        do_extend_replica(entry.log, raws=[entry.raw], bodies={body.key: body}, visible=PUBLIC)
    # then it stores nothing
    assert refused.value.detail["problem"] == "record_kept_to_members"
    assert not models.Record.objects.filter(log=entry.log).exists()


def test_a_mirror_lacking_a_body_the_rules_read_cannot_replay_until_a_member_node_fills_it(db: None) -> None:
    # given a record whose second entry is a members-only application signed whole (format 1: its rule
    # data are in the members-only body), mirrored by a node no member delegated
    forget_tips()
    forget_replayed_state()
    record = federation_record(NODE)
    applied = record.apply("zoe", vis="members")
    record.notice("after")
    served = {key: body for key, body in record.bodies.items() if key[1] == "public"}  # what /fed serves it
    do_extend_replica(record.log, raws=[e.raw for e in record.entries], bodies=served, visible=PUBLIC)
    # when the mirror is asked whether it can replay every rule (as a move to it needs)
    with pytest.raises(RulesNeedBodies) as refused:
        do_check_replayable(record.log)
    # then it cannot, and names the entry whose body it lacks
    assert (refused.value.code, refused.value.detail["seq"]) == ("rules_need_bodies", applied.seq)
    # and once a member's node serves the missing body, it can
    key = applied.act.body_key()
    assert do_fill_bodies(record.log, served={key: record.bodies[key]}, wanted={key}) == 1
    do_check_replayable(record.log)


def test_a_move_to_a_mirror_lacking_a_body_the_rules_read_is_refused_through_the_api_too(db: None) -> None:
    # given the same mirror, lacking the members-only body of an application
    forget_tips()
    forget_replayed_state()
    record = federation_record(NODE)
    record.apply("zoe", vis="members")
    served = {key: body for key, body in record.bodies.items() if key[1] == "public"}
    do_extend_replica(record.log, raws=[e.raw for e in record.entries], bodies=served, visible=PUBLIC)
    # when a member sends a move of the record to it through the API's signed-act route
    content = build_move_content(node=NODE.public, after=record.head, endorsements=[])
    body = make_body(content, vis="public", type=RECORD_MOVED)
    signed = sign_act(MEMBERS_OF_TEST[0], log=record.log, type=RECORD_MOVED, body=body, nonce="move-1")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    answer = Client().post(f"/api/assemblies/{record.log}/acts", payload, content_type="application/json")
    # then it is refused as the pages' act route refuses it, naming what the node lacks, and not stored
    assert (answer.status_code, answer.json()["code"]) == (RulesNeedBodies.status, "rules_need_bodies")
    assert models.Record.objects.get(log=record.log).head_seq == len(record.entries)


def test_a_follower_holding_words_erases_them_when_the_assembly_s_decision_to_erase_reaches_it(
    db: None,
) -> None:
    # given: a record in format 2 whose first member wrote a telephone number, and a follower holding it
    forget_tips()
    forget_replayed_state()
    signed, founding = founding_act(households(MEMBERS_OF_TEST), charter=instant_charter())
    record = MemoryRecord(signed.act.log, NODE, time=FOUNDED_AT + 1000, step=1000, split=True)
    record.seal(signed, founding)
    secret = "teléfono 555-0199"
    words = record.add(MEMBERS_OF_TEST[0], type="notice.posted", content={"text": secret}).seq
    _extend(record, 1, words)
    assert models.Body.objects.filter(record__log=record.log, erased=True).count() == 0
    # when the assembly decides to erase those words, and the follower takes the decision in
    tabled = record.add(
        MEMBERS_OF_TEST[1],
        type="proposal.tabled",
        content={"matter": "erasure", "title": "Borrar", "text": "", "effect": {"entry": words}},
    ).seq
    question = record.add(
        MEMBERS_OF_TEST[1], type="question.opened", content={"proposal": tabled, "deadline": FAR}
    ).seq
    for member in MEMBERS_OF_TEST:
        record.add(member, type="vote.cast", content={"question": question, "choice": "yes"})
    closed = record.add(MEMBERS_OF_TEST[1], type="question.closed", content={"question": question}).seq
    _extend(record, words + 1, closed)
    # then the follower no longer holds the words' bytes, and its copy verifies, also after a restart
    erased = models.Body.objects.filter(record__log=record.log, erased=True)
    assert erased.count() == 1 and erased.get().raw is None
    raws = models.Body.objects.filter(record__log=record.log).exclude(raw=None).values_list("raw", flat=True)
    assert secret.encode() not in b"".join(bytes(raw) for raw in raws)
    assert do_verify_record(record.log, workers=1).ok
    forget_tips()
    forget_replayed_state()
    assert do_check_replayable(record.log) is None
    record.post(MEMBERS_OF_TEST[2], text="sigue")
    assert _extend(record, closed + 1, closed + 1).size == closed + 1


def _two_equivocations(record: MemoryRecord) -> tuple[bytes, bytes]:
    """Two pieces of one kind, node and position: size 30 signed with three different roots."""
    hashes = [e.hash for e in record.entries]
    signed = [
        sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes[i:]), time=10 + i)
        for i in range(3)
    ]
    return equivocation_evidence(signed[0], signed[1]), equivocation_evidence(signed[0], signed[2])


def test_the_database_keeps_one_piece_of_evidence_per_kind_node_and_position(record: MemoryRecord) -> None:
    # given a piece of evidence kept
    first, second = _two_equivocations(record)
    kept = do_store_evidence(first)
    assert kept is not None
    # when another piece at the same position is written straight into the database
    other = check_evidence(second)
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Evidence.objects.create(
            hash=other.id, kind=other.kind, log=other.log, node=other.node, seq=other.seq, raw=other.raw
        )
    assert models.Evidence.objects.count() == 1


def test_two_syncs_storing_evidence_at_once_keep_one_piece(record: MemoryRecord) -> None:
    # given one sync kept a piece while another had already looked and found none (its check raced)
    first, second = _two_equivocations(record)
    assert do_store_evidence(first) is not None
    # when the second stores its piece of the same kind, node and position
    with mock.patch.object(QuerySet, "exists", return_value=False):
        stored = do_store_evidence(second)
    # then nothing more is kept, and the answer says it was already there
    assert stored is None
    assert models.Evidence.objects.count() == 1


@pytest.fixture
def long_record(db: None) -> MemoryRecord:
    """A record of 2,001 entries sealed by NODE, all held by this node as a follower."""
    forget_tips()
    forget_replayed_state()
    record = federation_record(NODE)
    for i in range(2000):
        record.notice(f"largo {i}")
    for first in range(1, 2002, 500):
        _extend(record, first, min(first + 499, 2001))
    return record


def test_checkpoint_mismatch_evidence_too_large_to_pass_on_is_anchored_on_the_node_s_entry(
    long_record: MemoryRecord,
) -> None:
    # given the node signs a checkpoint of all 2,001 entries with another root, and no earlier one
    hashes = [e.hash for e in long_record.entries]
    bad = sign_checkpoint(NODE, log=long_record.log, size=2001, root=root_of(hashes[1:]), time=99)
    assert len(mismatch_evidence(bad, long_record.entries)) > MAX_EVIDENCE_BYTES
    # when a follower holding the record makes evidence of it
    raw = known_checkpoints.mismatch_evidence(bad, long_record.entries)
    # then the piece is small enough to pass on, names the node's entry at that size, and a node holding
    # the record checks and keeps it
    assert raw is not None and len(raw) < 4096
    piece = check_evidence(raw)
    assert (piece.kind, piece.seq, piece.needs_record) == ("checkpoint_mismatch", 2001, True)
    assert do_store_evidence(raw) is not None


def test_anchored_evidence_is_refused_where_the_copy_does_not_prove_it(long_record: MemoryRecord) -> None:
    # given a checkpoint that is the root of the record, and one of a size this node does not hold
    hashes = [e.hash for e in long_record.entries]
    good = sign_checkpoint(NODE, log=long_record.log, size=2001, root=root_of(hashes), time=99)
    longer = long_record.notice("más")
    beyond = sign_checkpoint(NODE, log=long_record.log, size=2002, root=root_of(hashes), time=100)
    # when each is posted as anchored evidence
    # then neither is kept: the roots agree, or this node cannot check
    with pytest.raises(InvalidEvidence) as agree:
        do_store_evidence(anchored_mismatch_evidence(good, long_record.entries[-2]))
    with pytest.raises(InvalidEvidence) as unheld:
        do_store_evidence(anchored_mismatch_evidence(beyond, longer))
    assert agree.value.detail["reason"] == "roots_agree"
    assert unheld.value.detail["reason"] == "not_held"
    assert models.Evidence.objects.count() == 0
