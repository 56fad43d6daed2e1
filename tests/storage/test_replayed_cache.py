"""The one cache of replayed states (storage/replayed.py), shared by the write path and every read.

With several writers in one process (granian's threads), a writer that takes the lock finds the state its
predecessor committed, and never replays the whole record because another writer was looking at the
cache. Readers only ever see states that were committed, and the cache stays within its memory budget.
"""

import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from ayllu.actions.record import do_append, do_append_many, forget_replayed_state
from ayllu.actions.record import state as cache
from ayllu.core.assembly.state import AssemblyState, copy_state
from ayllu.core.errors import DomainError
from ayllu.queries.assembly import get_assembly, list_members
from ayllu.queries.replayed import list_confidential_seqs, read_state
from ayllu.storage import db, models, replayed, writes
from ayllu.storage.db import lock_record, write_transaction
from factories.stored import StoredAssembly, found


@pytest.fixture
def full_replays(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The records replayed from their first entry (the cache had nothing to start from)."""
    logs: list[str] = []
    real = replayed.initial_state

    def counting(log: str) -> Any:
        logs.append(log)
        return real(log)

    monkeypatch.setattr(replayed, "initial_state", counting)
    return logs


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
        kept = replayed.get(assembly.log)
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
    real_head = cache.record_head

    def head_query_with_a_writer_inside(log: str) -> models.Record | None:
        if not taken:
            taken.append(0)
            with write_transaction(log=assembly.log):
                taken[0] = cache.take_current_state(lock_record(assembly.log)).seq
        return real_head(log)

    monkeypatch.setattr(cache, "record_head", head_query_with_a_writer_inside)
    # when
    cache.catch_up_unlocked(assembly.log)
    # then: the writer holding the lock had the cached state, nothing was replayed from the start
    assert taken == [2]
    assert full_replays == []


def test_a_write_then_a_read_sees_the_new_head_without_replaying(
    assembly: StoredAssembly, full_replays: list[str]
) -> None:
    # given: a reader has the state at the founding
    assert get_assembly(assembly.log).size == 1
    full_replays.clear()
    # when
    notice, notice_body = assembly.notice()
    do_append(assembly.log, signed_act=notice, body=notice_body)
    # then: the read sees the state the write path published, with nothing replayed
    assert get_assembly(assembly.log).size == 2
    assert full_replays == []


def test_a_failed_append_leaves_readers_on_the_state_at_the_committed_head(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the answers at the head, and an append that fails after its entry was folded into the state
    before = (get_assembly(assembly.log), list_members(assembly.log))

    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writes, "insert_bodies", failing)
    notice, notice_body = assembly.notice()
    # when
    with pytest.raises(RuntimeError):
        do_append(assembly.log, signed_act=notice, body=notice_body)
    # then: nothing was published; readers get the state at the committed head
    assert replayed.get(assembly.log) is None
    assert (get_assembly(assembly.log), list_members(assembly.log)) == before
    assert get_assembly(assembly.log).size == 1


def test_a_reader_inside_the_state_during_an_append_sees_it_unchanged(assembly: StoredAssembly) -> None:
    # given: a reader inside the state at the head
    get_assembly(assembly.log)
    head = (1, models.Record.objects.get(log=assembly.log).head_hash)
    with replayed.reading(assembly.log, head) as inside:
        assert inside is not None
        # when: an append commits meanwhile (it waits a moment for the reader, then folds into a copy)
        notice, notice_body = assembly.notice()
        do_append(assembly.log, signed_act=notice, body=notice_body)
        # then: the reader's state is the one at its head still
        assert inside.state.size == 1 and inside.seq == 1
    assert get_assembly(assembly.log).size == 2


def test_a_refused_act_leaves_the_state_at_the_head_for_the_next_writer(
    assembly: StoredAssembly, full_replays: list[str]
) -> None:
    # given: a notice, then the same notice again in one batch (refused as a duplicate)
    notice, notice_body = assembly.notice()
    do_append(assembly.log, signed_act=notice, body=notice_body)
    full_replays.clear()
    with pytest.raises(DomainError):
        do_append_many(assembly.log, items=[(notice, notice_body)])
    # when
    second, second_body = assembly.notice("otra")
    do_append(assembly.log, signed_act=second, body=second_body)
    # then
    assert get_assembly(assembly.log).size == 3
    assert full_replays == []


def _answers(log: str) -> tuple[Any, ...]:
    return get_assembly(log), list_members(log), list_confidential_seqs(log)


def test_evicted_assemblies_are_replayed_again_with_the_same_answers(
    db: None, settings: Any, full_replays: list[str]
) -> None:
    # given: three assemblies read once with room for all, their answers noted
    forget_replayed_state()
    assemblies = [found(f"Junta {i}", notices=i) for i in range(3)]
    answers = [_answers(a.log) for a in assemblies]
    # when: the budget has room for one state only, and each is read again
    settings.AYLLU_REPLAY_CACHE_MB = 0
    forget_replayed_state()
    full_replays.clear()
    again = [_answers(a.log) for a in assemblies]
    # then: the same answers; only the last one read is still cached, each was replayed once
    assert again == answers
    assert replayed.cached_logs() == [assemblies[-1].log]
    assert full_replays == [a.log for a in assemblies]


def test_the_cache_stays_within_its_budget_with_many_assemblies(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: twenty assemblies, and room for about four of their states
    forget_replayed_state()
    assemblies = [found(f"Junta {i}", notices=3) for i in range(20)]
    forget_replayed_state()
    get_assembly(assemblies[0].log)
    budget = replayed.cached_bytes() * 9 // 2  # sizes differ a little with the names
    monkeypatch.setattr(replayed, "budget_bytes", lambda: budget)
    # when
    for assembly in assemblies:
        get_assembly(assembly.log)
    # then: the estimate stays within the budget, and the most recently read are the ones kept
    assert 0 < replayed.cached_bytes() <= budget
    assert replayed.cached_logs() == [a.log for a in assemblies[-4:]]


def test_the_size_estimate_is_close_to_what_a_state_holds(assembly: StoredAssembly) -> None:
    # given: a state replayed from the start (after one replay warmed up every import) while its
    # allocations are traced
    record = models.Record.objects.get(log=assembly.log)
    forget_replayed_state()
    cache.take_current_state(record)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        state = cache.take_current_state(record).state
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # when
    estimate = replayed.estimate_size(state)
    # then: within a factor of two of what the replay left allocated
    assert held / 2 <= estimate <= held * 2


def test_a_query_cannot_change_the_cached_state(assembly: StoredAssembly) -> None:
    # given: the state at the head, cached, and what readers see of it
    before = (get_assembly(assembly.log), list_members(assembly.log))
    member = next(iter(read_state(assembly.log, lambda state: list(state.members))))

    # when: a query tries to change the state it is handed, its fields, maps, lists and sets
    def changes(state: AssemblyState) -> list[str]:
        attempts: list[Callable[[], object]] = [
            lambda: setattr(state, "name", "Otra Junta"),
            lambda: state.members.pop(member),
            lambda: state.key_owner.clear(),
            lambda: state.charters.append(state.charters[0]),
            lambda: state.open_meetings.add(99),
        ]
        refused: list[str] = []
        for attempt in attempts:
            try:
                attempt()
            except (AttributeError, TypeError) as error:
                refused.append(type(error).__name__)
        return refused

    refused = read_state(assembly.log, changes)
    # then: every change is refused, the cache is unchanged, and a copy of its own is the caller's to change
    assert len(refused) == 5
    assert (get_assembly(assembly.log), list_members(assembly.log)) == before
    own = read_state(assembly.log, copy_state)
    own.members.pop(member)
    assert (get_assembly(assembly.log), list_members(assembly.log)) == before
