"""Counters shared by every process of a node, one atomic upsert per count (decision 0004)."""

from django.db import connection

from .db import translate_db_errors
from .models import RateCounter


def bump_counter(bucket: str, *, slot: int, expires: float) -> int:
    """Add one to `bucket`'s counter in window `slot` and return the new count.

    One statement, INSERT ... ON CONFLICT DO UPDATE ... RETURNING (SQLite 3.35+, PostgreSQL 9.5+):
    two processes counting at the same moment each get their own number, none is lost.
    """
    table = RateCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (bucket, slot, count, expires) VALUES (%s, %s, 1, %s) "  # noqa: S608
        f"ON CONFLICT (bucket, slot) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )
    with translate_db_errors(), connection.cursor() as cursor:
        cursor.execute(sql, [bucket, slot, expires])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def read_counter(bucket: str, *, slot: int) -> int:
    """The count of `bucket` in window `slot` so far (0 when nothing was counted)."""
    with translate_db_errors():
        found = RateCounter.objects.filter(bucket=bucket, slot=slot).values_list("count", flat=True).first()
    return int(found or 0)


def delete_counters(*, expired_at: float) -> int:
    """Delete the counters of windows that ended by `expired_at`; return how many went."""
    with translate_db_errors():
        deleted, _ = RateCounter.objects.filter(expires__lte=expired_at).delete()
    return deleted
