"""Bulk writes of entries and bodies in plain SQL: an append costs its bytes, not ORM objects.

Both run inside the caller's transaction, with the record already locked (see db.write_transaction).
"""

from collections.abc import Iterable

from django.db import IntegrityError, connection

from ayllu.core.errors import DuplicateAct

from . import models

EntryRow = tuple[int, str, bytes, str, str, str]  # seq, hash, header, act id, type, author
BodyRow = tuple[str, str, bytes]  # hash, vis, raw


def insert_entries(record: models.Record, rows: Iterable[EntryRow]) -> None:
    """Insert entries; raise DuplicateAct when an act is already in the record (unique constraint)."""
    table = models.Entry._meta.db_table
    sql = (
        f"INSERT INTO {table} (record_id, seq, hash, header, act_id, type, author) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    try:
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(record.pk, *row) for row in rows])
    except IntegrityError as exc:
        if "act_id" in str(exc) or "entry_unique_act" in str(exc):
            raise DuplicateAct(log=record.log) from None
        raise


def insert_bodies(record: models.Record, rows: Iterable[BodyRow]) -> None:
    """Insert bodies not yet stored; a body already there (same hash and vis) is kept as it is."""
    table = models.Body._meta.db_table
    sql = (
        f"INSERT INTO {table} (record_id, hash, vis, raw, erased) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (record_id, hash, vis) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(record.pk, h, vis, raw, False) for h, vis, raw in rows])


def update_head(record: models.Record, *, seq: int, head: str, frontier: object, name: str) -> None:
    """Move a locked record's head, frontier and name after an append (plain SQL: every append runs it)."""
    field = models.Record._meta.get_field("frontier")
    sql = "UPDATE ayllu_record SET head_seq = %s, head_hash = %s, frontier = %s, name = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [seq, head, field.get_db_prep_save(frontier, connection), name, record.pk])
