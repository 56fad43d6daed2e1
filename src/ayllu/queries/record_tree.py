"""A record's Merkle tree read a block at a time, for proofs that do not load every entry hash.

The roots of complete aligned blocks of BLOCK entries are kept in Django's cache, under the record, the
block count and the entry hash that ends the last block: that hash commits, through the chain, to every
entry before it, so a record restored or replaced with other entries is never answered from roots of
the old one. A tree of any size is then the block roots plus at most two blocks read from the
database: the one holding the entry a proof is about, and the incomplete one at the end. The first
proof after BLOCK new entries hashes only those entries (the previous roots are extended).
"""

from django.core.cache import cache

from ayllu.core.errors import BadProof
from ayllu.core.ledger.merkle import leaf_of, node_of, split_of, subtree_root
from ayllu.core.ledger.record import sha256_hex
from ayllu.storage import models, reads

from . import replication

BLOCK = 256


class RecordTree:
    """The Merkle tree of the first `size` entries of record `log`; `root(lo, hi)` for any leaf range."""

    def __init__(self, log: str, *, size: int, block: int | None = None) -> None:
        block = block or BLOCK
        record = reads.get_record(log)
        if size < 0 or (size > 0 and not _holds(record, size)):
            raise BadProof(reason="size_out_of_range", size=size)
        self.log, self.size, self.block = log, size, block
        self._blocks = _block_roots(record, count=size // block, block=block)
        self._leaves: dict[int, list[bytes]] = {}
        self._hashes: dict[int, list[str]] = {}

    def root(self, lo: int, hi: int) -> bytes:
        """The root of leaves lo..hi-1 (0-based), from block roots where the range covers whole blocks."""
        n, b = hi - lo, self.block
        if n >= b and lo % b == 0 and n % b == 0 and n & (n - 1) == 0:
            return subtree_root(self._blocks[lo // b : hi // b])
        if lo // b == (hi - 1) // b:
            start = lo // b * b
            return subtree_root(self._block_leaves(lo // b)[lo - start : hi - start])
        k = split_of(n)
        return node_of(self.root(lo, lo + k), self.root(lo + k, hi))

    def entry_hash(self, seq: int) -> str:
        """The hash of entry `seq` (1-based), hashed from its exact stored bytes."""
        index = seq - 1
        self._block_leaves(index // self.block)
        return self._hashes[index // self.block][index % self.block]

    def _block_leaves(self, number: int) -> list[bytes]:
        if number not in self._leaves:
            first = number * self.block + 1
            last = min(first + self.block - 1, self.size)
            hashes = [
                sha256_hex(raw) for raw in replication.iter_entries_in_range(self.log, first=first, last=last)
            ]
            self._hashes[number] = hashes
            self._leaves[number] = [leaf_of(h) for h in hashes]
        return self._leaves[number]


def _holds(record: models.Record, seq: int) -> bool:
    return models.Entry.objects.filter(record=record, seq=seq).exists()


def _hash_at(record: models.Record, seq: int) -> str | None:
    found = models.Entry.objects.filter(record=record, seq=seq).values_list("hash", flat=True).first()
    return None if found is None else str(found)


def _block_roots(record: models.Record, *, count: int, block: int) -> list[bytes]:
    """The roots of the record's first `count` complete blocks, from the cache or extended and kept."""
    if count == 0:
        return []
    ends = _hash_at(record, count * block)
    key = f"ayllu:merkle-blocks:{record.log}:{block}:{count}:{ends}"
    roots: list[bytes] | None = cache.get(key)
    if roots is not None:
        return roots
    latest = f"ayllu:merkle-blocks:{record.log}:{block}:latest"
    known = cache.get(latest)
    roots = []
    if known is not None:
        held, held_ends, held_roots = known
        if _hash_at(record, held * block) == held_ends:  # still the record those roots were made from
            roots = list(held_roots[:count])
    first = len(roots) * block + 1
    hashes = [
        sha256_hex(raw)
        for raw in replication.iter_entries_in_range(record.log, first=first, last=count * block)
    ]
    for start in range(0, len(hashes), block):
        roots.append(subtree_root([leaf_of(h) for h in hashes[start : start + block]]))
    cache.set(key, roots, timeout=None)
    if known is None or count >= known[0]:
        cache.set(latest, (count, ends, roots), timeout=None)
    return roots
