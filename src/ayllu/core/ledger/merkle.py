"""The record's Merkle tree (RFC 6962 / RFC 9162 section 2.1) over entry hashes.

The leaf data of entry i is the 32 raw bytes of its entry hash; a leaf hashes as SHA-256(0x00 || data)
and an inner node as SHA-256(0x01 || left || right). The tree of n leaves splits at the largest power
of two below n, so a tree of size m is always a prefix of the tree of size n > m: that is what lets a
node prove (consistency proof) that it only ever appended. Hashes cross this module's boundary as
lowercase hex; inside they are raw bytes.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ayllu.core.errors import BadProof
from ayllu.core.ledger.canonical import is_count
from ayllu.core.ledger.keys import all_hex, is_hex

HASH_HEX_LENGTH = 64
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _raw(hex_hash: str, *, what: str) -> bytes:
    if not is_hex(hex_hash, HASH_HEX_LENGTH):
        raise BadProof(reason="not_a_hash", field=what)
    return bytes.fromhex(hex_hash)


def leaf_hash(entry_hash: str) -> str:
    """The Merkle leaf hash of one entry, given the entry's hex hash."""
    return _leaf(_raw(entry_hash, what="entry")).hex()


def _root(leaves: Sequence[bytes]) -> bytes:
    n = len(leaves)
    if n == 1:
        return leaves[0]
    k = _split(n)
    return _node(_root(leaves[:k]), _root(leaves[k:]))


def _leaves(entry_hashes: Sequence[str]) -> list[bytes]:
    return [_leaf(_raw(h, what="entry")) for h in entry_hashes]


def root_of(entry_hashes: Sequence[str]) -> str:
    """The Merkle tree head of the record whose entries have these hashes, in order."""
    if not entry_hashes:
        return EMPTY_ROOT
    return _root(_leaves(entry_hashes)).hex()


def _path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if m < k:
        return [*_path(m, leaves[:k]), _root(leaves[k:])]
    return [*_path(m - k, leaves[k:]), _root(leaves[:k])]


def inclusion_proof(entry_hashes: Sequence[str], *, index: int) -> list[str]:
    """The audit path of leaf `index` (0-based) in the tree of all `entry_hashes` (RFC 9162 2.1.3.1)."""
    if not 0 <= index < len(entry_hashes):
        raise BadProof(reason="index_out_of_range", index=index, size=len(entry_hashes))
    return [h.hex() for h in _path(index, _leaves(entry_hashes))]


def _subproof(m: int, leaves: Sequence[bytes], *, whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [_root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole=whole), _root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], whole=False), _root(leaves[:k])]


def consistency_proof(entry_hashes: Sequence[str], *, old_size: int) -> list[str]:
    """Prove the tree of the first `old_size` entries is a prefix of the whole tree (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= len(entry_hashes):
        raise BadProof(reason="size_out_of_range", old_size=old_size, size=len(entry_hashes))
    if old_size in (0, len(entry_hashes)):
        return []
    return [h.hex() for h in _subproof(old_size, _leaves(entry_hashes), whole=True)]


# --- proofs from subtree roots -------------------------------------------------------------------
# A node holding the roots of aligned blocks of leaves answers a proof without reading every entry:
# each hash a proof names is the root of a range [lo, hi) of leaves, and the tree's split at powers
# of two keeps every left range aligned to its size.
RangeRoot = Callable[[int, int], bytes]


def subtree_root(nodes: Sequence[bytes]) -> bytes:
    """The root over leaf hashes (raw bytes); over a power-of-two count of equal aligned subtree roots,
    the root of their union."""
    return _root(nodes)


def leaf_of(entry_hash: str) -> bytes:
    """The raw Merkle leaf hash of one entry, given the entry's hex hash."""
    return _leaf(_raw(entry_hash, what="entry"))


def node_of(left: bytes, right: bytes) -> bytes:
    """The raw hash of an inner node over two raw subtree roots."""
    return _node(left, right)


def split_of(n: int) -> int:
    """Where the tree of n >= 2 leaves splits: the largest power of two strictly below n."""
    return _split(n)


def inclusion_proof_by_ranges(root_of: RangeRoot, *, index: int, size: int) -> list[str]:
    """`inclusion_proof`, asking `root_of(lo, hi)` for the root of leaves lo..hi-1 instead of a list."""
    if not 0 <= index < size:
        raise BadProof(reason="index_out_of_range", index=index, size=size)
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(root_of(lo + k, hi))
            hi = lo + k
        else:
            path.append(root_of(lo, lo + k))
            lo += k
    return [h.hex() for h in reversed(path)]


