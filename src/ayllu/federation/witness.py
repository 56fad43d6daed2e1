"""Witnessing peers: cosign their latest checkpoints after checking they extend what was cosigned before.

`ayllu witness` runs this for every record the node follows. A witness that mirrors the record checks
the checkpoint's root against its own verified copy; otherwise it checks the peer's consistency proof
from the last checkpoint it cosigned. Either way it never cosigns two checkpoints of a record that
contradict each other (the last one cosigned is kept in the database), and it hands its cosignature
to the peer, which serves it to everyone as evidence that this checkpoint was public.
"""

from dataclasses import dataclass, field
from typing import Any

from ayllu.actions import replication as act
from ayllu.core.errors import DomainError
from ayllu.core.ledger import evidence as ev
from ayllu.queries import replication as q
from ayllu.storage.errors import RecordNotFound

from .client import Peer, PeerError


@dataclass(slots=True)
class WitnessResult:
    log: str
    size: int = 0
    cosigned: bool = False
    already: bool = False  # this tree was cosigned before: the same cosignature is handed over again
    problem: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    evidence: list[ev.Evidence] = field(default_factory=list)


def _local_hashes(log: str, size: int) -> list[str] | None:
    try:
        held, _, _ = q.get_record_tip(log)
    except RecordNotFound:
        return None
    return q.list_entry_hashes(log, size=size) if held >= size else None


def witness_record(peer: Peer, log: str) -> WitnessResult:
    """Cosign the peer's latest checkpoint of `log` if it is consistent with what this node cosigned."""
    result = WitnessResult(log)
    try:
        checkpoint = peer.latest_checkpoint(log)
        if checkpoint is None:
            result.problem = "no_checkpoint"
            return result
        result.size = checkpoint.size
        result.evidence = act.do_note_checkpoint(checkpoint, source=peer.url)
        given = act.find_own_cosignature(checkpoint)
        if given is not None:
            # A checkpoint is cosigned once; a re-signed one of the same tree gets the same cosignature.
            result.already = True
            peer.post_cosignature(log, checkpoint=given[0], cosignature=given[1])
            return result
        last = act.last_cosigned_size(log)
        local = _local_hashes(log, checkpoint.size)
        proof: list[str] = []
        if last is not None and local is None and last <= checkpoint.size:
            proof = peer.consistency(log, old=last, new=checkpoint.size)
        cosignature = act.do_cosign_checkpoint(checkpoint, proof=proof, local_hashes=local)
        result.cosigned = True
        peer.post_cosignature(log, checkpoint=checkpoint.raw, cosignature=cosignature.raw)
    except (PeerError, DomainError) as exc:
        result.problem, result.detail = exc.code, dict(exc.detail)
    return result
