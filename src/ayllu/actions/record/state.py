"""The node's key, and the write path's use of the one cache of replayed states (storage/replayed.py)."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from ayllu.core.ledger.keys import Keypair
from ayllu.storage import models, reads, replayed
from ayllu.storage.keyfiles import load_or_create_key_file
from ayllu.storage.reads import record_head
from ayllu.storage.replayed import Replayed
from ayllu.storage.served import forget_served


@lru_cache(maxsize=4)
def _node_key_at(path: Path) -> Keypair:
    return load_or_create_key_file(path)


def node_keypair() -> Keypair:
    """The node's signing key, created (mode 0600) on first use."""
    return _node_key_at(Path(settings.AYLLU_NODE_KEY_FILE))


# --- replayed state: the one cache of storage/replayed.py ------------------------------------------
def take_current_state(record: models.Record) -> Replayed:
    """A state of the caller's own at the record's head (the caller holds the record's write lock and
    folding lock): the cached state, taken out of the cache (`draft_from`), caught up if another process
    appended, or replayed in full.

    The caller folds its entries into it and publishes it once they are committed, so a failed write
    never leaves a state ahead of the database where readers could see it.
    """
    cached = replayed.get(record.log)
    if cached is not None and cached.seq <= record.head_seq and _still_in(record, cached):
        draft = replayed.draft_from(record.log, cached)
        if draft is not None:
            return replayed.fold(record, draft) if draft.seq < record.head_seq else draft
    return replayed.fold(record, replayed.fresh(record.log))


def _still_in(record: models.Record, cached: Replayed) -> bool:
    """Whether the cached state's head is still an entry of the record (it was not rolled back)."""
    if cached.seq == record.head_seq:
        return cached.head == record.head_hash
    if cached.seq == 0:
        return True
    return reads.entry_hash(record, cached.seq) == cached.head


def catch_up_unlocked(log: str) -> None:
    """Bring the cached state up to the committed head before the lock is taken.

    Committed entries are a prefix of the record whatever happens next, so replaying them outside
    the lock is safe, and the locked part of an append, which every writer waits for, usually has
    nothing left to replay. A state at the head is left where it is; one behind is taken, folded
    forward and published under the record's folding lock.
    """
    cached = replayed.get(log)
    if cached is None:
        return
    record = record_head(log)
    if record is None or record.head_seq <= cached.seq or not _still_in(record, cached):
        return
    with replayed.folding_lock(log):
        if replayed.get(log) is not cached:
            return  # taken by the writer holding the lock, or replaced by a newer state: leave it
        draft = replayed.draft_from(log, cached)
        if draft is not None:
            replayed.publish(log, replayed.fold(record, draft))


def forget_replayed_state() -> None:
    """Drop every cached state and every check of what the node serves (tests use it to force a full
    replay and the checks a start makes)."""
    replayed.forget_all()
    forget_served()
