"""A full disk or a read-only database: a clear error with a stable code, and no partial entry."""

from collections.abc import Iterator

import pytest
from django.db import connection

from ayllu.actions.record import do_append, do_verify_record
from ayllu.queries.record import get_record_overview
from ayllu.storage import models
from ayllu.storage.errors import StorageFull, StorageReadOnly
from factories.stored import StoredAssembly


def _stored(assembly: StoredAssembly) -> tuple[int, int, int, str]:
    overview = get_record_overview(assembly.log)
    entries = models.Entry.objects.filter(record__log=assembly.log).count()
    bodies = models.Body.objects.filter(record__log=assembly.log).count()
    return entries, bodies, overview.size, overview.head


def _execute(sql: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone() if cursor.description else None
    return None if row is None else int(row[0])


@pytest.fixture
def full_disk(transactional_db: None) -> Iterator[None]:
    """Let the SQLite database grow no more: what a full disk looks like to SQLite."""
    if connection.vendor != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    yield
    _execute("PRAGMA max_page_count = 4294967294")


@pytest.fixture
def read_only(transactional_db: None) -> Iterator[None]:
    """Let the database refuse writes (SQLite: query_only; PostgreSQL: read-only transactions)."""
    yield
    if connection.vendor == "sqlite":
        _execute("PRAGMA query_only = OFF")
    else:
        _execute("SET default_transaction_read_only = off")


def test_a_full_disk_gives_storage_full_and_stores_nothing(full_disk: None, assembly: StoredAssembly) -> None:
    # given: a database that cannot grow (free pages left by earlier tests may still take a few entries)
    pages = _execute("PRAGMA page_count")
    _execute(f"PRAGMA max_page_count = {pages}")
    # when: appending until the disk is full
    for _ in range(200):
        before = _stored(assembly)
        signed, body = assembly.notice("x" * 19_000)
        try:
            do_append(assembly.log, signed_act=signed, body=body)
        except StorageFull as full:
            raised = full
            break
    else:
        pytest.fail("the database never filled up")
    # then: a stable code, and the refused append left nothing behind
    assert raised.code == "storage_full"
    assert _stored(assembly) == before
    # and once there is room again, the same act goes in and the record verifies
    _execute("PRAGMA max_page_count = 4294967294")
    assert do_append(assembly.log, signed_act=signed, body=body).seq == before[2] + 1
    assert do_verify_record(assembly.log, workers=1).ok


def test_a_read_only_database_gives_storage_read_only_and_stores_nothing(
    read_only: None, assembly: StoredAssembly
) -> None:
    # given
    before = _stored(assembly)
    if connection.vendor == "sqlite":
        _execute("PRAGMA query_only = ON")
    else:
        _execute("SET default_transaction_read_only = on")
    signed, body = assembly.notice()
    # when
    with pytest.raises(StorageReadOnly) as raised:
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert raised.value.code == "storage_read_only"
    assert "x" * 10 not in str(raised.value)
    assert _stored(assembly) == before
