"""Database plumbing shared by actions and queries: locking a record, and translating DB failures.

Every write runs inside `translate_db_errors()`, so a full disk or a read-only database reaches the
caller as a DomainError with a stable code (storage_full, storage_read_only) and no partial write.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

from .errors import RecordNotFound, StorageBusy, StorageError, StorageFull, StorageReadOnly
from .models import Record

# SQLSTATE codes (PostgreSQL appendix A) and SQLite messages that mean the same thing.
_PG_FULL = {"53100", "53200", "54000"}
_PG_READ_ONLY = {"25006"}
_PG_BUSY = {"40001", "40P01", "55P03"}


def _classify(exc: DatabaseError) -> type[StorageError] | None:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate in _PG_FULL:
        return StorageFull
    if sqlstate in _PG_READ_ONLY:
        return StorageReadOnly
    if sqlstate in _PG_BUSY:
        return StorageBusy
    message = str(exc).lower()
    if "database or disk is full" in message or "no space left" in message:
        return StorageFull
    if "readonly database" in message or "read-only" in message or "read only" in message:
        return StorageReadOnly
    if "database is locked" in message:
        return StorageBusy
    return None


@contextmanager
def translate_db_errors(**detail: object) -> Iterator[None]:
    """Turn disk-full, read-only and lock-timeout database errors into StorageErrors."""
    try:
        yield
    except DatabaseError as exc:
        kind = _classify(exc)
        if kind is None:
            raise
        raise kind(vendor=connection.vendor, **detail) from None


def lock_record(log: str) -> Record:
    """Fetch a record and hold its write lock until the transaction ends.

    PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite already holds the database's write lock
    since BEGIN IMMEDIATE (settings: transaction_mode=IMMEDIATE), and ignores FOR UPDATE.
    """
    try:
        return Record.objects.select_for_update().get(log=log)
    except Record.DoesNotExist:
        raise RecordNotFound(log=log) from None
