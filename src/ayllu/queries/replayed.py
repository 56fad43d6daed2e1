"""The one replayed state per record that every read shares: pages, the API, login and membership checks.

Each process keeps, per record, the state replayed up to the record's head, the seqs of entries whose
body is not public, and answers derived from that state (`read_memo`), all keyed by the head. A read
checks the head with one indexed query, then reads under that record's shared lock: readers never wait
for each other. When the record grew, one reader catches the state up under the record's exclusive lock
(replay folds entries into the state in place, so nobody may read it meanwhile); an unrelated record is
never held up. Inside `one_head()` (a page's GET) the head is checked once and reused by every read.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

from ayllu.core.assembly.replay import AssemblyState, apply_entry, initial_state
from ayllu.core.ledger.record import Body, BodyKey, parse_entry
from ayllu.storage import models, reads
from ayllu.storage.errors import RecordNotFound

T = TypeVar("T")
_CHUNK = 1000


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer lets no new reader in, so catching up is not starved."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            while self._writer or self._waiting:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            self._waiting += 1
            while self._writer or self._readers:
                self._changed.wait()
            self._waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._changed:
                self._writer = False
                self._changed.notify_all()


class _Replayed:
    """A record's state after entries 1..seq (last hash `head`); changed only under `lock.writing()`."""

    __slots__ = ("confidential", "head", "lock", "memo", "private", "seq", "state")

    def __init__(self, log: str) -> None:
        self.lock = _ReadWriteLock()
        self.reset(log)

    def reset(self, log: str) -> None:
        self.seq, self.head, self.state = 0, "", initial_state(log)
        # seq -> (type, author) of every entry whose body is not public
        self.private: dict[int, tuple[str, str]] = {}
        self.confidential: set[int] = set()  # seqs of entries whose body is confidential
        self.memo: dict[str, Any] = {}


# The head query in the "format" (psycopg) and "qmark" (sqlite3) parameter styles.
_HEAD_SQL = (
    "SELECT head_seq, head_hash FROM ayllu_record WHERE log = %s",
    "SELECT head_seq, head_hash FROM ayllu_record WHERE log = ?",
)
_replayed: dict[str, _Replayed] = {}
_replayed_lock = threading.Lock()  # guards only the dict above, never a replay
_pinned = threading.local()


def _cached(log: str) -> _Replayed:
    found = _replayed.get(log)
    if found is None:
        with _replayed_lock:
            found = _replayed.setdefault(log, _Replayed(log))
    return found


def _fresh_head(log: str) -> tuple[int, str]:
    # A raw query on the driver's own cursor: this runs on every request that reads a record, and
    # building it with the ORM, or even going through Django's cursor wrapper, costs several times the
    # query itself (on SQLite about 21 us through the wrapper, 4 us without). Errors stay Django's. The
    # connection is looked up once: each attribute read through `django.db.connection` looks it up again.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is None:
        connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_HEAD_SQL[connection.vendor == "sqlite"], [log])
            row = cursor.fetchone()
        finally:
            cursor.close()
    if row is None:
        raise RecordNotFound(log=log)
    return int(row[0]), str(row[1])


def _head(log: str) -> tuple[int, str]:
    heads: dict[str, tuple[int, str]] | None = getattr(_pinned, "heads", None)
    if heads is None:
        return _fresh_head(log)
    if log not in heads:
        heads[log] = _fresh_head(log)
    return heads[log]


def get_head(log: str) -> tuple[int, str]:
    """The record's head (seq, hash) as this request's reads see it (checked once inside `one_head()`);
    raise RecordNotFound for an unknown record. Anything derived from the record is current while the
    head is the same: caches of our own are keyed by it."""
    return _head(log)


@contextmanager
def one_head() -> Iterator[None]:
    """Check each record's head once for every read inside (one page's reads see one head)."""
    if getattr(_pinned, "heads", None) is not None:
        yield
        return
    _pinned.heads = {}
    try:
        yield
    finally:
        _pinned.heads = None


