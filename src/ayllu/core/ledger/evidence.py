"""Evidence that a node misbehaved, made only of bytes the node signed, so anyone can re-check it.

Evidence is a canonical JSON object {"v": 1, "kind", "log", "node", ...} whose signed parts are kept as
exact text. Its id is H(its canonical bytes). The kinds:

- `fork`: two entry headers of one record, both sealed by `node`, with the same seq and different hashes;
- `receipt_fork`: a receipt by `node` for seq i, and an entry header by `node` at seq i with another hash;
- `equivocation`: two checkpoints by `node` of one size with different roots;
- `rollback`: a checkpoint by `node` of size n, and a later-timed checkpoint by `node` that is smaller,
  or an entry header by `node` at seq n and a later-timed checkpoint by `node` smaller than n;
- `checkpoint_mismatch`: a checkpoint by `node` of size n, and the entry headers, all sealed by
  `node`, whose Merkle root is not the checkpoint's: either all n headers, or (compact) an earlier
  checkpoint by `node` of size k (`base`), the Merkle frontier of size k whose root is the base's
  (`frontier`), and only headers k+1..n; or (anchored, when those headers would not fit) only the
  entry header by `node` at seq n (`head`): it names, through the chain of `prev` hashes, exactly the
  entries 1..n, so a receiver holding that record checks the root against its own copy
  (`Evidence.needs_record`), as it checks a move's majority by replay;
- `sealed_after_move`: an entry header sealed by `node` at seq i, and a `record.moved` entry at the same
  seq after the same entry, with its public body, moving the record to another node: the node kept
  sealing where its members had moved the record away. The endorsements' signatures are checked;
  that the endorsing keys were more than half of the active members is checked by replay against
  the record, which a receiver holds;
- `withheld`: a receipt, checkpoint or entry header by `node` proving an entry exists, and the size the
  node served when asked for it (`served`). The signed part proves the entry exists; that the node
  would not serve it is the reporter's observation, which a receiver can repeat by asking the node.

Evidence is bounded: at most MAX_EVIDENCE_BYTES (well under what a node accepts in a post, so every
piece can be passed on), and a holder keeps one piece per kind, node and position (`Evidence.seq`).
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import BadProof, DomainError
from ayllu.core.ledger.canonical import canonical_bytes, is_count, parse_canonical
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_checkpoint, parse_receipt
from ayllu.core.ledger.keys import (
    ENDORSE_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.merkle import Frontier, root_of
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH, Body, Entry, parse_entry, sha256_hex

MAX_EVIDENCE_BYTES = 1024 * 1024
KINDS = (
    "fork",
    "receipt_fork",
    "equivocation",
    "rollback",
    "checkpoint_mismatch",
    "withheld",
    "sealed_after_move",
)
RECORD_MOVED = "record.moved"  # as core.ledger.succession names it (which imports the assembly layer)


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
    # Its claim is checked only against a copy of the record (an anchored `checkpoint_mismatch`): the
    # signatures hold, and the root must be compared with the entries up to the `head` it names.
    needs_record: bool = False


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


def mismatch_evidence(
    checkpoint: Checkpoint,
    entries: list[Entry],
    *,
    base: Checkpoint | None = None,
    frontier: Frontier | None = None,
) -> bytes:
    """Evidence that a node's checkpoint is not the root of the entries it sealed.

    Without `base`, `entries` are the whole record up to the checkpoint. With it, `entries` follow the
    base checkpoint (sizes k+1..n) and `frontier` is the Merkle frontier of size k whose root is the
    base's, so the evidence holds only what changed since a checkpoint the node signed before.
    """
    parts: dict[str, object] = {
        "checkpoint": _text(checkpoint.raw),
        "entries": [_text(e.raw) for e in entries],
    }
    if base is not None:
        assert frontier is not None and frontier.size == base.size
        parts |= {"base": _text(base.raw), "frontier": [p.hex() for p in frontier.peaks]}
    return _frame("checkpoint_mismatch", checkpoint.log, checkpoint.node, **parts)


def anchored_mismatch_evidence(checkpoint: Checkpoint, head: Entry) -> bytes:
    """Evidence that a node's checkpoint of size n is not the root of the record whose entry n it sealed
    as `head`: small whatever n is, checked against a copy of the record."""
    return _frame(
        "checkpoint_mismatch",
        checkpoint.log,
        checkpoint.node,
        checkpoint=_text(checkpoint.raw),
        head=_text(head.raw),
    )


def withheld_evidence(proof: Checkpoint | Receipt | Entry, *, served: int) -> bytes:
    """Evidence that a node signed for an entry it then did not serve (it served `served` entries)."""
    part = {Checkpoint: "checkpoint", Receipt: "receipt", Entry: "entry"}[type(proof)]
    return _frame("withheld", proof.log, proof.node, **{part: _text(proof.raw)}, served=served)


def sealed_after_move_evidence(entry: Entry, move: Entry, body: Body) -> bytes:
    """Evidence that a node sealed `entry` where a `record.moved` entry moved the record away from it."""
    return _frame(
        "sealed_after_move",
        entry.log,
        entry.node,
        entry=_text(entry.raw),
        move=_text(move.raw),
        body=_text(body.raw),
    )


def check_evidence(raw: bytes) -> Evidence:
    """Parse evidence and re-check every signature and claim in it; raise InvalidEvidence if any fails."""
    if len(raw) > MAX_EVIDENCE_BYTES:
        raise InvalidEvidence(reason="too_large", limit=MAX_EVIDENCE_BYTES, size=len(raw))
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
        anchored = obj["kind"] == "checkpoint_mismatch" and "head" in obj
    except InvalidEvidence:
        raise
    except DomainError as exc:
        detail = {("cause" if k == "reason" else k): v for k, v in exc.detail.items()}
        raise InvalidEvidence(reason=exc.code, **detail) from None
    except (KeyError, TypeError, AttributeError, UnicodeEncodeError):
        raise InvalidEvidence(reason="frame") from None
    return Evidence(raw, sha256_hex(raw), obj["kind"], log, node, seq, needs_record=anchored)


def check_anchored(evidence: Evidence, hashes: list[str]) -> None:
    """Hold an anchored checkpoint mismatch to a copy of the record, given its entry hashes 1..n (n the
    checkpoint's size, or fewer when the copy is shorter); raise InvalidEvidence unless the copy holds
    the entry the piece names and the entries up to it have another root than the checkpoint's."""
    obj = parse_canonical(evidence.raw)
    assert isinstance(obj, dict) and evidence.needs_record
    checkpoint = parse_checkpoint(obj["checkpoint"].encode("utf-8"))
    head = parse_entry(obj["head"].encode("utf-8"))
    if len(hashes) != checkpoint.size or hashes[-1] != head.hash:
        raise InvalidEvidence(reason="not_held", size=checkpoint.size)
    if root_of(hashes) == checkpoint.root:
        raise InvalidEvidence(reason="roots_agree")


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


def _base_frontier(obj: dict[str, Any], log: str, node: str) -> Frontier:
    """The frontier the entries extend: empty, or one whose root is that of a checkpoint by `node`."""
    if "base" not in obj:
        _only(obj, "checkpoint", "entries")
        return Frontier()
    _only(obj, "checkpoint", "entries", "base", "frontier")
    base = _checkpoint(obj["base"], log, node)
    try:
        frontier = Frontier.from_json({"size": base.size, "peaks": obj["frontier"]})
    except BadProof:
        raise InvalidEvidence(reason="frontier") from None
    if frontier.root() != base.root:
        raise InvalidEvidence(reason="frontier")
    return frontier


def _mismatch(obj: dict[str, Any], log: str, node: str) -> int:
    checkpoint = _checkpoint(obj["checkpoint"], log, node)
    if "head" in obj:
        _only(obj, "checkpoint", "head")
        head = _entry(obj["head"], log, node)
        if head.seq != checkpoint.size:
            raise InvalidEvidence(reason="not_a_chain", seq=head.seq)
        return checkpoint.size
    frontier = _base_frontier(obj, log, node)
    entries = [parse_entry(text.encode("utf-8")) for text in obj["entries"]]
    for position, entry in enumerate(entries, start=frontier.size + 1):
        entry.check_signatures()
        before = position - frontier.size - 2
        # The first entry after a base links to an entry the evidence leaves out: a node that sealed it
        # on anything but its own entry k forked, which is misbehaviour too.
        prev = entries[before].hash if before >= 0 else (entry.prev if frontier.size else "")
        if entry.log != log or entry.seq != position or entry.prev != prev:
            raise InvalidEvidence(reason="not_a_chain", seq=position)
        frontier = frontier.append(entry.hash)
    if frontier.size != checkpoint.size or any(e.node != node for e in entries):
        raise InvalidEvidence(reason="not_this_node")
    if frontier.root() == checkpoint.root:
        raise InvalidEvidence(reason="roots_agree")
    return checkpoint.size


def _withheld(obj: dict[str, Any], log: str, node: str) -> int:
    served = obj["served"]
    if not is_count(served):
        raise InvalidEvidence(reason="served")
    if "checkpoint" in obj:
        _only(obj, "checkpoint", "served")
        claimed = _checkpoint(obj["checkpoint"], log, node).size
    elif "entry" in obj:
        _only(obj, "entry", "served")
        claimed = _entry(obj["entry"], log, node).seq
    else:
        _only(obj, "receipt", "served")
        claimed = _receipt(obj["receipt"], log, node).seq
    if served >= claimed:
        raise InvalidEvidence(reason="nothing_withheld")
    return served + 1


def _sealed_after_move(obj: dict[str, Any], log: str, node: str) -> int:
    _only(obj, "entry", "move", "body")
    entry = _entry(obj["entry"], log, node)
    move = parse_entry(obj["move"].encode("utf-8"))
    move.check_signatures()
    body = Body(obj["body"].encode("utf-8"), move.act.vis)
    if move.log != log or move.type != RECORD_MOVED or move.act.vis != "public" or body.hash != move.act.body:
        raise InvalidEvidence(reason="not_a_move")
    if move.seq != entry.seq or move.prev != entry.prev or move.hash == entry.hash:
        raise InvalidEvidence(reason="not_at_the_move", seq=entry.seq)
    content = body.content()
    endorsements = content.get("endorsements")
    if content.get("after") != move.prev or content.get("node") in (node, None) or not endorsements:
        raise InvalidEvidence(reason="not_a_move")
    statement = canonical_bytes(
        {"v": 1, "type": RECORD_MOVED, "log": log, "node": content["node"], "after": move.prev}
    )
    keys = set()
    for item in endorsements:
        key, sig = item["key"], item["sig"]
        if (
            key in keys
            or not is_hex(sig, HEX_SIGNATURE_LENGTH)
            or not verify_signature(key, ENDORSE_CONTEXT, statement, sig)
        ):
            raise InvalidEvidence(reason="endorsement", key=key)
        keys.add(key)
    return entry.seq


_CHECKS = {
    "fork": _fork,
    "receipt_fork": _receipt_fork,
    "equivocation": _equivocation,
    "rollback": _rollback,
    "checkpoint_mismatch": _mismatch,
    "withheld": _withheld,
    "sealed_after_move": _sealed_after_move,
}
