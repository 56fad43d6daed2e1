"""Login rate limits are counted in the database: shared by every worker process, reset per window."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from ayllu.actions.rate_limits import do_count_attempt, do_prune_attempts
from ayllu.storage.models import RateCounter
from factories.nodes import AYLLU, node_env

WORKER = str(Path(__file__).with_name("rate_worker.py"))
WINDOW = 600
MOMENT = 1_800_000_000.0


def two_workers(env: dict[str, str], *, limit: int, attempts: int) -> list[str]:
    subprocess.run([AYLLU, "init"], env=env, check=True, capture_output=True, timeout=300)
    command = [sys.executable, WORKER, str(limit), str(attempts)]
    workers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0
        outcomes += out.split()
    return outcomes


@pytest.mark.slow  # two worker processes and `ayllu init`
def test_limit_holds_across_two_worker_processes_on_sqlite(tmp_path: Path) -> None:
    # given: a node on SQLite served by two processes, 12 challenges allowed per address
    env = node_env(tmp_path / "node", None)
    # when: each process is asked for 20 challenges by the same address at the same time
    outcomes = two_workers(env, limit=12, attempts=20)
    # then: 12 in all, not 12 per process
    assert outcomes.count("ok") == 12
    assert outcomes.count("limited") == 28


@pytest.mark.postgres
def test_limit_holds_across_two_worker_processes_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    # given: a node on PostgreSQL served by two processes
    env = node_env(tmp_path / "node", postgres_url)
    # when
    outcomes = two_workers(env, limit=12, attempts=20)
    # then
    assert outcomes.count("ok") == 12
    assert outcomes.count("limited") == 28


def test_each_count_is_added_to_what_another_connection_counted(transactional_db: None) -> None:
    # given: one attempt counted in this thread's database connection
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    assert do_count_attempt("login-ip:192.0.2.1", moment=MOMENT, window=WINDOW) == 1

    # when: the next is counted in another thread, which Django gives a connection of its own
    def elsewhere() -> int:
        try:
            return do_count_attempt("login-ip:192.0.2.1", moment=MOMENT + 1, window=WINDOW)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        second = pool.submit(elsewhere).result()
    # then
    assert second == 2
    assert do_count_attempt("login-ip:192.0.2.1", moment=MOMENT + 2, window=WINDOW) == 3


def test_a_new_window_starts_from_one_and_deletes_ended_windows(db: None) -> None:
    # given: three attempts in one window, by two buckets
    for _ in range(3):
        do_count_attempt("login-ip:192.0.2.1", moment=MOMENT, window=WINDOW)
    do_count_attempt("login-key:ab", moment=MOMENT, window=WINDOW)
    # when: the window has ended
    later = MOMENT + WINDOW
    count = do_count_attempt("login-ip:192.0.2.1", moment=later, window=WINDOW)
    # then: the count starts again, and the ended window's rows are gone
    assert count == 1
    assert list(RateCounter.objects.values_list("bucket", "count")) == [("login-ip:192.0.2.1", 1)]


def test_pruning_keeps_the_current_window(db: None) -> None:
    # given: a count in a window about to end, and one in the next window
    do_count_attempt("login-ip:192.0.2.1", moment=MOMENT, window=WINDOW)
    slot = int(MOMENT // WINDOW) + 1
    RateCounter.objects.create(
        bucket="login-ip:192.0.2.2", slot=slot, count=1, expires=float((slot + 1) * WINDOW)
    )
    # when: the first window has ended
    deleted = do_prune_attempts(moment=MOMENT + WINDOW)
    # then
    assert deleted == 1
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["login-ip:192.0.2.2"]


@pytest.mark.parametrize(
    ("language", "path", "message"),
    [
        (
            "en",
            "/en/assembly/{}/login/challenge/",
            "Too many attempts to log in. Wait a few minutes and try again.",
        ),
        (
            "es",
            "/es/asamblea/{}/entrar/desafio/",
            "Demasiados intentos de entrar. Espere unos minutos e intente de nuevo.",
        ),
    ],
)
def test_rate_limited_answer_says_so_in_the_page_language(
    db: None, settings, language: str, path: str, message: str
) -> None:
    # given: an address that already asked for its one challenge of the window
    settings.AYLLU_LOGIN_CHALLENGES_PER_ADDRESS = 1
    log = "a" * 64
    Client().post(path.format(log))
    # when
    response = Client().post(path.format(log))
    # then
    assert response.status_code == 429
    assert response.json() == {
        "code": "login_rate_limited",
        "message": message,
        "detail": {"seconds": settings.AYLLU_LOGIN_WINDOW_SECONDS},
    }
