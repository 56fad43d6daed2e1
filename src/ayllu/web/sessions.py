"""Django's database sessions, read with one raw query (SESSION_ENGINE = "ayllu.web.sessions").

A logged-in member's every request loads the session: building that SELECT through the ORM cost more
than running it (about 40 % of a member's cached home page, issue 5). The row, the expiry check and
the decoding (signature checked) are Django's own; writing, creating and deleting are left to Django.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Sessions in the database table of django.contrib.sessions, loaded without the ORM."""

    def load(self) -> dict[str, Any]:
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does: a new key if anything is stored
            return {}
        return self.decode(row[0])
