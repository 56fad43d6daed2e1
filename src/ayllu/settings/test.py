"""Tests: SQLite by default; `AYLLU_TEST_DB=postgres` runs the same suite on PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, database_from_url, sqlite_database

DATA_DIR = Path(tempfile.mkdtemp(prefix="ayllu-test-"))
AYLLU_NODE_KEY_FILE = DATA_DIR / "node.key"
STATIC_ROOT = DATA_DIR / "static"
CACHES["sessions"]["LOCATION"] = DATA_DIR / "cache" / "sessions"

if os.environ.get("AYLLU_TEST_DB") == "postgres":
    DATABASES = {
        "default": database_from_url(
            os.environ.get("AYLLU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
        )
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "test.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
