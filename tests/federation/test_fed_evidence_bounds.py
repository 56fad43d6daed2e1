"""Evidence stays small and self-verifying: compact mismatches, withheld entries proven by a header,
a size bound under what a node accepts in a post."""

import pytest

from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.merkle import frontier_of, root_of
from factories.keys import keypair
from factories.records import federation_record

NODE, OTHER = keypair(70), keypair(71)


def _record(size: int):  # type: ignore[no-untyped-def]
    record = federation_record(NODE)
    for i in range(size - 1):
        record.notice(f"n{i}")
    return record


def test_a_compact_mismatch_holds_only_the_headers_since_a_checkpoint_the_node_signed() -> None:
    # given a record of 40 entries, a true checkpoint at 30 and a lying one at 40
    record = _record(40)
    hashes = record.hashes()
    base = sign_checkpoint(NODE, log=record.log, size=30, root=root_of(hashes[:30]), time=1)
    lie = sign_checkpoint(NODE, log=record.log, size=40, root=root_of(hashes[:39]), time=2)
    # when evidence is made from the base, its frontier and the last ten headers
    raw = ev.mismatch_evidence(lie, record.entries[30:], base=base, frontier=frontier_of(hashes[:30]))
    whole = ev.mismatch_evidence(lie, record.entries)
    # then it re-verifies, and is a fraction of the evidence holding every header
    found = ev.check_evidence(raw)
    assert (found.kind, found.seq) == ("checkpoint_mismatch", 40)
    assert ev.check_evidence(whole).seq == 40
    assert len(raw) * 3 < len(whole)


def test_a_compact_mismatch_is_refused_when_its_parts_do_not_hold() -> None:
    record = _record(12)
    hashes = record.hashes()
    base = sign_checkpoint(NODE, log=record.log, size=8, root=root_of(hashes[:8]), time=1)
    honest = sign_checkpoint(NODE, log=record.log, size=12, root=root_of(hashes), time=2)
    lie = sign_checkpoint(NODE, log=record.log, size=12, root=root_of(hashes[:11]), time=3)
    others = sign_checkpoint(OTHER, log=record.log, size=8, root=root_of(hashes[:8]), time=1)
    # roots that agree prove nothing
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(
            ev.mismatch_evidence(honest, record.entries[8:], base=base, frontier=frontier_of(hashes[:8]))
        )
    # a frontier that is not the base's root
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(
            ev.mismatch_evidence(lie, record.entries[8:], base=base, frontier=frontier_of(hashes[1:9]))
        )
    # a base signed by another node
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(
            ev.mismatch_evidence(lie, record.entries[8:], base=others, frontier=frontier_of(hashes[:8]))
        )
    # headers missing in the middle
    gap = [*record.entries[8:10], record.entries[11]]
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.mismatch_evidence(lie, gap, base=base, frontier=frontier_of(hashes[:8])))


def test_an_entry_header_proves_a_withheld_entry() -> None:
    record = _record(6)
    raw = ev.withheld_evidence(record.entries[5], served=4)
    assert (ev.check_evidence(raw).kind, ev.check_evidence(raw).seq) == ("withheld", 5)
    with pytest.raises(ev.InvalidEvidence):
        ev.check_evidence(ev.withheld_evidence(record.entries[3], served=4))


def test_evidence_over_the_bound_is_refused_before_it_is_read() -> None:
    record = _record(3)
    raw = ev.withheld_evidence(record.entries[2], served=1)
    padded = raw[:-1] + b" " * ev.MAX_EVIDENCE_BYTES + b"}"
    with pytest.raises(ev.InvalidEvidence) as refused:
        ev.check_evidence(padded)
    assert refused.value.detail["reason"] == "too_large"
