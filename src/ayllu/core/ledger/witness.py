"""Witnessing: nodes cosign each other's checkpoints, and never cosign two that contradict each other.

A cosignature is a canonical JSON object

    {"v": 1, "log", "size", "root", "node": the checkpoint's signer, "checkpoint": H(checkpoint bytes),
     "witness": the witness's key, "time": ms, "sig"}

signed by the witness over COSIGN_CONTEXT || canonical(object without "sig"). It says "I, the witness,
saw `node` sign this checkpoint and checked it extends every checkpoint of this record I cosigned
before". A node that later serves a smaller or different record contradicts its witnesses too.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes, is_count, parse_canonical
from ayllu.core.ledger.checkpoints import Checkpoint, check_may_sign_checkpoint
from ayllu.core.ledger.keys import (
    COSIGN_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    Keypair,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH, sha256_hex

COSIGNATURE_FIELDS = frozenset(("v", "log", "size", "root", "node", "checkpoint", "witness", "time", "sig"))


class MalformedCosignature(DomainError):
    code = "malformed_cosignature"


class BadCosignature(DomainError):
    code = "bad_cosignature"


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A witness's signed statement about one checkpoint; `raw` is its exact bytes."""

    raw: bytes
    log: str
    size: int
    root: str
    node: str
    checkpoint: str
    witness: str
    time: int

    def covers(self, checkpoint: Checkpoint) -> bool:
        """True when this cosignature is about exactly these checkpoint bytes."""
        return self.checkpoint == sha256_hex(checkpoint.raw) and self.log == checkpoint.log


def decide_cosign(
    last: Checkpoint | None, checkpoint: Checkpoint, *, proof: Sequence[str], witness: Keypair, time: int
) -> Cosignature:
    """Cosign `checkpoint` as `witness` if it extends `last`, the latest this witness cosigned.

    Raises InconsistentCheckpoint otherwise: consistency is transitive, so checking against the latest
    one is enough for a witness never to cosign two checkpoints that contradict each other.
    """
    check_may_sign_checkpoint(
        last, log=checkpoint.log, size=checkpoint.size, root=checkpoint.root, proof=proof
    )
    unsigned = {
        "v": FORMAT_VERSION,
        "log": checkpoint.log,
        "size": checkpoint.size,
        "root": checkpoint.root,
        "node": checkpoint.node,
        "checkpoint": sha256_hex(checkpoint.raw),
        "witness": witness.public,
        "time": time,
    }
    sig = witness.sign(COSIGN_CONTEXT, canonical_bytes(unsigned))
    return parse_cosignature(canonical_bytes({**unsigned, "sig": sig}))


def parse_cosignature(raw: bytes) -> Cosignature:
    """Parse exact cosignature bytes and check the witness's signature over them."""
    obj: Any = parse_canonical(raw)
    if not isinstance(obj, dict) or set(obj) != COSIGNATURE_FIELDS:
        raise MalformedCosignature(field="fields")
    if obj["v"] != FORMAT_VERSION or isinstance(obj["v"], bool):
        raise MalformedCosignature(field="v")
    for name in ("size", "time"):
        value = obj[name]
        if not is_count(value):
            raise MalformedCosignature(field=name)
    for name in ("log", "root", "checkpoint"):
        if not is_hex(obj[name], HASH_LENGTH):
            raise MalformedCosignature(field=name)
    for name in ("node", "witness"):
        if not is_hex(obj[name], HEX_KEY_LENGTH):
            raise MalformedCosignature(field=name)
    if not is_hex(obj["sig"], HEX_SIGNATURE_LENGTH):
        raise MalformedCosignature(field="sig")
    unsigned = canonical_bytes({k: v for k, v in obj.items() if k != "sig"})
    if not verify_signature(obj["witness"], COSIGN_CONTEXT, unsigned, obj["sig"]):
        raise BadCosignature(witness=obj["witness"], size=obj["size"])
    return Cosignature(
        raw, obj["log"], obj["size"], obj["root"], obj["node"], obj["checkpoint"], obj["witness"], obj["time"]
    )
