"""`ayllu deliver` killed with SIGKILL in the middle of a batch loses nothing, and sends again at most the
one message the server took before the kill could be marked."""

import os
import signal
import subprocess
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from factories.nodes import AYLLU, Node

from .smtp import Inbox, smtp_server

SET_ADDRESSES = """
from ayllu.actions.notifications import SettingsChange, do_set_notification_settings
from ayllu.queries.replayed import read_state
from ayllu.storage.models import Record
for record in Record.objects.all():
    for i, member in enumerate(sorted(read_state(record.log, lambda s: list(s.members)))):
        change = SettingsChange(f"m{i}@example.org", True, "es", None, None, -240, False)
        do_set_notification_settings(record.log, member=member, change=change)
"""
COUNT_SENT = """
from ayllu.storage.models import OutboxMessage
sent = OutboxMessage.objects.filter(status="sent")
print(sent.count(), OutboxMessage.objects.exclude(status="sent").count())
"""


class SlowInbox(Inbox):
    """A mail server that takes a while over each message, so a deliverer can be killed mid-batch."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        time.sleep(0.2)
        return await super().handle_DATA(server, session, envelope)


def key(message: EmailMessage) -> tuple[str, str]:
    return str(message["To"]), str(message["Subject"]).strip()


@pytest.mark.slow  # real processes: the node's `ayllu deliver`, killed
def test_a_deliverer_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    # given the demo node, every member with an address, and a slow mail server
    node = Node(tmp_path / "node")
    node.ayllu("demo-setup")
    node.ayllu("manage", "shell", "-c", SET_ADDRESSES)
    inbox = SlowInbox()
    with smtp_server(inbox) as port:
        env = node.env | {
            "AYLLU_EMAIL_HOST": "127.0.0.1",
            "AYLLU_EMAIL_PORT": str(port),
            "AYLLU_DELIVER_CLAIM_SECONDS": "1",
        }
        # when `ayllu deliver` is killed once the server has taken a few of its messages
        log = tmp_path / "deliver.log"
        with log.open("w") as output:
            deliverer = subprocess.Popen(
                [AYLLU, "deliver", "--seconds", "60"], env=env, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while len(inbox.messages) < 3 and time.monotonic() < deadline and deliverer.poll() is None:
            time.sleep(0.05)
        os.kill(deliverer.pid, signal.SIGKILL)
        deliverer.wait()
        taken_before = len(inbox.messages)
        assert taken_before >= 3, log.read_text()
        time.sleep(1.5)  # its claims expire
        # and a new deliverer runs twice
        for _ in range(2):
            done = subprocess.run(
                [AYLLU, "deliver", "--once"], env=env, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr
    # then every message was delivered, and at most the one in flight at the kill went twice
    sent, left = map(int, node.ayllu("manage", "shell", "-c", COUNT_SENT).stdout.split()[-2:])
    received = Counter(key(m) for m in inbox.messages)
    assert left == 0 and sent == len(received) > taken_before
    assert sum(received.values()) - len(received) <= 1
