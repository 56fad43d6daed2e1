"""Verifying a record with its citations checked against this node's copies of the cited records in one
walk (`ayllu verify LOG`, `do_import_record`): a cited header that is byte for byte an entry this node
stores is not checked again, and any other is checked and refused as before."""

import json

import pytest

from ayllu.actions.record import do_import_record, do_verify_record_citations
from ayllu.core.ledger import checkpoints as checkpoints_module
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


def imported(record: MemoryRecord, *, checkpoints: list[bytes] | None = None) -> VerifyReport:
    return do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=checkpoints or [],
        visible=VISIBLE, workers=1,
    )  # fmt: skip


def cited_checkpoint(council: MemoryRecord) -> bytes:
    """The checkpoint text the council's citation carries."""
    body = council.bodies[council.entries[-1].act.body_key()]
    return str(body.content()["cites"][0]["checkpoint"]).encode()


def flipped_sig(text: str, *, field: str = "sig") -> str:
    """`text` with the first character of its signature `field` changed."""
    sig = json.loads(text)[field]
    return text.replace(sig, ("0" if sig[0] != "0" else "1") + sig[1:])


def council_citing(
    cited: MemoryRecord, header: Entry, *, hashes: list[str], checkpoint_text: str | None = None
) -> MemoryRecord:
    """A council whose member cites `header` (entry `header.seq` of `cited`, whose tree is `hashes`)."""
    size = len(hashes)
    checkpoint = sign_checkpoint(
        keypair("node-1"), log=cited.log, size=size, root=root_of(hashes), time=cited.entries[-1].time + 1
    )
    # written out, not read (`build_citation` would refuse a header whose signatures fail)
    citation = {
        "v": 1, "log": cited.log, "seq": header.seq, "entry": header.hash, "header": header.raw.decode(),
        "checkpoint": checkpoint_text or checkpoint.raw.decode(),
        "proof": inclusion_proof(hashes, index=header.seq - 1),
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
    monkeypatch.setattr(checkpoints_module, "verify_signature", counting)
    return checked


@pytest.mark.parametrize("kept", [True, False])
def test_a_cited_header_this_node_stores_is_not_checked_again(
    db: None, counted: list[str], kept: bool
) -> None:
    # given a federation's record held here (with the checkpoint cited, or without), and a council held
    # here citing its entry 3
    federation = sample_record(5, name="Federación")
    council = council_citing(federation, federation.entries[2], hashes=federation.hashes())
    assert imported(federation, checkpoints=[cited_checkpoint(council)] if kept else []).ok
    assert imported(council).ok
    forget_checked_texts()
    counted.clear()
    # when the council's record is verified with its citations, from nothing checked
    report, cited = do_verify_record_citations(council.log, workers=1)
    # then it holds, the citation against the copy held here, and neither the cited header's signatures
    # nor a checkpoint this node keeps were checked again (the council's own entries are checked apart,
    # in check_entry_batch)
    assert report.ok and (cited.acts, cited.refused) == (1, [])
    assert sum(cited.checked.values()) == 1 and cited.checked["proof"] == 0
    assert counted == ([] if kept else [keypair("node-1").public])


def test_a_cited_header_of_a_record_not_held_here_is_checked(db: None, counted: list[str]) -> None:
    # given a council held here citing entry 3 of a federation's record this node does not hold
    federation = sample_record(5, name="Federación")
    council = council_citing(federation, federation.entries[2], hashes=federation.hashes())
    assert imported(council).ok
    forget_checked_texts()
    counted.clear()
    # when
    report, cited = do_verify_record_citations(council.log, workers=1)
    # then checked by proof, the checkpoint's signature and both of the cited header's checked
    assert report.ok and cited.checked["proof"] == 1
    header = federation.entries[2]
    assert sorted(counted) == sorted([keypair("node-1").public, header.author, header.node])


def test_a_cited_header_one_signature_byte_away_from_the_stored_entry_is_refused(db: None) -> None:
    # given a federation's record held here, and a council citing its entry 2 with one byte of the
    # author's signature changed, in a tree the node signed
    federation = sample_record(3, name="Federación")
    assert imported(federation).ok
    forged = parse_entry(flipped_sig(federation.entries[1].raw.decode(), field="asig").encode())
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


def test_a_cited_checkpoint_one_signature_byte_away_from_a_kept_one_is_refused(db: None) -> None:
    # given a federation's record held here with a checkpoint of it kept, and a council citing its
    # entry 3 with that checkpoint's signature changed by one byte
    federation = sample_record(5, name="Federación")
    honest = council_citing(federation, federation.entries[2], hashes=federation.hashes())
    kept = cited_checkpoint(honest)
    assert imported(federation, checkpoints=[kept]).ok
    altered = flipped_sig(kept.decode())
    council = council_citing(
        federation, federation.entries[2], hashes=federation.hashes(), checkpoint_text=altered
    )
    forget_checked_texts()
    # when it is imported: then refused at the citing entry, for the checkpoint's signature
    report = imported(council)
    assert not report.ok and report.problem is not None
    assert (report.problem.seq, report.problem.code) == (2, "citation_bad_checkpoint")
    assert report.problem.detail["reason"] == "bad_checkpoint_signature"
