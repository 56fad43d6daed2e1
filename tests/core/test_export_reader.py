"""The export reader places every body line after an entry that names it, once (docs/export-format.md)."""

import io
import json

import pytest

from ayllu.cli.exportfile import MalformedExport, read_export, write_export
from ayllu.core.ledger.verify import ERASED, verify_record
from factories.records import MemoryRecord, sample_record


def _lines(record: MemoryRecord) -> list[str]:
    out = io.StringIO()
    write_export(
        out,
        log=record.log,
        name="Junta vecinal",
        visible=frozenset({"public", "members"}),
        entries=((e.raw, e.act) for e in record.entries),
        bodies=dict(record.bodies),
        checkpoints=(),
    )
    return out.getvalue().splitlines(keepends=True)


def _refusal(lines: list[str]) -> dict[str, object]:
    with pytest.raises(MalformedExport) as raised:
        read_export(io.StringIO("".join(lines)))
    return raised.value.detail


def test_a_written_export_places_each_body_after_its_entry_and_verifies() -> None:
    # given
    record = sample_record(3)
    # when
    exported = read_export(io.StringIO("".join(_lines(record))))
    # then
    report = verify_record(
        exported.log, exported.entries, bodies=exported.bodies.get, visible=exported.visible
    )
    assert report.ok, report.problem


def test_a_body_line_before_its_entry_is_refused() -> None:
    # given: entry 2's body moved above entry 2
    lines = _lines(sample_record(3))
    assert json.loads(lines[3]).keys() == {"entry"} and json.loads(lines[4]).keys() == {"body", "vis"}
    lines[3], lines[4] = lines[4], lines[3]
    # when
    detail = _refusal(lines)
    # then
    assert detail["line"] == 4 and detail["reason"] == "body_before_entry"


def test_a_body_line_given_twice_is_refused() -> None:
    # given
    lines = _lines(sample_record(3))
    lines.insert(5, lines[4])
    # when
    detail = _refusal(lines)
    # then
    assert detail["line"] == 6 and detail["reason"] == "duplicate_body"


def test_an_erased_line_after_the_body_it_names_is_refused() -> None:
    # given: the same body given, then also said to be erased
    lines = _lines(sample_record(3))
    body = json.loads(lines[4])
    entry = json.loads(json.loads(lines[3])["entry"])
    lines.insert(5, json.dumps({"erased": entry["body"], "vis": body["vis"]}) + "\n")
    # when
    detail = _refusal(lines)
    # then
    assert detail["line"] == 6 and detail["reason"] == "duplicate_body"


def test_an_erased_line_after_its_entry_reads_as_erased() -> None:
    # given
    lines = _lines(sample_record(3))
    entry = json.loads(json.loads(lines[3])["entry"])
    lines[4] = json.dumps({"erased": entry["body"], "vis": entry["vis"]}) + "\n"
    # when
    exported = read_export(io.StringIO("".join(lines)))
    # then
    assert exported.bodies[(entry["body"], entry["vis"])] is ERASED


def test_a_body_line_after_the_checkpoints_is_refused() -> None:
    # given
    lines = _lines(sample_record(2))
    body = lines.pop(4)
    lines.append('{"checkpoint":"{}"}\n')
    lines.append(body)
    # when
    detail = _refusal(lines)
    # then
    assert detail["reason"] == "body_after_checkpoints"
