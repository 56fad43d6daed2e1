"""The node's key and the assembly state replayed per record, cached by head across appends."""

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from ayllu.core.assembly.replay import AssemblyState, apply_entry, initial_state
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, BodyKey, parse_entry
from ayllu.storage import models
from ayllu.storage.keyfiles import load_or_create_key_file


@lru_cache(maxsize=4)
def _node_key_at(path: Path) -> Keypair:
    return load_or_create_key_file(path)


def node_keypair() -> Keypair:
    """The node's signing key, created (mode 0600) on first use."""
    return _node_key_at(Path(settings.AYLLU_NODE_KEY_FILE))


# --- replayed state, cached per record and keyed by head -----------------------------------------
@dataclass(frozen=True, slots=True)
class Replayed:
    """The assembly state after entries 1..seq, whose last entry hash is `head`."""

    seq: int
    head: str
    state: AssemblyState


# One per record this process appends to; see take_current_state for who may hold a state. Threads
# of one process share it: a state is taken out, compared or put back under _states_lock.
replayed_states: dict[str, Replayed] = {}
_states_lock = threading.Lock()


def keep_state(log: str, replayed: Replayed) -> None:
    """Put the state an append committed (or left unchanged) in the cache."""
    with _states_lock:
        replayed_states[log] = replayed


def _take_state(log: str, *, only: Replayed | None = None) -> Replayed | None:
    """Take the cached state out (only if it is `only`, when given)."""
    with _states_lock:
        cached = replayed_states.get(log)
        if cached is None or (only is not None and cached is not only):
            return None
        return replayed_states.pop(log)


def _bodies_for(record: models.Record, hashes: Iterable[str]) -> dict[BodyKey, Body | None]:
    found: dict[BodyKey, Body | None] = {}
    wanted = list(set(hashes))
    for start in range(0, len(wanted), 500):
        rows = models.Body.objects.filter(record=record, hash__in=wanted[start : start + 500])
        for hash, vis, raw in rows.values_list("hash", "vis", "raw"):
            found[(hash, vis)] = None if raw is None else Body(bytes(raw), vis)
    return found


def _replay_from(record: models.Record, base: Replayed) -> Replayed:
    state, seq, head = base.state, base.seq, base.head
    rows = models.Entry.objects.filter(record=record, seq__gt=seq).order_by("seq")
    for chunk in _chunks(rows.values_list("header", flat=True).iterator(chunk_size=1000), 1000):
        entries = [parse_entry(bytes(raw)) for raw in chunk]
        bodies = _bodies_for(record, (e.act.body for e in entries))
        for entry in entries:
            state = apply_entry(state, entry, bodies.get((entry.act.body, entry.act.vis)))
            seq, head = entry.seq, entry.hash
    return Replayed(seq, head, state)


def _chunks(items: Iterator[bytes | memoryview], size: int) -> Iterator[list[bytes | memoryview]]:
    chunk: list[bytes | memoryview] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def take_current_state(record: models.Record) -> Replayed:
    """The replayed state at the record's head: from the cache, caught up, or replayed in full.

    Replay may change a state in place, so the cached state is taken out while the record is locked
    and put back only by the append that committed on top of it: a failed write cannot leave a state
    in the cache that is ahead of the database.
    """
    cached = _take_state(record.log)
    if cached is not None and cached.seq == record.head_seq and cached.head == record.head_hash:
        return cached
    if cached is not None and cached.seq < record.head_seq:
        # Another process appended: catch up from the cached head if it is still in the record.
        at = models.Entry.objects.filter(record=record, seq=cached.seq).values_list("hash", flat=True).first()
        if cached.seq == 0 or at == cached.head:
            return _replay_from(record, cached)
    return _replay_from(record, Replayed(0, "", initial_state(record.log)))


def catch_up_unlocked(log: str) -> None:
    """Bring the cached state up to the committed head before the lock is taken.

    Committed entries are a prefix of the record whatever happens next, so replaying them outside
    the lock is safe, and the locked part of an append, which every writer waits for, usually has
    nothing left to replay.

    A state already at the head is left in the cache: taking it out to look (as before) raced with
    the writer holding the lock, which then found no state and replayed the whole record. It is
    taken out only to replay onto it (replay may change it in place), and only if it is still the
    one looked at.
    """
    cached = replayed_states.get(log)
    if cached is None:
        return
    record = models.Record.objects.filter(log=log).only("pk", "log", "head_seq").first()
    if record is not None and record.head_seq == cached.seq:
        return
    if _take_state(log, only=cached) is None:
        return  # taken by the writer holding the lock, or replaced by a newer state: leave it
    if record is None or record.head_seq < cached.seq:
        return
    at = models.Entry.objects.filter(record=record, seq=cached.seq).values_list("hash", flat=True).first()
    if at != cached.head:
        return
    keep_state(log, _replay_from(record, cached))


def forget_replayed_state() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    replayed_states.clear()
