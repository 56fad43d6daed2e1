"""verify_record: a good record verifies; the first bad entry is named with the reason."""

from ayllu.core.merkle import root_of
from ayllu.core.verify import verify_record
from core.builders import sample_record


def test_a_good_record_verifies() -> None:
    # given
    record = sample_record(6)
    # when
    report = verify_record(record.log, record.raws(), bodies=record.body)
    # then
    assert report.ok, report.problem
    assert report.size == 6
    assert report.head == record.head
    assert report.root == root_of(record.hashes())
