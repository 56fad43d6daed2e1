"""The statements the database driver runs, counted on its own connection: the page key's reads go to
the driver's cursor (storage.db.fetch_one), which Django's CaptureQueriesContext does not see."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def statements() -> Iterator[list[str]]:
    """The statements run inside: SQLite's trace callback, or a counting psycopg cursor class (each is a
    round trip to a PostgreSQL server)."""
    connection.ensure_connection()
    raw: Any = connection.connection
    ran: list[str] = []
    if connection.vendor == "sqlite":
        raw.set_trace_callback(ran.append)
        try:
            yield ran
        finally:
            raw.set_trace_callback(None)
        return
    factory = raw.cursor_factory

    class Counting(factory):  # type: ignore[misc, valid-type]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            ran.append(str(query))
            return super().execute(query, params, **kwargs)

    raw.cursor_factory = Counting
    try:
        yield ran
    finally:
        raw.cursor_factory = factory
