"""Checkpoints the node signs: never one inconsistent with a checkpoint it signed before."""

from ayllu.core.errors import InconsistentCheckpoint, SeqGap
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint, sign_next_checkpoint
from ayllu.core.ledger.merkle import Frontier, consistency_proof, root_of
from ayllu.core.ledger.record import parse_entry, sha256_hex
from ayllu.storage import clock, models, served
from ayllu.storage.db import lock_record, write_transaction

from .state import node_keypair


# --- checkpoints ---------------------------------------------------------------------------------
def _stored_entry_hashes(record: models.Record) -> list[str]:
    # Hashed from the exact stored bytes, not read from the derived column: a node must not sign a
    # root over anything but what it really holds.
    rows = models.Entry.objects.filter(record=record).order_by("seq").values_list("seq", "header")
    hashes = []
    for expected, (seq, header) in enumerate(rows.iterator(chunk_size=5000), start=1):
        if seq != expected:
            raise SeqGap(seq=expected, found=seq)
        hashes.append(sha256_hex(bytes(header)))
    return hashes


def do_sign_checkpoint(log: str) -> Checkpoint:
    """Sign a checkpoint of the current size and root; refuse one contradicting an earlier one, and
    any for a record whose copy here failed its check (storage/served.py)."""
    node = node_keypair()
    served.require_writable(log)
    with write_transaction(log=log):
        record = lock_record(log)
        served.check_seal(record)
        hashes = _stored_entry_hashes(record)
        root = root_of(hashes)
        if Frontier.from_json(record.frontier).root() != root or len(hashes) != record.head_seq:
            raise InconsistentCheckpoint(reason="frontier_mismatch", size=len(hashes))
        stored = models.Checkpoint.objects.filter(record=record).order_by("-size").first()
        last = None if stored is None else parse_checkpoint(bytes(stored.signed))
        if last is not None and last.size == len(hashes) and last.root == root:
            return last
        proof = [] if last is None else consistency_proof(hashes, old_size=last.size)
        checkpoint = sign_next_checkpoint(
            node, last=last, log=log, size=len(hashes), root=root, proof=proof, time=clock.now_ms()
        )
        models.Checkpoint.objects.create(
            record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
        )
    return checkpoint


def do_refresh_checkpoint(log: str) -> None:
    """Sign a checkpoint of the record's head when this node seals the record and none covers the head
    yet; a mirror signs nothing (it keeps the sealer's, which peers serve it)."""
    record = models.Record.objects.filter(log=log).first()
    if record is None or record.head_seq == 0:
        return
    latest = models.Checkpoint.objects.filter(record=record).order_by("-size").values_list("size", flat=True)
    if latest and latest[0] >= record.head_seq:
        return
    head = models.Entry.objects.filter(record=record, seq=record.head_seq).values_list("header", flat=True)
    if head and parse_entry(bytes(head[0])).node == node_keypair().public:
        do_sign_checkpoint(log)
