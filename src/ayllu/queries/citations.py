"""Citations of a record this node holds, and what it holds of a cited record (docs/record-format.md 14).

`get_citation` makes the citation another record's act carries: the entry's exact header, the latest
checkpoint this node keeps of the record, and a fresh audit path to it. A node that seals the record
signs a checkpoint of its head first (`actions.record.do_refresh_checkpoint`); a mirror gives the
sealer's latest it kept. `get_held_copy` describes this node's copy for `check_citation` (the core's):
storage/citations.py reads it, and the record's replayed state says how far its rules hold.
`get_cite_refusal` says why the core would refuse a member's act citing entries (the browser's form asks
before the member signs).
"""

from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.citing import RecordCited
from ayllu.core.errors import BadProof, DomainError
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.citations import Citation, HeldCopy, build_citation
from ayllu.core.ledger.merkle import inclusion_proof_by_ranges
from ayllu.core.ledger.record import Entry, parse_entry
from ayllu.storage import models, reads
from ayllu.storage.citations import held_copy

from .record_tree import RecordTree
from .replayed import get_broken_entry, read_state


def _entry_at(record: models.Record, seq: int) -> Entry | None:
    raw = next(reads.entry_bytes(record, after=seq - 1, upto=seq), None)
    return None if raw is None else parse_entry(raw)


def get_citation(log: str, *, seq: int) -> Citation:
    """A citation of entry `seq` of record `log` against the latest checkpoint kept here.

    Raise RecordNotFound, or BadProof when `seq` is not an entry of the record or no checkpoint kept here
    covers it yet.
    """
    record = reads.get_record(log)
    if not 1 <= seq <= record.head_seq:
        raise BadProof(reason="index_out_of_range", index=seq - 1, size=record.head_seq)
    stored = models.Checkpoint.objects.filter(record=record).order_by("-size")
    raw = stored.values_list("signed", flat=True).first()
    latest = None if raw is None else parse_checkpoint(bytes(raw))
    if latest is None or latest.size < seq:
        raise BadProof(reason="no_checkpoint_covers", seq=seq, size=0 if latest is None else latest.size)
    header = _entry_at(record, seq)
    assert header is not None
    tree = RecordTree(log, size=latest.size)
    proof = inclusion_proof_by_ranges(tree.root, index=seq - 1, size=latest.size)
    return build_citation(header, checkpoint=latest, proof=proof)


def get_held_copy(citation: Citation) -> HeldCopy | None:
    """What this node holds of the cited record for `citation` (storage/citations.py), with how far its
    rules replay and its sealer now from the record's replayed state; None when it does not hold it."""
    if not models.Record.objects.filter(log=citation.log).exists():
        return None
    broken = get_broken_entry(citation.log)
    sealer = read_state(citation.log, lambda state: state.node)

    def root_at(size: int) -> str:
        # From the block roots kept for proofs, not every entry hash up to `size`.
        return RecordTree(citation.log, size=size).root(0, size).hex()

    return held_copy(citation, broken=broken, sealer_now=sealer, root_at=root_at)


def get_cite_refusal(
    log: str, *, key: str, cites: list[Any], note: str | None, now: int
) -> DomainError | None:
    """Why the core would refuse `key`'s act citing `cites` (citation objects) in record `log` at `now`
    (not a member, a citation of this record itself, the same entry twice...), or None."""
    try:
        # Parsed as the node parses its body: each field, the note's length, each citation's proof.
        act = RecordCited.parse({"cites": cites, **({"note": note} if note else {})})
    except DomainError as error:
        return error
    return read_state(log, lambda state: refusal(state, key=key, act=act, time=now))
