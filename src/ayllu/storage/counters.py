"""Counters shared by every process of a node, one atomic upsert per count (decision 0004).

Besides the rate limits' windows, one counter never expires: the node's records version, which every
write transaction of a record moves on (`db.write_transaction`, in the same transaction), so a page made
from many records' heads can tell by one single-row read that none of them changed.
"""

from django.db import connection, transaction

from .db import fetch_one, translate_db_errors
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


# The records version's row: a bucket no rate limit uses, its only window, kept for ever.
RECORDS_VERSION = "ayllu:records-version"
_NEVER = 1e300


def note_records_written() -> None:
    """Move the node's records version on: call inside a transaction that writes a record's rows
    (entries, head, checkpoints, seal), as its last statement, so the row's lock is held only for
    the commit. Once it commits, this process knows the new version at once (`version_watch`): a
    worker reads its own writes, whatever another process hears of them and when."""
    from .version_watch import heard_own_write  # which reads the version with this module's query

    count = bump_counter(RECORDS_VERSION, slot=0, expires=_NEVER)
    transaction.on_commit(lambda: heard_own_write(count))


# The table the version's row is in (a page's key reads it beside a record's head: queries/replayed.py).
VERSION_TABLE = RateCounter._meta.db_table
# The version's read in the "format" (psycopg) and "qmark" (sqlite3) parameter styles.
VERSION_SQL = (
    f"SELECT count FROM {VERSION_TABLE} WHERE bucket = %s AND slot = 0",  # noqa: S608
    f"SELECT count FROM {VERSION_TABLE} WHERE bucket = ? AND slot = 0",  # noqa: S608
)


def read_records_version() -> int:
    """The node's records version: it changes with every committed write of any record held here
    (one indexed single-row read, as `queries.replayed` reads a head)."""
    with translate_db_errors():
        row = fetch_one(VERSION_SQL, [RECORDS_VERSION])
    return 0 if row is None else int(row[0])
