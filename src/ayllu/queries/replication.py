"""Reads for federation: what a node serves to peers, and what it knows about them (evidence, witnesses).

Serving honours visibility: a body is served only when its visibility is in the set the caller may see
(`public` for anyone; `members` only to authenticated members' nodes; `confidential` never).
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from ayllu.core.ledger.record import RULE_VIS, Act, Body, parse_entry, sha256_hex, words_key
from ayllu.storage import models, reads

_BODY_AND_VIS = re.compile(rb'"body":"([0-9a-f]{64})".*"v":([12]),"vis":"([a-z]+)"')

__all__ = [
    "EvidenceItem",
    "FollowItem",
    "get_checkpoint_bytes",
    "get_largest_seen_checkpoint_bytes",
    "get_latest_checkpoint_bytes",
    "get_record_tip",
    "is_kept_to_members",
    "iter_bodies_in_range",
    "iter_entries_in_range",
    "list_cosignature_bytes",
    "list_entry_hashes",
    "list_evidence",
    "list_evidence_page",
    "list_follows",
    "list_logs",
    "list_missing_bodies",
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
    """(hash, vis, raw or None when erased) of the bodies of entries first..last the caller may see.

    A format-2 act's rule body is public, so every caller gets it; its words go only where their
    visibility allows, like a format-1 body.
    """
    record = reads.get_record(log)
    keys: set[tuple[str, str]] = set()
    split: list[Act] = []
    for header in iter_entries_in_range(log, first=first, last=last):
        act = _act_of(header)
        key = act.body_key()
        if key[1] in visible:
            keys.add(key)
        if act.split:
            split.append(act)
    held = dict(_rows(record, keys))
    words: set[tuple[str, str]] = set()
    for act in split:
        raw = held.get(act.body_key())
        if act.vis in visible and raw is not None:
            named = words_key(act, Body(raw, RULE_VIS))
            if named is not None:
                words.add(named)
    held.update(_rows(record, words - set(held)))
    for (hash, vis), raw in sorted(held.items()):
        yield hash, vis, raw


def _act_of(header: bytes) -> Act:
    # Stored headers are verified canonical JSON whose string values never hold a quote, so the
    # members can be cut out without parsing the whole header.
    found = _BODY_AND_VIS.search(header)
    if found is None:
        return parse_entry(header).act
    body, v, vis = found.group(1).decode(), int(found.group(2)), found.group(3).decode()
    return Act("", "", "", vis, body, "", v)


def _rows(
    record: models.Record, keys: set[tuple[str, str]]
) -> Iterator[tuple[tuple[str, str], bytes | None]]:
    wanted = sorted({hash for hash, _ in keys})
    for start in range(0, len(wanted), 500):
        rows = models.Body.objects.filter(record=record, hash__in=wanted[start : start + 500])
        for hash, vis, raw, erased in rows.values_list("hash", "vis", "raw", "erased"):
            if (hash, vis) in keys:
                yield (hash, vis), None if erased or raw is None else bytes(raw)


def is_kept_to_members(log: str) -> bool:
    """Whether the charter in force keeps the whole record to members' nodes (`record.replicas`)."""
    from .replayed import read_state

    return read_state(log, lambda state: state.charter is not None and state.charter.replicas == "members")


def list_missing_bodies(log: str, *, visible: frozenset[str]) -> list[tuple[int, str, str]]:
    """(seq, hash, vis) of every body an entry names, of a visibility in `visible`, that this node does
    not hold: in format 2 the words its rule body names (the rule body itself is always held)."""
    record = reads.get_record(log)
    held = {
        (hash, vis): None if erased or raw is None else bytes(raw)
        for hash, vis, raw, erased in models.Body.objects.filter(record=record).values_list(
            "hash", "vis", "raw", "erased"
        )
    }
    missing: list[tuple[int, str, str]] = []
    rows = models.Entry.objects.filter(record=record).order_by("seq").values_list("seq", "header")
    for seq, header in rows.iterator(chunk_size=2000):
        act = _act_of(bytes(header))
        keys = [act.body_key()]
        if act.split and act.vis in visible:
            rule = held.get(keys[0])
            named = None if rule is None else words_key(act, Body(rule, RULE_VIS))
            if named is not None:
                keys.append(named)
        missing.extend((seq, *key) for key in keys if key[1] in visible and key not in held)
    return missing


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


def list_evidence_page(log: str | None, *, after: int, limit: int) -> tuple[list[EvidenceItem], int | None]:
    """A page of evidence in the order it was kept, after cursor `after`; and the next cursor, or None."""
    rows = models.Evidence.objects.filter(pk__gt=after).order_by("pk")
    if log is not None:
        rows = rows.filter(log=log)
    page = list(rows[: limit + 1])
    items = [
        EvidenceItem(r.hash, r.kind, r.log, r.node, r.seq, r.source, r.created, bytes(r.raw))
        for r in page[:limit]
    ]
    return items, (page[limit - 1].pk if len(page) > limit else None)


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


def list_held_short_of_seen(logs: Sequence[str]) -> list[str]:
    """Those of `logs` this node holds fewer entries of than a checkpoint of them it has seen (from a
    peer, a witness or a citation) covers, in the order given."""
    held = dict(models.Record.objects.filter(log__in=logs).values_list("log", "head_seq"))
    seen = dict(
        models.SeenCheckpoint.objects.filter(log__in=logs)
        .values("log")
        .annotate(largest=Max("size"))
        .values_list("log", "largest")
    )
    return [log for log in logs if seen.get(log, 0) > held.get(log, 0)]


def get_largest_seen_checkpoint_bytes(log: str, *, node: str) -> bytes | None:
    """The exact bytes of the largest checkpoint of `log` by `node` this node has seen, or None."""
    rows = models.SeenCheckpoint.objects.filter(log=log, node=node).order_by("-size", "-time")
    raw = rows.values_list("signed", flat=True).first()
    return None if raw is None else bytes(raw)
