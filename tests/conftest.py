"""Fixtures shared by the whole suite.

PostgreSQL: tests that need it take the `postgres_url` fixture (a fresh, empty database of their own).
They skip when no server is reachable, unless AYLLU_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the
skip into a failure so CI cannot pass without them.

`--database-tests-only` keeps the tests that reach the suite's test database (AYLLU_TEST_DB chooses it):
the PostgreSQL run of scripts/run_tests.py passes it, since a test that never reaches that database runs
the same on both. Nodes started as processes never read AYLLU_TEST_DB (factories/nodes.py strips every
AYLLU_ variable); a test whose child process does read it is marked `database`.
"""

import os
import secrets
from collections.abc import Iterable, Iterator

import pytest
from hypothesis import HealthCheck, settings

# Property tests prove invariants, not speed: on a loaded 2-core machine an example may take seconds,
# which Hypothesis' default deadline (200 ms) and its too-slow health check report as failures.
settings.register_profile("ayllu", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ayllu")

# Fixtures through which a test reaches the suite's test database: pytest-django's, and the session one
# that creates it, which a module-scoped scene asks for before writing under `django_db_blocker.unblock()`
# (the blocker itself is in every test's closure, through an autouse fixture of pytest-django).
DATABASE_FIXTURES = frozenset(
    {"_django_db_helper", "db", "transactional_db", "live_server", "django_db_setup"}
)

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="deselect the tests that never reach the suite's test database (see tests/conftest.py)",
    )


def declares_database(item: pytest.Item, fixturenames: Iterable[str]) -> bool:
    """Whether a test says it reaches the suite's test database: by a marker or a fixture it asks for."""
    marked = item.get_closest_marker("django_db") or item.get_closest_marker("database")
    return bool(marked) or not DATABASE_FIXTURES.isdisjoint(fixturenames)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("database_tests_only"):
        return
    kept, left = [], []
    for item in items:
        (kept if declares_database(item, getattr(item, "fixturenames", ())) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True)
def _database_use_declared(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that reached the test database through a fixture it asked for only at run time
    without saying so: `--database-tests-only` would leave it out of the PostgreSQL run."""
    yield
    item = request.node
    if declares_database(item, item.fixturenames):
        return
    reached = sorted(DATABASE_FIXTURES.intersection(request.fixturenames))
    if reached:
        pytest.fail(
            f"{item.nodeid} reached the test database ({', '.join(reached)}) through a fixture asked for at "
            "run time: mark it @pytest.mark.django_db so the PostgreSQL run keeps it"
        )
