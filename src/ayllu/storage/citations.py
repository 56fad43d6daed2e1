"""What this node holds of a cited record, as `core.ledger.citations.HeldCopy` needs it for one citation.

Read from the exact stored bytes: the entry at the cited seq; the Merkle root of this copy at the cited
checkpoint's size (a checkpoint of that size kept here, whose root matched this copy when kept; the
frontier at the head; or else the entry hashes up to that size); who sealed that size; and what the
checkpoint's node signed beyond that size (stored checkpoints, checkpoints seen from peers, the first
entry it sealed past it): the rollback candidates. Whether the rules hold is the caller's to say
(`broken`): the write path knows it from its replayed state, reads from theirs.
"""

from collections.abc import Callable

from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.citations import Citation, HeldCopy, move_target, sealers_at
from ayllu.core.ledger.merkle import Frontier, root_of
from ayllu.core.ledger.record import Body, Entry, parse_entry, sha256_hex

from . import models, reads

# How many entries past the checkpoint are read to find one its node sealed (as following does).
_BEYOND = 50


def _entry_at(record: models.Record, seq: int) -> Entry | None:
    raw = next(reads.entry_bytes(record, after=seq - 1, upto=seq), None)
    return None if raw is None else parse_entry(raw)


def _checkpoints(record: models.Record, *, node: str) -> list[Checkpoint]:
    """Stored and seen checkpoints of the record by `node`."""
    stored = models.Checkpoint.objects.filter(record=record).values_list("signed", flat=True)
    seen = models.SeenCheckpoint.objects.filter(log=record.log, node=node).values_list("signed", flat=True)
    found = [parse_checkpoint(bytes(raw)) for raw in [*stored, *seen]]
    return [c for c in found if c.node == node]


def _root_at(record: models.Record, size: int, root_at: Callable[[int], str] | None) -> str:
    if size == record.head_seq:
        return Frontier.from_json(record.frontier).root()
    kept = models.Checkpoint.objects.filter(record=record, size=size).values_list("root", flat=True).first()
    if kept is not None:
        return kept
    if root_at is not None:
        return root_at(size)
    return root_of([sha256_hex(raw) for raw in reads.entry_bytes(record, upto=size)])


def _first_sealed_beyond(record: models.Record, *, size: int, node: str) -> Entry | None:
    for raw in reads.entry_bytes(record, after=size, upto=size + _BEYOND):
        entry = parse_entry(raw)
        if entry.node == node:
            return entry
    return None


def held_copy(
    citation: Citation,
    *,
    broken: tuple[int, str] | None = None,
    sealer_now: str = "",
    root_at: Callable[[int], str] | None = None,
) -> HeldCopy | None:
    """What this node holds of the cited record for `citation`, or None when it does not hold it.

    `broken` is the (seq, code) of the first entry of this copy that breaks a rule, if any; `sealer_now`
    the record's node at the head (the last entry's node when not given); `root_at(size)` the copy's
    Merkle root at a size below its head that no kept checkpoint gives (by default, from every entry
    hash up to it).
    """
    record = models.Record.objects.filter(log=citation.log).first()
    if record is None:
        return None
    checkpoint, size = citation.checkpoint, record.head_seq
    within = checkpoint.size <= size
    sealers = None
    if within:
        last = _entry_at(record, checkpoint.size)
        assert last is not None
        body = reads.body_of(record, last.act.body, vis="public") if last.type == "record.moved" else None
        sealers = sealers_at(last, move_target(last, body if isinstance(body, Body) else None))
    if not sealer_now and size:
        head = _entry_at(record, size)
        sealer_now = "" if head is None else head.node
    mine = _checkpoints(record, node=checkpoint.node)
    signed_before: list[Checkpoint | Entry] = [c for c in mine if c.size > checkpoint.size]
    beyond = _first_sealed_beyond(record, size=checkpoint.size, node=checkpoint.node)
    if beyond is not None:
        signed_before.append(beyond)
    return HeldCopy(
        size=size,
        entry=_entry_at(record, citation.seq) if citation.seq <= size else None,
        root=_root_at(record, checkpoint.size, root_at) if within else None,
        sealers=sealers,
        sealer_now=sealer_now,
        replayed=size if broken is None else broken[0] - 1,
        broken=broken,
        signed_before=tuple(signed_before),
        same_size=tuple(c for c in mine if c.size == checkpoint.size),
    )
