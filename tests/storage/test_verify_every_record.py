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
