"""A serving process on PostgreSQL knows the node's records version by listening (decision 0034): a page
asked for again asks the database nothing, yet is never older than the writes it was told of, its own
writes are seen at once, and a listener that is not connected is never trusted.

Each test drives a worker process (version_worker.py) serving pages of a node's one record; other writes
come from another process (seed.py), as the CLI, `ayllu follow` or another worker would write.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ayllu.storage.version_watch import LISTENER_NAME
from factories.nodes import SEED, Node

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

WORKER = str(Path(__file__).with_name("version_worker.py"))
# pg_stat_activity lists the whole server's connections: other tests' listeners run beside this one
LISTENER = f"application_name = '{LISTENER_NAME}' AND datname = current_database()"


class Worker:
    """The worker process: `ask(command)` answers its JSON line."""

    def __init__(self, node: Node) -> None:
        pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE}
        self.process = subprocess.Popen([sys.executable, WORKER], env=node.env, text=True, **pipes)

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the worker died answering {command!r}"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.process.poll() is None:
                self.ask("stop")
        finally:
            self.process.communicate(timeout=30)  # its pipes closed, its exit waited for


@pytest.fixture
def node(tmp_path: Path, postgres_url: str) -> Node:
    """A node on a PostgreSQL database of its own, holding one record (three members)."""
    node = Node(tmp_path / "node", postgres_url)
    subprocess.run(
        [sys.executable, SEED, "found"], env=node.env, check=True, capture_output=True, timeout=300
    )
    return node


@pytest.fixture
def worker(node: Node) -> Iterator[Worker]:
    with Worker(node) as started:
        yield started


def _write_elsewhere(node: Node) -> None:
    """A notice appended by another process of the node."""
    subprocess.run(
        [sys.executable, SEED, "append", "1"], env=node.env, check=True, capture_output=True, timeout=300
    )


def _sql(node: Node, statement: str) -> list[tuple[Any, ...]]:
    assert node.database_url is not None
    with psycopg.connect(node.database_url, autocommit=True) as db:
        cursor = db.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_a_page_asked_again_asks_the_database_nothing_while_the_listener_is_live(worker: Worker) -> None:
    # given: a serving process whose listener is heard, the page asked for once
    assert worker.ask("listen")["heard"] is not None
    first = worker.ask("page")
    # when: it is asked for again, by another outsider and by a browser holding it
    again = worker.ask("page")
    held = worker.ask("held")
    # then: the same page, without a statement
    assert first["status"] == again["status"] == 200
    assert again["etag"] == first["etag"]
    assert again["statements"] == 0
    assert (held["status"], held["statements"]) == (304, 0)


def test_a_write_by_another_process_is_seen_once_its_notification_came(node: Node, worker: Worker) -> None:
    # given: the page asked for while the listener is heard (it reads the version only every minute)
    worker.ask("listen")
    before = worker.ask("page")
    # when: another process appends to the record, and its notification comes
    _write_elsewhere(node)
    heard = worker.ask("wait-change")["heard"]
    # then: the page is the record's new one, still without asking the database for the version
    after = worker.ask("page")
    assert heard is not None
    assert after["etag"] != before["etag"]
    assert worker.ask("held")["statements"] == 0


def test_a_write_of_this_process_is_seen_at_once(node: Node, worker: Worker) -> None:
    # given: the page asked for while the listener is heard, and no notification sent for any write
    worker.ask("listen")
    before = worker.ask("page")
    _sql(node, "ALTER TABLE ayllu_rate_counter DISABLE TRIGGER ayllu_records_version_notify")
    # when: this process appends to the record
    worker.ask("append")
    # then: its next page is the record's new one
    assert worker.ask("page")["etag"] != before["etag"]


def test_a_lost_listener_is_not_trusted_and_the_page_is_read_from_the_database(
    node: Node, worker: Worker
) -> None:
    # given: the page asked for while the listener is heard
    worker.ask("listen")
    before = worker.ask("page")
    # when: the listener's connection is ended by the server, and another process appends meanwhile
    ended = _sql(node, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {LISTENER}")
    assert ended == [(True,)]
    assert worker.ask("wait-unheard")["heard"] is None
    _write_elsewhere(node)
    # then: the page is the new one, its version read from the database
    after = worker.ask("page")
    assert after["etag"] != before["etag"]
    assert after["statements"] >= 1


def test_a_listener_that_never_connected_is_not_trusted(node: Node, worker: Worker) -> None:
    # given: a listener whose server refuses it, the page asked for
    assert worker.ask("listen-nowhere")["heard"] is None
    before = worker.ask("page")
    # when: another process appends to the record
    _write_elsewhere(node)
    # then: the next page is the new one
    after = worker.ask("page")
    assert after["etag"] != before["etag"]
    assert after["statements"] >= 1


def test_a_stopped_listener_leaves_no_thread_and_no_connection(node: Node, worker: Worker) -> None:
    # given: a listener heard, its connection named on the server
    worker.ask("listen")
    named = f"SELECT count(*) FROM pg_stat_activity WHERE {LISTENER}"
    assert _sql(node, named) == [(1,)]
    # when: it is stopped
    threads = worker.ask("stop")["threads"]
    # then: its thread has ended and its connection is closed
    assert threads == ["MainThread"]
    assert _sql(node, named) == [(0,)]
