"""The node's records version (storage/counters.py): every write transaction of a record moves it on,
so a page keyed by many records' heads (a federation's home) asks one row whether any may have changed."""

import pytest

from ayllu.actions.record import do_append_many, do_sign_checkpoint
from ayllu.queries.replayed import get_head, get_head_and_records_version, one_head
from ayllu.storage.counters import read_records_version
from ayllu.storage.db import write_transaction
from ayllu.storage.errors import RecordNotFound
from factories.statements import statements
from factories.stored import StoredAssembly


def test_every_write_of_a_record_moves_the_version_on(assembly: StoredAssembly) -> None:
    # given
    versions = [read_records_version()]
    # when an entry is appended, then a checkpoint signed
    do_append_many(assembly.log, items=[assembly.notice("hello")])
    versions.append(read_records_version())
    do_sign_checkpoint(assembly.log)
    versions.append(read_records_version())
    # then each of them moved it on
    assert versions == sorted(set(versions)), versions


def test_a_write_that_fails_leaves_the_version(assembly: StoredAssembly) -> None:
    # given
    before = read_records_version()
    # when a write transaction fails, then nothing of it is kept, the version's move neither
    with pytest.raises(RuntimeError), write_transaction(log=assembly.log):
        raise RuntimeError("refused")
    assert read_records_version() == before
    # and a write that ends well moves it on
    with write_transaction(log=assembly.log):
        pass
    assert read_records_version() == before + 1


def test_a_pages_key_reads_the_head_and_the_version_in_one_statement(assembly: StoredAssembly) -> None:
    # given a record written to after its founding
    do_append_many(assembly.log, items=[assembly.notice("hello")])
    # when a page's key reads its head and the records version
    with statements() as ran:
        head, version = get_head_and_records_version(assembly.log)
    # then both are what each read alone gives, from one statement (one round trip on PostgreSQL)
    assert (head, version) == (get_head(assembly.log), read_records_version())
    assert len(ran) == 1, ran
    # and an unknown record is said to be unknown
    with pytest.raises(RecordNotFound):
        get_head_and_records_version("0" * 64)


def test_inside_one_head_the_head_checked_first_stays_the_requests(assembly: StoredAssembly) -> None:
    with one_head():
        # given a head checked for this request
        first = get_head(assembly.log)
        # when the record grows meanwhile, and the key reads the head with the version
        do_append_many(assembly.log, items=[assembly.notice("meanwhile")])
        head, version = get_head_and_records_version(assembly.log)
        # then every read of the request still sees the head it checked; the version is the node's now
        assert head == first == get_head(assembly.log)
        assert version == read_records_version()
    assert get_head(assembly.log) != first
