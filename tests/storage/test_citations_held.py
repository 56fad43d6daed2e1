"""Citations against what this node holds of the cited record (record-format.md 14): built from a stored
record, checked through the rules, and refused with evidence kept when the node's copy contradicts them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ayllu.actions.citations import do_check_citation
from ayllu.actions.record import do_import_record, do_refresh_checkpoint, forget_replayed_state, node_keypair
from ayllu.core.errors import (
    BadProof,
    CitationBadCheckpoint,
    CitationFork,
    CitationRolledBack,
    CitationUnknownRecord,
)
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import Citation, build_citation
from ayllu.core.ledger.evidence import check_evidence
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.queries.citations import get_citation, get_held_copy
from ayllu.storage import citations as stored_citations
from ayllu.storage import models
from ayllu.storage.citations import HeldRecords, held_copy
from factories.keys import keypair
from factories.records import MemoryRecord, sample_record
from factories.stored import StoredAssembly, found

VISIBLE = frozenset(("public", "members"))


def held_here(record: MemoryRecord) -> None:
    """Store `record` on this node as a verified copy (as `ayllu import` does)."""
    bodies = dict(record.bodies)
    report = do_import_record(
        record.log, entries=record.raws(), bodies=bodies, checkpoints=[], visible=VISIBLE, workers=1
    )
    assert report.ok, report.problem


def cite(
    record: MemoryRecord, seq: int, *, size: int, by: str = "node-1", time: int | None = None
) -> Citation:
    hashes = record.hashes()[:size]
    when = record.entries[size - 1].time + 1 if time is None else time
    checkpoint = sign_checkpoint(keypair(by), log=record.log, size=size, root=root_of(hashes), time=when)
    return build_citation(
        record.entries[seq - 1], checkpoint=checkpoint, proof=inclusion_proof(hashes, index=seq - 1)
    )


@pytest.fixture
def sealed_here(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found(notices=4)


def test_a_citation_of_a_record_this_node_seals_is_checked_through_its_rules(
    sealed_here: StoredAssembly,
) -> None:
    # given
    do_refresh_checkpoint(sealed_here.log)
    # when
    citation = get_citation(sealed_here.log, seq=3)
    verdict = do_check_citation(citation, held=get_held_copy(citation))
    # then
    assert (citation.seq, citation.checkpoint.size, citation.checkpoint.node) == (3, 5, node_keypair().public)
    assert (verdict.checked, verdict.sealer_confirmed, verdict.ahead) == ("rules", True, False)


def test_no_citation_without_a_checkpoint_covering_the_entry(sealed_here: StoredAssembly) -> None:
    # given no checkpoint was signed yet
    # when / then
    with pytest.raises(BadProof) as refused:
        get_citation(sealed_here.log, seq=2)
    assert refused.value.detail["reason"] == "no_checkpoint_covers"


def test_a_forked_citation_is_refused_and_its_evidence_kept(db: None) -> None:
    # given this node holds a five-entry record sealed by node-1, which sealed another entry 4 elsewhere
    record = sample_record(5)
    held_here(record)
    branch = record.branch(3)
    branch.notice("otra cosa")
    citation = cite(branch, 4, size=4)
    # when / then
    with pytest.raises(CitationFork) as refused:
        do_check_citation(citation, held=get_held_copy(citation))
    assert refused.value.detail["reason"] == "entry_differs"
    kept = models.Evidence.objects.get(log=record.log)
    assert (kept.kind, kept.seq, kept.source) == ("fork", 4, "citation")
    assert check_evidence(bytes(kept.raw)).node == keypair("node-1").public


def test_a_rolled_back_citation_is_refused_and_its_evidence_kept(db: None) -> None:
    # given this node holds five entries; node-1 later signs a checkpoint of size 3 (a rollback)
    record = sample_record(5)
    held_here(record)
    citation = cite(record, 2, size=3, time=record.entries[-1].time + 60_000)
    # when / then
    with pytest.raises(CitationRolledBack):
        do_check_citation(citation, held=get_held_copy(citation))
    kept = models.Evidence.objects.get(log=record.log)
    assert kept.kind == "rollback" and check_evidence(bytes(kept.raw)).seq == 4


def test_a_checkpoint_by_another_key_is_refused_by_a_node_holding_the_record(db: None) -> None:
    # given
    record = sample_record(4)
    held_here(record)
    citation = cite(record, 2, size=4, by="mallory")
    # when / then
    with pytest.raises(CitationBadCheckpoint) as refused:
        do_check_citation(citation, held=get_held_copy(citation))
    assert refused.value.detail["reason"] == "not_the_sealer"


def test_a_citation_of_a_record_this_node_does_not_hold_is_checked_by_proof_only(db: None) -> None:
    # given a record this node never saw
    record = sample_record(4)
    citation = cite(record, 2, size=4)
    # when
    held = get_held_copy(citation)
    verdict = do_check_citation(citation, held=held)
    # then
    assert held is None and verdict.checked == "proof" and not verdict.sealer_confirmed
    with pytest.raises(CitationUnknownRecord):
        do_check_citation(citation, held=held, require_held=True)


def test_a_citation_beyond_this_nodes_copy_is_said_ahead(db: None) -> None:
    # given this node holds 3 entries of a record that has 5
    record = sample_record(5)
    held_here(record.branch(3))
    citation = cite(record, 2, size=5)
    # when
    verdict = do_check_citation(citation, held=get_held_copy(citation))
    # then
    assert (verdict.checked, verdict.ahead, verdict.held) == ("rules", True, 3)


def test_a_citation_of_the_same_entry_in_a_forked_tree_is_refused(db: None) -> None:
    # given entry 3 is the one this node holds, but the checkpoint covers a forked entry 4
    record = sample_record(5)
    held_here(record)
    branch = record.branch(3)
    branch.notice("otra cosa")
    citation = cite(branch, 3, size=4)
    # when / then
    with pytest.raises(CitationFork) as refused:
        do_check_citation(citation, held=get_held_copy(citation))
    assert refused.value.detail["reason"] == "root_differs"
    assert refused.value.detail["held_root"] == root_of(record.hashes()[:4])


def test_a_pass_over_many_citations_of_one_record_reads_it_once(db: None) -> None:
    # given this node holds a twelve-entry record, and six citations of it against two checkpoints
    record = sample_record(12)
    held_here(record)
    cited = [(2, 6), (3, 6), (5, 6), (7, 12), (9, 12), (11, 12)]
    citations = [cite(record, seq, size=size) for seq, size in cited]
    held = HeldRecords()
    # when one pass reads what it holds for each
    with CaptureQueriesContext(connection) as first:
        copies = [held.copy_for(citations[0])]
    with CaptureQueriesContext(connection) as rest:
        copies += [held.copy_for(citation) for citation in citations[1:]]
    # then each is what a citation checked alone finds, and after the first nothing is read again
    assert copies == [held_copy(citation) for citation in citations]
    assert len(first) > 0 and len(rest) == 0
    assert [copy.root if copy else None for copy in copies] == [
        root_of(record.hashes()[:size]) for _, size in cited
    ]


def test_a_pass_reading_a_record_a_few_entries_at_a_time_finds_the_same_copies(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given blocks of 4 entries and one block kept, and citations read out of order
    monkeypatch.setattr(stored_citations, "_BLOCK", 4)
    monkeypatch.setattr(stored_citations, "_BLOCKS_KEPT", 1)
    record = sample_record(12)
    held_here(record)
    cited = [(9, 11), (2, 6), (7, 7), (3, 5), (11, 12), (1, 10)]
    citations = [cite(record, seq, size=size) for seq, size in cited]
    # when
    held = HeldRecords()
    copies = [held.copy_for(citation) for citation in citations]
    # then every root is the tree's, and every entry the one cited
    assert [copy.root if copy else None for copy in copies] == [
        root_of(record.hashes()[:size]) for _, size in cited
    ]
    assert [copy.entry.hash if copy and copy.entry else None for copy in copies] == [
        record.hashes()[seq - 1] for seq, _ in cited
    ]


def test_a_pass_told_what_its_citations_cite_reads_every_record_in_a_few_statements(db: None) -> None:
    # given this node holds three records, and citations of each against checkpoints of two sizes
    records = [sample_record(n, name=f"Junta {n}") for n in (12, 9, 7)]
    for record in records:
        held_here(record)
    cited = [(record, seq, size) for record in records for seq, size in ((2, 6), (5, 7), (7, 7))]
    citations = [cite(record, seq, size=size) for record, seq, size in cited]
    # when a pass is told beforehand (log, seq, checkpoint size) of each, and of records it does not hold
    held = HeldRecords()
    hints = [(c.log, c.seq, c.checkpoint.size) for c in citations] + [("ab" * 32, 3, 4)]
    with CaptureQueriesContext(connection) as ahead:
        held.expect(hints)
    copies = [held.copy_for(citation) for citation in citations]
    # then it read every record in four statements (rows, entries, kept and seen checkpoints), and each
    # copy is what a citation checked alone finds
    assert len(ahead) == 4
    assert copies == [held_copy(citation) for citation in citations]
    assert held.copy_for(cite(sample_record(5, name="Not here"), 2, size=4)) is None
    # and the entries it read ahead are the stored ones at their seqs, the heads among them
    for record in records:
        found = held._of(record.log)
        assert found is not None and found.rows
        assert all(raw == record.raws()[seq - 1] for seq, raw in found.rows.items())
        assert len(record.raws()) in found.rows


def test_a_pass_told_of_more_entries_than_a_statement_holds_reads_them_in_several(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given statements of at most 6 parameters, 3 seqs of a record read ahead, and 3 records cited
    monkeypatch.setattr(stored_citations, "_PARAMS", 6)
    monkeypatch.setattr(stored_citations, "_SEQS", 3)
    records = [sample_record(9, name=f"Junta {n}") for n in range(3)]
    for record in records:
        held_here(record)
    citations = [cite(record, seq, size=7) for record in records for seq in (1, 2, 3, 4)]
    held = HeldRecords()
    # when a pass is told of them, and of seqs beyond each record's head
    held.expect([(c.log, c.seq, c.checkpoint.size) for c in citations] + [(records[0].log, 10**30, 99)])
    # then the copies are what a citation checked alone finds
    assert [held.copy_for(c) for c in citations] == [held_copy(c) for c in citations]
