"""Citations through the real interfaces: the API builds one, `ayllu check-citation` checks it and says how
far; `ayllu cite` writes one; a forged or forked one is refused and its evidence kept (record-format.md 14).

The commands run in this process on the test database (like test_assembly_cli.py).
"""

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

from ayllu.actions.record import do_import_record, do_verify_record, forget_replayed_state
from ayllu.cli.exportfile import write_export
from ayllu.cli.main import main
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import build_citation
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.core.ledger.verify import VerifyReport
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.keys import keypair, seed_for
from factories.records import MemoryRecord, found_record, sample_record
from factories.stored import StoredAssembly, act, found


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found(notices=4)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_citation_from_the_api_checks_through_the_rules_with_the_cli(
    assembly: StoredAssembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a citation of entry 3 asked of the API
    answer = Client().get(f"/api/assemblies/{assembly.log}/entries/3/citation")
    assert answer.status_code == 200, answer.content
    cited = answer.json()
    path = tmp_path / "citation.json"
    path.write_text(json.dumps(cited, separators=(",", ":"), sort_keys=True, ensure_ascii=False))
    # when
    code, out = run(capsys, "check-citation", str(path))
    # then
    assert (cited["log"], cited["seq"], json.loads(cited["checkpoint"])["size"]) == (assembly.log, 3, 5)
    assert code == 0, out
    assert f"ok: entry 3 (notice.posted) of record {assembly.log}" in out
    assert "the cited assembly's rules replayed through entry 3" in out


def test_the_api_answers_404_for_a_record_it_does_not_hold(assembly: StoredAssembly) -> None:
    # given / when
    answer = Client().get(f"/api/assemblies/{'ab' * 32}/entries/1/citation")
    # then
    assert answer.status_code == 404 and answer.json()["code"] == "record_not_found"


def test_cite_writes_the_same_citation_the_api_gives(
    assembly: StoredAssembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "cited.json"
    # when
    code, out = run(capsys, "cite", assembly.log, "2", "-o", str(path))
    api = Client().get(f"/api/assemblies/{assembly.log}/entries/2/citation").json()
    # then
    assert code == 0, out
    assert json.loads(path.read_bytes()) == api


def test_a_citation_of_a_record_not_held_is_said_checked_by_proof_only(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a citation of a record this node never saw
    record = sample_record(4)
    hashes = record.hashes()
    checkpoint = sign_checkpoint(keypair("node-1"), log=record.log, size=4, root=root_of(hashes), time=1)
    proof = inclusion_proof(hashes, index=1)
    citation = build_citation(record.entries[1], checkpoint=checkpoint, proof=proof)
    path = tmp_path / "citation.json"
    path.write_bytes(citation.raw())
    # when
    code, out = run(capsys, "check-citation", str(path))
    strict, refused = run(capsys, "check-citation", str(path), "--require-held")
    # then
    assert code == 0 and "citation checked by proof only" in out
    assert "not known here as the record's sealer" in out
    assert strict == 1 and "citation_unknown_record" in refused


def test_a_forked_citation_is_refused_by_the_cli_and_its_evidence_kept(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds a record; its node sealed another entry 4 on a branch
    record = sample_record(5)
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip
    assert report.ok
    branch = record.branch(3)
    branch.notice("otra cosa")
    hashes = branch.hashes()
    checkpoint = sign_checkpoint(keypair("node-1"), log=record.log, size=4, root=root_of(hashes), time=2)
    proof = inclusion_proof(hashes, index=3)
    citation = build_citation(branch.entries[3], checkpoint=checkpoint, proof=proof)
    path = tmp_path / "forked.json"
    path.write_bytes(citation.raw())
    # when
    code, out = run(capsys, "check-citation", str(path))
    # then
    assert code == 1 and "REFUSED" in out and "citation_fork" in out and "entry_differs" in out
    assert models.Evidence.objects.filter(log=record.log, kind="fork", seq=4).count() == 1


def test_a_citation_with_a_forged_proof_is_refused_by_the_cli(
    assembly: StoredAssembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    cited = Client().get(f"/api/assemblies/{assembly.log}/entries/3/citation").json()
    cited["proof"][0] = "00" * 32
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(cited, separators=(",", ":"), sort_keys=True, ensure_ascii=False))
    # when
    code, out = run(capsys, "check-citation", str(path))
    # then
    assert code == 1 and "citation_bad_proof" in out


def test_check_citations_reports_every_citation_of_a_record_and_how_far(
    assembly: StoredAssembly, capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds another record (and verified it), and the assembly cites it twice: once a
    # held entry, once an entry of a record this node does not hold
    held = sample_record(4, name="Federación")
    _held(held)
    elsewhere = sample_record(3, name="Otra junta")
    content = {"cites": [citation_of(held, 2).as_json(), citation_of(elsewhere, 3).as_json()]}
    act(assembly, assembly.members[0], "record.cited", content)
    # when
    code, out = run(capsys, "check-citations", assembly.log)
    # then
    assert code == 0, out
    assert "1 acts of record" in out and "2 hold (1 through the cited assembly's rules, 0 against" in out
    assert "1 checked by proof only), 0 refused" in out


def citation_of(record: Any, seq: int) -> Any:
    hashes = record.hashes()
    node = keypair("node-1")
    checkpoint = sign_checkpoint(node, log=record.log, size=len(hashes), root=root_of(hashes), time=3)
    proof = inclusion_proof(hashes, index=seq - 1)
    return build_citation(record.entries[seq - 1], checkpoint=checkpoint, proof=proof)


def _forked_citation() -> tuple[MemoryRecord, MemoryRecord]:
    """A federation's record, and a council's whose member cited a forked entry of it."""
    federation = sample_record(5, name="Federación")
    branch = federation.branch(3)
    branch.notice("otra cosa")
    council = found_record(name="Junta vecinal Alto Lima", node="node-2")
    council.add("ana", type="record.cited", content={"cites": [citation_of(branch, 4).as_json()]})
    return federation, council


def _import(record: MemoryRecord) -> VerifyReport:
    return do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip


def test_check_citations_refuses_an_imported_record_citing_a_fork(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a council's record whose member cited a forked entry of a federation's record, imported
    # while this node held nothing of the federation's (checked by proof only), then the federation's
    federation, council = _forked_citation()
    assert _import(council).ok
    # (by a node from before cited checkpoints were noted as seen: now the federation's import is
    # refused, its entries contradicting the checkpoint the citation carries, docs/federation.md 4.1)
    models.SeenCheckpoint.objects.all().delete()
    assert _import(federation).ok
    # when
    code, out = run(capsys, "check-citations", council.log)
    # then
    assert code == 1 and "REFUSED: citation 0 of entry 2: citation_fork" in out
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_an_import_citing_a_fork_of_a_record_held_here_is_refused_with_evidence(db: None) -> None:
    # given this node holds a federation's record, and a council's record whose member cited a forked
    # entry of it
    federation, council = _forked_citation()
    assert _import(federation).ok
    # when the council's record is imported
    report = _import(council)
    # then it is refused at the citing entry, nothing stored, the fork's evidence kept
    assert not report.ok and report.problem is not None
    assert (report.problem.seq, report.problem.code) == (2, "citation_fork")
    assert report.problem.detail["citation"] == 0
    assert not models.Record.objects.filter(log=council.log).exists()
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_a_member_cites_an_entry_with_ayllu_act_cite_record(
    assembly: StoredAssembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given another record this node holds, a citation of its entry 2 written by `ayllu cite`, and a
    # member's key file
    held = found(name="Federación", notices=2)
    path = tmp_path / "cited.json"
    assert run(capsys, "cite", held.log, "2", "-o", str(path))[0] == 0
    key = tmp_path / "member.key"
    create_key_file(key, seed=seed_for(1))  # the first founder's key (factories.stored.found)
    # when the member cites it with `ayllu act cite-record`
    cites = "[" + path.read_text().strip() + "]"
    code, out = run(
        capsys, "act", "cite-record", "--log", assembly.log, "--key", str(key), "--cites", cites,
        "--note", "Lo decidió la federación",
    )  # fmt: skip
    # then it is in the record
    assert code == 0, out
    last = models.Entry.objects.filter(record__log=assembly.log).order_by("-seq").first()
    assert last is not None and last.type == "record.cited" and f"is entry {last.seq} of record" in out


def test_ayllu_act_cite_record_refuses_a_malformed_citation_and_writes_nothing(
    assembly: StoredAssembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    key = tmp_path / "member.key"
    create_key_file(key, seed=seed_for(1))  # the first founder's key (factories.stored.found)
    size = models.Entry.objects.filter(record__log=assembly.log).count()
    # when
    code, out = run(
        capsys, "act", "cite-record", "--log", assembly.log, "--key", str(key), "--cites", '[{"v": 1}]',
        "--lang", "en",
    )  # fmt: skip
    # then
    assert code == 2 and "malformed_citation: The citation is not written as the record format says." in out
    assert models.Entry.objects.filter(record__log=assembly.log).count() == size


def _export(record: Any, path: Path) -> None:
    """Write an in-memory record to an export file, as `ayllu export` does."""
    with path.open("w", encoding="utf-8") as out:
        write_export(
            out, log=record.log, name="", visible=frozenset({"public", "members"}),
            entries=((e.raw, e.act) for e in record.entries), bodies=record.bodies, checkpoints=[],
        )  # fmt: skip


def _held(record: Any, *, verified: bool = True) -> None:
    """Import `record` here and, unless told not to, verify it (its rules replayed by this node)."""
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip
    assert report.ok
    if verified:
        assert do_verify_record(record.log, workers=1).ok


def _council_citing(cited: Any) -> Any:
    council = found_record(name="Junta vecinal Alto Lima", node="node-2")
    council.add("ana", type="record.cited", content={"cites": [cited.as_json()]})
    return council


def test_verify_says_how_far_the_citations_were_checked(
    assembly: StoredAssembly, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the assembly cites an entry of a record held here and one of a record not held here
    held = sample_record(4, name="Federación")
    _held(held)
    elsewhere = sample_record(3, name="Otra junta")
    act(assembly, assembly.members[0], "record.cited", {"cites": [citation_of(held, 2).as_json()]})
    act(assembly, assembly.members[1], "record.cited", {"cites": [citation_of(elsewhere, 3).as_json()]})
    # when
    code, out = run(capsys, "verify", assembly.log, "--workers", "1")
    # then
    assert code == 0, out
    assert f"ok: record {assembly.log}" in out
    assert "2 acts of record" in out and "2 hold (1 through the cited assembly's rules, 0 against" in out
    assert "1 checked by proof only), 0 refused" in out


def test_a_citation_is_said_checked_through_the_rules_only_once_this_node_replayed_them(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a council citing an entry of a record held here, whose rules this node has not replayed
    # since it stored it (no state of it read, no verification of it)
    federation = sample_record(5, name="Federación")
    _held(federation, verified=False)
    council = _council_citing(citation_of(federation, 3))
    _held(council, verified=False)
    forget_replayed_state()
    # when its citations are checked
    code, out = run(capsys, "check-citations", council.log)
    # then against the copy, not through the rules
    assert code == 0 and "1 hold (0 through the cited assembly's rules, 1 against this node's copy" in out
    # when this node verified the cited record (its rules replayed), and checks them again
    assert do_verify_record(federation.log, workers=1).ok
    code, out = run(capsys, "check-citations", council.log)
    # then through its rules
    assert code == 0 and "1 hold (1 through the cited assembly's rules, 0 against this node's copy" in out


def test_verify_refuses_a_record_citing_a_fork_of_a_record_held_here(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds a council's record that cites a forked entry of a federation's record
    # (imported when the node held nothing of the federation's: checked by proof only), and then the
    # federation's record
    federation = sample_record(5, name="Federación")
    branch = federation.branch(3)
    branch.notice("otra cosa")
    council = _council_citing(citation_of(branch, 4))
    _held(council)
    models.SeenCheckpoint.objects.all().delete()  # a node from before cited checkpoints were noted
    _held(federation)
    # when
    code, out = run(capsys, "verify", council.log, "--workers", "1")
    # then
    assert code == 1 and "REFUSED: citation 0 of entry 2: citation_fork" in out
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_verify_file_says_a_citation_of_a_record_not_held_is_checked_by_proof_only(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given an export file of a council citing a record this node does not hold
    council = _council_citing(citation_of(sample_record(4, name="Federación"), 2))
    path = tmp_path / "council.jsonl"
    _export(council, path)
    # when
    code, out = run(capsys, "verify", "--file", str(path), "--workers", "1")
    # then
    assert code == 0, out
    assert (
        "1 hold (0 through the cited assembly's rules, 0 against this node's copy, 1 checked by proof only)"
        in out
    )


@pytest.mark.parametrize(
    ("command", "said"), [("import", "nothing was imported"), ("restore", "nothing was replaced")]
)
def test_import_and_restore_refuse_a_file_citing_a_fork_and_keep_the_evidence(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, said: str
) -> None:
    # given this node holds a federation's record, and an export file of a council citing a fork of it
    federation = sample_record(5, name="Federación")
    _held(federation)
    branch = federation.branch(3)
    branch.notice("otra cosa")
    council = _council_citing(citation_of(branch, 4))
    path = tmp_path / "council.jsonl"
    _export(council, path)
    # when
    code, out = run(capsys, command, str(path), "--workers", "1")
    # then nothing of it is stored, the fork is named, and its evidence kept
    assert code == 1 and said in out and "citation_fork" in out
    assert not models.Record.objects.filter(log=council.log).exists()
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_import_says_how_far_the_citations_were_checked(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given an export file of a council citing a record held here
    federation = sample_record(5, name="Federación")
    _held(federation)
    council = _council_citing(citation_of(federation, 3))
    path = tmp_path / "council.jsonl"
    _export(council, path)
    # when
    code, out = run(capsys, "import", str(path), "--workers", "1")
    # then
    assert code == 0, out
    assert "1 hold (1 through the cited assembly's rules" in out and f"imported record {council.log}" in out


def test_verify_file_without_a_node_database_says_citations_are_checked_by_proof_only(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an export file of a council citing another record, verified on a computer with no node's
    # database (reading a copy fails)
    council = _council_citing(citation_of(sample_record(4, name="Federación"), 2))
    path = tmp_path / "council.jsonl"
    _export(council, path)

    def no_database(*args: object, **kwargs: object) -> None:
        raise DatabaseError("no such table: ayllu_record")

    monkeypatch.setattr("ayllu.actions.citations._held_here", no_database)
    # when
    code, out = run(capsys, "verify", "--file", str(path), "--workers", "1")
    # then the file verifies, and the citations are said to be checked by proof only
    assert code == 0, out
    assert "citations checked by proof only: no node's copies of the cited records here" in out
