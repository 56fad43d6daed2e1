"""Citations of another record's entry (record-format.md 14): by proof alone, and against a held copy."""

import json
from typing import Any

import pytest

from ayllu.core.errors import (
    CitationBadCheckpoint,
    CitationBadEntry,
    CitationBadProof,
    CitationFork,
    CitationRolledBack,
    CitationRuleBroken,
    DomainError,
    MalformedCitation,
)
from ayllu.core.ledger import checkpoints as checkpoints_module
from ayllu.core.ledger import record as record_module
from ayllu.core.ledger.checked_texts import forget_checked_texts
from ayllu.core.ledger.checkpoints import Checkpoint, sign_checkpoint
from ayllu.core.ledger.citations import (
    Citation,
    build_citation,
    check_citation,
    held_copy_of,
    parse_citation,
    parse_citation_bytes,
)
from ayllu.core.ledger.evidence import check_evidence
from ayllu.core.ledger.keys import verify_signature
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from factories.keys import keypair
from factories.records import MemoryRecord, sample_record

NODE = keypair("node-1")


def checkpoint_of(
    record: MemoryRecord, size: int, *, by: str = "node-1", time: int | None = None
) -> Checkpoint:
    hashes = record.hashes()[:size]
    when = record.entries[size - 1].time + 1 if time is None else time
    return sign_checkpoint(keypair(by), log=record.log, size=size, root=root_of(hashes), time=when)


def cite(record: MemoryRecord, seq: int, *, size: int | None = None, by: str = "node-1") -> Citation:
    size = size or len(record.entries)
    checkpoint = checkpoint_of(record, size, by=by)
    proof = inclusion_proof(record.hashes()[:size], index=seq - 1)
    return build_citation(record.entries[seq - 1], checkpoint=checkpoint, proof=proof)


def altered(citation: Citation, **change: Any) -> dict[str, Any]:
    return {**citation.as_json(), **change}


def test_a_valid_citation_checked_by_proof_only_says_so() -> None:
    # given a citation of entry 3 of a five-entry record, and a checker that holds nothing of it
    record = sample_record(5)
    citation = cite(record, 3)
    # when
    verdict = check_citation(parse_citation_bytes(citation.raw()))
    # then
    assert (verdict.log, verdict.seq, verdict.entry, verdict.size) == (record.log, 3, record.hashes()[2], 5)
    assert verdict.checked == "proof" and verdict.ahead and not verdict.sealer_confirmed


def test_a_valid_citation_against_the_held_copy_is_checked_through_the_rules() -> None:
    # given
    record = sample_record(5)
    citation = cite(record, 3)
    # when
    verdict = check_citation(citation, held=held_copy_of(record.entries, citation=citation))
    # then
    assert verdict.checked == "rules" and verdict.sealer_confirmed and not verdict.ahead
    assert (verdict.held, verdict.replayed) == (5, 5)


def test_a_citation_round_trips_through_its_canonical_bytes() -> None:
    # given
    citation = cite(sample_record(4), 2)
    # when
    again = parse_citation_bytes(citation.raw())
    # then
    assert again == citation and json.loads(again.raw()) == citation.as_json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"v": 2}, "v"),
        ({"v": True}, "v"),
        ({"seq": 0}, "seq"),
        ({"seq": True}, "seq"),
        ({"entry": "AB" * 32}, "entry"),
        ({"proof": ["zz"]}, "proof"),
        ({"header": {}}, "header"),
        ({"extra": 1}, "fields"),
    ],
)
def test_a_citation_with_a_wrong_field_is_malformed(change: dict[str, Any], field: str) -> None:
    # given
    citation = cite(sample_record(3), 2)
    # when / then
    with pytest.raises(MalformedCitation) as refused:
        parse_citation(altered(citation, **change))
    assert refused.value.detail["field"] == field


def test_a_forged_proof_is_refused() -> None:
    # given a proof whose first hash is another record's
    record = sample_record(5)
    citation = cite(record, 3)
    forged = ["00" * 32, *citation.proof[1:]]
    # when / then
    with pytest.raises(CitationBadProof) as refused:
        parse_citation(altered(citation, proof=forged))
    assert refused.value.detail["reason"] == "root_mismatch"


