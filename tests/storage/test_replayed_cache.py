"""The replayed state cached across appends, with several writers in one process (granian's threads):
a writer that takes the lock finds the state its predecessor committed, and never replays the whole
record because another writer was looking at the cache."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.actions.record import state as cache
from ayllu.storage import db, models
from ayllu.storage.db import lock_record, write_transaction
from factories.stored import StoredAssembly, found


@pytest.fixture
def full_replays(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The records replayed from their first entry (the cache had nothing to start from)."""
    replayed: list[str] = []
    real = cache.initial_state

    def counting(log: str) -> Any:
        replayed.append(log)
        return real(log)

    monkeypatch.setattr(cache, "initial_state", counting)
    return replayed


def test_a_committed_state_is_cached_before_the_next_writer_may_take_the_lock(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: an assembly, and the writer queue watched as each append leaves it
    forget_replayed_state()
    assembly = found()
    cached_on_leaving: list[int] = []

    @contextmanager
    def watched_queue() -> Iterator[None]:
        yield
        kept = cache.replayed_states.get(assembly.log)
        cached_on_leaving.append(kept.seq if kept is not None else 0)

    monkeypatch.setattr(db, "_sqlite_writer_queue", watched_queue)
    # when
    for _ in range(2):
        notice, notice_body = assembly.notice()
        do_append(assembly.log, signed_act=notice, body=notice_body)
    # then: the state at the new head was already there when the next writer could enter
    assert cached_on_leaving == [2, 3]


def test_a_writer_holding_the_lock_finds_the_state_another_writer_is_checking(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch, full_replays: list[str]
) -> None:
    # given: the state cached at the head; a writer checks it before the lock (catch_up_unlocked),
    # and while its head query runs, the writer holding the lock takes the state
    notice, notice_body = assembly.notice()
    do_append(assembly.log, signed_act=notice, body=notice_body)
    full_replays.clear()
    taken: list[int] = []
    real_objects = models.Record.objects

    class HeadQueryWithAWriterInside:
        def filter(self, **kwargs: Any) -> Any:
            if not taken:
                taken.append(0)
                with write_transaction(log=assembly.log):
                    taken[0] = cache.take_current_state(lock_record(assembly.log)).seq
            return real_objects.filter(**kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(real_objects, name)

    monkeypatch.setattr(models.Record, "objects", HeadQueryWithAWriterInside())
    # when
    cache.catch_up_unlocked(assembly.log)
    # then: the writer holding the lock had the cached state, nothing was replayed from the start
    assert taken == [2]
    assert full_replays == []
