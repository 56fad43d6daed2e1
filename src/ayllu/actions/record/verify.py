"""Verifying a stored record, and importing one from elsewhere only once it verified."""

import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from ayllu.core.assembly.texts import check_storable
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import VISIBILITIES, Body, BodyKey, parse_entry
from ayllu.core.ledger.verify import Erased, Problem, VerifyReport, verify_record
from ayllu.storage import models
from ayllu.storage.db import translate_db_errors, write_transaction
from ayllu.storage.errors import RecordExists
from ayllu.storage.reads import bodies_of, checkpoint_bytes, entry_bytes, get_record
from ayllu.storage.replica import bodies_required_here

from .state import replayed_states


# --- verification --------------------------------------------------------------------------------
@contextmanager
def batch_mapper(workers: int) -> Iterator[Callable[..., Iterable[Any]]]:
    """A `map` for verify's per-entry checks: the built-in one, or a process pool of `workers`.

    The pool keeps only a few batches in flight, so a long record is never all in memory at once.
    """
    if workers <= 1:
        yield map
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield lambda fn, batches: _PoolResults(pool, fn, iter(batches), window=2 * workers)


class _PoolResults:
    """Results of `fn` over batches, in order; the first `window` batches are submitted at once, so
    the pool works while the caller does something else before reading the results."""

    def __init__(
        self, pool: ProcessPoolExecutor, fn: Callable[[Any], Any], batches: Iterator[Any], *, window: int
    ):
        self.pool, self.fn, self.batches, self.window = pool, fn, batches, window
        self.pending: deque[Future[Any]] = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self.pending) < self.window:
            batch = next(self.batches, _END)
            if batch is _END:
                return
            self.pending.append(self.pool.submit(self.fn, batch))

    def __iter__(self) -> "_PoolResults":
        return self

    def __next__(self) -> Any:
        if not self.pending:
            raise StopIteration
        result = self.pending.popleft().result()
        self._fill()
        return result


_END = object()


def default_workers() -> int:
    """Two verify workers on a machine with two or more cores, else one."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def do_verify_record(
    log: str,
    *,
    workers: int | None = None,
    receipts: Sequence[bytes] = (),
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Verify a whole stored record with its checkpoints (and receipts); keep the outcome as a run."""
    started = timezone.now()
    record = get_record(log)
    bodies = bodies_of(record)
    with batch_mapper(default_workers() if workers is None else workers) as map_batches:
        report = verify_record(
            log,
            entry_bytes(record),
            bodies=bodies.get,
            checkpoints=checkpoint_bytes(record),
            receipts=receipts,
            visible=bodies_required_here(log, sealed_here=frozenset(VISIBILITIES)),
            map_batches=map_batches,
            progress=progress,
        )
    problem = report.problem
    if report.ok and report.size != record.head_seq:
        problem = Problem(report.size + 1, "head_mismatch", {"record_size": record.head_seq})
        report = VerifyReport(False, report.size, report.head, report.root, problem)
    with translate_db_errors(log=log):
        models.VerificationRun.objects.create(
            record=record,
            ok=report.ok,
            size=report.size,
            head=report.head,
            problem_code="" if problem is None else problem.code,
            problem_seq=None if problem is None else problem.seq,
            problem_detail="" if problem is None else json.dumps(problem.detail, sort_keys=True, default=str),
            started_at=started,
            finished_at=timezone.now(),
        )
    return report


# --- import --------------------------------------------------------------------------------------
def _founding_name(entries: Sequence[bytes], bodies: dict[BodyKey, Body | Erased]) -> str:
    act = parse_entry(entries[0]).act if entries else None
    founding = bodies.get((act.body, act.vis)) if act is not None else None
    name = founding.content().get("name") if isinstance(founding, Body) else None
    return check_storable(name, field="name") if isinstance(name, str) else ""


def do_import_record(
    log: str,
    *,
    entries: Sequence[bytes],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Sequence[bytes],
    visible: frozenset[str],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Verify a whole record from elsewhere and, only if everything holds, store it in one transaction."""
    with batch_mapper(default_workers() if workers is None else workers) as map_batches:
        report = verify_record(
            log,
            entries,
            bodies=bodies.get,
            checkpoints=checkpoints,
            visible=visible,
            map_batches=map_batches,
            progress=progress,
        )
    if not report.ok:
        return report
    parsed = [parse_entry(raw) for raw in entries]
    frontier = Frontier()
    for entry in parsed:
        frontier = frontier.append(entry.hash)
    with write_transaction(log=log):
        if models.Record.objects.filter(log=log).exists():
            raise RecordExists(log=log)
        record = models.Record.objects.create(
            log=log,
            name=_founding_name(entries, bodies),
            head_seq=report.size,
            head_hash=report.head,
            frontier=frontier.as_json(),
        )
        models.Entry.objects.bulk_create(
            (
                models.Entry(
                    record=record,
                    seq=e.seq,
                    hash=e.hash,
                    header=e.raw,
                    act_id=e.act.id(),
                    type=e.type,
                    author=e.author,
                )
                for e in parsed
            ),
            batch_size=2000,
        )
        referred = {(e.act.body, e.act.vis) for e in parsed}
        models.Body.objects.bulk_create(
            (
                models.Body(record=record, hash=h, vis=vis, raw=b.raw)
                if isinstance(b, Body)
                else models.Body(record=record, hash=h, vis=vis, raw=None, erased=True)
                for (h, vis), b in bodies.items()
                if (h, vis) in referred
            ),
            batch_size=2000,
        )
        for raw in checkpoints:
            checkpoint = parse_checkpoint(raw)
            models.Checkpoint.objects.create(
                record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
            )
    replayed_states.pop(log, None)
    return report
