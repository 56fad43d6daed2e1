"""Database plumbing shared by actions and queries: locking a record, and translating DB failures.

Every write runs inside `translate_db_errors()`, so a full disk or a read-only database reaches the
caller as a DomainError with a stable code (storage_full, storage_read_only) and no partial write.
"""

import errno
import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction

from .errors import RecordNotFound, StorageBusy, StorageError, StorageFull, StorageReadOnly
from .models import Record

ID_CHUNK = 500  # act ids in one query, under SQLite's limit on a query's parameters

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


def fetch_one(sql: tuple[str, str], params: list[object]) -> tuple[Any, ...] | None:
    """The first row of a query asked on every request, run on the driver's own cursor: `sql` in the
    "format" (psycopg) and "qmark" (sqlite3) parameter styles. Building it with the ORM, or even going
    through Django's cursor wrapper, costs several times the query itself (on SQLite about 21 us
    through the wrapper, 4 us without). Errors stay Django's. The connection is looked up once: each
    attribute read through `django.db.connection` looks it up again."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:
            cursor.execute(sql[db.vendor == "sqlite"], params)
            row: tuple[Any, ...] | None = cursor.fetchone()
        finally:
            cursor.close()
    return row


def lock_record(log: str) -> Record:
    """Fetch a record and hold its write lock until the transaction ends.

    PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite already holds the database's write lock
    since BEGIN IMMEDIATE (settings: transaction_mode=IMMEDIATE), and ignores FOR UPDATE.
    """
    try:
        return Record.objects.select_for_update().get(log=log)
    except Record.DoesNotExist:
        raise RecordNotFound(log=log) from None


# The record's row, and the first of some acts the record already holds (all NULL when none).
_RECORD_FIELDS = ("id", "log", "name", "head_seq", "head_hash", "frontier")
_LOCK_SQL = (
    f"SELECT {', '.join('r.' + f for f in _RECORD_FIELDS)}, e.act_id, e.seq, e.hash "  # noqa: S608
    "FROM ayllu_record r LEFT JOIN ayllu_entry e ON e.record_id = r.id AND e.act_id IN ({ids}) "
    "WHERE r.log = %s ORDER BY e.seq LIMIT 1"
)
HeldAct = tuple[str, int, str]  # act id, seq and hash of the entry holding it


def lock_record_finding(log: str, act_ids: Sequence[str]) -> tuple[Record, HeldAct | None]:
    """`lock_record`, and in the same statement the first entry of the record holding one of `act_ids`
    (at most ID_CHUNK of them, under SQLite's limit on a query's parameters).

    Plain SQL: every append runs it, and building the ORM queries cost more than running them.
    """
    if not 0 < len(act_ids) <= ID_CHUNK:
        raise ValueError(f"between 1 and {ID_CHUNK} act ids")
    sql = _LOCK_SQL.format(ids=", ".join(["%s"] * len(act_ids)))
    if connection.vendor != "sqlite":  # SQLite holds the database's write lock since BEGIN IMMEDIATE
        sql += " FOR UPDATE OF r"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*act_ids, log])
        row = cursor.fetchone()
    if row is None:
        raise RecordNotFound(log=log)
    values = list(row[: len(_RECORD_FIELDS)])
    if isinstance(values[-1], str | bytes):  # JSON as text (SQLite; PostgreSQL's jsonb through Django)
        values[-1] = json.loads(values[-1])
    record = Record.from_db(connection.alias, list(_RECORD_FIELDS), values)
    act_id, seq, entry = row[len(_RECORD_FIELDS) :]
    return record, None if act_id is None else (act_id, seq, entry)


@contextmanager
def _sqlite_writer_queue() -> Iterator[None]:
    # SQLite's busy handler sleeps and retries while another process holds the write lock, which
    # wastes most of the time under contention. Writers queue on a flock first (released by the
    # kernel even when a process is killed), so each is woken the moment the previous one commits.
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or name.startswith("file:")
    # Inside an outer transaction this connection may already hold SQLite's write lock: waiting on
    # the queue then could stall a writer that holds the queue and waits for that lock.
    if connection.vendor != "sqlite" or in_memory or connection.in_atomic_block:
        yield
        return
    try:
        fd = os.open(Path(name).with_name(Path(name).name + ".writer-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull(vendor="sqlite", reason="writer_lock") from None
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StorageReadOnly(vendor="sqlite", reason="writer_lock") from None
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def write_transaction(**detail: object) -> Iterator[None]:
    """One atomic write transaction of a record, queued behind other writers, with DB failures
    translated. Its last statement moves the node's records version on (`counters`), so a reader that
    keys a page by many records' heads asks one row whether any of them may have changed."""
    from .counters import note_records_written  # counters reads this module's error translation

    with translate_db_errors(**detail), _sqlite_writer_queue(), transaction.atomic():
        yield
        note_records_written()
