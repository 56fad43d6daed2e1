"""Django's database sessions, read with one raw query (SESSION_ENGINE = "ayllu.web.sessions").

A logged-in member's every request loads the session: building that SELECT through the ORM, and even
running it through Django's cursor wrapper, cost many times the query itself (the ORM's load was about
40 % of a member's cached home page, issue 5), and checking the signature of the stored data and
decoding it cost as much as the query. The SELECT is built once per kind of database, and the expiry
bound written out on SQLite (`expiry_bound`): Django's conversion cost 4 us. The row and the expiry
check are Django's own; the decoded data is remembered per stored text (the same signed text always
decodes to the same data, so nothing can go stale: a changed or deleted session is a different text,
or no row), for data made of plain values only, at most `MEMO_SIZE` of them. Writing, creating and
deleting are left to Django.
"""

import datetime
import functools
import threading
from collections import OrderedDict
from typing import Any

from django.contrib.sessions.backends import db
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.dispatch import receiver
from django.utils import timezone

MEMO_SIZE = 4096
_PLAIN = (str, int, float, bool, type(None))
_decoded: OrderedDict[bytes | str, dict[str, Any]] = OrderedDict()
_decoded_lock = threading.Lock()


@receiver(setting_changed)
def _forget_decoded(**kwargs: Any) -> None:
    """A changed SECRET_KEY (in tests) must check every signature again."""
    with _decoded_lock:
        _decoded.clear()


_queries: dict[tuple[str, str], str] = {}


# Django's store imports its model on every new store (once per request): once is enough.
@functools.cache
def _model() -> type[Model]:
    return db.SessionStore.get_model_class()


def _query(connection: BaseDatabaseWrapper, table: str) -> str:
    """The session's SELECT for this kind of database, in its driver's own parameter style."""
    query = _queries.get((connection.vendor, table))
    if query is None:
        quoted = connection.ops.quote_name(table)
        mark = "?" if connection.vendor == "sqlite" else "%s"
        query = f"SELECT session_data FROM {quoted} WHERE session_key = {mark} AND expire_date > {mark}"  # noqa: S608
        _queries[(connection.vendor, table)] = query
    return query


def expiry_bound(connection: BaseDatabaseWrapper, moment: datetime.datetime) -> object:
    """`moment` (aware) as the database compares it with `expire_date`: what Django's
    `adapt_datetimefield_value` gives, without its cost (4 us of a member's every request) on SQLite in
    UTC, the one case written out here (tests/web/test_sessions.py compares the two)."""
    if connection.vendor == "sqlite" and connection.timezone is datetime.UTC:
        return str(moment.astimezone(datetime.UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(moment)


class SessionStore(db.SessionStore):
    """Sessions in the database table of django.contrib.sessions, loaded without the ORM."""

    def load(self) -> dict[str, Any]:
        model = _model()
        connection = connections[router.db_for_read(model)]
        query = _query(connection, model._meta.db_table)
        # On the driver's own cursor: Django's cursor wrapper cost several times the query (see
        # queries/replayed.py's head query). Errors stay Django's.
        if connection.connection is None:
            connection.ensure_connection()
        with connection.wrap_database_errors:
            cursor = connection.connection.cursor()
            try:
                cursor.execute(query, [self.session_key, expiry_bound(connection, timezone.now())])
                row = cursor.fetchone()
            finally:
                cursor.close()
        if row is None:
            self._session_key = None  # as Django does: a new key if anything is stored
            return {}
        return self.decode(row[0])

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        found = _decoded.get(session_data)
        if found is not None:
            return dict(found)
        data: dict[str, Any] = super().decode(session_data)
        if data and all(isinstance(value, _PLAIN) for value in data.values()):
            with _decoded_lock:
                _decoded[session_data] = dict(data)
                while len(_decoded) > MEMO_SIZE:
                    _decoded.popitem(last=False)
        return data
