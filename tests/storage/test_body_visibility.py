"""The same bytes posted under two visibilities are two bodies: kept, exported and erased apart.

Regression: bodies were kept by hash alone, so the second act's body was dropped as a duplicate and
the record failed verify with wrong_body_hash; erasing one would have erased the other.
"""

import io

from ayllu.actions.record import (
    do_append,
    do_import_record,
    do_sign_checkpoint,
    do_verify_record,
    forget_replayed_state,
)
from ayllu.cli.exportfile import ExportedRecord, read_export, write_export
from ayllu.core.ledger.verify import ERASED, VerifyReport, verify_record
from ayllu.queries.record import get_bodies, get_body, iter_export_entries, list_checkpoint_bytes
from ayllu.storage import models
from factories.stored import StoredAssembly, erase_words

TEXT = "asamblea el domingo a las diez"


def _export(log: str) -> str:
    out = io.StringIO()
    write_export(
        out,
        log=log,
        name="Junta Vecinal",
        visible=frozenset({"public", "members"}),
        entries=iter_export_entries(log),
        bodies=get_bodies(log),
        checkpoints=list_checkpoint_bytes(log),
    )
    return out.getvalue()


def _verify(exported: ExportedRecord) -> VerifyReport:
    return verify_record(exported.log, exported.entries, bodies=exported.bodies.get, visible=exported.visible)


def _forget_stored(log: str) -> None:
    """Remove a record from this node, as if it had never been here, so it can be imported again."""
    models.VerificationRun.objects.filter(record__log=log).delete()
    models.Checkpoint.objects.filter(record__log=log).delete()
    models.Body.objects.filter(record__log=log).delete()
    models.Entry.objects.filter(record__log=log).delete()
    models.Record.objects.filter(log=log).delete()
    forget_replayed_state()


def test_the_same_content_public_and_members_only_appends_verifies_and_round_trips(
    assembly: StoredAssembly,
) -> None:
    # given
    public_act, public = assembly.notice(TEXT, vis="public")
    members_act, members = assembly.notice(TEXT, vis="members")
    assert public.words is not None and members.words is not None
    assert public.hash == members.hash and public.words.hash == members.words.hash
    # when
    do_append(assembly.log, signed_act=public_act, body=public)
    receipt = do_append(assembly.log, signed_act=members_act, body=members)
    do_sign_checkpoint(assembly.log)
    # then
    assert receipt.seq == 3
    rows = models.Body.objects.filter(record__log=assembly.log, hash=public.words.hash)
    assert sorted(rows.values_list("vis", flat=True)) == ["members", "public"]
    forget_replayed_state()
    assert do_verify_record(assembly.log, workers=1).ok
    text = _export(assembly.log)
    exported = read_export(io.StringIO(text))
    assert exported.bodies[public.words.key] == public.words
    assert exported.bodies[members.words.key] == members.words
    assert _verify(exported).ok
    _forget_stored(assembly.log)
    imported = do_import_record(
        exported.log,
        entries=exported.entries,
        bodies=exported.bodies,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
        workers=1,
    )
    assert imported.ok, imported.problem
    assert do_verify_record(assembly.log, workers=1).ok
    assert _export(assembly.log) == text


def test_erasing_the_members_only_twin_leaves_the_public_body(assembly: StoredAssembly) -> None:
    # given
    public_act, public = assembly.notice(TEXT, vis="public")
    members_act, members = assembly.notice(TEXT, vis="members")
    do_append(assembly.log, signed_act=public_act, body=public)
    seq = do_append(assembly.log, signed_act=members_act, body=members).seq
    assert public.words is not None and members.words is not None
    # when
    erase_words(assembly, assembly.founder, entry=seq)
    # then
    assert get_body(assembly.log, members.words.hash, vis="members") is ERASED
    assert get_body(assembly.log, public.words.hash, vis="public") == public.words
    forget_replayed_state()
    assert do_verify_record(assembly.log, workers=1).ok
    exported = read_export(io.StringIO(_export(assembly.log)))
    assert exported.bodies[members.words.key] is ERASED
    assert exported.bodies[public.words.key] == public.words
    assert _verify(exported).ok


def test_a_body_offered_under_another_visibility_is_not_the_act_s_body(assembly: StoredAssembly) -> None:
    # given: the members-only act's body is looked up, and only the public twin is held
    public_act, public = assembly.notice(TEXT, vis="public")
    members_act, members = assembly.notice(TEXT, vis="members")
    do_append(assembly.log, signed_act=public_act, body=public)
    do_append(assembly.log, signed_act=members_act, body=members)
    exported = read_export(io.StringIO(_export(assembly.log)))
    assert members.words is not None
    del exported.bodies[members.words.key]
    # when
    report = _verify(exported)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (3, "missing_body")
