"""What this node holds of a cited record, as `core.ledger.citations.HeldCopy` needs it for one citation.

Read from the exact stored bytes: the entry at the cited seq; the Merkle root of this copy at the cited
checkpoint's size (a checkpoint of that size kept here, whose root matched this copy when kept; the
frontier at the head; or else the entry hashes up to that size); who sealed that size; and what the
checkpoint's node signed beyond that size (stored checkpoints, checkpoints seen from peers, the first
entry it sealed past it): the rollback candidates. Whether the rules hold is the caller's to say
(`broken`): the write path knows it from its replayed state, reads from theirs.

A pass that checks many citations (every citation of a record, `actions.citations`) reads through one
`HeldRecords`: each cited record's row, its checkpoints, the entries and roots its citations need are
read once for the pass, not once per citation. Checkpoint signatures are checked once per process
(`core.ledger.checked_texts`). A pass that knows beforehand which entries its citations name
(`HeldRecords.expect`: a record's bodies, read before its walk) reads what they need of all the cited
records in a few statements, not a few a record: each a round trip on PostgreSQL.
"""

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection

from ayllu.core.ledger.checked_texts import checked_checkpoint, known_header
from ayllu.core.ledger.checkpoints import Checkpoint
from ayllu.core.ledger.citations import Citation, HeldCopy, move_target, sealers_at
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Body, Entry, parse_entry, sha256_hex

from . import models, reads

# How many entries past the checkpoint are read to find one its node sealed (as following does).
_BEYOND = 50
# A pass reads a cited record's entries a block at a time, and keeps a few blocks of each record.
_BLOCK = 256
_BLOCKS_KEPT = 4
# Plain SQL for the reads made once per cited record: building the ORM's queries cost several times
# the queries (docs/performance.md). Tables and columns are fixed in the models (db_table).
# The record's row with this node's last verification run of it (size, head, replayed), in one query.
_RECORD_SQL = (
    "SELECT r.id, r.head_seq, r.head_hash, r.frontier, v.size, v.head, v.replayed FROM ayllu_record r"
    " LEFT JOIN ayllu_verification_run v ON v.id = (SELECT id FROM ayllu_verification_run"
    " WHERE record_id = r.id ORDER BY finished_at DESC, id DESC LIMIT 1) WHERE r.log = %s"
)
_BLOCK_SQL = "SELECT header FROM ayllu_entry WHERE record_id = %s AND seq > %s AND seq <= %s ORDER BY seq"
_KEPT_SQL = "SELECT size, root, signed FROM ayllu_checkpoint WHERE record_id = %s"
_SEEN_SQL = "SELECT signed FROM ayllu_seen_checkpoint WHERE log = %s AND node = %s"
# The same reads for many records at once (`HeldRecords.expect`), `_CHUNK` records a statement.
_RECORDS_SQL = _RECORD_SQL.replace("WHERE r.log = %s", "WHERE r.log IN ({})").replace(
    "SELECT r.id,", "SELECT r.log, r.id,"
)
_ENTRIES_SQL = "SELECT record_id, seq, header FROM ayllu_entry WHERE {}"
_ENTRIES_OF = "(record_id = %s AND seq IN ({}))"
_ALL_KEPT_SQL = (
    "SELECT record_id, size, root, signed FROM ayllu_checkpoint WHERE record_id IN ({}) ORDER BY id"
)
_ALL_SEEN_SQL = "SELECT log, node, signed FROM ayllu_seen_checkpoint WHERE log IN ({})"
_CHUNK = 200
# Parameters a statement that reads entries ahead holds at most (SQLite's oldest limit is 999), and seqs
# of one record read ahead at most: the rest, if a citing record names more, are read when needed.
_PARAMS = 900
_SEQS = 256


