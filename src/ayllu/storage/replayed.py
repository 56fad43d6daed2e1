"""One cache per process of replayed assembly states, shared by the write path and every read.

A state in the cache (`Replayed`) is published whole at a committed head, and readers use it without a
lock, counted while they are inside it. A writer (an append, or a reader catching up with another
process's appends) takes the state out of the cache under the record's folding lock, waits for the
readers still inside it to leave (a moment: reads are pure functions of the state), and folds its
entries into it; if a reader is still inside after `_WAIT` seconds, it folds into a copy instead. A
reader arriving meanwhile finds no state and waits on the folding lock until the writer publishes its
state, at the commit, or gives up (a failed append publishes nothing, and the next read replays the
record). So no reader ever sees a state that is being changed, and a write never copies the state of a
large assembly only because it was read (decision 0013).

The cache is bounded by an estimate of the memory its states hold (`AYLLU_REPLAY_CACHE_MB`): past it,
the least recently used assemblies are dropped, and the next read or write replays them from the
record (there are no snapshots of a state to start from).
"""

import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from django.conf import settings

from ayllu.core.assembly.replay import AssemblyState, apply_entry, copy_state, initial_state
from ayllu.core.assembly.state import frozen_view
from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import Body, Entry, parse_entry
from ayllu.core.ledger.verify import check_not_future

from . import clock, models, reads

_CHUNK = 1000
_MIB = 1024 * 1024
_WAIT = 0.05  # seconds a writer waits for readers to leave a state before it copies the state instead


@dataclass(slots=True, eq=False)
class Replayed:
    """The assembly state after entries 1..seq (last hash `head`), with what reads derive from it.

    Published states are shared: nothing may change `state`, `private` or `confidential` once the
    state is in the cache. `memo` holds answers computed from it (each computed once per head).
    """

    seq: int
    head: str
    state: AssemblyState
    # seq -> (type, author) of every entry whose body is not public
    private: dict[int, tuple[str, str]] = field(default_factory=dict)
    confidential: set[int] = field(default_factory=set)  # seqs of entries whose body is confidential
    size: int = 0  # estimated bytes held by the state
    memo: dict[str, Any] = field(default_factory=dict)
    readers: int = 0  # readers inside it now (changed under the cache's lock)
    pinned: int = 0  # pages holding it until they are rendered (`pin`): a writer copies it at once
    taken: bool = False  # a writer took it to fold into: no reader may enter it again
    owns_private: bool = False  # a draft's own `private` and `confidential` (not its base's)
    # The record's head (seq, hash) when reads stopped folding short of it, at an entry that breaks a
    # rule or is dated past the clock (`fold(stop_at_broken=True)`): that head is read at this state.
    stuck: tuple[int, str] | None = None
    # With `stuck`: the entry folding stopped at, and the code of the rule it breaks.
    broken: tuple[int, str] | None = None
    view: AssemblyState | None = None  # the read-only face readers get (`shared_state`)

    def serves(self, head: tuple[int, str]) -> bool:
        """Whether reads of the record at `head` read this state."""
        return (self.seq, self.head) == head or self.stuck == head


def shared_state(found: Replayed) -> AssemblyState:
    """The state of a published `found` as readers get it: read-only (`core.assembly.state.FrozenState`),
    made once per state (two readers may both make it: the same face)."""
    view = found.view
    if view is None:
        view = found.view = frozen_view(found.state)
    return view


def fresh(log: str) -> Replayed:
    """The state of a record before its first entry, owned by the caller."""
    return Replayed(0, "", initial_state(log), owns_private=True)