def consistency_proof_by_ranges(root_of: RangeRoot, *, old_size: int, size: int) -> list[str]:
    """`consistency_proof`, asking `root_of(lo, hi)` for the root of leaves lo..hi-1 instead of a list."""
    if not 0 <= old_size <= size:
        raise BadProof(reason="size_out_of_range", old_size=old_size, size=size)
    if old_size in (0, size):
        return []
    path: list[bytes] = []
    m, lo, hi, whole = old_size, 0, size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            path.append(root_of(lo + k, hi))
            hi = lo + k
        else:
            path.append(root_of(lo, lo + k))
            m, lo, whole = m - k, lo + k, False
    if not whole:
        path.append(root_of(lo, hi))
    return [h.hex() for h in reversed(path)]


def check_inclusion(entry_hash: str, *, index: int, size: int, proof: Sequence[str], root: str) -> None:
    """Raise BadProof unless `proof` shows the entry at `index` (0-based) in the tree `root` of `size`."""
    if not 0 <= index < size:
        raise BadProof(reason="index_out_of_range", index=index, size=size)
    fn, sn = index, size - 1
    r = _leaf(_raw(entry_hash, what="entry"))
    # Every hash of the path checked at once when all are hashes; else each as it comes, so the first
    # failure is named as before.
    path = [bytes.fromhex(p) for p in proof] if all_hex(proof, HASH_HEX_LENGTH) else None
    for i, p_hex in enumerate(proof):
        p = path[i] if path is not None else _raw(p_hex, what="proof")
        if sn == 0:
            raise BadProof(reason="proof_too_long", index=index, size=size)
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise BadProof(reason="proof_too_short", index=index, size=size)
    if r != _raw(root, what="root"):
        raise BadProof(reason="root_mismatch", index=index, size=size)


def check_consistency(
    old_root: str, *, old_size: int, new_root: str, new_size: int, proof: Sequence[str]
) -> None:
    """Raise BadProof unless `proof` shows tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    first, second = _raw(old_root, what="old_root"), _raw(new_root, what="new_root")
    path = [_raw(p, what="proof") for p in proof]
    if not 0 <= old_size <= new_size:
        raise BadProof(reason="sizes_out_of_order", old_size=old_size, new_size=new_size)
    if old_size == 0:
        # Every tree extends the empty tree; only its root is fixed.
        if path or first != bytes.fromhex(EMPTY_ROOT):
            raise BadProof(reason="empty_tree_mismatch", old_size=old_size, new_size=new_size)
        return
    if old_size == new_size:
        if path or first != second:
            raise BadProof(reason="same_size_mismatch", old_size=old_size, new_size=new_size)
        return
    if not path:
        raise BadProof(reason="proof_empty", old_size=old_size, new_size=new_size)
    if old_size & (old_size - 1) == 0:
        path.insert(0, first)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise BadProof(reason="proof_too_long", old_size=old_size, new_size=new_size)
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise BadProof(reason="proof_too_short", old_size=old_size, new_size=new_size)
    if fr != first or sr != second:
        raise BadProof(reason="root_mismatch", old_size=old_size, new_size=new_size)


@dataclass(frozen=True, slots=True)
class Frontier:
    """The roots of the perfect subtrees covering leaves 0..size-1, largest first (a compact range).

    It holds one raw hash per set bit of `size`, so a node stores O(log n) hashes and computes the
    root of size n+1 from the state of size n without reading any earlier entry.
    """

    size: int = 0
    peaks: tuple[bytes, ...] = ()

    def append(self, entry_hash: str) -> "Frontier":
        """The frontier after appending one entry with this hash."""
        peaks = [*self.peaks, _leaf(_raw(entry_hash, what="entry"))]
        size = self.size + 1
        # Each trailing zero bit of the new size is a pair of equal subtrees to merge.
        for _ in range((size & -size).bit_length() - 1):
            right = peaks.pop()
            peaks[-1] = _node(peaks[-1], right)
        return Frontier(size, tuple(peaks))

    def root(self) -> str:
        """The Merkle tree head of the leaves this frontier covers."""
        if not self.peaks:
            return EMPTY_ROOT
        acc = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            acc = _node(peak, acc)
        return acc.hex()

    def as_json(self) -> dict[str, object]:
        """The frontier as JSON, for a node to store beside its head."""
        return {"size": self.size, "peaks": [p.hex() for p in self.peaks]}

    @classmethod
    def from_json(cls, value: object) -> "Frontier":
        """Rebuild a stored frontier, checking it has one hash per set bit of its size."""
        if not isinstance(value, dict):
            raise BadProof(reason="frontier_not_an_object")
        size, peaks = value.get("size"), value.get("peaks")
        if not is_count(size) or not isinstance(peaks, list):
            raise BadProof(reason="frontier_malformed")
        if len(peaks) != size.bit_count():
            raise BadProof(reason="frontier_malformed", size=size)
        return cls(size, tuple(_raw(p, what="peak") for p in peaks))


def frontier_of(entry_hashes: Sequence[str]) -> Frontier:
    """The frontier of a whole record, built by appending each entry hash in order."""
    frontier = Frontier()
    for h in entry_hashes:
        frontier = frontier.append(h)
    return frontier