def _chunks(items: Iterable[Any], n: int) -> Iterable[tuple[Any, ...]]:
    it = iter(items)
    while chunk := tuple(islice(it, n)):
        yield chunk


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class _Held:
    """One record this node holds, as far as a pass's citations of it read it (each part read once)."""

    def __init__(self, record: models.Record, last_run: tuple[int, str, int] | None) -> None:
        self.record = record
        self.last_run = last_run  # this node's last verification run of the record: size, head, replayed
        self.entries: dict[int, Entry] = {}
        self.rows: dict[int, bytes] = {}  # stored headers read ahead by seq (`HeldRecords.expect`)
        self.seen: dict[str, list[bytes]] | None = None  # checkpoints seen from peers, by node, if read
        self.blocks: OrderedDict[int, list[bytes]] = OrderedDict()
        # frontiers[n]: the Merkle frontier of the first n entries, hashed from the stored bytes
        self.frontiers: list[Frontier] = [Frontier()]
        self.beyond: dict[tuple[int, str], Entry | None] = {}
        self.by_node: dict[str, list[Checkpoint]] = {}
        self._kept: list[tuple[int, str, bytes]] | None = None
        self._verified: int | None = None
        self._kept_bytes: frozenset[bytes] | None = None
        self._kept_roots: dict[int, str] | None = None
        self._head_root: str | None = None

    def _block(self, number: int) -> list[bytes]:
        """The stored header bytes of entries number * _BLOCK + 1 onwards (up to _BLOCK of them)."""
        first = number * _BLOCK
        raws = self.blocks.get(number)
        if raws is None:
            raws = [bytes(raw) for (raw,) in _rows(_BLOCK_SQL, [self.record.pk, first, first + _BLOCK])]
            self.blocks[number] = raws
            while len(self.blocks) > _BLOCKS_KEPT:
                self.blocks.popitem(last=False)
        self.blocks.move_to_end(number)
        return raws

    def raw_at(self, seq: int) -> bytes | None:
        if not 1 <= seq <= self.record.head_seq:
            return None
        ahead = self.rows.get(seq)
        if ahead is not None:
            return ahead
        block = self._block((seq - 1) // _BLOCK)
        index = (seq - 1) % _BLOCK
        return block[index] if index < len(block) else None

    def entry_at(self, seq: int) -> Entry | None:
        if seq not in self.entries:
            raw = self.raw_at(seq)
            if raw is None:
                return None
            # Parsed once already when the same bytes came as a citation's header (its signatures held).
            self.entries[seq] = known_header(raw) or parse_entry(raw)
        return self.entries[seq]

    def rules_verified(self) -> int:
        """How many entries of these rows this node's last verification of the record replayed the rules
        of (0 when none did, or the rows up to where it stopped are no longer the ones it verified)."""
        if self._verified is None:
            verified = 0
            if self.last_run is not None:
                size, head, replayed = self.last_run
                raw = self.raw_at(size) if replayed else None
                # the hash at its size commits, through the chain, to every entry it verified
                if replayed and raw is not None and sha256_hex(raw) == head:
                    verified = min(replayed, size)
            self._verified = verified
        return self._verified

    def kept(self) -> list[tuple[int, str, bytes]]:
        """The stored checkpoints (size, root, signed bytes)."""
        if self._kept is None:
            rows = _rows(_KEPT_SQL, [self.record.pk])
            self._kept = [(size, root, bytes(signed)) for size, root, signed in rows]
        return self._kept

    def kept_bytes(self) -> frozenset[bytes]:
        """The signed bytes of the stored checkpoints."""
        if self._kept_bytes is None:
            self._kept_bytes = frozenset(signed for _, _, signed in self.kept())
        return self._kept_bytes

    def checkpoints(self, node: str) -> list[Checkpoint]:
        """Stored and seen checkpoints of the record by `node`."""
        if node not in self.by_node:
            raws = [signed for _, _, signed in self.kept()]
            if self.seen is not None:
                raws.extend(self.seen.get(node, ()))
            else:
                raws.extend(bytes(raw) for (raw,) in _rows(_SEEN_SQL, [self.record.log, node]))
            found = [checked_checkpoint(raw) for raw in raws]
            self.by_node[node] = [c for c in found if c.node == node]
        return self.by_node[node]

    def root_at(self, size: int, root_at: Callable[[int], str] | None) -> str:
        if size == self.record.head_seq:
            if self._head_root is None:
                self._head_root = Frontier.from_json(self.record.frontier).root()
            return self._head_root
        if self._kept_roots is None:
            self._kept_roots = {}
            for at, root, _ in self.kept():
                self._kept_roots.setdefault(at, root)  # the first kept of that size, as before
        kept = self._kept_roots.get(size)
        if kept is not None:
            return kept
        if root_at is not None:
            return root_at(size)
        while len(self.frontiers) <= size:
            hashed = len(self.frontiers) - 1
            raws = self._block(hashed // _BLOCK)[hashed % _BLOCK :]
            if not raws:  # fewer entries stored than its head says: the root of those
                return self.frontiers[-1].root()
            for raw in raws:
                self.frontiers.append(self.frontiers[-1].append(sha256_hex(raw)))
        return self.frontiers[size].root()

    def first_sealed_beyond(self, size: int, node: str) -> Entry | None:
        if (size, node) not in self.beyond:
            found = None
            for seq in range(size + 1, min(size + _BEYOND, self.record.head_seq) + 1):
                entry = self.entry_at(seq)
                if entry is not None and entry.node == node:
                    found = entry
                    break
            self.beyond[(size, node)] = found
        return self.beyond[(size, node)]


class HeldRecords:
    """What this node holds of the records a pass's citations cite, each read once for the pass.

    Use one for a pass over citations checked at one moment (a record's citations, an act's); the rows
    read are not read again, so a pass sees each cited record as it was when first read.
    """

    def __init__(self) -> None:
        self._held: dict[str, _Held | None] = {}

    def _of(self, log: str) -> _Held | None:
        if log not in self._held:
            rows = _rows(_RECORD_SQL, [log])
            self._held[log] = _held_of(log, rows[0]) if rows else None
        return self._held[log]

    def expect(self, cited: Iterable[tuple[str, int, int]]) -> None:
        """Read ahead, in a few statements for all of them, what citations of (log, seq, checkpoint
        size) will need of the records not read yet in this pass: each record's row, its entries at
        those seqs, at those sizes and the one past each, and at its head, its kept checkpoints and
        those seen from peers. Only a hint: whatever a citation needs beyond it is read when needed."""
        wanted: dict[str, set[int]] = {}
        for log, seq, size in cited:
            if log not in self._held:
                wanted.setdefault(log, set()).update((seq, size, size + 1))
        if not wanted:
            return
        for logs in _chunks(sorted(wanted), _CHUNK):
            found = {row[0]: row[1:] for row in _rows(_RECORDS_SQL.format(_marks(len(logs))), list(logs))}
            for log in logs:
                self._held[log] = _held_of(log, found[log]) if log in found else None
        read = [(held, wanted[log]) for log in sorted(wanted) if (held := self._held[log]) is not None]
        for chunk in _chunks(read, _CHUNK):
            _read_ahead(chunk)

    def stores(self, entry: Entry) -> bool:
        """Whether `entry`'s exact header bytes are those this node stores at its place in its record.

        Every stored entry came through a path that checked its signatures (append, follow, import,
        restore), so a citation of those very bytes need not check them again (`checked_texts`)."""
        held = self._of(entry.log)
        if held is None or held.raw_at(entry.seq) != entry.raw:
            return False
        held.entries.setdefault(entry.seq, entry)
        return True

    def rules_verified(self, log: str) -> int:
        """How many entries of record `log` this node's last verification of it, still matching its
        rows, replayed the rules of (0 when it holds no such run, or not the record)."""
        held = self._of(log)
        return 0 if held is None else held.rules_verified()

    def keeps(self, checkpoint: Checkpoint) -> bool:
        """Whether `checkpoint`'s exact bytes are a checkpoint this node keeps with its record: signed
        here, or a peer's checked as it was kept, or one an import verified (`checked_texts`)."""
        held = self._of(checkpoint.log)
        return held is not None and checkpoint.raw in held.kept_bytes()

    def copy_for(
        self,
        citation: Citation,
        *,
        broken: tuple[int, str] | None = None,
        sealer_now: str = "",
        root_at: Callable[[int], str] | None = None,
        replayed: int | None = None,
    ) -> HeldCopy | None:
        """As `held_copy`, reading what was not read yet in this pass; `replayed` (when given) bounds how
        many entries the rules are said to hold for."""
        held = self._of(citation.log)
        if held is None:
            return None
        record = held.record
        checkpoint, size = citation.checkpoint, record.head_seq
        within = checkpoint.size <= size
        sealers = None
        if within:
            last = held.entry_at(checkpoint.size)
            assert last is not None
            body = reads.body_of(record, last.act.body, vis="public") if last.type == "record.moved" else None
            sealers = sealers_at(last, move_target(last, body if isinstance(body, Body) else None))
        if not sealer_now and size:
            head = held.entry_at(size)
            sealer_now = "" if head is None else head.node
        mine = held.checkpoints(checkpoint.node)
        signed_before: list[Checkpoint | Entry] = [c for c in mine if c.size > checkpoint.size]
        beyond = held.first_sealed_beyond(checkpoint.size, checkpoint.node)
        if beyond is not None:
            signed_before.append(beyond)
        return HeldCopy(
            size=size,
            entry=held.entry_at(citation.seq) if citation.seq <= size else None,
            root=held.root_at(checkpoint.size, root_at) if within else None,
            sealers=sealers,
            sealer_now=sealer_now,
            replayed=min(size if broken is None else broken[0] - 1, size if replayed is None else replayed),
            broken=broken,
            signed_before=tuple(signed_before),
            same_size=tuple(c for c in mine if c.size == checkpoint.size),
        )


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
    return HeldRecords().copy_for(citation, broken=broken, sealer_now=sealer_now, root_at=root_at)


def _held_of(log: str, row: Sequence[Any]) -> _Held:
    pk, head_seq, head_hash, frontier, size, head, replayed = row
    # the row as far as a pass reads it (the frontier is JSON text, as the model stores it)
    record = models.Record(
        id=pk, log=log, head_seq=head_seq, head_hash=head_hash, frontier=json.loads(frontier)
    )
    return _Held(record, None if size is None else (size, head, replayed))


def _read_ahead(chunk: Sequence[tuple[_Held, set[int]]]) -> None:
    """The entries wanted of each record of `chunk` (and its head), its kept and seen checkpoints."""
    by_pk = {held.record.pk: held for held, _ in chunk}
    clauses: list[str] = []
    params: list[Any] = []
    for held, seqs in chunk:
        head = held.record.head_seq
        # the seqs come from the citing record's bodies: at most _SEQS of each record are read ahead
        at = sorted(seq for seq in {*seqs, head} if 1 <= seq <= head)[-_SEQS:]
        if len(params) + len(at) >= _PARAMS:
            _entries_ahead(by_pk, clauses, params)
            clauses, params = [], []
        if at:
            clauses.append(_ENTRIES_OF.format(_marks(len(at))))
            params.extend((held.record.pk, *at))
        held._kept = []
        held.seen = {}
    _entries_ahead(by_pk, clauses, params)
    for pk, size, root, signed in _rows(_ALL_KEPT_SQL.format(_marks(len(by_pk))), list(by_pk)):
        kept = by_pk[pk]._kept
        assert kept is not None
        kept.append((size, root, bytes(signed)))
    by_log = {held.record.log: held for held, _ in chunk}
    for log, node, signed in _rows(_ALL_SEEN_SQL.format(_marks(len(by_log))), list(by_log)):
        seen = by_log[log].seen
        assert seen is not None
        seen.setdefault(node, []).append(bytes(signed))


def _entries_ahead(by_pk: dict[int, _Held], clauses: list[str], params: list[Any]) -> None:
    if clauses:
        for pk, seq, header in _rows(_ENTRIES_SQL.format(" OR ".join(clauses)), params):
            by_pk[pk].rows[seq] = bytes(header)
