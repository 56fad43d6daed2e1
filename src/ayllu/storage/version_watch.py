"""The node's records version (storage/counters.py) known in a serving process without asking the database:
on PostgreSQL the server tells a listening connection of every change (LISTEN/NOTIFY, decision 0034).

Every write transaction of a record moves the version on, and a trigger on the version's row (migration
0019) sends the new value on `CHANNEL` when that transaction commits, whichever process wrote it (a page's
form, the CLI, `ayllu follow`, replication). One thread per serving process (`watch_records_version`)
listens on a connection of its own. What it heard is trusted only while it is known to be connected and
caught up; otherwise `heard_records_version()` answers None and callers read the version from the database
as before:

- after LISTEN it reads the version once: a write committed before LISTEN sent it nothing;
- every `HEARTBEAT` seconds it reads the version again, which also shows the connection still answers;
  a listener that has not heard from the server for `TRUSTED_FOR` seconds, lost its connection or never
  had one is not trusted;
- a write committed by this process is known at once (`heard_own_write`, on commit), not when its
  notification comes back, so a worker always reads its own writes.

What remains: another process's write is known here once its notification arrives (milliseconds after its
commit); a page asked for in between is the one from just before that write, as if asked a moment sooner.
On SQLite nothing listens and the version is read on each request.
"""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

from . import clock
from .counters import RECORDS_VERSION, VERSION_SQL
from .periodic import run_every, start_daemon

if TYPE_CHECKING:
    import psycopg

CHANNEL = "ayllu_records_version"
# the listener's connection as pg_stat_activity names it
LISTENER_NAME = "ayllu records version"
T = TypeVar("T")

# seconds between the listener's reads of the version, and how long what it heard is trusted without one
HEARTBEAT = 1.0
TRUSTED_FOR = 3.0
# seconds the listener waits for a notification before it looks whether it is to stop
WAKE = 0.25
# seconds before a listener that lost its connection (or never had one) tries again
RETRY = 1.0


@dataclass(frozen=True, slots=True)
class HeardVersion:
    """The records version as this process knows it: `count` within `epoch`, one per connection the
    listener made (a count is compared only with counts of its own epoch: a database restored from a
    backup counts again from lower)."""

    epoch: int
    count: int


@dataclass(frozen=True, slots=True)
class _Heard:
    version: HeardVersion
    # time.monotonic() when the server last answered the listener
    confirmed: float


class _Listening:
    """What the listener heard, swapped whole under `lock` and read without it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.heard: _Heard | None = None
        self.epoch = 0
        # the highest count a write of this process moved the version to while nothing was trusted: the
        # next catch-up starts from it if it read less (the read may have begun before that commit)
        self.own = 0
        self.pid = 0
        self.thread: threading.Thread | None = None
        self.stop: threading.Event | None = None


_listening = _Listening()


def heard_records_version(*, now: float | None = None) -> HeardVersion | None:
    """The records version as the listener heard it, or None while it is not known to be connected and
    caught up (then read the version from the database)."""
    heard = _listening.heard
    if heard is None or _listening.pid != os.getpid():
        return None  # a forked child holds its parent's answer, not a listener of its own
    if (time.monotonic() if now is None else now) - heard.confirmed > TRUSTED_FOR:
        return None
    return heard.version


class KeptWhileHeard(Generic[T]):
    """Per record, a value read while this process heard a records version, kept while the version heard
    is the same: what a record's rows say moves only in a write transaction, which moves the version on,
    and a value read after a version was heard is never older than it. `until` says when a value stops
    holding whatever the version (None: never), for what the clock alone changes."""

    def __init__(self, *, until: Callable[[T], datetime | None] | None = None) -> None:
        self._kept: dict[str, tuple[HeardVersion, T]] = {}
        self._until = until
        _kept_while_heard.append(self)

    def get(self, log: str, read: Callable[[], T]) -> T:
        """The value kept for `log` under the version heard now, else `read()`, kept when one is heard."""
        heard = heard_records_version()
        if heard is not None:
            known = self._kept.get(log)
            if known is not None and known[0] == heard and self._holds(known[1]):
                return known[1]
        value = read()
        if heard is not None:
            self._kept[log] = (heard, value)
        return value

    def _holds(self, value: T) -> bool:
        until = None if self._until is None else self._until(value)
        return until is None or clock.now_datetime() < until

    def forget(self) -> None:
        self._kept.clear()


_kept_while_heard: list[KeptWhileHeard[Any]] = []


def forget_kept_while_heard() -> None:
    """Drop every value kept while a version was heard (tests, as a restart would)."""
    for kept in _kept_while_heard:
        kept.forget()


def heard_own_write(count: int) -> None:
    """This process committed a write that moved the version to `count`: known here from now on (on
    commit, `counters.note_records_written`), whatever the notification's delay."""
    with _listening.lock:
        heard = _listening.heard
        if heard is None:
            _listening.own = max(_listening.own, count)
        elif count > heard.version.count:
            _listening.heard = _Heard(HeardVersion(heard.version.epoch, count), heard.confirmed)


