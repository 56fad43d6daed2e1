"""Reads of the one replayed state per record (storage/replayed.py): pages, the API, login, membership.

A read checks the record's head with one indexed query and reads the state published at that head,
with no lock: a published state never changes. When the record grew (in another process, or this node's
copy is being checked), one reader per record catches it up under that record's folding lock, on a
state of its own, and publishes it; an unrelated record is never held up. Answers derived from a state
(`read_memo`) are kept with it, so they are as current as its head. Inside `one_head()` (a page's GET)
the head is checked once and reused by every read.
"""

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from types import MappingProxyType
from typing import TypeVar

from ayllu.core.assembly.replay import AssemblyState
from ayllu.storage import reads, replayed
from ayllu.storage.counters import RECORDS_VERSION, VERSION_TABLE
from ayllu.storage.db import fetch_one
from ayllu.storage.errors import RecordNotFound
from ayllu.storage.replayed import Replayed
from ayllu.storage.served import RecordServed, check_record
from ayllu.storage.version_watch import KeptWhileHeard, forget_kept_while_heard, heard_records_version

T = TypeVar("T")


# The head query in the "format" (psycopg) and "qmark" (sqlite3) parameter styles.
_HEAD_SQL = (
    "SELECT head_seq, head_hash FROM ayllu_record WHERE log = %s",
    "SELECT head_seq, head_hash FROM ayllu_record WHERE log = ?",
)
# The head and the node's records version (storage/counters.py) in one statement: on PostgreSQL each
# statement is a round trip to the server, and a page's key reads both on every request.
_HEAD_AND_VERSION_SQL = (
    f"SELECT head_seq, head_hash, (SELECT count FROM {VERSION_TABLE} WHERE bucket = %s AND slot = 0)"  # noqa: S608
    " FROM ayllu_record WHERE log = %s",
    f"SELECT head_seq, head_hash, (SELECT count FROM {VERSION_TABLE} WHERE bucket = ? AND slot = 0)"  # noqa: S608
    " FROM ayllu_record WHERE log = ?",
)
_pinned = threading.local()
# Each record's head as read while the listener heard a records version (storage/version_watch.py).
_heads_heard: KeptWhileHeard[tuple[int, str]] = KeptWhileHeard()


def _fresh_head(log: str) -> tuple[int, str]:
    return _heads_heard.get(log, lambda: _read_head(log))


def _read_head(log: str) -> tuple[int, str]:
    # on every request that reads a record, unless heard: the driver's own cursor (storage.db.fetch_one)
    row = fetch_one(_HEAD_SQL, [log])
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


def get_head_and_records_version(log: str) -> tuple[tuple[int, str], int]:
    """The record's head, as `get_head` gives it, and the node's records version (which every write of
    any record held here moves on); raise RecordNotFound for an unknown record. Inside `one_head()` a
    head already checked stays this request's head.

    While this process's listener is live (PostgreSQL) the version is the one it heard and the head the
    one read under it: the database is not asked. Otherwise both are read in one statement."""
    heard = heard_records_version()
    if heard is not None:
        return _head(log), heard.count
    row = fetch_one(_HEAD_AND_VERSION_SQL, [RECORDS_VERSION, log])
    if row is None:
        raise RecordNotFound(log=log)
    head = (int(row[0]), str(row[1]))
    heads: dict[str, tuple[int, str]] | None = getattr(_pinned, "heads", None)
    if heads is not None:
        head = heads.setdefault(log, head)
    return head, int(row[2] or 0)


@contextmanager
def one_head() -> Iterator[None]:
    """Check each record's head once for every read inside, and read the state found then: one page's
    reads see one head, even if an append commits meanwhile (it folds into a copy, `replayed.pin`)."""
    if getattr(_pinned, "heads", None) is not None:
        yield
        return
    _pinned.heads, _pinned.states, _pinned.once = {}, {}, {}
    try:
        yield
    finally:
        for found in _pinned.states.values():
            replayed.unpin(found)
        _pinned.heads, _pinned.states, _pinned.once = None, None, None


def once_per_page(log: str, name: str, read: Callable[[], T]) -> T:
    """`read()`, something a page of `log` reads besides the record (node rows), read once inside
    `one_head()`: its key and its reads see one answer, as they see one head. Outside it, read each time."""
    once: dict[tuple[str, str], object] | None = getattr(_pinned, "once", None)
    if once is None:
        return read()
    if (log, name) not in once:
        once[log, name] = read()
    return once[log, name]  # type: ignore[return-value]