def test_a_checkpoint_signed_by_another_key_is_refused_by_a_checker_that_knows_the_sealer() -> None:
    # given a citation whose checkpoint mallory signed (valid signature, wrong signer)
    record = sample_record(5)
    citation = cite(record, 3, by="mallory")
    # when / then: by the held copy, and by the keys a checker knows
    with pytest.raises(CitationBadCheckpoint) as refused:
        check_citation(citation, held=held_copy_of(record.entries, citation=citation))
    assert refused.value.detail["reason"] == "not_the_sealer"
    with pytest.raises(CitationBadCheckpoint):
        check_citation(citation, sealers=frozenset((NODE.public,)))


def test_a_checkpoint_whose_signature_fails_is_refused() -> None:
    # given a checkpoint with one signature byte changed
    record = sample_record(3)
    citation = cite(record, 2)
    text = citation.checkpoint.raw.decode()
    sig = json.loads(text)["sig"]
    bad = text.replace(sig, ("0" if sig[0] != "0" else "1") + sig[1:])
    # when / then
    with pytest.raises(CitationBadCheckpoint) as refused:
        parse_citation(altered(citation, checkpoint=bad))
    assert refused.value.detail["reason"] == "bad_checkpoint_signature"


def test_a_cited_header_whose_author_signature_fails_is_refused() -> None:
    # given entry 2 with one byte of its author's signature changed, yet in the tree a node signed
    record = sample_record(3)
    raw = record.entries[1].raw.decode()
    asig = json.loads(raw)["asig"]
    forged = record_module.parse_entry(
        raw.replace(asig, ("0" if asig[0] != "0" else "1") + asig[1:]).encode()
    )
    hashes = [*record.hashes()]
    hashes[1] = forged.hash
    checkpoint = sign_checkpoint(
        NODE, log=record.log, size=3, root=root_of(hashes), time=record.entries[2].time + 1
    )
    value = {
        **cite(record, 2).as_json(),
        "entry": forged.hash,
        "header": forged.raw.decode(),
        "checkpoint": checkpoint.raw.decode(),
        "proof": inclusion_proof(hashes, index=1),
    }
    forget_checked_texts()
    # when / then: refused, and refused again (a text that failed is never kept as checked)
    for _ in range(2):
        with pytest.raises(CitationBadEntry) as refused:
            parse_citation(value)
        assert refused.value.detail["reason"] == "bad_author_signature"


def test_a_wrong_entry_hash_is_refused() -> None:
    # given a citation naming entry 2's hash with entry 3's header
    record = sample_record(4)
    citation = cite(record, 3)
    # when / then
    with pytest.raises(CitationBadEntry) as refused:
        parse_citation(altered(citation, entry=record.hashes()[1]))
    assert refused.value.detail["reason"] == "wrong_hash"


def test_a_header_of_another_seq_is_refused() -> None:
    # given
    record = sample_record(4)
    citation = cite(record, 3)
    # when / then
    with pytest.raises(CitationBadEntry) as refused:
        parse_citation(altered(citation, header=record.entries[1].raw.decode()))
    assert refused.value.detail["reason"] == "wrong_seq"


def test_a_forked_citation_is_refused_with_fork_evidence() -> None:
    # given the node sealed another entry 4 on a branch, and signed a checkpoint of the branch
    record = sample_record(5)
    branch = record.branch(3)
    branch.notice("otra cosa")
    citation = cite(branch, 4)
    # when / then
    with pytest.raises(CitationFork) as refused:
        check_citation(citation, held=held_copy_of(record.entries, citation=citation))
    detail = refused.value.detail
    assert detail["reason"] == "entry_differs"
    evidence = check_evidence(detail["evidence"].encode())
    assert (evidence.kind, evidence.seq, evidence.node) == ("fork", 4, NODE.public)


def test_a_checkpoint_of_another_tree_with_the_same_entry_is_a_fork() -> None:
    # given entry 3 is the same, but the checkpoint of size 4 covers a forked entry 4
    record = sample_record(5)
    branch = record.branch(3)
    branch.notice("otra cosa")
    held_checkpoint = checkpoint_of(record, 4)
    citation = cite(branch, 3, size=4)
    # when / then
    with pytest.raises(CitationFork) as refused:
        check_citation(
            citation, held=held_copy_of(record.entries, citation=citation, checkpoints=[held_checkpoint])
        )
    assert refused.value.detail["reason"] == "root_differs"
    assert check_evidence(refused.value.detail["evidence"].encode()).kind == "equivocation"


