"""What a node signs about a record as a whole: checkpoints (size and Merkle root) and receipts.

A checkpoint {"v","log","size","root","time","node","sig"} says "this record had `size` entries with
Merkle root `root`". A receipt {"v","log","seq","entry","time","node","sig"} says "I placed the entry
with hash `entry` at `seq`". Each is signed by the node over its own context || canonical(object
without "sig") and kept as its exact canonical bytes. A member who holds one can later prove a
rollback, a fork or a withheld entry: the record must still contain what the node signed.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import (
    BadCheckpointSignature,
    BadProof,
    BadReceiptSignature,
    InconsistentCheckpoint,
    MalformedCheckpoint,
    MalformedReceipt,
)
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes, is_count, parse_canonical
from ayllu.core.ledger.keys import (
    CHECKPOINT_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    RECEIPT_CONTEXT,
    Keypair,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.merkle import check_consistency
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A node's signed statement of a record's size and Merkle root; `raw` is its exact bytes."""

    raw: bytes
    log: str
    size: int
    root: str
    time: int
    node: str
    sig: str


@dataclass(frozen=True, slots=True)
class Receipt:
    """A node's signed statement that entry hash `entry` sits at `seq`; `raw` is its exact bytes."""

    raw: bytes
    log: str
    seq: int
    entry: str
    time: int
    node: str
    sig: str


def _seal(node: Keypair, context: bytes, fields: dict[str, Any]) -> tuple[bytes, str]:
    unsigned = {"v": FORMAT_VERSION, **fields, "node": node.public}
    sig = node.sign(context, canonical_bytes(unsigned))
    return canonical_bytes({**unsigned, "sig": sig}), sig


def _open(raw: bytes, *, names: frozenset[str], error: type[MalformedCheckpoint | MalformedReceipt]) -> Any:
    obj = parse_canonical(raw)
    if not isinstance(obj, dict):
        raise error(field="object")
    if set(obj) != names:
        raise error(field="fields", missing=sorted(names - set(obj)), extra=sorted(set(obj) - names))
    if obj["v"] != FORMAT_VERSION or isinstance(obj["v"], bool):
        raise error(field="v", value=obj["v"])
    if not is_hex(obj["log"], HASH_LENGTH):
        raise error(field="log")
    if not is_count(obj["time"], minimum=0):
        raise error(field="time", value=obj["time"])
    if not is_hex(obj["node"], HEX_KEY_LENGTH):
        raise error(field="node")
    if not is_hex(obj["sig"], HEX_SIGNATURE_LENGTH):
        raise error(field="sig")
    return obj


def _unsigned_bytes(raw: bytes, sig: str) -> bytes:
    """The node's signed bytes, canonical(statement without "sig"), cut from the checked canonical bytes.

    Its members are in key order, "sig" neither first nor last, and every other member a hex string or
    a whole number: removing the one member `,"sig":"<hex>"` gives exactly the canonical form of the rest.
    """
    return raw.replace(b',"sig":"' + sig.encode() + b'"', b"", 1)


def _written_form(count: str, minimum: int, hashed: str) -> "re.Pattern[str]":
    """A statement as canonical JSON writes one of the documented form: members in key order, hex
    strings, whole numbers of at most 16 digits without a leading zero (each may still pass 2^53 - 1)."""
    number = "(?:0|[1-9][0-9]{0,15})" if minimum == 0 else "[1-9][0-9]{0,15}"
    members = {
        "v": str(FORMAT_VERSION),
        "log": '"(?P<log>[0-9a-f]{64})"',
        count: f"(?P<count>{number})",
        hashed: '"(?P<hashed>[0-9a-f]{64})"',
        "time": "(?P<time>0|[1-9][0-9]{0,15})",
        "node": '"(?P<node>[0-9a-f]{64})"',
        "sig": '"(?P<sig>[0-9a-f]{128})"',
    }
    return re.compile("{" + ",".join(f'"{name}":{members[name]}' for name in sorted(members)) + "}")