def _bodies(record: models.Record, keys: set[BodyKey]) -> dict[BodyKey, Body | None]:
    rows = models.Body.objects.filter(record=record, hash__in=sorted({h for h, _ in keys}))
    return {
        (h, vis): None if raw is None else Body(bytes(raw), vis)
        for h, vis, raw in rows.values_list("hash", "vis", "raw")
    }


def _catch_up(replayed: _Replayed, log: str) -> None:
    """Bring `replayed` to the record's head; call only under `replayed.lock.writing()`."""
    record = reads.get_record(log)
    if (replayed.seq, replayed.head) == (record.head_seq, record.head_hash):
        return
    at = models.Entry.objects.filter(record=record, seq=replayed.seq).values_list("hash", flat=True)
    if replayed.seq > record.head_seq or (replayed.seq and at.first() != replayed.head):
        replayed.reset(log)  # rolled back, or another record under the same log: replay it whole
    replayed.memo = {}
    raws = reads.entry_bytes(record, after=replayed.seq)
    while chunk := [raw for _, raw in zip(range(_CHUNK), raws, strict=False)]:
        entries = [parse_entry(raw) for raw in chunk]
        bodies = _bodies(record, {(e.act.body, e.act.vis) for e in entries})
        for entry in entries:
            replayed.state = apply_entry(replayed.state, entry, bodies.get((entry.act.body, entry.act.vis)))
            if entry.act.vis != "public":
                replayed.private[entry.seq] = (entry.type, entry.author)
            if entry.act.vis == "confidential":
                replayed.confidential.add(entry.seq)
            replayed.seq, replayed.head = entry.seq, entry.hash


def _read(log: str, read: Callable[[_Replayed], T]) -> T:
    head = _head(log)
    replayed = _cached(log)
    with replayed.lock.reading():
        if (replayed.seq, replayed.head) == head:
            return read(replayed)
    with replayed.lock.writing():
        try:
            _catch_up(replayed, log)
        except RecordNotFound:
            with _replayed_lock:
                _replayed.pop(log, None)
            raise
        heads: dict[str, tuple[int, str]] | None = getattr(_pinned, "heads", None)
        if heads is not None:
            heads[log] = (replayed.seq, replayed.head)
        return read(replayed)


def read_state(log: str, read: Callable[[AssemblyState], T]) -> T:
    """Run `read` on the assembly's state at its head (raise RecordNotFound for an unknown record).

    `read` must not change the state, and must not keep it: copy what it returns out of it.
    """
    return _read(log, lambda replayed: read(replayed.state))


def _memo(log: str, name: str, compute: Callable[[_Replayed], T]) -> T:
    def read(replayed: _Replayed) -> T:
        memo = replayed.memo
        if name not in memo:
            memo[name] = compute(replayed)
        return memo[name]  # type: ignore[no-any-return]

    return _read(log, read)


def read_memo(log: str, name: str, compute: Callable[[AssemblyState], T]) -> T:
    """`compute(state)` at the head, computed once per head and shared: callers must not change it."""
    return _memo(log, name, lambda replayed: compute(replayed.state))


def read_private_memo(
    log: str, name: str, compute: Callable[[dict[int, tuple[str, str]], AssemblyState], T]
) -> T:
    """Like `read_memo`, with `private` too: the (type, author) of each entry whose body is not public,
    by seq."""
    return _memo(log, name, lambda replayed: compute(replayed.private, replayed.state))


def read_visibility_memo(
    log: str,
    name: str,
    compute: Callable[[dict[int, tuple[str, str]], frozenset[int], AssemblyState], T],
) -> T:
    """Like `read_private_memo`, with the seqs of confidential entries too (same head as the rest)."""
    return _memo(
        log,
        name,
        lambda replayed: compute(replayed.private, frozenset(replayed.confidential), replayed.state),
    )


def list_confidential_seqs(log: str) -> frozenset[int]:
    """The seqs of entries whose body is confidential: no read shows their words, not even to members."""
    return _memo(log, "confidential", lambda replayed: frozenset(replayed.confidential))


def forget_replayed_reads() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    with _replayed_lock:
        _replayed.clear()
