"""Evidence that a node misbehaved, made only of bytes the node signed, so anyone can re-check it.

Evidence is a canonical JSON object {"v": 1, "kind", "log", "node", ...} whose signed parts are kept as
exact text. Its id is H(its canonical bytes). The kinds:

- `fork`: two entry headers of one record, both sealed by `node`, with the same seq and different hashes;
- `receipt_fork`: a receipt by `node` for seq i, and an entry header by `node` at seq i with another hash;
- `equivocation`: two checkpoints by `node` of one size with different roots;
- `rollback`: a checkpoint by `node` of size n, and a later-timed checkpoint by `node` that is smaller,
  or an entry header by `node` at seq n and a later-timed checkpoint by `node` smaller than n;
- `checkpoint_mismatch`: a checkpoint by `node` of size n, and the n entry headers, all sealed by
  `node`, whose Merkle root is not the checkpoint's;
- `withheld`: a receipt or checkpoint by `node` proving an entry exists, and the size the node served
  when asked for it (`served`). The signed part proves the entry exists; that the node would not
  serve it is the reporter's observation, which a receiver can repeat by asking the node itself.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes, parse_canonical
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_checkpoint, parse_receipt
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH, Entry, parse_entry, sha256_hex

KINDS = ("fork", "receipt_fork", "equivocation", "rollback", "checkpoint_mismatch", "withheld")


class InvalidEvidence(DomainError):
    """Evidence that does not prove what it claims: refused, never stored or passed on."""

    code = "invalid_evidence"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Checked evidence: its kind, the record and node it accuses, the position, and exact bytes."""

    raw: bytes
    id: str
    kind: str
    log: str
    node: str
    seq: int


def _frame(kind: str, log: str, node: str, **parts: Any) -> bytes:
    return canonical_bytes({"v": FORMAT_VERSION, "kind": kind, "log": log, "node": node, **parts})


def _text(raw: bytes) -> str:
    return raw.decode("utf-8")


def fork_evidence(a: Entry, b: Entry) -> bytes:
    """Evidence of two entries sealed by one node at one seq of one record."""
    first, second = sorted((a, b), key=lambda e: e.hash)
    return _frame("fork", a.log, a.node, entries=[_text(first.raw), _text(second.raw)])


def receipt_fork_evidence(receipt: Receipt, entry: Entry) -> bytes:
    """Evidence that a node placed another entry where its receipt promised one."""
    return _frame(
        "receipt_fork", receipt.log, receipt.node, receipt=_text(receipt.raw), entry=_text(entry.raw)
    )


def equivocation_evidence(a: Checkpoint, b: Checkpoint) -> bytes:
    """Evidence of two checkpoints of one size with different roots."""
    first, second = sorted((a, b), key=lambda c: c.root)
    return _frame("equivocation", a.log, a.node, checkpoints=[_text(first.raw), _text(second.raw)])


def rollback_evidence(earlier: Checkpoint | Entry, later: Checkpoint) -> bytes:
    """Evidence that a node signed a smaller checkpoint after it had signed a longer record."""
    part = "checkpoint" if isinstance(earlier, Checkpoint) else "entry"
    return _frame("rollback", later.log, later.node, **{part: _text(earlier.raw)}, later=_text(later.raw))


def mismatch_evidence(checkpoint: Checkpoint, entries: list[Entry]) -> bytes:
    """Evidence that a node's checkpoint is not the root of the entries it sealed."""
    return _frame(
        "checkpoint_mismatch",
        checkpoint.log,
        checkpoint.node,
        checkpoint=_text(checkpoint.raw),
        entries=[_text(e.raw) for e in entries],
    )


def withheld_evidence(proof: Checkpoint | Receipt, *, served: int) -> bytes:
    """Evidence that a node signed for an entry it then did not serve (it served `served` entries)."""
    part = "checkpoint" if isinstance(proof, Checkpoint) else "receipt"
    return _frame("withheld", proof.log, proof.node, **{part: _text(proof.raw)}, served=served)


def check_evidence(raw: bytes) -> Evidence:
    """Parse evidence and re-check every signature and claim in it; raise InvalidEvidence if any fails."""
    try:
        obj = parse_canonical(raw)
        if not isinstance(obj, dict) or obj.get("v") != FORMAT_VERSION or obj.get("kind") not in KINDS:
            raise InvalidEvidence(reason="frame")
        log, node = obj.get("log"), obj.get("node")
        if not isinstance(log, str) or not isinstance(node, str):
            raise InvalidEvidence(reason="frame")
        if not is_hex(log, HASH_LENGTH) or not is_hex(node, HEX_KEY_LENGTH):
            raise InvalidEvidence(reason="frame")
        seq = _CHECKS[obj["kind"]](obj, log, node)
    except InvalidEvidence:
        raise
    except DomainError as exc:
        detail = {("cause" if k == "reason" else k): v for k, v in exc.detail.items()}
        raise InvalidEvidence(reason=exc.code, **detail) from None
    except (KeyError, TypeError, AttributeError, UnicodeEncodeError):
        raise InvalidEvidence(reason="frame") from None
    return Evidence(raw, sha256_hex(raw), obj["kind"], log, node, seq)


