"""Tests: SQLite by default; `AYLLU_TEST_DB=postgres` runs the same suite on PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, database_from_url, sqlite_database

DATA_DIR = Path(tempfile.mkdtemp(prefix="ayllu-test-"))
AYLLU_NODE_KEY_FILE = DATA_DIR / "node.key"
AYLLU_PUSH_KEY_FILE = DATA_DIR / "push.key"
AYLLU_PUSH_HTTP_HOSTS = ("127.0.0.1",)
STATIC_ROOT = DATA_DIR / "static"
CACHES["sessions"]["LOCATION"] = DATA_DIR / "cache" / "sessions"

if os.environ.get("AYLLU_TEST_DB") == "postgres":
    DATABASES = {
        "default": database_from_url(
            os.environ.get("AYLLU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
        )
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's test database is test_<name> (pytest-django adds _gw0, _gw1, ...) on a server others may
    # share: a prefix of one's own (AYLLU_TEST_DB_PREFIX, as for the nodes' databases) keeps two runs'
    # test databases apart, so one run never drops or blocks the other's.
    if prefix := os.environ.get("AYLLU_TEST_DB_PREFIX"):
        DATABASES["default"]["TEST"] = {"NAME": f"{prefix}test"}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "test.sqlite3")}
    # A file, not Django's shared in-memory test database: the live server's request threads then each
    # open their own connection, isolated as on a real node. On one shared connection a page's read
    # could see another request's write half-done (its entry rows before its seal) and take it for
    # damage.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
