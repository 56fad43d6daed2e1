"""Work run again in a daemon thread: a failing pass is logged and the next one runs; stop ends it."""

import threading

import pytest

from ayllu.storage.periodic import run_every, start_daemon


@pytest.mark.django_db
def test_a_failing_pass_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture) -> None:
    # given: work that fails on its first pass and stops the loop on its second
    stop = threading.Event()
    passes: list[int] = []

    def work() -> None:
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("first pass")
        stop.set()

    # when
    run_every(stop, work, seconds=0.01, what="a test pass")

    # then
    assert passes == [0, 1]
    assert "a test pass failed; the next one runs in 0.01 seconds" in caplog.text


@pytest.mark.django_db
def test_not_at_once_waits_first_and_a_stop_before_the_first_pass_runs_none() -> None:
    # given
    stop = threading.Event()
    stop.set()
    passes: list[int] = []

    # when
    run_every(stop, lambda: passes.append(1), seconds=0.01, what="a test pass", at_once=False)

    # then
    assert passes == []


@pytest.mark.django_db
def test_start_daemon_runs_until_stopped() -> None:
    # given
    ran = threading.Event()

    def run(stop: threading.Event) -> None:
        ran.set()
        stop.wait()

    # when
    thread, stop = start_daemon(run, name="ayllu-test")

    # then
    assert ran.wait(5) and thread.daemon and thread.name == "ayllu-test"
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
