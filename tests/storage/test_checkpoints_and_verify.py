"""Checkpoints the node signs, and verification runs over the stored record."""

import pytest

from ayllu.actions.record import (
    do_append,
    do_append_many,
    do_erase_body,
    do_sign_checkpoint,
    do_verify_record,
    forget_replayed_state,
)
from ayllu.core.errors import InconsistentCheckpoint
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import parse_entry
from ayllu.core.ledger.verify import ERASED
from ayllu.queries.record import get_body, get_record_overview, iter_entry_bytes, list_records
from ayllu.storage import models
from factories.stored import StoredAssembly


def test_a_checkpoint_signs_the_current_size_and_root(assembly: StoredAssembly) -> None:
    # given
    do_append_many(assembly.log, items=[assembly.notice(str(i)) for i in range(4)])
    # when
    checkpoint = do_sign_checkpoint(assembly.log)
    # then
    hashes = [parse_entry(raw).hash for raw in iter_entry_bytes(assembly.log)]
    assert (checkpoint.size, checkpoint.root) == (5, root_of(hashes))
    assert parse_checkpoint(checkpoint.raw) == checkpoint
    assert get_record_overview(assembly.log).root == checkpoint.root
    assert models.Checkpoint.objects.filter(record__log=assembly.log, size=5).count() == 1


def test_the_node_refuses_a_checkpoint_inconsistent_with_an_earlier_one(assembly: StoredAssembly) -> None:
    # given: a checkpoint at size 2, then the record's second entry is rewritten behind the node's back
    do_append(assembly.log, signed_act=assembly.notice()[0], body=assembly.notice()[1])
    do_sign_checkpoint(assembly.log)
    first = parse_entry(next(iter_entry_bytes(assembly.log))).hash
    models.Entry.objects.filter(record__log=assembly.log, seq=2).delete()
    frontier = {"size": 1, "peaks": [root_of([first])]}
    models.Record.objects.filter(log=assembly.log).update(head_seq=1, head_hash=first, frontier=frontier)
    signed, body = assembly.notice("otra historia")
    do_append(assembly.log, signed_act=signed, body=body)
    do_append(assembly.log, signed_act=assembly.notice()[0], body=assembly.notice()[1])
    # when
    with pytest.raises(InconsistentCheckpoint):
        do_sign_checkpoint(assembly.log)
    # then
    assert list(
        models.Checkpoint.objects.filter(record__log=assembly.log).values_list("size", flat=True)
    ) == [2]


def test_verifying_a_sound_record_keeps_a_successful_run(assembly: StoredAssembly) -> None:
    # given
    do_append_many(assembly.log, items=[assembly.notice(str(i)) for i in range(10)])
    do_sign_checkpoint(assembly.log)
    # when
    report = do_verify_record(assembly.log, workers=1)
    # then
    assert report.ok, report.problem
    assert report.size == 11
    summary = get_record_overview(assembly.log).last_verification
    assert summary is not None
    assert (summary.ok, summary.size, summary.problem_code) == (True, 11, "")
    assert [o.log for o in list_records()] == [assembly.log]


def test_verifying_a_tampered_record_names_the_entry(assembly: StoredAssembly) -> None:
    # given: one byte of entry 3's stored header is changed
    do_append_many(assembly.log, items=[assembly.notice(str(i)) for i in range(5)])
    row = models.Entry.objects.get(record__log=assembly.log, seq=3)
    header = bytearray(row.header)
    header[header.index(b'"time":') + 7] ^= 1
    models.Entry.objects.filter(pk=row.pk).update(header=bytes(header))
    # when
    report = do_verify_record(assembly.log, workers=1)
    # then
    assert not report.ok
    assert report.problem is not None and report.problem.seq == 3
    summary = get_record_overview(assembly.log).last_verification
    assert summary is not None and (summary.ok, summary.problem_seq) == (False, 3)


def test_an_erased_body_leaves_a_record_that_still_verifies(assembly: StoredAssembly) -> None:
    # given
    signed, body = assembly.notice("un asunto privado")
    do_append(assembly.log, signed_act=signed, body=body)
    # when
    do_erase_body(assembly.log, body_hash=body.hash, vis=body.vis)
    # then
    row = models.Body.objects.get(record__log=assembly.log, hash=body.hash)
    assert (row.raw, row.erased) == (None, True)
    assert get_body(assembly.log, body.hash, vis=body.vis) is ERASED
    forget_replayed_state()
    assert do_verify_record(assembly.log, workers=1).ok
    signed, body = assembly.notice("después")
    assert do_append(assembly.log, signed_act=signed, body=body).seq == 3