class _Cache:
    """Published states by log, least recently used first, within a budget of estimated bytes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.left = threading.Condition(self.lock)  # a reader left a state
        self.states: OrderedDict[str, Replayed] = OrderedDict()
        self.bytes = 0
        self.folding: dict[str, threading.RLock] = {}


_cache = _Cache()


def budget_bytes() -> int:
    """The memory the cache may hold, estimated, in bytes."""
    return int(getattr(settings, "AYLLU_REPLAY_CACHE_MB", 256)) * _MIB


def cached_bytes() -> int:
    """The estimated bytes the cached states hold now."""
    return _cache.bytes


def cached_logs() -> list[str]:
    """The logs whose state is cached, least recently used first."""
    with _cache.lock:
        return list(_cache.states)


def get(log: str) -> Replayed | None:
    """The published state of `log`, if cached, to look at its head (not to read it: see `reading`)."""
    with _cache.lock:
        return _cache.states.get(log)


def publish(log: str, replayed: Replayed) -> None:
    """Put a state in the cache, unless a state further along is there; evict past the budget."""
    with _cache.lock:
        there = _cache.states.get(log)
        if there is not None:
            if there.seq > replayed.seq:
                return
            _cache.bytes -= there.size
        replayed.owns_private = False  # readers may hold it from now on
        _cache.states[log] = replayed
        _cache.states.move_to_end(log)
        _cache.bytes += replayed.size
        budget = budget_bytes()
        while _cache.bytes > budget and len(_cache.states) > 1:
            _, dropped = _cache.states.popitem(last=False)
            _cache.bytes -= dropped.size


def forget(log: str) -> None:
    """Drop the state of `log` (its rows were replaced or rolled back)."""
    with _cache.lock:
        dropped = _cache.states.pop(log, None)
        if dropped is not None:
            _cache.bytes -= dropped.size


def forget_all() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    with _cache.lock:
        _cache.states.clear()
        _cache.bytes = 0


def folding_lock(log: str) -> threading.RLock:
    """The lock under which one record's state is taken out of the cache and folded into: a writer holds
    it from taking the state (after the record's write lock) until it publishes or gives up; a reader
    that finds no state at the head takes it to catch up. Readers of a cached state never take it."""
    with _cache.lock:
        return _cache.folding.setdefault(log, threading.RLock())


@contextmanager
def reading(log: str, head: tuple[int, str]) -> Iterator[Replayed | None]:
    """The published state of `log` if it is at `head` (else None), counted as read until the block ends."""
    with _cache.lock:
        found = _cache.states.get(log)
        if found is None or not found.serves(head) or found.taken:
            found = None
        else:
            _cache.states.move_to_end(log)
            found.readers += 1
    try:
        yield found
    finally:
        if found is not None:
            _leave(found)


@contextmanager
def reading_published(found: Replayed) -> Iterator[Replayed]:
    """Read a state this thread just published, under the record's folding lock (so no writer took it)."""
    with _cache.lock:
        if found.taken:
            raise RuntimeError("a state was taken while its folding lock was held")
        found.readers += 1
    try:
        yield found
    finally:
        _leave(found)


def pin(found: Replayed) -> None:
    """Keep a state a reader is inside for longer (a page's reads, `queries.replayed.one_head`): a writer
    does not wait for it, and folds into a copy. Call while inside it; `unpin` when done."""
    with _cache.lock:
        found.pinned += 1


def unpin(found: Replayed) -> None:
    """Let go of a state kept by `pin`."""
    with _cache.lock:
        found.pinned -= 1


def _leave(found: Replayed) -> None:
    with _cache.lock:
        found.readers -= 1
        if not found.readers:
            _cache.left.notify_all()


def draft_from(log: str, base: Replayed) -> Replayed | None:
    """A state of the caller's own at `base`'s head, to fold entries into (call under the record's
    folding lock): `base`'s state itself, taken out of the cache once its readers left, or a copy when
    one is still inside after `_WAIT`. None when another writer took `base` already."""
    with _cache.lock:
        if base.taken:
            return None
        base.taken = True
        if _cache.states.get(log) is base:
            del _cache.states[log]
            _cache.bytes -= base.size
        _cache.left.wait_for(lambda: not base.readers or base.pinned, timeout=_WAIT)
        if not base.readers and not base.pinned:
            return Replayed(base.seq, base.head, base.state, base.private, base.confidential, base.size)
    # Readers are still inside, and nobody will change it now that it is taken: copied without a lock.
    state = copy_state(base.state)
    return Replayed(base.seq, base.head, state, base.private, base.confidential, base.size)


def note_entry(draft: Replayed, entry: Entry, body: Body | None) -> None:
    """Record what reads need of an entry folded into `draft`: who wrote it, if its body is not public."""
    hidden = entry.act.split and (body is None or body.words is None)
    if hidden or entry.act.vis != "public":
        _own_private(draft)
        draft.private[entry.seq] = (entry.type, entry.author)
    if hidden or entry.act.vis == "confidential":
        _own_private(draft)
        draft.confidential.add(entry.seq)


def _own_private(draft: Replayed) -> None:
    if not draft.owns_private:  # its base's, which readers may hold: copied on the first change
        draft.private, draft.confidential = dict(draft.private), set(draft.confidential)
        draft.owns_private = True


def fold(
    record: models.Record,
    draft: Replayed,
    *,
    upto: int | None = None,
    refuse_altered: bool = False,
    stop_at_broken: bool = False,
) -> Replayed:
    """Fold the record's entries after `draft.seq` (up to `upto`) into `draft`, which the caller owns.

    With `stop_at_broken` (reads), an entry that breaks a rule or is dated past the clock ends the fold
    before it, and `draft.stuck` names the head so read: such an entry is in this node's rows only if
    its own key sealed it (storage/served.py checks the rows against the seal), and replicas refuse it;
    the node's pages show what holds before it. The write path folds without it, and fails.
    """
    before = draft.seq
    not_after = clock.latest_valid_time() if stop_at_broken else None
    raws = reads.entry_bytes(record, after=draft.seq, upto=upto)
    while chunk := [raw for _, raw in zip(range(_CHUNK), raws, strict=False)]:
        entries = [parse_entry(raw) for raw in chunk]
        bodies = reads.replay_bodies(record, entries, refuse_altered=refuse_altered)
        try:
            fold_entries(draft, ((entry, bodies[entry.seq]) for entry in entries), not_after=not_after)
        except DomainError as exc:
            if not stop_at_broken:
                raise
            draft.stuck, draft.broken = (record.head_seq, record.head_hash), (draft.seq + 1, exc.code)
            break
    estimate_after(draft, before=before)
    return draft


def fold_entries(
    draft: Replayed,
    entries: Iterable[tuple[Entry, Body | None]],
    *,
    applied: bool = False,
    not_after: int | None = None,
) -> None:
    """Fold entries with their bodies into `draft` (raise RuleError as replay does); `applied` when the
    caller already folded them into `draft.state` (the write path, which checks each act as it goes);
    `not_after` refuses an entry dated later (`entry_from_the_future`)."""
    for entry, body in entries:
        if not applied:
            check_not_future(entry, not_after)
            draft.state = apply_entry(draft.state, entry, body)
        note_entry(draft, entry, body)
        draft.seq, draft.head = entry.seq, entry.hash
        draft.memo = {}


def estimate_after(draft: Replayed, *, before: int) -> None:
    """Update the draft's size estimate: measured when replayed from the start, else scaled by the
    entries added (measuring walks the whole state, which an append must not do)."""
    if before == 0 or draft.size == 0:
        draft.size = estimate_size(draft.state) + sys.getsizeof(draft.private) * 2
    elif draft.seq > before:
        draft.size = draft.size * draft.seq // before


def estimate_size(obj: object) -> int:
    """The bytes `obj` and what it refers to hold, shared objects counted once (an estimate)."""
    seen: set[int] = set()
    total = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None or isinstance(item, bool):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, str | bytes | int | float):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in fields(item))
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())
    return total