def test_a_rolled_back_citation_is_refused_with_rollback_evidence() -> None:
    # given the checker holds 5 entries; the node later signs a checkpoint of size 3 (it rolled back)
    record = sample_record(5)
    record_time = record.entries[-1].time
    checkpoint = checkpoint_of(record, 3, time=record_time + 60_000)
    proof = inclusion_proof(record.hashes()[:3], index=1)
    citation = build_citation(record.entries[1], checkpoint=checkpoint, proof=proof)
    # when / then
    with pytest.raises(CitationRolledBack) as refused:
        check_citation(citation, held=held_copy_of(record.entries, citation=citation))
    evidence = check_evidence(refused.value.detail["evidence"].encode())
    assert (evidence.kind, evidence.node) == ("rollback", NODE.public)


def test_an_old_checkpoint_signed_before_the_later_entries_is_not_a_rollback() -> None:
    # given a checkpoint of size 3 signed before entries 4 and 5 were sealed
    record = sample_record(5)
    checkpoint = checkpoint_of(record, 3, time=record.entries[2].time - 1)
    proof = inclusion_proof(record.hashes()[:3], index=1)
    citation = build_citation(record.entries[1], checkpoint=checkpoint, proof=proof)
    # when
    verdict = check_citation(citation, held=held_copy_of(record.entries, citation=citation))
    # then
    assert verdict.checked == "rules"


def test_a_citation_beyond_the_held_copy_is_checked_by_proof_and_said_ahead() -> None:
    # given the checker holds 3 of 5 entries, and the citation is of entry 5
    record = sample_record(5)
    citation = cite(record, 5)
    # when
    verdict = check_citation(citation, held=held_copy_of(record.entries[:3], citation=citation))
    # then
    assert verdict.checked == "proof" and verdict.ahead and verdict.sealer_confirmed


def test_a_citation_at_or_after_an_entry_breaking_the_rules_is_refused() -> None:
    # given the checker's replay found entry 2 breaks a rule
    record = sample_record(4)
    citation = cite(record, 3)
    held = held_copy_of(record.entries, citation=citation, replayed=1, broken=(2, "not_a_member"))
    # when / then
    with pytest.raises(CitationRuleBroken):
        check_citation(citation, held=held)


def test_any_altered_byte_of_a_citation_is_refused() -> None:
    # given the exact bytes of a valid citation
    raw = cite(sample_record(6), 5).raw()
    for position in range(len(raw)):
        altered_raw = raw[:position] + bytes([raw[position] ^ 1]) + raw[position + 1 :]
        # when / then: one bit flipped anywhere, and the citation no longer reads
        with pytest.raises(DomainError):
            parse_citation_bytes(altered_raw)


def test_a_text_checked_once_is_not_checked_again_and_an_altered_one_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a citation read once (its checkpoint's signature and its header's two checked), signatures
    # counted from here on
    forget_checked_texts()
    record = sample_record(4)
    citation = cite(record, 3)
    parse_citation(citation.as_json())
    checked: list[str] = []

    def counted(key: str, context: bytes, message: bytes, sig: str) -> bool:
        checked.append(key)
        return verify_signature(key, context, message, sig)

    for module in (record_module, checkpoints_module):
        monkeypatch.setattr(module, "verify_signature", counted)
    # when the same citation is read again
    again = parse_citation(citation.as_json())
    # then nothing is checked again
    assert again == citation and checked == []
    # when another entry is cited against the same checkpoint: its header's two signatures only
    other = altered(
        citation,
        seq=2,
        entry=record.hashes()[1],
        header=record.entries[1].raw.decode(),
        proof=inclusion_proof(record.hashes(), index=1),
    )
    assert parse_citation(other).seq == 2 and len(checked) == 2
    # when a checkpoint one byte away from the kept one comes: checked, and refused
    text = citation.checkpoint.raw.decode()
    sig = json.loads(text)["sig"]
    bad = text.replace(sig, ("0" if sig[0] != "0" else "1") + sig[1:])
    with pytest.raises(CitationBadCheckpoint):
        parse_citation(altered(citation, checkpoint=bad))
    assert len(checked) == 3
    # when everything kept is forgotten, everything is checked again
    forget_checked_texts()
    parse_citation(citation.as_json())
    assert len(checked) == 3 + 3
