"""Who is a member of an assembly right now, as replaying its record says: the only source of authority.

Login and every authorisation check ask here. The answer is computed by replaying the stored record
(`core.replay`), never from a table a node could edit. Each process keeps one replayed state per
record and catches it up from the last replayed entry when the record grows, so asking costs one
indexed query when nothing was appended.
"""

import threading
from dataclasses import dataclass
from enum import StrEnum

from ayllu.core.record import Body, parse_entry
from ayllu.core.replay import AssemblyState, apply_entry, initial_state
from ayllu.storage import models, reads

__all__ = ["KeyStanding", "get_key_standing", "is_current_member", "list_current_member_keys"]


class KeyStanding(StrEnum):
    """What a key is to an assembly at the head of its record."""

    MEMBER = "member"  # the current key of an active member
    SUSPENDED = "suspended"  # the current key of a suspended member
    REPLACED = "replaced"  # a key its member replaced (lost device, rotation): refused from then on
    FORMER = "former"  # the key of someone who left
    UNKNOWN = "unknown"  # never a member's key in this assembly


@dataclass(slots=True)
class _Replayed:
    seq: int
    head: str
    state: AssemblyState


_CHUNK = 1000
# One lock for every record: replay folds entries into a state in place, so no reader may look at a
# state while another thread catches it up.
_lock = threading.Lock()
_replayed: dict[str, _Replayed] = {}


def _bodies(record: models.Record, hashes: set[str]) -> dict[str, Body]:
    rows = models.Body.objects.filter(record=record, hash__in=list(hashes), erased=False)
    return {
        h: Body(bytes(raw), vis) for h, vis, raw in rows.values_list("hash", "vis", "raw") if raw is not None
    }


def _replay_after(record: models.Record, base: _Replayed) -> _Replayed:
    state, seq, head = base.state, base.seq, base.head
    raws = reads.entry_bytes(record, after=seq)
    while True:
        chunk = [raw for _, raw in zip(range(_CHUNK), raws, strict=False)]
        if not chunk:
            return _Replayed(seq, head, state)
        entries = [parse_entry(raw) for raw in chunk]
        bodies = _bodies(record, {e.act.body for e in entries})
        for entry in entries:
            state = apply_entry(state, entry, bodies.get(entry.act.body))
            seq, head = entry.seq, entry.hash


def _state_at_head(log: str) -> AssemblyState:
    """The replayed state at the record's head; call only while holding `_lock` (the state is shared)."""
    record = reads.get_record(log)
    cached = _replayed.pop(log, None)
    if cached is not None and (cached.seq, cached.head) == (record.head_seq, record.head_hash):
        _replayed[log] = cached
        return cached.state
    base = _Replayed(0, "", initial_state(log))
    if cached is not None and cached.seq < record.head_seq:
        at = models.Entry.objects.filter(record=record, seq=cached.seq).values_list("hash", flat=True)
        if cached.seq == 0 or at.first() == cached.head:
            base = cached
    replayed = _replay_after(record, base)
    _replayed[log] = replayed
    return replayed.state


def get_key_standing(log: str, *, key: str) -> KeyStanding:
    """What `key` is to the assembly of `log` now (raise RecordNotFound for an unknown record)."""
    with _lock:
        state = _state_at_head(log)
        member = state.key_owner.get(key)
        if member is not None:
            return KeyStanding.SUSPENDED if state.members[member].suspended else KeyStanding.MEMBER
        if key in state.replaced_keys:
            return KeyStanding.REPLACED
        if key in state.former_members:
            return KeyStanding.FORMER
        return KeyStanding.UNKNOWN


def is_current_member(log: str, *, key: str) -> bool:
    """True when `key` is the current key of a member (active or suspended) of the assembly."""
    return get_key_standing(log, key=key) in (KeyStanding.MEMBER, KeyStanding.SUSPENDED)


def list_current_member_keys(log: str) -> frozenset[str]:
    """The current keys of every member (active or suspended) of the assembly."""
    with _lock:
        return frozenset(_state_at_head(log).key_owner)


def forget_member_states() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    with _lock:
        _replayed.clear()
