"""`ayllu deliver --once` and the delivery thread `ayllu serve` runs on a small node."""

import time

import pytest

from ayllu.cli.main import _parser, main
from ayllu.notify.delivery import start_delivery_thread

from .conftest import ADDRESSES, Council
from .smtp import Inbox


def test_deliver_once_sends_what_is_due_and_says_so(
    council: Council, smtp: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    # when the command makes one pass, then a second
    assert main(["deliver", "--once"]) == 0
    assert main(["deliver", "--once"]) == 0
    # then the first sent every message, the second none
    first, second = capsys.readouterr().out.splitlines()
    assert first == "queued 17, sent 17, dropped 0, held 0, failed 0"
    assert second == "queued 0, sent 0, dropped 0, held 0, failed 0"
    assert len(smtp.messages) == 17


def test_serve_delivers_in_a_thread_unless_told_not_to(
    transactional_db: None, council: Council, smtp: Inbox
) -> None:
    # given the thread `ayllu serve` starts
    thread, stop = start_delivery_thread(seconds=0.2)
    try:
        # when it has had time for a pass
        deadline = time.monotonic() + 30
        while len(smtp.messages) < 17 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # and a few more passes
    finally:
        stop.set()
        thread.join(timeout=10)
    # then it delivered every message once, and stopped when told
    assert len(smtp.messages) == 17 and len(smtp.to(ADDRESSES[0])) == 6
    assert not thread.is_alive()
    # and `ayllu serve --no-deliver` (or AYLLU_DELIVER_IN_SERVE=0) leaves delivery to `ayllu deliver`
    assert _parser().parse_args(["serve", "--no-deliver"]).no_deliver
    assert not _parser().parse_args(["serve"]).no_deliver
