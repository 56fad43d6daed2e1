"""What a minute book needs besides each meeting's minutes: the meetings in order and the record's head.

The book is made at one head (inside `one_head()`): its minutes, its checkpoint (size and Merkle root)
and its date all come from the record at that head, never from the clock, so every replica at the same
head writes the same book.
"""

from dataclasses import dataclass

from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.ledger.record import parse_entry

from .record_tree import RecordTree
from .replayed import get_head, read_state
from .replication import iter_entries_in_range


@dataclass(frozen=True, slots=True)
class BookHead:
    """The record as the book shows it: `size` entries with Merkle root `root` (hex), the last written
    at `time` (milliseconds, the node time in its header)."""

    size: int
    root: str
    time: int


def get_book_head(log: str) -> BookHead:
    """The head the reads of this request see, with the root of the tree of its entries."""
    size = get_head(log)[0]
    if not size:
        return BookHead(size=0, root="", time=0)
    root = RecordTree(log, size=size).root(0, size).hex()
    header = next(iter_entries_in_range(log, first=size, last=size))
    return BookHead(size=size, root=root, time=parse_entry(header).time)


def list_meeting_ids(log: str) -> list[int]:
    """Every meeting's id, in the order they were convened (an id is the seq of its convening)."""

    def read(state: AssemblyState) -> list[int]:
        return sorted(state.meetings)

    return read_state(log, read)
