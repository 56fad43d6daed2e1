"""Signed texts a citation carries, checked once per process and remembered by their exact bytes.

A citation carries two signed texts of another record: the cited entry's header (author and node
signatures) and a checkpoint (the node's). The same texts come back again and again: a credential is
cited by its seat and by every vote of its delegate, a vote's two citations often carry one
checkpoint, a checker reads an act's citations when the record is replayed and again when it compares
them with its copies of the cited records, and it reads the stored checkpoints of a cited record for
every citation of it. Whether a text parses and its signatures hold depends on its bytes alone, so a
text that was checked here once is not checked again: the parsed value is kept under the exact bytes
(never a hash of them, never a text that failed), at most `LIMIT` of each kind, the least recently
used dropped first. Nothing here trusts anything that was not checked in this process.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.record import Entry, parse_entry

# Per kind. A header is about 700 bytes and a checkpoint 300, kept with their parsed fields: a few MiB
# in all, enough for the credentials of a federation of 600 councils of four delegates to stay
# between their seats and their votes.
LIMIT = 4096

T = TypeVar("T")


class _Kept(Generic[T]):
    """Values checked from exact bytes, least recently used first; shared by the threads of a process."""

    def __init__(self, check: Callable[[bytes], T], *, limit: int) -> None:
        self._check, self._limit = check, limit
        self._kept: OrderedDict[bytes, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, raw: bytes) -> T:
        with self._lock:
            found = self._kept.get(raw)
            if found is not None:
                self._kept.move_to_end(raw)
                return found
        value = self._check(raw)  # raises for a text that does not hold: nothing is kept then
        with self._lock:
            self._kept[raw] = value
            while len(self._kept) > self._limit:
                self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _signed_header(raw: bytes) -> Entry:
    entry = parse_entry(raw)
    entry.check_signatures()
    return entry


_HEADERS: _Kept[Entry] = _Kept(_signed_header, limit=LIMIT)
_CHECKPOINTS: _Kept[Checkpoint] = _Kept(parse_checkpoint, limit=LIMIT)


def checked_header(raw: bytes) -> Entry:
    """The entry header `raw`, parsed and both its signatures checked (`parse_entry`, then
    `Entry.check_signatures`); raise as they do."""
    return _HEADERS.get(raw)


def checked_checkpoint(raw: bytes) -> Checkpoint:
    """The checkpoint `raw`, parsed and its signature checked (`parse_checkpoint`); raise as it does."""
    return _CHECKPOINTS.get(raw)


def forget_checked_texts() -> None:
    """Drop every text kept, so that the next check of each is done afresh (tests, benchmarks)."""
    _HEADERS.clear()
    _CHECKPOINTS.clear()
