"""Checkpoints the node signs, and verification runs over the stored record."""

import pytest

from ayllu.actions.record import (
    do_append,
    do_append_many,
    do_sign_checkpoint,
    do_verify_record,
    forget_replayed_state,
)
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import parse_entry
from ayllu.core.ledger.verify import ERASED
from ayllu.queries.assembly import forget_assembly_states, get_assembly
from ayllu.queries.record import get_body, get_record_overview, iter_entry_bytes, list_records
from ayllu.storage import models
from ayllu.storage.errors import RecordDamaged
from factories.stored import StoredAssembly, erase_words


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
    # when: the node is asked to write another history on top of it, and to sign it
    signed, body = assembly.notice("otra historia")
    with pytest.raises(RecordDamaged) as refused:
        do_append(assembly.log, signed_act=signed, body=body)
    with pytest.raises(RecordDamaged):
        do_sign_checkpoint(assembly.log)
    # then: the checkpoint signed before names the missing entry, and nothing was written or signed
    assert (refused.value.detail["seq"], refused.value.detail["problem"]) == (2, "inconsistent_checkpoint")
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


def test_words_erased_by_an_act_leave_a_record_that_verifies_reads_and_appends_after_a_restart(
    assembly: StoredAssembly,
) -> None:
    # given
    signed, body = assembly.notice("un asunto privado", vis="members")
    seq = do_append(assembly.log, signed_act=signed, body=body).seq
    assert body.words is not None
    # when
    erase_words(assembly, assembly.founder, entry=seq)
    # then: the words' bytes are gone, the rule data stays
    row = models.Body.objects.get(record__log=assembly.log, hash=body.words.hash)
    assert (row.raw, row.erased) == (None, True)
    assert get_body(assembly.log, body.words.hash, vis="members") is ERASED
    assert get_body(assembly.log, body.hash, vis="public") == body
    # and after a restart (no cached state) it verifies, reads and appends
    forget_replayed_state()
    forget_assembly_states()
    assert do_verify_record(assembly.log, workers=1).ok
    assert get_assembly(assembly.log).size == 3
    signed, body = assembly.notice("después")
    assert do_append(assembly.log, signed_act=signed, body=body).seq == 4


def test_a_body_erased_in_the_database_without_an_act_fails_verify(assembly: StoredAssembly) -> None:
    # given: an operator blanks a notice's words by hand
    signed, body = assembly.notice("lo que dije")
    do_append(assembly.log, signed_act=signed, body=body)
    assert body.words is not None
    models.Body.objects.filter(hash=body.words.hash, vis="public").update(raw=None, erased=True)
    # when
    report = do_verify_record(assembly.log, workers=1)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (2, "unauthorised_erasure")
