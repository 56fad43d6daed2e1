"""A member record that reaches a node after the federation citing it (issue 14): the checkpoints the
federation's citations carry, noted as seen when the federation is stored, hold the member record to
what its node signed, so a forged or withheld member record is refused with evidence at once, not
only when someone runs `ayllu check-citations`; followed, imported (`ayllu import`) or restored alike."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes import MaliciousNode

from ayllu.actions.record import do_import_record, do_restore_record
from ayllu.actions.replication import do_note_checkpoint
from ayllu.cli.exportfile import write_export
from ayllu.cli.main import main as ayllu
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.record import Body, BodyKey
from ayllu.core.ledger.verify import Erased, VerifyReport
from ayllu.federation.client import Peer
from ayllu.federation.follow import FollowResult, follow_record
from ayllu.storage import models
from factories.assemblies import Assembly
from factories.city_seed import city
from factories.federations import cite
from factories.federations_stored import VISIBLE, hold
from factories.keys import keypair
from factories.records import MemoryRecord


def _served(asm: Assembly, *, drop: int = 0) -> MaliciousNode:
    """A node serving `asm`'s record, signing as its node (without its last `drop` entries)."""
    entries = list(asm.entries)[: len(asm.entries) - drop]
    record = MemoryRecord(
        log=asm.log,
        node=asm.node,
        time=asm.clock,
        entries=entries,
        bodies={b.key: b for b in asm.bodies.values()},
    )
    return MaliciousNode(record)


def _follow(asm: Assembly, *, drop: int = 0) -> FollowResult:
    node = _served(asm, drop=drop)
    try:
        return follow_record(Peer(node.url), asm.log)
    finally:
        node.close()


def _evidence() -> list[tuple[str, str]]:
    return sorted(models.Evidence.objects.values_list("kind", "log"))


def _held(log: str) -> int:
    record = models.Record.objects.filter(log=log).first()
    return 0 if record is None else record.head_seq


def test_a_forged_member_record_followed_after_the_federation_is_refused_with_evidence(db: None) -> None:
    # given this node follows the federation first: its seats' citations are checked by proof only
    honest, forged = city(), city(forged=True)
    fed, alto = honest["fed"], forged["alto"]
    assert isinstance(fed, Assembly) and isinstance(alto, Assembly)
    assert _follow(fed).ok
    # when alto's captured node serves alto re-sealed with another credential at the cited seq
    result = _follow(alto)
    # then it is refused at once: its node signed another tree of the size the seat's citation carries
    assert result.problem == "equivocation"
    assert _held(alto.log) == 0
    # with evidence of it, both trees signed by alto's node
    assert _evidence() == [("equivocation", alto.log)]
    (raw,) = models.Evidence.objects.values_list("raw", flat=True)
    assert ev.check_evidence(bytes(raw)).node == alto.node.public


def test_a_forged_member_record_grown_past_the_cited_checkpoint_is_refused_whole(db: None) -> None:
    # given this node holds the federation, and alto's captured node sealed one act more on its forgery
    honest, forged = city(), city(forged=True)
    fed, alto = honest["fed"], forged["alto"]
    assert isinstance(fed, Assembly) and isinstance(alto, Assembly)
    assert _follow(fed).ok
    alto.act("bea", "notice.posted", {"text": "Minga del sábado"})
    # when this node follows it
    result = _follow(alto)
    # then the batch reaching the cited size with another root is refused whole, with evidence
    assert result.problem == "inconsistent_with_known"
    assert _held(alto.log) == 0
    assert _evidence() == [("checkpoint_mismatch", alto.log)]


def test_a_member_record_served_short_of_a_cited_entry_leaves_withheld_evidence(db: None) -> None:
    # given this node holds the federation, whose seat cites alto's credential (alto's last entry)
    records = city()
    fed, alto = records["fed"], records["alto"]
    assert isinstance(fed, Assembly) and isinstance(alto, Assembly)
    assert _follow(fed).ok
    # when alto's node serves alto without that entry, with a checkpoint of what it serves
    result = _follow(alto, drop=1)
    # then the sync fails: the node signed (in the cited checkpoint) for an entry it does not serve
    assert result.problem == "rollback"
    assert ("withheld", alto.log) in _evidence()
    withheld = [
        ev.check_evidence(bytes(raw))
        for kind, raw in models.Evidence.objects.values_list("kind", "raw")
        if kind == "withheld"
    ]
    assert [(w.node, w.seq) for w in withheld] == [(alto.node.public, len(alto.entries))]
    assert _held(alto.log) == 0