def _caught_up(count: int, *, fresh: bool = False) -> bool:
    """The listener read `count` from the server; a fresh connection's first read (`fresh`) starts a new
    epoch. Answer whether what is heard is trusted now."""
    with _listening.lock:
        heard = _listening.heard
        if fresh or heard is None:
            _listening.epoch += 1
            count, _listening.own = max(count, _listening.own), 0
            _listening.heard = _Heard(HeardVersion(_listening.epoch, count), time.monotonic())
        elif count >= heard.version.count:
            _listening.heard = _Heard(HeardVersion(heard.version.epoch, count), time.monotonic())
        else:
            # Lower than what was known: a write of this process committed after the read began, or a
            # database that counts again from lower (restored). Not trusted until a read on a new epoch.
            _listening.heard = None
        return _listening.heard is not None


def _notified(count: int) -> None:
    with _listening.lock:
        heard = _listening.heard
        if heard is not None:
            epoch, known = heard.version.epoch, heard.version.count
            _listening.heard = _Heard(HeardVersion(epoch, max(count, known)), time.monotonic())


def _lost() -> None:
    with _listening.lock:
        _listening.heard = None


def _listen(stop: threading.Event) -> None:
    """Listen on a connection of its own until `stop` is set; raise when the connection fails."""
    import psycopg  # a node on SQLite never listens

    try:
        with psycopg.connect(**_listener_params(), autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            _caught_up(_read(conn), fresh=True)
            read_at = time.monotonic() + HEARTBEAT
            while not stop.is_set():
                # woken every WAKE seconds to see whether it is stopped
                for notice in conn.notifies(timeout=max(0.0, min(WAKE, read_at - time.monotonic()))):
                    _notified(int(notice.payload))
                if time.monotonic() >= read_at:
                    if not _caught_up(_read(conn)):
                        _caught_up(_read(conn), fresh=True)
                    read_at = time.monotonic() + HEARTBEAT
    finally:
        _lost()


def _listener_params() -> dict[str, Any]:
    """The parameters Django connects with, the listener named as such."""
    params: dict[str, Any] = connections[DEFAULT_DB_ALIAS].get_connection_params()
    return {"connect_timeout": 5, **params, "application_name": LISTENER_NAME}


def _read(conn: "psycopg.Connection[Any]") -> int:
    row = conn.execute(VERSION_SQL[0], [RECORDS_VERSION]).fetchone()
    return 0 if row is None else int(row[0])


def watch_records_version() -> None:
    """Start this process's listener, once (on PostgreSQL; nothing on SQLite): call where pages are
    served, never in a command that serves none."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return
    with _listening.lock:
        if _listening.thread is not None and _listening.pid == os.getpid() and _listening.thread.is_alive():
            return
        _listening.heard, _listening.pid = None, os.getpid()
        _listening.thread, _listening.stop = start_daemon(
            lambda stop: run_every(
                stop, lambda: _listen(stop), seconds=RETRY, what="listening for the records version"
            ),
            name="ayllu-records-version",
        )


def stop_watching_records_version(*, timeout: float = 10.0) -> None:
    """Stop this process's listener and wait for it (its connection closed): from then on the version is
    read from the database."""
    with _listening.lock:
        thread, stop = _listening.thread, _listening.stop
        _listening.thread, _listening.stop, _listening.heard = None, None, None
    if thread is not None and stop is not None:
        stop.set()
        thread.join(timeout)
