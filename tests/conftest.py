"""Fixtures shared by the whole suite.

PostgreSQL: tests that need it take the `postgres_url` fixture (a fresh, empty database of their own).
They skip when no server is reachable, unless AYLLU_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the
skip into a failure so CI cannot pass without them.
"""

import os
import secrets
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# Property tests prove invariants, not speed: on a loaded 2-core machine an example may take seconds,
# which Hypothesis' default deadline (200 ms) and its too-slow health check report as failures.
settings.register_profile("ayllu", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ayllu")

POSTGRES_ADMIN_URL = os.environ.get("AYLLU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _require(what: str) -> bool:
    return os.environ.get(f"AYLLU_REQUIRE_{what}") == "1"


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of a reachable PostgreSQL, or skip (fail when AYLLU_REQUIRE_POSTGRES=1)."""
    if not postgres_reachable():
        if _require("POSTGRES"):
            pytest.fail(
                f"PostgreSQL is required (AYLLU_REQUIRE_POSTGRES=1) but {POSTGRES_ADMIN_URL} is unreachable"
            )
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_ADMIN_URL}")
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg
    from psycopg import sql

    # AYLLU_TEST_DB_PREFIX: a name of one's own, to tell one's databases from others' on a shared server.
    name = f"{os.environ.get('AYLLU_TEST_DB_PREFIX', 'ayllu_t_')}{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, _ = postgres_server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
