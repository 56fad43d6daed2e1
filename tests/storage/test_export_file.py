"""The export file carries exact bytes: a record written out and read back verifies, erased bodies too."""

import io
import json

import pytest

from ayllu.actions.record import do_append, do_sign_checkpoint
from ayllu.cli.exportfile import MalformedExport, read_export, write_export
from ayllu.core.ledger.verify import ERASED, verify_record
from ayllu.queries.record import get_bodies, iter_export_entries, list_checkpoint_bytes
from factories.stored import StoredAssembly, erase_words


def _export(assembly: StoredAssembly, *, visible: frozenset[str]) -> str:
    out = io.StringIO()
    write_export(
        out,
        log=assembly.log,
        name="Junta Vecinal",
        visible=visible,
        entries=iter_export_entries(assembly.log),
        bodies=get_bodies(assembly.log),
        checkpoints=list_checkpoint_bytes(assembly.log),
    )
    return out.getvalue()


def test_a_written_export_reads_back_and_verifies_with_an_erased_body(assembly: StoredAssembly) -> None:
    # given
    private_act, private = assembly.notice("datos de contacto", vis="members")
    seq = do_append(assembly.log, signed_act=private_act, body=private).seq
    secret_act, secret = assembly.notice("caso de mediación", vis="confidential")
    do_append(assembly.log, signed_act=secret_act, body=secret)
    erase_words(assembly, assembly.founder, entry=seq)
    assert private.words is not None and secret.words is not None
    do_sign_checkpoint(assembly.log)
    # when
    text = _export(assembly, visible=frozenset({"public", "members"}))
    exported = read_export(io.StringIO(text))
    # then
    assert "mediación" not in text and "contacto" not in text
    assert exported.bodies[private.words.key] is ERASED
    assert secret.words.key not in exported.bodies
    report = verify_record(
        exported.log,
        exported.entries,
        bodies=exported.bodies.get,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
    )
    assert report.ok, report.problem
    assert report.size == report.replayed == 4


def test_an_export_that_claims_confidential_bodies_is_refused(assembly: StoredAssembly) -> None:
    # given
    text = _export(assembly, visible=frozenset({"public"})).replace(
        '"visible":["public"]', '"visible":["confidential"]'
    )
    # when
    with pytest.raises(MalformedExport) as raised:
        read_export(io.StringIO(text))
    # then
    assert raised.value.detail == {"line": 1, "field": "visible"}


def test_an_export_with_words_erased_without_an_act_is_refused_by_verify_and_import(
    assembly: StoredAssembly,
) -> None:
    # given: an export in which someone marked a notice's words erased, with no act erasing them
    from ayllu.actions.record import do_import_record
    from ayllu.storage import models

    signed, body = assembly.notice("lo que dije", vis="members")
    seq = do_append(assembly.log, signed_act=signed, body=body).seq
    assert body.words is not None
    text = _export(assembly, visible=frozenset({"public", "members"}))
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    words_line = json.dumps({"body": body.words.raw.decode(), "vis": "members"}, **compact)  # type: ignore[arg-type]
    erased_line = json.dumps({"erased": body.words.hash, "vis": "members"}, **compact)  # type: ignore[arg-type]
    tampered = text.replace(words_line, erased_line)
    assert tampered != text
    exported = read_export(io.StringIO(tampered))
    models.Record.objects.filter(log=assembly.log).update(log="elsewhere")  # make room for the import
    # when
    report = verify_record(
        exported.log, exported.entries, bodies=exported.bodies.get, visible=exported.visible
    )
    imported = do_import_record(
        exported.log,
        entries=exported.entries,
        bodies=exported.bodies,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
        workers=1,
    )
    # then
    for outcome in (report, imported):
        assert outcome.problem is not None
        assert (outcome.problem.seq, outcome.problem.code) == (seq, "unauthorised_erasure")
    assert not models.Record.objects.filter(log=exported.log).exists()