def test_one_follow_round_catches_a_withheld_cited_entry_served_before_its_federation(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds bajo (a member: the federation is to follow); alto's node serves alto
    # without the credential the federation's seat cites, and another node serves the federation
    records = city()
    bajo, alto, fed = records["bajo"], records["alto"], records["fed"]
    assert isinstance(bajo, Assembly) and isinstance(alto, Assembly) and isinstance(fed, Assembly)
    hold(bajo)
    alto_node, fed_node = _served(alto, drop=1), _served(fed)
    try:
        # when one round follows alto's node (alto first), and the federation from the other peer
        status = ayllu(["follow", alto_node.url, "--peer", fed_node.url, "--workers", "1"])
    finally:
        alto_node.close()
        fed_node.close()
    out = capsys.readouterr().out
    # then alto is followed again once the federation's citation is known, and fails with evidence
    assert status == 1, out
    assert f"ok: record {alto.log}: {len(alto.entries) - 1} entries" in out
    assert f"ok: record {fed.log}" in out
    assert f"FAILED: record {alto.log}: rollback" in out
    assert f"evidence: withheld by node {alto.node.public} at {len(alto.entries)}" in out


def test_a_node_that_keeps_sealing_after_the_move_is_refused_with_evidence(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given this node holds the federation and took its move to this node (the delegates endorsed it)
    from ayllu.actions.record import node_keypair
    from factories.city_seed import append

    records = city()
    fed, delegates = records["fed"], records["delegates"]
    assert isinstance(fed, Assembly) and isinstance(delegates, list)
    hold(fed)
    append("move", node_keypair().public)
    capsys.readouterr()
    # and the node it moved away from went on sealing where it was (two notices after the same entry)
    fed.act(delegates[0], "notice.posted", {"text": "Seguimos aquí"})
    fed.act(delegates[0], "notice.posted", {"text": "Asamblea el lunes"})
    # when this node follows the old node
    result = _follow(fed)
    # then nothing of its branch is taken, and its first entry after the move is kept as evidence
    assert result.problem in ("broken_chain", "diverged")
    assert _held(fed.log) == len(fed.entries) - 1
    assert _evidence() == [("sealed_after_move", fed.log)]
    (raw,) = models.Evidence.objects.values_list("raw", flat=True)
    found = ev.check_evidence(bytes(raw))
    assert (found.node, found.seq) == (fed.node.public, len(fed.entries) - 1)


def test_check_citations_notes_the_cited_checkpoints_of_a_federation_held_from_before(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a federation held here before its citations' checkpoints were noted (an older node)
    records = city()
    fed, alto = records["fed"], records["alto"]
    assert isinstance(fed, Assembly) and isinstance(alto, Assembly)
    assert _follow(fed).ok
    models.SeenCheckpoint.objects.all().delete()
    # when the operator checks its citations
    assert ayllu(["check-citations", fed.log]) == 0, capsys.readouterr()
    # then alto, served short of the cited credential afterwards, is caught withholding it
    result = _follow(alto, drop=1)
    assert result.problem == "rollback"
    assert ("withheld", alto.log) in _evidence()


# --- a member record imported or restored from a file after the federation -----------------------------
@dataclass(frozen=True)
class _FileCopy:
    """A record as an export file carries it: entries, bodies and its node's checkpoint of its head."""

    entries: list[bytes]
    bodies: dict[BodyKey, Body | Erased]
    checkpoints: list[bytes]


def _file_copy(asm: Assembly, *, drop: int = 0) -> _FileCopy:
    """`asm`'s record in a file (without its last `drop` entries), with its node's checkpoint of it."""
    entries = list(asm.entries)[: len(asm.entries) - drop]
    checkpoint = cite(asm, entries[-1], size=len(entries)).checkpoint
    bodies: dict[BodyKey, Body | Erased] = {b.key: b for b in asm.bodies.values()}
    return _FileCopy([e.raw for e in entries], bodies, [checkpoint.raw])


def _import(asm: Assembly, *, drop: int = 0) -> VerifyReport:
    copy = _file_copy(asm, drop=drop)
    return do_import_record(
        asm.log, entries=copy.entries, bodies=copy.bodies, checkpoints=copy.checkpoints, visible=VISIBLE,
        workers=1,
    )  # fmt: skip


def _restore(asm: Assembly) -> VerifyReport:
    copy = _file_copy(asm)
    return do_restore_record(
        asm.log, entries=copy.entries, bodies=copy.bodies, checkpoints=copy.checkpoints, visible=VISIBLE,
        workers=1,
    )  # fmt: skip


def _held_federation() -> tuple[Assembly, Assembly]:
    """This node holds the federation (its seat's citation of alto's credential noted as seen from alto's
    node); returns the federation and alto as its captured node re-sealed it (another credential)."""
    honest, forged = city(), city(forged=True)
    fed, alto = honest["fed"], forged["alto"]
    assert isinstance(fed, Assembly) and isinstance(alto, Assembly)
    hold(fed)
    assert models.SeenCheckpoint.objects.filter(log=alto.log, size=len(alto.entries)).exists()
    return fed, alto


def test_a_forged_member_record_imported_after_the_federation_is_refused_as_equivocation(db: None) -> None:
    # given this node holds the federation, and a file of alto as its captured node re-sealed it, with
    # that node's checkpoint of the forgery (the size the seat's citation carries, another root)
    _, alto = _held_federation()
    # when it is imported
    report = _import(alto)
    # then it is refused as a sync refuses it, nothing stored, the two checkpoints kept as evidence
    assert not report.ok and report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("equivocation", len(alto.entries))
    assert _held(alto.log) == 0
    assert _evidence() == [("equivocation", alto.log)]
    (raw,) = models.Evidence.objects.values_list("raw", flat=True)
    assert report.problem.detail["evidence_id"] == ev.check_evidence(bytes(raw)).id


def test_a_forged_member_record_imported_grown_past_the_cited_checkpoint_is_refused(db: None) -> None:
    # given this node holds the federation, and a file of alto's forgery with one act more
    _, alto = _held_federation()
    alto.act("bea", "notice.posted", {"text": "Minga del sábado"})
    # when it is imported
    report = _import(alto)
    # then its entries at the cited size have another root: refused with checkpoint_mismatch evidence
    assert not report.ok and report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("inconsistent_with_known", len(alto.entries) - 1)
    assert _held(alto.log) == 0
    assert _evidence() == [("checkpoint_mismatch", alto.log)]


def test_a_member_record_imported_short_of_the_cited_checkpoint_is_taken(db: None) -> None:
    # given this node holds the federation, and a file of the honest alto without the cited credential
    # (an earlier backup, a lagging mirror's export)
    _held_federation()
    alto = city()["alto"]
    assert isinstance(alto, Assembly)
    # when it is imported
    report = _import(alto, drop=1)
    # then it is taken: a shorter copy is not a forgery by itself (following alto's node is then held
    # to the cited checkpoint), and no evidence is made
    assert report.ok, report
    assert _held(alto.log) == len(alto.entries) - 1
    assert _evidence() == []


def test_a_forged_member_record_restored_over_a_shorter_copy_is_refused(db: None) -> None:
    # given this node holds the federation and the honest alto short of the cited credential
    _, forged = _held_federation()
    alto = city()["alto"]
    assert isinstance(alto, Assembly)
    assert _import(alto, drop=1).ok
    # when the forgery is restored over it (it holds everything this node sealed of alto)
    report = _restore(forged)
    # then it is refused as the import is, and this node's copy stays as it was
    assert not report.ok and report.problem is not None
    assert report.problem.code == "equivocation"
    assert _held(alto.log) == len(alto.entries) - 1
    assert _evidence() == [("equivocation", alto.log)]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "signed two different summaries of it at the same size, {size} entries"),
        ("es", "firmó dos resúmenes distintos del mismo tamaño, {size} entradas"),
    ],
)
def test_ayllu_import_says_why_a_forged_member_record_is_refused(
    db: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    said: str,
) -> None:
    # given this node holds the federation, and an export file of alto's forgery
    _, alto = _held_federation()
    copy = _file_copy(alto)
    path = tmp_path / "alto.jsonl"
    with path.open("w", encoding="utf-8") as written:
        write_export(
            written, log=alto.log, name="", visible=VISIBLE, entries=((e.raw, e.act) for e in alto.entries),
            bodies=copy.bodies, checkpoints=copy.checkpoints,
        )  # fmt: skip
    monkeypatch.setenv("LANGUAGE", language)
    # when
    status = ayllu(["import", str(path), "--workers", "1"])
    # then it says why in the operator's language, names the evidence kept, and imports nothing
    out = capsys.readouterr().out
    assert status == 1, out
    assert f"entry {len(alto.entries)}: equivocation" in out, out
    assert said.format(size=len(alto.entries)) in out, out
    (kept,) = models.Evidence.objects.values_list("hash", flat=True)
    assert f"evidence kept: id {kept}" in out and "nothing was imported" in out
    assert _held(alto.log) == 0


def test_a_checkpoint_seen_from_another_node_than_the_copys_sealer_binds_nothing(db: None) -> None:
    # given this node saw a checkpoint of alto at its size by another node than the one sealing alto
    # (a node the record moved away from, sealing on where it was)
    alto = city()["alto"]
    assert isinstance(alto, Assembly)
    other = sign_checkpoint(keypair("old-node"), log=alto.log, size=len(alto.entries), root="0" * 64, time=1)
    do_note_checkpoint(other)
    # when a file of alto sealed by its own node is imported
    report = _import(alto)
    # then that checkpoint does not hold it to another history
    assert report.ok, report
    assert _held(alto.log) == len(alto.entries)