def _replay_verified(log: str, served: RecordServed, *, strict: bool = True, fresh: bool = False) -> Replayed:
    """Call under the record's folding lock."""
    record = reads.get_record(log)
    upto = record.head_seq
    if served.damage is not None and served.damage.seq is not None:
        upto = min(upto, served.damage.seq - 1)
    cached = None if fresh else replayed.get(log)
    at_head = cached is not None and (cached.seq < record.head_seq or cached.head == record.head_hash)
    if cached is not None and cached.seq == upto and at_head:
        return cached
    if cached is not None and cached.serves((record.head_seq, record.head_hash)):
        return cached  # stopped short of the head at an entry that does not hold: read there
    draft = None
    if cached is not None and cached.seq < upto:
        at = reads.entry_hash(record, cached.seq) if cached.seq else ""
        if at == cached.head:
            draft = replayed.draft_from(log, cached)
    if draft is None:
        # Rolled back, damaged below the cached head, another record under the same log, or none cached.
        replayed.forget(log)
        draft = replayed.fresh(log)
    replayed.fold(record, draft, upto=upto, refuse_altered=strict, stop_at_broken=True)
    replayed.publish(log, draft)
    return draft


def _pin(log: str, found: Replayed) -> None:
    """Inside `one_head()`, keep the state for every later read of the page (called while inside it)."""
    states: dict[str, Replayed] | None = getattr(_pinned, "states", None)
    if states is None:
        return
    replayed.pin(found)
    states[log] = found
    _pinned.heads[log] = (found.seq, found.head)


def _read(log: str, read: Callable[[Replayed], T]) -> T:
    states: dict[str, Replayed] | None = getattr(_pinned, "states", None)
    if states is not None and log in states:
        return read(states[log])
    head = _head(log)
    with replayed.reading(log, head) as found:
        if found is not None:
            _pin(log, found)
            return read(found)
    with ExitStack() as inside:
        try:
            found = _catch_up(log, inside)
        except RecordNotFound:
            replayed.forget(log)
            raise
        _pin(log, found)
        return read(found)


def _catch_up(log: str, inside: ExitStack) -> Replayed:
    """The state at the record's head, or at the entry before the first bad one when this node's copy
    failed its check (storage/served.py): pages show only what verifies. The state is entered as read
    in `inside` before the folding lock is let go, so no writer takes it meanwhile.

    The check runs before the folding lock is taken: it may write the record's seal, and a writer that
    holds the record's write lock may be waiting for the folding lock."""
    served = check_record(log)
    try:
        with replayed.folding_lock(log):
            found = _replay_verified(log, served)
            inside.enter_context(replayed.reading_published(found))
            return found
    except reads.AlteredRow:
        replayed.forget(log)
    # Checked again in full: the replay stops before the first bad entry, and a row the check did not
    # blame is left out like one not held rather than failing the page.
    served = check_record(log, suspect=True)
    with replayed.folding_lock(log):
        found = _replay_verified(log, served, strict=False, fresh=True)
        inside.enter_context(replayed.reading_published(found))
        return found


def read_state(log: str, read: Callable[[AssemblyState], T]) -> T:
    """Run `read` on the assembly's state at its head (raise RecordNotFound for an unknown record).

    The state is shared by every reader: its fields, maps, lists and sets are read-only (a change
    raises), and `copy_state` gives one of the caller's own to change. `read` must not change the
    objects it holds (members, proposals, ...), and must not keep the state: copy what it returns out
    of it.
    """
    return _read(log, lambda found: read(replayed.shared_state(found)))


def _memo(log: str, name: str, compute: Callable[[Replayed], T]) -> T:
    def read(found: Replayed) -> T:
        memo = found.memo
        if name not in memo:
            memo[name] = compute(found)  # two readers may both compute it: the same answer
        return memo[name]  # type: ignore[no-any-return]

    return _read(log, read)


def read_memo(log: str, name: str, compute: Callable[[AssemblyState], T]) -> T:
    """`compute(state)` at the head, computed once per head and shared: callers must not change it."""
    return _memo(log, name, lambda found: compute(replayed.shared_state(found)))


def _private(found: Replayed) -> Mapping[int, tuple[str, str]]:
    return MappingProxyType(found.private)  # read-only, like the state


def read_private_memo(
    log: str, name: str, compute: Callable[[Mapping[int, tuple[str, str]], AssemblyState], T]
) -> T:
    """Like `read_memo`, with `private` too: the (type, author) of each entry whose body is not public,
    by seq."""
    return _memo(log, name, lambda found: compute(_private(found), replayed.shared_state(found)))


def read_visibility_memo(
    log: str,
    name: str,
    compute: Callable[[Mapping[int, tuple[str, str]], frozenset[int], AssemblyState], T],
) -> T:
    """Like `read_private_memo`, with the seqs of confidential entries too (same head as the rest)."""
    return _memo(
        log,
        name,
        lambda found: compute(_private(found), frozenset(found.confidential), replayed.shared_state(found)),
    )


def get_broken_entry(log: str) -> tuple[int, str] | None:
    """(seq, code) of an entry of this node's copy that breaks a rule or is dated past the clock, where
    reads stopped (they show the assembly as before it), or None when every entry holds."""
    return _read(log, lambda found: found.broken if found.stuck is not None else None)


def list_confidential_seqs(log: str) -> frozenset[int]:
    """The seqs of entries whose body is confidential: no read shows their words, not even to members."""
    return _memo(log, "confidential", lambda found: frozenset(found.confidential))


def forget_replayed_reads() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    replayed.forget_all()
    forget_kept_while_heard()
