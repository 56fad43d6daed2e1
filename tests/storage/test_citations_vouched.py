"""Verifying a record with its citations checked against this node's copies of the cited records in one
walk (`ayllu verify LOG`, `do_import_record`): a cited header that is byte for byte an entry this node
stores is not checked again, and any other is checked and refused as before."""

import json

import pytest

from ayllu.actions.record import do_import_record, do_verify_record_citations
from ayllu.core.ledger import record as record_module
from ayllu.core.ledger.checked_texts import forget_checked_texts
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.keys import verify_signature
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.core.ledger.record import Entry, parse_entry
from ayllu.core.ledger.verify import VerifyReport
from ayllu.storage import models
from factories.keys import keypair
from factories.records import MemoryRecord, found_record, sample_record

VISIBLE = frozenset(("public", "members"))


def imported(record: MemoryRecord) -> VerifyReport:
    return do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[], visible=VISIBLE,
        workers=1,
    )  # fmt: skip


def council_citing(cited: MemoryRecord, header: Entry, *, hashes: list[str]) -> MemoryRecord:
    """A council whose member cites `header` (entry `header.seq` of `cited`, whose tree is `hashes`)."""
    size = len(hashes)
    checkpoint = sign_checkpoint(
        keypair("node-1"), log=cited.log, size=size, root=root_of(hashes), time=cited.entries[-1].time + 1
    )
    # written out, not read (`build_citation` would refuse a header whose signatures fail)
    citation = {
        "v": 1, "log": cited.log, "seq": header.seq, "entry": header.hash, "header": header.raw.decode(),
        "checkpoint": checkpoint.raw.decode(), "proof": inclusion_proof(hashes, index=header.seq - 1),
    }  # fmt: skip
    council = found_record(name="Junta vecinal Alto Lima", node="node-2")
    council.add("ana", type="record.cited", content={"cites": [citation]})
    return council


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys whose signatures are checked over entry headers from here on."""
    checked: list[str] = []

    def counting(key: str, context: bytes, message: bytes, sig: str) -> bool:
        checked.append(key)
        return verify_signature(key, context, message, sig)

    monkeypatch.setattr(record_module, "verify_signature", counting)
    return checked


def test_a_cited_header_this_node_stores_is_not_checked_again(db: None, counted: list[str]) -> None:
    # given a federation's record held here, and a council held here citing its entry 3
    federation = sample_record(5, name="Federación")
    assert imported(federation).ok
    council = council_citing(federation, federation.entries[2], hashes=federation.hashes())
    assert imported(council).ok
    forget_checked_texts()
    counted.clear()
    # when the council's record is verified with its citations, from nothing checked
    report, cited = do_verify_record_citations(council.log, workers=1)
    # then it holds, the citation against the copy held here, and the cited header's signatures were
    # not checked again (verification checks the council's own entries apart, in check_entry_batch)
    assert report.ok and (cited.acts, cited.refused) == (1, [])
    assert sum(cited.checked.values()) == 1 and cited.checked["proof"] == 0
    assert counted == []


def test_a_cited_header_of_a_record_not_held_here_is_checked(db: None, counted: list[str]) -> None:
    # given a council held here citing entry 3 of a federation's record this node does not hold
    federation = sample_record(5, name="Federación")
    council = council_citing(federation, federation.entries[2], hashes=federation.hashes())
    assert imported(council).ok
    forget_checked_texts()
    counted.clear()
    # when
    report, cited = do_verify_record_citations(council.log, workers=1)
    # then checked by proof, both signatures of the cited header checked
    assert report.ok and cited.checked["proof"] == 1
    header = federation.entries[2]
    assert counted == [header.author, header.node]


def test_a_cited_header_one_signature_byte_away_from_the_stored_entry_is_refused(db: None) -> None:
    # given a federation's record held here, and a council citing its entry 2 with one byte of the
    # author's signature changed, in a tree the node signed
    federation = sample_record(3, name="Federación")
    assert imported(federation).ok
    raw = federation.entries[1].raw.decode()
    asig = json.loads(raw)["asig"]
    forged = parse_entry(raw.replace(asig, ("0" if asig[0] != "0" else "1") + asig[1:]).encode())
    hashes = [*federation.hashes()]
    hashes[1] = forged.hash
    council = council_citing(federation, forged, hashes=hashes)
    forget_checked_texts()
    # when it is imported: then refused at the citing entry, for the signature, twice over
    for _ in range(2):
        report = imported(council)
        assert not report.ok and report.problem is not None
        assert (report.problem.seq, report.problem.code) == (2, "citation_bad_entry")
        assert report.problem.detail["reason"] == "bad_author_signature"
    assert not models.Record.objects.filter(log=council.log).exists()
