"""Appending to a record: receipts, the chain in the database, and what is refused before storing."""

import pytest

from ayllu.actions.record import batch_mapper, do_append, do_append_many, forget_replayed_state
from ayllu.core.errors import BadAuthorSignature, DuplicateAct, NotAMember, WrongLog
from ayllu.core.ledger.checkpoints import parse_receipt
from ayllu.core.ledger.record import SignedAct, parse_entry
from ayllu.queries.record import get_record_overview, iter_entry_bytes
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly


def test_append_returns_a_node_signed_receipt_for_the_new_head(assembly: StoredAssembly) -> None:
    # given
    signed, body = assembly.notice()
    # when
    receipt = do_append(assembly.log, signed_act=signed, body=body)
    # then
    overview = get_record_overview(assembly.log)
    assert (receipt.seq, receipt.entry) == (2, overview.head)
    assert parse_receipt(receipt.raw) == receipt
    entries = [parse_entry(raw) for raw in iter_entry_bytes(assembly.log)]
    assert [e.seq for e in entries] == [1, 2]
    assert entries[1].prev == entries[0].hash


def test_a_forged_author_signature_is_never_stored(assembly: StoredAssembly) -> None:
    # given
    signed, body = assembly.notice()
    forged = SignedAct(signed.act, "0" * 128)
    # when
    with pytest.raises(BadAuthorSignature):
        do_append(assembly.log, signed_act=forged, body=body)
    # then
    assert models.Entry.objects.filter(record__log=assembly.log).count() == 1
    assert not models.Body.objects.filter(hash=body.hash).exists()


def test_an_act_signed_for_another_record_is_refused(assembly: StoredAssembly, make_assembly) -> None:
    # given
    other = make_assembly("Otra Junta")
    signed, body = other.notice()
    # when
    with pytest.raises(WrongLog):
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert get_record_overview(assembly.log).size == 1


def test_an_act_replayed_twice_is_refused(assembly: StoredAssembly) -> None:
    # given
    signed, body = assembly.notice()
    do_append(assembly.log, signed_act=signed, body=body)
    # when
    with pytest.raises(DuplicateAct):
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert get_record_overview(assembly.log).size == 2


def test_a_stranger_may_not_append(assembly: StoredAssembly) -> None:
    # given
    signed, body = assembly.notice(author=keypair(99))
    # when
    with pytest.raises(NotAMember):
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert get_record_overview(assembly.log).size == 1


def test_batched_append_covers_the_batch_with_one_receipt(assembly: StoredAssembly) -> None:
    # given
    items = [assembly.notice(f"aviso {i}") for i in range(5)]
    # when
    receipt = do_append_many(assembly.log, items=items)
    # then
    overview = get_record_overview(assembly.log)
    assert (overview.size, receipt.seq, receipt.entry) == (6, 6, overview.head)


def test_rules_are_checked_after_the_cache_is_lost(assembly: StoredAssembly) -> None:
    # given
    forget_replayed_state()
    signed, body = assembly.notice(author=keypair(99))
    # when
    with pytest.raises(NotAMember):
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    signed, body = assembly.notice(author=assembly.members[1])
    assert do_append(assembly.log, signed_act=signed, body=body).seq == 2


def test_a_forged_act_in_a_batch_checked_by_a_process_pool_stores_nothing(assembly: StoredAssembly) -> None:
    # given: five acts, the fourth with a forged signature
    items = [assembly.notice(f"aviso {i}") for i in range(5)]
    forged_act, body = items[3]
    items[3] = (SignedAct(forged_act.act, "1" * 128), body)
    # when
    with batch_mapper(2) as map_batches, pytest.raises(BadAuthorSignature):
        do_append_many(assembly.log, items=items, map_batches=map_batches)
    # then
    assert get_record_overview(assembly.log).size == 1
    assert models.Entry.objects.filter(record__log=assembly.log).count() == 1
    signed, body = assembly.notice()
    assert do_append(assembly.log, signed_act=signed, body=body).seq == 2


def test_a_batch_holding_an_act_already_in_names_its_entry(assembly: StoredAssembly) -> None:
    # given an act in the record, then a batch of a new act and that act again (the lock's statement
    # finds it)
    first = assembly.notice("ya está")
    held = do_append(assembly.log, signed_act=first[0], body=first[1])
    # when
    with pytest.raises(DuplicateAct) as refused:
        do_append_many(assembly.log, items=[assembly.notice("otro aviso"), first])
    # then
    assert (
        refused.value.detail["act"] == models.Entry.objects.get(record__log=assembly.log, seq=held.seq).act_id
    )
    assert (refused.value.detail["first_seq"], refused.value.detail["entry"]) == (held.seq, held.entry)
    assert get_record_overview(assembly.log).size == 2


def test_a_batch_holding_an_act_already_in_names_its_entry_past_the_first_chunk(
    assembly: StoredAssembly,
) -> None:
    # given an act in the record, then a batch of 600 new acts ending with it again
    first = assembly.notice("ya está")
    held = do_append(assembly.log, signed_act=first[0], body=first[1])
    batch = [assembly.notice(f"aviso {i}") for i in range(600)]
    # when
    with pytest.raises(DuplicateAct) as refused:
        do_append_many(assembly.log, items=[*batch, first])
    # then
    assert (refused.value.detail["first_seq"], refused.value.detail["entry"]) == (held.seq, held.entry)
    assert get_record_overview(assembly.log).size == 2
