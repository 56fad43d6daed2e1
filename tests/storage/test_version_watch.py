"""What a serving process trusts of the records version it heard (storage/version_watch.py, decision 0034),
as the listener's thread tells it, without a server: tests/web/test_version_watch.py runs the listener on
PostgreSQL."""

import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from ayllu.storage import clock, version_watch
from ayllu.storage.version_watch import (
    HeardVersion,
    KeptWhileHeard,
    forget_kept_while_heard,
    heard_own_write,
    heard_records_version,
)


@pytest.fixture(autouse=True)
def listening(monkeypatch: pytest.MonkeyPatch) -> version_watch._Listening:
    """This process's listening state, fresh for each test, as if its listener ran here."""
    fresh = version_watch._Listening()
    fresh.pid = os.getpid()
    monkeypatch.setattr(version_watch, "_listening", fresh)
    return fresh


def test_nothing_is_trusted_before_the_listener_has_read_the_version() -> None:
    # given: a listener that has not connected yet
    # when: a write of this process commits
    heard_own_write(12)
    # then: the version is read from the database
    assert heard_records_version() is None


def test_what_was_heard_is_trusted_only_while_the_server_answers() -> None:
    # given: the listener has read the version
    version_watch._caught_up(7, fresh=True)
    now = time.monotonic()
    # then: trusted now, not once nothing was heard for longer than TRUSTED_FOR
    assert heard_records_version(now=now) == HeardVersion(1, 7)
    assert heard_records_version(now=now + version_watch.TRUSTED_FOR + 0.1) is None


def test_a_notification_or_a_write_of_this_process_moves_the_version_on_never_back() -> None:
    # given
    version_watch._caught_up(7, fresh=True)
    # when: notifications come out of order, and this process writes
    version_watch._notified(9)
    version_watch._notified(8)
    assert heard_records_version() == HeardVersion(1, 9)
    heard_own_write(10)
    heard_own_write(6)
    # then
    assert heard_records_version() == HeardVersion(1, 10)


def test_a_lower_read_is_not_trusted_and_the_next_read_starts_another_epoch() -> None:
    # given: the version heard at 10
    version_watch._caught_up(10, fresh=True)
    # when: the listener reads less (its read began before this process's commit, or the database was
    # restored from a backup)
    trusted = version_watch._caught_up(4)
    # then: nothing is trusted, until a read that starts a new epoch (heads read under the old one are
    # never taken for the new one's)
    assert not trusted
    assert heard_records_version() is None
    version_watch._caught_up(4, fresh=True)
    assert heard_records_version() == HeardVersion(2, 4)


def test_a_write_of_this_process_while_nothing_is_trusted_counts_at_the_next_read() -> None:
    # given: a write of this process committed while the listener was reconnecting
    heard_own_write(15)
    # when: its first read began before that commit
    version_watch._caught_up(14, fresh=True)
    # then: the write is known
    assert heard_records_version() == HeardVersion(1, 15)


def test_a_lost_connection_is_not_trusted() -> None:
    # given
    version_watch._caught_up(3, fresh=True)
    # when
    version_watch._lost()
    # then
    assert heard_records_version() is None


def test_a_forked_child_does_not_trust_its_parents_listener(listening: version_watch._Listening) -> None:
    # given: what the parent heard, in a process with another id
    version_watch._caught_up(3, fresh=True)
    listening.pid = os.getpid() + 1
    # then
    assert heard_records_version() is None


def test_on_sqlite_nothing_listens(db: None, sqlite_only: None) -> None:
    # given: the suite's node on SQLite
    threads = set(threading.enumerate())
    # when: pages are to be served
    version_watch.watch_records_version()
    # then: no thread started, and the version is read on each request
    assert set(threading.enumerate()) == threads
    assert heard_records_version() is None


def test_a_value_is_kept_while_its_version_is_heard_and_until_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a value per record that expires at a moment it names, read by counting the reads
    reads: list[int] = []
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now_datetime", lambda: now)
    kept: KeptWhileHeard[tuple[int, datetime | None]] = KeptWhileHeard(until=lambda value: value[1])

    def read(value: int, until: datetime | None = None) -> Callable[[], tuple[int, datetime | None]]:
        def reading() -> tuple[int, datetime | None]:
            reads.append(value)
            return value, until

        return reading

    # when nothing is heard, every get reads; nothing is kept
    assert [kept.get("a", read(1)), kept.get("a", read(2))] == [(1, None), (2, None)]
    # when a version is heard, the value read under it is kept while it is the one heard
    version_watch._caught_up(5, fresh=True)
    assert [kept.get("a", read(3)), kept.get("a", read(4))] == [(3, None), (3, None)]
    version_watch._notified(6)
    assert kept.get("a", read(5)) == (5, None)
    # and a value that expires is read again once its moment came, whatever the version
    later = now + timedelta(minutes=1)
    assert [kept.get("b", read(6, later)), kept.get("b", read(7, later))] == [(6, later), (6, later)]
    now = later
    assert kept.get("b", read(8)) == (8, None)
    # and forgetting drops every kept value
    forget_kept_while_heard()
    assert kept.get("a", read(9)) == (9, None)
    assert reads == [1, 2, 3, 5, 6, 8, 9]