def _only(obj: dict[str, Any], *names: str) -> None:
    if set(obj) != {"v", "kind", "log", "node", *names}:
        raise InvalidEvidence(reason="fields", kind=obj["kind"])


def _entry(text: Any, log: str, node: str) -> Entry:
    entry = parse_entry(text.encode("utf-8"))
    entry.check_signatures()
    if entry.log != log or entry.node != node:
        raise InvalidEvidence(reason="not_this_node", seq=entry.seq)
    return entry


def _checkpoint(text: Any, log: str, node: str) -> Checkpoint:
    checkpoint = parse_checkpoint(text.encode("utf-8"))
    if checkpoint.log != log or checkpoint.node != node:
        raise InvalidEvidence(reason="not_this_node", size=checkpoint.size)
    return checkpoint


def _receipt(text: Any, log: str, node: str) -> Receipt:
    receipt = parse_receipt(text.encode("utf-8"))
    if receipt.log != log or receipt.node != node:
        raise InvalidEvidence(reason="not_this_node", seq=receipt.seq)
    return receipt


def _fork(obj: dict[str, Any], log: str, node: str) -> int:
    _only(obj, "entries")
    a, b = (_entry(text, log, node) for text in obj["entries"])
    if a.seq != b.seq or a.hash == b.hash:
        raise InvalidEvidence(reason="not_a_fork")
    return a.seq


def _receipt_fork(obj: dict[str, Any], log: str, node: str) -> int:
    _only(obj, "receipt", "entry")
    receipt, entry = _receipt(obj["receipt"], log, node), _entry(obj["entry"], log, node)
    if receipt.seq != entry.seq or receipt.entry == entry.hash:
        raise InvalidEvidence(reason="not_a_fork")
    return entry.seq


def _equivocation(obj: dict[str, Any], log: str, node: str) -> int:
    _only(obj, "checkpoints")
    a, b = (_checkpoint(text, log, node) for text in obj["checkpoints"])
    if a.size != b.size or a.root == b.root:
        raise InvalidEvidence(reason="not_an_equivocation")
    return a.size


def _rollback(obj: dict[str, Any], log: str, node: str) -> int:
    later = _checkpoint(obj["later"], log, node)
    if "checkpoint" in obj:
        _only(obj, "checkpoint", "later")
        earlier = _checkpoint(obj["checkpoint"], log, node)
        size, time = earlier.size, earlier.time
    else:
        _only(obj, "entry", "later")
        entry = _entry(obj["entry"], log, node)
        size, time = entry.seq, entry.time
    if later.size >= size or later.time <= time:
        raise InvalidEvidence(reason="not_a_rollback")
    return later.size + 1


def _mismatch(obj: dict[str, Any], log: str, node: str) -> int:
    _only(obj, "checkpoint", "entries")
    checkpoint = _checkpoint(obj["checkpoint"], log, node)
    entries = [parse_entry(text.encode("utf-8")) for text in obj["entries"]]
    for position, entry in enumerate(entries, start=1):
        entry.check_signatures()
        prev = entries[position - 2].hash if position > 1 else ""
        if entry.log != log or entry.seq != position or entry.prev != prev:
            raise InvalidEvidence(reason="not_a_chain", seq=position)
    if len(entries) != checkpoint.size or any(e.node != node for e in entries):
        raise InvalidEvidence(reason="not_this_node")
    if root_of([e.hash for e in entries]) == checkpoint.root:
        raise InvalidEvidence(reason="roots_agree")
    return checkpoint.size


def _withheld(obj: dict[str, Any], log: str, node: str) -> int:
    served = obj["served"]
    if not isinstance(served, int) or isinstance(served, bool) or served < 0:
        raise InvalidEvidence(reason="served")
    if "checkpoint" in obj:
        _only(obj, "checkpoint", "served")
        claimed = _checkpoint(obj["checkpoint"], log, node).size
    else:
        _only(obj, "receipt", "served")
        claimed = _receipt(obj["receipt"], log, node).seq
    if served >= claimed:
        raise InvalidEvidence(reason="nothing_withheld")
    return served + 1


_CHECKS = {
    "fork": _fork,
    "receipt_fork": _receipt_fork,
    "equivocation": _equivocation,
    "rollback": _rollback,
    "checkpoint_mismatch": _mismatch,
    "withheld": _withheld,
}
