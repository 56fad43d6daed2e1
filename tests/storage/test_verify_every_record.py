"""`ayllu verify` of every record: one pool of workers for the whole run, the same reports as one
verification per record."""

from typing import Any

import pytest

from ayllu.actions.record import do_verify_record, do_verify_records, forget_replayed_state
from ayllu.actions.record import verify as verify_module
from ayllu.storage import models
from factories.stored import found


@pytest.fixture
def logs(db: None) -> list[str]:
    """Three assemblies, the second with one byte of entry 3 altered in the database."""
    forget_replayed_state()
    made = [found(f"Junta {i}", notices=4).log for i in range(3)]
    header = bytearray(models.Entry.objects.get(record__log=made[1], seq=3).header)
    header[40] ^= 1
    models.Entry.objects.filter(record__log=made[1], seq=3).update(header=bytes(header))
    return made


def test_every_record_verified_in_one_run_gives_the_reports_of_one_run_each(
    logs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the reports of one verification per record, in this process
    separately = [do_verify_record(log, workers=1) for log in logs]
    pools: list[int] = []
    real = verify_module.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        pools.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(verify_module, "ProcessPoolExecutor", counted)
    started: list[tuple[str, int]] = []
    # when: all of them with two workers
    run = do_verify_records(logs, workers=2, progress=lambda log, i: started.append((log, i)))
    together = [(log, report) for log, report, _ in run]
    # then: the same reports, one pool for the whole run, progress for each record in turn
    assert together == list(zip(logs, separately, strict=True))
    assert [report.ok for _, report in together] == [True, False, True]
    assert pools == [1]
    assert started == [(log, i) for i, log in enumerate(logs)]
    assert models.VerificationRun.objects.count() == 6


def test_a_record_checked_in_a_pool_a_few_entries_a_batch_gives_the_report_of_one_process(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given batches of 3 entries in a pool from 4 entries on, and a record of 9 entries with entry 7
    # (the third batch) altered by one byte, and another record left whole
    forget_replayed_state()
    monkeypatch.setattr(verify_module, "POOL_BATCH", 3)
    monkeypatch.setattr(verify_module, "POOL_FROM", 4)
    altered, whole = found("Junta A", notices=8).log, found("Junta B", notices=8).log
    header = bytearray(models.Entry.objects.get(record__log=altered, seq=7).header)
    header[40] ^= 1
    models.Entry.objects.filter(record__log=altered, seq=7).update(header=bytes(header))
    sizes: list[int] = []
    real = verify_module.verify_record

    def sized(*args: Any, **kwargs: Any) -> Any:
        sizes.append(kwargs["batch_size"])
        return real(*args, **kwargs)

    monkeypatch.setattr(verify_module, "verify_record", sized)
    # when each is verified in one process and in a pool of two
    alone = [do_verify_record(log, workers=1) for log in (altered, whole)]
    pooled = [do_verify_record(log, workers=2) for log in (altered, whole)]
    # then the reports are the same, the altered entry named where it is, and the pool took small batches
    assert pooled == alone
    assert not alone[0].ok and alone[0].size == 6 and alone[0].problem is not None
    assert alone[0].problem.seq == 7
    assert alone[1].ok and alone[1].size == 9
    assert sizes == [2000, 2000, 3, 3]
