"""Reads for federation: what a node serves to peers, and what it knows about them (evidence, witnesses).

Serving honours visibility: a body is served only when its visibility is in the set the caller may see
(`public` for anyone; `members` only to authenticated members' nodes; `confidential` never).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ayllu.core.ledger.record import parse_entry, sha256_hex
from ayllu.storage import models, reads

_BODY_AND_VIS = re.compile(rb'"body":"([0-9a-f]{64})".*"vis":"([a-z]+)"')

__all__ = [
    "EvidenceItem",
    "FollowItem",
    "get_checkpoint_bytes",
    "get_largest_seen_checkpoint_bytes",
    "get_latest_checkpoint_bytes",
    "get_record_tip",
    "iter_bodies_in_range",
    "iter_entries_in_range",
    "list_cosignature_bytes",
    "list_entry_hashes",
    "list_evidence",
    "list_follows",
    "list_logs",
]


def list_logs() -> list[str]:
    """The ids of every record this node holds."""
    return list(models.Record.objects.order_by("created", "pk").values_list("log", flat=True))


def get_record_tip(log: str) -> tuple[int, str, str]:
    """A record's size, head hash and the node key that sealed its last entry ("" when empty)."""
    record = reads.get_record(log)
    last = models.Entry.objects.filter(record=record, seq=record.head_seq).values_list("header", flat=True)
    node = parse_entry(bytes(last[0])).node if record.head_seq and last else ""
    return record.head_seq, record.head_hash, node


def get_latest_checkpoint_bytes(log: str) -> bytes | None:
    """The exact bytes of the largest checkpoint stored with a record, or None."""
    record = reads.get_record(log)
    row = models.Checkpoint.objects.filter(record=record).order_by("-size").values_list("signed", flat=True)
    return bytes(row[0]) if row else None


def get_checkpoint_bytes(log: str, *, size: int) -> bytes | None:
    """The exact bytes of the stored checkpoint of `size`, or None."""
    record = reads.get_record(log)
    row = models.Checkpoint.objects.filter(record=record, size=size).values_list("signed", flat=True)
    return bytes(row[0]) if row else None


def iter_entries_in_range(log: str, *, first: int, last: int) -> Iterator[bytes]:
    """The exact header bytes of entries first..last (inclusive), in seq order."""
    record = reads.get_record(log)
    rows = models.Entry.objects.filter(record=record, seq__gte=first, seq__lte=last).order_by("seq")
    for raw in rows.values_list("header", flat=True).iterator(chunk_size=2000):
        yield bytes(raw)


def iter_bodies_in_range(
    log: str, *, first: int, last: int, visible: frozenset[str]
) -> Iterator[tuple[str, str, bytes | None]]:
    """(hash, vis, raw or None when erased) of the bodies of entries first..last the caller may see."""
    record = reads.get_record(log)
    hashes = set()
    for header in iter_entries_in_range(log, first=first, last=last):
        # Stored headers are verified canonical JSON whose string values never hold a quote, so the
        # two members can be cut out without parsing the whole header.
        found = _BODY_AND_VIS.search(header)
        if found is None:
            act = parse_entry(header).act
            body, vis = act.body, act.vis
        else:
            body, vis = found.group(1).decode(), found.group(2).decode()
        if vis in visible:
            hashes.add(body)
    wanted = sorted(hashes)
    for start in range(0, len(wanted), 500):
        rows = models.Body.objects.filter(
            record=record, hash__in=wanted[start : start + 500], vis__in=visible
        )
        for hash, vis, raw, erased in rows.values_list("hash", "vis", "raw", "erased"):
            yield hash, vis, None if erased or raw is None else bytes(raw)


def list_entry_hashes(log: str, *, size: int) -> list[str]:
    """The entry hashes of the first `size` entries, hashed from the exact stored bytes."""
    return [sha256_hex(raw) for raw in iter_entries_in_range(log, first=1, last=size)]


def list_cosignature_bytes(log: str, *, size: int | None = None) -> list[tuple[bytes, bytes]]:
    """(checkpoint, cosignature) exact bytes of every cosignature kept for `log` (of one size)."""
    rows = models.Cosigned.objects.filter(log=log)
    if size is not None:
        rows = rows.filter(size=size)
    return [
        (bytes(c), bytes(s)) for c, s in rows.order_by("size", "pk").values_list("checkpoint", "cosignature")
    ]


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of evidence this node holds; `raw` re-verifies with core.evidence.check_evidence."""

    id: str
    kind: str
    log: str
    node: str
    seq: int
    source: str
    created: datetime
    raw: bytes


def list_evidence(log: str | None = None) -> list[EvidenceItem]:
    """Every piece of evidence this node holds (about one record), newest first."""
    rows = models.Evidence.objects.order_by("-created", "-pk")
    if log is not None:
        rows = rows.filter(log=log)
    return [
        EvidenceItem(r.hash, r.kind, r.log, r.node, r.seq, r.source, r.created, bytes(r.raw)) for r in rows
    ]


@dataclass(frozen=True, slots=True)
class FollowItem:
    log: str
    url: str
    size: int
    problem: str
    updated: datetime


def list_follows() -> list[FollowItem]:
    """Every record this node follows, from which peer, and how the last sync went."""
    return [
        FollowItem(f.log, f.url, f.size, f.problem, f.updated)
        for f in models.Follow.objects.order_by("log", "url")
    ]


def get_largest_seen_checkpoint_bytes(log: str, *, node: str) -> bytes | None:
    """The exact bytes of the largest checkpoint of `log` by `node` this node has seen, or None."""
    rows = models.SeenCheckpoint.objects.filter(log=log, node=node).order_by("-size", "-time")
    raw = rows.values_list("signed", flat=True).first()
    return None if raw is None else bytes(raw)
