"""Any change to a stored record is caught by `verify`, which names the first entry it affects."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ayllu.actions.record import do_append_many, do_verify_record, forget_replayed_state
from ayllu.storage import models
from factories.stored import found

SIZE = 12


@pytest.fixture
def stored_log(db: None) -> str:
    forget_replayed_state()
    assembly = found("Junta de Tampering")
    members = assembly.members
    do_append_many(
        assembly.log,
        items=[assembly.notice(f"aviso {i}", author=members[i % 3]) for i in range(SIZE - 1)],
    )
    return assembly.log


def _header(log: str, seq: int) -> bytes:
    return bytes(models.Entry.objects.get(record__log=log, seq=seq).header)


def _set_header(log: str, seq: int, header: bytes) -> None:
    models.Entry.objects.filter(record__log=log, seq=seq).update(header=header)


def _flip(log: str, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, SIZE), label="seq")
    header = bytearray(_header(log, seq))
    at = data.draw(st.integers(0, len(header) - 1), label="byte")
    header[at] ^= data.draw(st.integers(1, 255), label="mask")
    _set_header(log, seq, bytes(header))
    return seq


def _drop(log: str, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, SIZE), label="seq")
    models.Entry.objects.filter(record__log=log, seq=seq).delete()
    return seq


def _splice(log: str, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, SIZE), label="seq")
    other = data.draw(st.integers(1, SIZE).filter(lambda s: s != seq), label="from")
    _set_header(log, seq, _header(log, other))
    return seq


def _swap(log: str, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, SIZE - 1), label="seq")
    first, second = _header(log, seq), _header(log, seq + 1)
    _set_header(log, seq, second)
    _set_header(log, seq + 1, first)
    return seq


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), tamper=st.sampled_from([_flip, _drop, _splice, _swap]))
def test_verify_names_the_first_tampered_entry(stored_log: str, data: st.DataObject, tamper) -> None:
    with transaction.atomic():
        # given: a record tampered with in the database
        bad_seq = tamper(stored_log, data)
        # when
        report = do_verify_record(stored_log, workers=1)
        # then
        assert not report.ok
        assert report.problem is not None and report.problem.seq == bad_seq, report.problem
        assert report.size == bad_seq - 1
        transaction.set_rollback(True)