@dataclass(frozen=True, slots=True)
class _Statement:
    """What sets one kind of signed statement apart: its signing context, the whole number it states
    (`count`, at least `minimum`), the hash it states (`hashed`) and the errors that refuse it."""

    context: bytes
    count: str
    minimum: int
    hashed: str
    malformed: type[MalformedCheckpoint | MalformedReceipt]
    bad_signature: type[BadCheckpointSignature | BadReceiptSignature]
    written: "re.Pattern[str]"

    def _fields(self, raw: bytes) -> tuple[str, int, str, int, str, str]:
        """(log, count, hashed, time, node, sig) of exact statement bytes; raise as `_open` does. Bytes
        of the written form are read by the pattern alone: they are canonical and every field holds."""
        return self._written_fields(raw) or self._fields_in_full(raw)

    def _written_fields(self, raw: bytes) -> tuple[str, int, str, int, str, str] | None:
        found = self.written.fullmatch(raw.decode("ascii")) if raw.isascii() else None
        if found is None:
            return None
        log, count, hashed, time, node, sig = found.group("log", "count", "hashed", "time", "node", "sig")
        if int(count) > MAX_SAFE_INTEGER or int(time) > MAX_SAFE_INTEGER:
            return None
        return log, int(count), hashed, int(time), node, sig

    def _fields_in_full(self, raw: bytes) -> tuple[str, int, str, int, str, str]:
        obj = _open(
            raw,
            names=frozenset(("v", "log", self.count, self.hashed, "time", "node", "sig")),
            error=self.malformed,
        )
        if not is_count(obj[self.count], minimum=self.minimum):
            raise self.malformed(field=self.count, value=obj[self.count])
        if not is_hex(obj[self.hashed], HASH_LENGTH):
            raise self.malformed(field=self.hashed)
        return obj["log"], obj[self.count], obj[self.hashed], obj["time"], obj["node"], obj["sig"]

    def parse(
        self, raw: bytes, *, check_signature: bool = True
    ) -> tuple[bytes, str, int, str, int, str, str]:
        """Check exact statement bytes and the node's signature over them; return its fields in order."""
        log, count, hashed, time, node, sig = self._fields(raw)
        if check_signature and not verify_signature(node, self.context, _unsigned_bytes(raw, sig), sig):
            raise self.bad_signature(node=node, **{self.count: count})
        return raw, log, count, hashed, time, node, sig

    def seal(self, node: Keypair, *, log: str, count: int, hashed: str, time: int) -> bytes:
        """The exact bytes of this statement, signed by `node`."""
        raw, _ = _seal(node, self.context, {"log": log, self.count: count, self.hashed: hashed, "time": time})
        return raw


_CHECKPOINT = _Statement(
    CHECKPOINT_CONTEXT, "size", 0, "root", MalformedCheckpoint, BadCheckpointSignature,
    _written_form("size", 0, "root"),
)  # fmt: skip
_RECEIPT = _Statement(
    RECEIPT_CONTEXT,
    "seq",
    1,
    "entry",
    MalformedReceipt,
    BadReceiptSignature,
    _written_form("seq", 1, "entry"),
)


def sign_checkpoint(node: Keypair, *, log: str, size: int, root: str, time: int) -> Checkpoint:
    """Sign, as `node`, that record `log` had `size` entries with Merkle root `root`."""
    return parse_checkpoint(_CHECKPOINT.seal(node, log=log, count=size, hashed=root, time=time))


def parse_checkpoint(raw: bytes, *, check_signature: bool = True) -> Checkpoint:
    """Parse exact checkpoint bytes and check the node's signature over them (unless the caller vouches
    for these very bytes: `check_signature=False`, see core.ledger.checked_texts)."""
    return Checkpoint(*_CHECKPOINT.parse(raw, check_signature=check_signature))


def sign_receipt(node: Keypair, *, log: str, seq: int, entry: str, time: int) -> Receipt:
    """Sign, as `node`, that the entry with hash `entry` was placed at `seq` in record `log`."""
    return parse_receipt(_RECEIPT.seal(node, log=log, count=seq, hashed=entry, time=time))


def parse_receipt(raw: bytes) -> Receipt:
    """Parse exact receipt bytes and check the node's signature over them."""
    return Receipt(*_RECEIPT.parse(raw))


def check_checkpoint_consistent(old: Checkpoint, new: Checkpoint, proof: Sequence[str]) -> None:
    """Raise InconsistentCheckpoint unless `new` extends `old` (same record, append-only)."""
    check_may_sign_checkpoint(old, log=new.log, size=new.size, root=new.root, proof=proof)


def check_may_sign_checkpoint(
    last: Checkpoint | None, *, log: str, size: int, root: str, proof: Sequence[str]
) -> None:
    """Raise InconsistentCheckpoint unless a checkpoint (size, root) extends `last`, the node's latest.

    A node runs this before every checkpoint it signs, so it never signs two that contradict each
    other: consistency is transitive, so checking against the latest one signed is enough.
    """
    if last is None:
        return
    if last.log != log:
        raise InconsistentCheckpoint(reason="other_log", old_size=last.size, new_size=size)
    if size < last.size:
        raise InconsistentCheckpoint(reason="shrank", old_size=last.size, new_size=size)
    try:
        check_consistency(last.root, old_size=last.size, new_root=root, new_size=size, proof=proof)
    except BadProof as exc:
        raise InconsistentCheckpoint(old_size=last.size, new_size=size, proof=exc.detail) from None


def sign_next_checkpoint(
    node: Keypair, *, last: Checkpoint | None, log: str, size: int, root: str, proof: Sequence[str], time: int
) -> Checkpoint:
    """Sign a checkpoint only if it extends `last`, the latest checkpoint this node signed."""
    check_may_sign_checkpoint(last, log=log, size=size, root=root, proof=proof)
    return sign_checkpoint(node, log=log, size=size, root=root, time=time)
