"""Signed texts a citation carries, checked once per process and remembered by their exact bytes.

A citation carries two signed texts of another record: the cited entry's header (author and node
signatures) and a checkpoint (the node's). The same texts come back again and again: a credential is
cited by its seat and by every vote of its delegate, a vote's two citations often carry one
checkpoint, a checker reads an act's citations when the record is replayed and again when it compares
them with its copies of the cited records, and it reads the stored checkpoints of a cited record for
every citation of it. Whether a text parses and its signatures hold depends on its bytes alone, so a
text that was checked here once is not checked again: the parsed value is kept under the exact bytes
(never a hash of them, never a text that failed), at most `LIMIT` of each kind, the least recently
used dropped first. Nothing kept here trusts anything that was not checked in this process.

A checker that compares citations with its own copies of the cited records may lend, for a scope
(`vouched_by`), a test of whether a header is byte for byte an entry it stored, or a checkpoint one it
kept: their signatures were checked when they were stored, so a cited text that is one of them is not
checked again. What it vouches for is kept for that scope only, never as checked for the process.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.record import Entry, parse_entry

# Per kind. A header is about 700 bytes and a checkpoint 300, kept with their parsed fields: a few MiB
# in all, enough for the credentials of a federation of 600 councils of four delegates to stay
# between their seats and their votes.
LIMIT = 4096

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Kept(Generic[K, T]):
    """Values checked from exact keys (bytes, or a tuple of exact values), least recently used first;
    shared by the threads of a process. `check` raises for a key that does not hold: none is kept."""

    def __init__(self, check: Callable[[K], T], *, limit: int) -> None:
        self._check, self._limit = check, limit
        self._kept: OrderedDict[K, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, raw: K) -> T:
        """The value checked from `raw`, checked now unless it was before."""
        found = self.known(raw)
        if found is not None:
            return found
        value = self._check(raw)  # raises for a text that does not hold: nothing is kept then
        self.note(raw, value)
        return value

    def known(self, raw: K) -> T | None:
        """The value kept for `raw`, without checking anything (None when none is kept)."""
        with self._lock:
            found = self._kept.get(raw)
            if found is not None:
                self._kept.move_to_end(raw)
            return found

    def note(self, raw: K, value: T) -> None:
        """Keep `value`, checked from `raw` by the caller."""
        with self._lock:
            self._kept[raw] = value
            self._kept.move_to_end(raw)
            while len(self._kept) > self._limit:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        """Keep nothing."""
        with self._lock:
            self._kept.clear()


def _signed_header(raw: bytes) -> Entry:
    entry = parse_entry(raw)
    entry.check_signatures()
    return entry


_HEADERS: Kept[bytes, Entry] = Kept(_signed_header, limit=LIMIT)
_CHECKPOINTS: Kept[bytes, Checkpoint] = Kept(parse_checkpoint, limit=LIMIT)
# Everything else kept this way (the citations read whole, core.ledger.citations), to forget at once.
_OTHERS: list[Kept[Any, Any]] = []


class Stored(Protocol):
    """What a checker stored after checking its signatures, by exact bytes (`vouched_by`)."""

    def stores(self, entry: Entry) -> bool:
        """Whether `entry.raw` is byte for byte an entry header stored at its place in its record."""
        ...

    def keeps(self, checkpoint: Checkpoint) -> bool:
        """Whether `checkpoint.raw` is byte for byte a checkpoint kept with its record."""
        ...


@dataclass(slots=True)
class _Vouching:
    stored: Stored
    headers: dict[bytes, Entry] = field(default_factory=dict)
    checkpoints: dict[bytes, Checkpoint] = field(default_factory=dict)


_VOUCHING: ContextVar[_Vouching | None] = ContextVar("ayllu_vouching", default=None)


@contextmanager
def vouched_by(stored: Stored) -> Iterator[None]:
    """Within this scope, a header or a checkpoint that `stored` stores (its exact bytes, its signatures
    checked when stored) is taken without checking its signatures again."""
    token = _VOUCHING.set(_Vouching(stored))
    try:
        yield
    finally:
        _VOUCHING.reset(token)


def checked_header(raw: bytes) -> Entry:
    """The entry header `raw`, parsed and both its signatures checked (`parse_entry`, then
    `Entry.check_signatures`), or vouched for in this scope (`vouched_by`); raise as they do."""
    vouching = _VOUCHING.get()
    if vouching is None:
        return _HEADERS.get(raw)
    found = _HEADERS.known(raw) or vouching.headers.get(raw)
    if found is not None:
        return found
    entry = parse_entry(raw)
    if vouching.stored.stores(entry):
        vouching.headers[raw] = entry
        return entry
    entry.check_signatures()
    _HEADERS.note(raw, entry)
    return entry


def checked_checkpoint(raw: bytes) -> Checkpoint:
    """The checkpoint `raw`, parsed and its signature checked (`parse_checkpoint`), or vouched for in
    this scope (`vouched_by`); raise as it does."""
    vouching = _VOUCHING.get()
    if vouching is None:
        return _CHECKPOINTS.get(raw)
    found = _CHECKPOINTS.known(raw) or vouching.checkpoints.get(raw)
    if found is not None:
        return found
    checkpoint = parse_checkpoint(raw, check_signature=False)
    if vouching.stored.keeps(checkpoint):
        vouching.checkpoints[raw] = checkpoint
        return checkpoint
    return _CHECKPOINTS.get(raw)


def known_checkpoint(raw: bytes) -> Checkpoint | None:
    """The checkpoint `raw` if its signature was checked in this process (None: check it)."""
    return _CHECKPOINTS.known(raw)


def known_header(raw: bytes) -> Entry | None:
    """The entry header `raw` if its signatures were checked in this process (None: check them)."""
    return _HEADERS.known(raw)


def note_checked_header(entry: Entry) -> None:
    """Keep `entry`, whose signatures the caller checked over its exact bytes (verification, which
    checks every entry's in batches), so that a citation of it later is not checked again."""
    _HEADERS.note(entry.raw, entry)


def forget_checked_texts() -> None:
    """Drop every text kept, so that the next check of each is done afresh (tests, benchmarks)."""
    _HEADERS.clear()
    _CHECKPOINTS.clear()
    for kept in _OTHERS:
        kept.clear()


def kept_for_process(check: Callable[[K], T], *, limit: int = LIMIT) -> Kept[K, T]:
    """A new store of values checked from exact keys, forgotten with the others."""
    kept: Kept[K, T] = Kept(check, limit=limit)
    _OTHERS.append(kept)
    return kept
