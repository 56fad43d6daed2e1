"""Decisions of an assembly and the inclusion proof of each against a signed checkpoint.

A decision is the entry that closed a question (`question.closed`): replay computed its outcome from the
entries before it. Its inclusion proof (RFC 9162 2.1.3) shows that entry is in the tree whose root a node
signed in a checkpoint, so anyone holding the proof can check it without trusting the node that served it.
"""

from dataclasses import dataclass

from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.rule_errors import UnknownQuestion
from ayllu.core.assembly.words import ReadModel
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.merkle import inclusion_proof_by_ranges
from ayllu.core.meetings.minutes import proposal_title

from .read_types import Words
from .record_tree import RecordTree
from .replayed import read_state
from .replication import get_latest_checkpoint_bytes, iter_entries_in_range

PROOF_FORMAT = "ayllu-inclusion-proof"
PROOF_VERSION = 1


@dataclass(frozen=True, slots=True)
class DecisionRead(ReadModel):
    """A closed question with an outcome: the entry that closed it (`seq`), its proposal and the
    proposal's title (a `Said` until `shown_to`), and the result."""

    question: int
    seq: int
    proposal: int
    title: Words
    result: str


@dataclass(frozen=True, slots=True)
class InclusionProofRead(ReadModel):
    """The proof file of one entry (`ayllu check-proof` reads it; its fields in this order are the
    file's): the exact texts of the entry and the checkpoint, the entry's hash and the audit path."""

    format: str
    version: int
    log: str
    seq: int
    entry: str
    entry_hash: str
    proof: tuple[str, ...]
    checkpoint: str


def list_decisions(log: str) -> list[DecisionRead]:
    """Every closed question with an outcome, newest first."""

    def read(state: AssemblyState) -> list[DecisionRead]:
        found = [
            DecisionRead(
                question=question.id,
                seq=question.closed_seq,
                proposal=question.proposal,
                title=proposal_title(state.proposals[question.proposal]),
                result=question.outcome.result,
            )
            for question in state.questions.values()
            if question.closed_seq and question.outcome is not None
        ]
        return sorted(found, key=lambda d: -d.seq)

    return read_state(log, read)


def get_decision(log: str, question_id: int) -> DecisionRead:
    """One decision (as in `list_decisions`); raise UnknownQuestion unless the question has an outcome."""
    for decision in list_decisions(log):
        if decision.question == question_id:
            return decision
    raise UnknownQuestion(question=question_id)


def get_latest_checkpoint(log: str) -> Checkpoint | None:
    """The largest checkpoint stored with the record (its signature checked), or None."""
    raw = get_latest_checkpoint_bytes(log)
    return None if raw is None else parse_checkpoint(raw)


def get_inclusion_proof(log: str, *, seq: int, checkpoint: Checkpoint) -> InclusionProofRead:
    """What anyone needs to check entry `seq` is in `checkpoint`'s tree: exact texts and the audit path.

    The caller makes sure `1 <= seq <= checkpoint.size`.
    """
    tree = RecordTree(log, size=checkpoint.size)
    header = next(iter_entries_in_range(log, first=seq, last=seq))
    return InclusionProofRead(
        format=PROOF_FORMAT,
        version=PROOF_VERSION,
        log=log,
        seq=seq,
        entry=header.decode("utf-8"),
        entry_hash=tree.entry_hash(seq),
        proof=tuple(inclusion_proof_by_ranges(tree.root, index=seq - 1, size=checkpoint.size)),
        checkpoint=checkpoint.raw.decode("utf-8"),
    )
