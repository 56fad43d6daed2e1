"""The node's records version (storage/counters.py): every write transaction of a record moves it on,
so a page keyed by many records' heads (a federation's home) asks one row whether any may have changed."""

import pytest

from ayllu.actions.record import do_append_many, do_sign_checkpoint
from ayllu.storage.counters import read_records_version
from ayllu.storage.db import write_transaction
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
