"""`ayllu verify` shows progress on stderr for long records, and only for long ones."""

import pytest

from ayllu.actions.record import do_append_many
from ayllu.cli.main import main
from factories.stored import StoredAssembly


@pytest.mark.slow
def test_a_long_verification_reports_progress_on_stderr(
    assembly: StoredAssembly, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: a record of 6,001 entries
    for start in range(0, 6000, 1000):
        do_append_many(assembly.log, items=[assembly.notice(f"aviso {start + i}") for i in range(1000)])
    # when
    status = main(["verify", assembly.log, "--workers", "1"])
    # then
    out, err = capsys.readouterr()
    assert status == 0
    assert out.startswith(f"ok: record {assembly.log}: 6001 entries")
    progress = [line for line in err.splitlines() if line.startswith("verify: ")]
    assert len(progress) >= 3
    assert progress[-1] == "verify: 6001/6001 entries checked"


def test_a_short_verification_prints_no_progress(
    assembly: StoredAssembly, capsys: pytest.CaptureFixture[str]
) -> None:
    # when
    status = main(["verify", assembly.log, "--workers", "1"])
    # then
    out, err = capsys.readouterr()
    assert status == 0 and out.startswith("ok: ")
    assert err == ""
