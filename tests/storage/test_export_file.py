"""The export file carries exact bytes: a record written out and read back verifies, erased bodies too."""

import io

import pytest

from ayllu.actions.record import do_append, do_erase_body, do_sign_checkpoint
from ayllu.cli.exportfile import MalformedExport, read_export, write_export
from ayllu.core.ledger.verify import ERASED, verify_record
from ayllu.queries.record import get_bodies, iter_export_entries, list_checkpoint_bytes
from factories.stored import StoredAssembly


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
    do_append(assembly.log, signed_act=private_act, body=private)
    secret_act, secret = assembly.notice("caso de mediación", vis="confidential")
    do_append(assembly.log, signed_act=secret_act, body=secret)
    do_erase_body(assembly.log, body_hash=private.hash, vis=private.vis)
    do_sign_checkpoint(assembly.log)
    # when
    text = _export(assembly, visible=frozenset({"public", "members"}))
    exported = read_export(io.StringIO(text))
    # then
    assert "mediación" not in text and "contacto" not in text
    assert exported.bodies[private.key] is ERASED
    assert secret.key not in exported.bodies
    report = verify_record(
        exported.log,
        exported.entries,
        bodies=exported.bodies.get,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
    )
    assert report.ok, report.problem
    assert report.size == 3


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
