"""The verifiable draw: commit-reveal among members, a public beacon named in advance, one index.

Order of events (the record keeps each step, see docs/sortition.md):
1. The lottery document and its SHA-256 are recorded, with the beacon chain: (source, round) pairs
   whose values will be published after the reveal deadline.
2. Each drawing member records commitment = SHA-256(COMMIT_CONTEXT || [lottery hash, member] || secret).
3. After the commit deadline, members reveal their secrets. A missing or late reveal counts as
   withheld (null); it is never a reason to draw again.
4. The first beacon value of the chain that is published is taken.
5. seed = SHA-256(DRAW_CONTEXT || canonical JSON of {beacon, lottery, reveals}), and the index is read
   from the seed by rejection sampling, without modulo bias.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import is_hex
from ayllu.core.sortition.errors import BadEvidence, BadReveal, LotteryHashMismatch
from ayllu.core.sortition.lottery import lottery_hash

COMMIT_CONTEXT = b"ayllu/v1/sortition-commit\x00"
DRAW_CONTEXT = b"ayllu/v1/sortition-draw\x00"
INDEX_CONTEXT = b"ayllu/v1/sortition-index\x00"
SECRET_BYTES = 32
# A beacon's published value as the record holds it: lowercase hex of whole bytes (drand's are 32 bytes,
# NIST's 64), at most this many bytes.
MAX_BEACON_BYTES = 512


def is_beacon_value(value: object) -> bool:
    """True for a beacon value the record may hold: 1 to MAX_BEACON_BYTES bytes as lowercase hex."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= 2 * MAX_BEACON_BYTES
        and len(value) % 2 == 0
        and is_hex(value, len(value))
    )


def commitment_for(secret: bytes, *, lottery: str, member: str) -> str:
    """Return the hex commitment a member records before revealing `secret` for the lottery hash."""
    if len(secret) != SECRET_BYTES:
        raise BadReveal(reason="secret_length", member=member, length=len(secret))
    bound = canonical_bytes([lottery, member])
    return hashlib.sha256(COMMIT_CONTEXT + bound + secret).hexdigest()


def draw_seed(*, lottery: str, reveals: Mapping[str, str | None], beacon: Mapping[str, Any]) -> bytes:
    """Mix the lottery hash, every reveal (null when withheld) and the beacon into a 32-byte seed."""
    document = {
        "beacon": {"source": beacon["source"], "round": beacon["round"], "value": beacon["value"]},
        "lottery": lottery,
        "reveals": [[member, reveals[member]] for member in sorted(reveals)],
    }
    return hashlib.sha256(DRAW_CONTEXT + canonical_bytes(document)).digest()


def index_from_seed(seed: bytes, *, size: int) -> int:
    """Map a seed to a uniform index in [0, size) by rejection sampling over SHA-256 blocks."""
    if size < 1:
        raise BadEvidence(reason="lottery_size", value=size)
    limit = (2**256 // size) * size  # the largest multiple of size not above 2**256
    counter = 0
    while True:
        block = hashlib.sha256(INDEX_CONTEXT + seed + counter.to_bytes(8, "big")).digest()
        value = int.from_bytes(block, "big")
        if value < limit:
            return value % size
        counter += 1


@dataclass(frozen=True, slots=True)
class Draw:
    """The outcome: the index into the lottery, the panel it names, and who withheld their reveal."""

    index: int
    panel: tuple[str, ...]
    seed: str
    withheld: tuple[str, ...]


def _field(evidence: Mapping[str, Any], name: str, kind: type) -> Any:
    value = evidence.get(name)
    if not isinstance(value, kind):
        raise BadEvidence(reason="field", field=name)
    return value


def _reveals(
    commitments: Mapping[str, Any], revealed: Mapping[str, Any], lottery: str
) -> dict[str, str | None]:
    reveals: dict[str, str | None] = {}
    for member in revealed:
        if member not in commitments:
            raise BadReveal(reason="no_commitment", member=member)
    for member, commitment in commitments.items():
        if not is_hex(commitment, 64):
            raise BadEvidence(reason="commitment", member=member)
        secret = revealed.get(member)
        if secret is None:
            reveals[member] = None
            continue
        if not is_hex(secret, 2 * SECRET_BYTES):
            raise BadReveal(reason="secret_format", member=member)
        if commitment_for(bytes.fromhex(secret), lottery=lottery, member=member) != commitment:
            raise BadReveal(reason="mismatch", member=member)
        reveals[member] = secret
    return reveals


def _beacon(evidence: Mapping[str, Any]) -> Mapping[str, Any]:
    beacon: Mapping[str, Any] = _field(evidence, "beacon", dict)
    chain = _field(evidence, "beacon_chain", list)
    named = {"source": beacon.get("source"), "round": beacon.get("round")}
    if named not in chain:
        raise BadEvidence(reason="beacon_not_named_in_advance", source=named["source"], round=named["round"])
    if not is_beacon_value(beacon.get("value")):
        raise BadEvidence(reason="beacon_value", max_bytes=MAX_BEACON_BYTES)
    return beacon


def recompute_draw(evidence: Mapping[str, Any]) -> Draw:
    """Recompute the chosen panel from the recorded evidence alone; raise if any part does not check."""
    document = _field(evidence, "lottery", dict)
    recorded = _field(evidence, "lottery_hash", str)
    if lottery_hash(document) != recorded:
        raise LotteryHashMismatch(recorded=recorded, actual=lottery_hash(document))
    panels = _field(document, "panels", list)
    commitments = _field(evidence, "commitments", dict)
    if not commitments:
        raise BadEvidence(reason="no_commitments")
    reveals = _reveals(commitments, _field(evidence, "reveals", dict), recorded)
    seed = draw_seed(lottery=recorded, reveals=reveals, beacon=_beacon(evidence))
    index = index_from_seed(seed, size=len(panels))
    withheld = tuple(sorted(m for m, secret in reveals.items() if secret is None))
    return Draw(index=index, panel=tuple(panels[index]), seed=seed.hex(), withheld=withheld)
