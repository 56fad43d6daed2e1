"""Run the whole test suite: once on SQLite, then the tests that reach the database again on PostgreSQL.

Called by `make test` (and so by .ci/run). PostgreSQL runs are skipped with a message when no server is
reachable, unless AYLLU_REQUIRE_POSTGRES=1, which makes them mandatory.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest"]
POSTGRES_URL = os.environ.get("AYLLU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except Exception as exc:
        print(f"    PostgreSQL at {POSTGRES_URL} not reachable: {exc}")
        return False


def run(title: str, args: list[str], env: dict[str, str]) -> int:
    print(f"==> {title}", flush=True)
    print("    " + " ".join(args), flush=True)
    code = subprocess.call(args, cwd=ROOT, env=env)
    # pytest exits 5 when it collected nothing: that is a failure of the suite, never a pass.
    return code


def main(argv: list[str]) -> int:
    workers = os.environ.get("AYLLU_TEST_WORKERS", "2")
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    # --durations: every run's log ends with its slowest tests, where CI's time goes.
    common = ["-n", workers, "--dist", "loadgroup", "--durations=40", *argv]

    failures = []
    if run("test suite on SQLite", [*PYTEST, *common], env) != 0:
        failures.append("SQLite")

    if postgres_reachable():
        pg_env = {**env, "AYLLU_TEST_DB": "postgres"}
        db_tests = [
            str(p.relative_to(ROOT))
            for p in sorted((ROOT / "tests").iterdir())
            if p.is_dir() and p.name not in ("core", "browser", "__pycache__")
        ]
        # Only the tests that reach the suite's test database: the others (core rules, SQLite nodes
        # started as processes, template and catalogue checks) run the same on both, and already ran.
        only_db = ["--database-tests-only", "-m", "not postgres and not browser"]
        args = [*PYTEST, *common, *only_db, *db_tests]
        if run("database-backed tests again on PostgreSQL", args, pg_env) != 0:
            failures.append("PostgreSQL")
    elif os.environ.get("AYLLU_REQUIRE_POSTGRES") == "1":
        print("==> PostgreSQL is required (AYLLU_REQUIRE_POSTGRES=1) but not reachable")
        failures.append("PostgreSQL (unreachable)")
    else:
        print("==> skipping the PostgreSQL run: none reachable (AYLLU_REQUIRE_POSTGRES=1 requires it)")

    if failures:
        print(f"==> FAILED: {', '.join(failures)}")
        return 1
    print("==> all test runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
