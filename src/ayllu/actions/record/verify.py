"""Verifying a stored record, and importing one from elsewhere only once it verified."""

import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ayllu.core.assembly.texts import check_storable
from ayllu.core.errors import DomainError
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import VISIBILITIES, Body, BodyKey, Entry, body_keys, parse_entry
from ayllu.core.ledger.verify import CitedHook, Erased, Problem, VerifyReport, verify_record
from ayllu.storage import clock, models, replayed, served
from ayllu.storage.db import lock_record, translate_db_errors, write_transaction
from ayllu.storage.errors import RecordExists, RestoreRefused
from ayllu.storage.reads import bodies_of, checkpoint_bytes, entry_bytes, get_record
from ayllu.storage.replica import bodies_required_here

from ..citations import CitationChecker, CitationsReport, do_check_record_citations
from ..known_checkpoints import held_to_seen, seen_binding


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

# Entries a batch when the signatures are checked in a pool: small enough that the walk (the rules, the
# citations compared with the held copies) starts on the first batch while the workers check the next,
# large enough that handing a batch over costs little beside its signatures. Without a pool, one batch
# of 2000 (core.ledger.verify's default).
POOL_BATCH = 100
# A record of fewer entries than this is checked in this process even when workers are asked for: for a
# federation record of a few hundred entries two forks and the batches' pickling cost more than the
# overlap saves (docs/performance.md, session 17).
POOL_FROM = 2000


def batch_size_for(map_batches: Callable[..., Iterable[Any]]) -> int:
    """How many entries a batch holds for `map_batches` (a pool's, or the built-in `map`)."""
    return 2000 if map_batches is map else POOL_BATCH


def default_workers() -> int:
    """Two verify workers on a machine with two or more cores, else one."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def do_verify_record(
    log: str,
    *,
    workers: int | None = None,
    receipts: Sequence[bytes] = (),
    progress: Callable[[int], None] | None = None,
    map_batches: Callable[..., Iterable[Any]] | None = None,
    cited: CitedHook | None = None,
) -> VerifyReport:
    """Verify a whole stored record with its checkpoints (and receipts); keep the outcome as a run.

    `map_batches` (from `batch_mapper`) lends a pool already started; else one is started for it.
    `cited` is handed each replayed act's citations (`core.ledger.verify.verify_record`)."""
    started = clock.now_datetime()
    record = get_record(log)
    if map_batches is not None:
        return _verify_stored(record, started, receipts, progress, map_batches, cited)
    count = default_workers() if workers is None else workers
    with batch_mapper(count if record.head_seq >= POOL_FROM else 1) as mapper:
        return _verify_stored(record, started, receipts, progress, mapper, cited)


def _verify_stored(
    record: models.Record,
    started: datetime,
    receipts: Sequence[bytes],
    progress: Callable[[int], None] | None,
    map_batches: Callable[..., Iterable[Any]],
    cited: CitedHook | None,
) -> VerifyReport:
    log = record.log
    bodies = bodies_of(record)
    if isinstance(cited, CitationChecker):
        cited.expect(bodies.values())  # what the citations need of the cited records, read at once
    visible = bodies_required_here(log, sealed_here=frozenset(VISIBILITIES))
    checkpoints = checkpoint_bytes(record)
    report = _verify_in(
        map_batches, log, entry_bytes(record), bodies, checkpoints, receipts, visible, progress, cited
    )
    problem = report.problem
    if report.ok and report.size != record.head_seq:
        problem = Problem(report.size + 1, "head_mismatch", {"record_size": record.head_seq})
        report = VerifyReport(False, report.size, report.head, report.root, problem, report.replayed)
    with translate_db_errors(log=log):
        models.VerificationRun.objects.create(
            record=record,
            ok=report.ok,
            size=report.size,
            replayed=report.replayed,
            head=report.head,
            problem_code="" if problem is None else problem.code,
            problem_seq=None if problem is None else problem.seq,
            problem_detail="" if problem is None else json.dumps(problem.detail, sort_keys=True, default=str),
            started_at=started,
            finished_at=clock.now_datetime(),
        )
    return report


def do_verify_record_citations(
    log: str,
    *,
    workers: int | None = None,
    receipts: Sequence[bytes] = (),
    progress: Callable[[int], None] | None = None,
    map_batches: Callable[..., Iterable[Any]] | None = None,
) -> tuple[VerifyReport, CitationsReport]:
    """Verify a stored record (as `do_verify_record`) and check every citation its acts carry against
    this node's copies of the cited records, in the same walk: each act read once (`ayllu verify LOG`).

    A cited header that is byte for byte an entry this node stores is not checked again: its signatures
    were checked when it was stored (docs/record-format.md 14.2). Where the rules stopped short of the
    end (a body this node may not see), the citations are read from the stored acts instead."""
    checker = CitationChecker()
    with checker.vouching():
        report = do_verify_record(
            log, workers=workers, receipts=receipts, progress=progress, map_batches=map_batches, cited=checker
        )
        if report.ok and report.replayed < report.size:
            return report, do_check_record_citations(log)
    return report, checker.report()


def do_verify_records(
    logs: Sequence[str],
    *,
    workers: int | None = None,
    receipts: Sequence[bytes] = (),
    progress: Callable[[str, int], Callable[[int], None] | None] | None = None,
) -> Iterator[tuple[str, VerifyReport, CitationsReport]]:
    """Verify each record in turn with its citations (as `do_verify_record_citations`) with one pool
    of workers for the whole run; `progress(log, index)` gives each record's progress callback."""
    with batch_mapper(default_workers() if workers is None else workers) as map_batches:
        for index, log in enumerate(logs):
            step = None if progress is None else progress(log, index)
            report, cited = do_verify_record_citations(
                log, receipts=receipts, progress=step, map_batches=map_batches
            )
            yield log, report, cited


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
    receipts: Sequence[bytes] = (),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Verify a whole record from elsewhere and, only if everything holds, store it in one transaction.

    `receipts` are receipts the record must honour (a member's, say): an export whose node rolled
    back the last entries and re-signed everything after them holds together, but not with them.
    Every citation its acts carry is checked against this node's copies of the cited records as it is
    verified: one that a copy contradicts (a fork, a rollback, a rule broken) refuses the import at the
    citing entry, its evidence kept. The copy is held, as a sync is, to the checkpoints seen here from
    the node that sealed it (a citation's, say: `known_checkpoints.seen_binding`); one it contradicts
    refuses it as `equivocation` or `inconsistent_with_known`, its evidence kept (docs/federation.md 4.1).
    """
    seen = seen_binding(log, entries)
    binding = [*checkpoints, *seen]
    checker = CitationChecker(refuse=True)
    checker.expect(bodies.values())
    with checker.vouching():
        report = _verify_whole(
            log, entries, bodies, binding, receipts, visible, workers, progress, cited=checker
        )
    if not report.ok:
        return held_to_seen(report, entries=entries, binding=binding, seen=seen, source="import")
    parsed = [parse_entry(raw) for raw in entries]
    with write_transaction(log=log):
        if models.Record.objects.filter(log=log).exists():
            raise RecordExists(log=log)
        record = models.Record.objects.create(log=log, name=_founding_name(entries, bodies))
        _store_whole(record, parsed, bodies, checkpoints, report=report)
    replayed.forget(log)
    return report


def _store_whole(
    record: models.Record,
    parsed: Sequence[Entry],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Sequence[bytes],
    *,
    report: VerifyReport,
) -> None:
    """Write a whole verified record into an empty `record` row, and seal it (inside the transaction)."""
    frontier = Frontier()
    for entry in parsed:
        frontier = frontier.append(entry.hash)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=report.size, head_hash=report.head, frontier=frontier.as_json()
    )
    models.Entry.objects.bulk_create(
        (
            models.Entry(
                record=record, seq=e.seq, hash=e.hash, header=e.raw, act_id=e.act.id(), type=e.type,
                author=e.author,
            )
            for e in parsed
        ),
        batch_size=2000,
    )  # fmt: skip
    referred = {key for e in parsed for key in body_keys(e.act, bodies.get)}
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
    for raw in dict.fromkeys(checkpoints):
        checkpoint = parse_checkpoint(raw)
        if not models.Checkpoint.objects.filter(record=record, size=checkpoint.size).exists():
            models.Checkpoint.objects.create(
                record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
            )
    served.extend_seal(record, frontier=frontier, head=report.head, fresh=True)


# --- restoring a damaged record --------------------------------------------------------------------
def _own_checkpoints(record: models.Record) -> list[bytes]:
    """The stored checkpoints whose signatures hold: what the node signed (or kept) binds a restore."""
    kept = []
    for raw in checkpoint_bytes(record):
        try:
            parse_checkpoint(raw)
        except DomainError:
            continue  # an altered row is part of the damage, not evidence
        kept.append(raw)
    return kept


def do_restore_record(
    log: str,
    *,
    entries: Sequence[bytes],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Sequence[bytes],
    visible: frozenset[str],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Replace this node's copy of record `log` with a copy from elsewhere (a backup's export, a
    follower's), only if that copy verifies in full, honours every checkpoint this node holds, and
    holds everything the node sealed (storage/served.py): it may be longer, never shorter or another
    history. It is held to the checkpoints seen here from its node as an import is. Everything is
    replaced in one transaction, or nothing."""
    record = get_record(log)
    seen = seen_binding(log, entries)
    binding = [*checkpoints, *_own_checkpoints(record), *seen]
    report = _verify_whole(log, entries, bodies, binding, (), visible, workers, progress)
    if not report.ok:
        return held_to_seen(report, entries=entries, binding=binding, seen=seen, source="restore")
    parsed = [parse_entry(raw) for raw in entries]
    with write_transaction(log=log):
        record = lock_record(log)
        sealed = served.sealed_state(record)
        if sealed is not None:
            size, root = sealed
            if report.size < size:
                raise RestoreRefused(log=log, reason="shorter", size=report.size, sealed=size)
            prefix = Frontier()
            for entry in parsed[:size]:
                prefix = prefix.append(entry.hash)
            if prefix.root() != root:
                raise RestoreRefused(log=log, reason="other_history", sealed=size)
        # Bodies this node held that still hash to their names stay: a copy from elsewhere lacks the
        # confidential ones, and a mirror's the members' ones.
        held = {
            key: body
            for key, body in bodies_of(record).items()
            if not isinstance(body, Body) or body.hash == key[0]
        }
        for table in (models.Entry, models.Body, models.Checkpoint, models.ServedSeal):
            table.objects.filter(record=record).delete()
        _store_whole(record, parsed, {**held, **bodies}, binding, report=report)
    replayed.forget(log)
    served.forget_served()
    return report


def _verify_whole(
    log: str,
    entries: Sequence[bytes],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Sequence[bytes],
    receipts: Sequence[bytes],
    visible: frozenset[str],
    workers: int | None,
    progress: Callable[[int], None] | None,
    *,
    cited: CitedHook | None = None,
) -> VerifyReport:
    """Verify a whole record from elsewhere (an import or a restore), signatures checked in parallel."""
    with batch_mapper(default_workers() if workers is None else workers) as map_batches:
        return _verify_in(map_batches, log, entries, bodies, checkpoints, receipts, visible, progress, cited)


def _verify_in(
    map_batches: Callable[..., Iterable[Any]],
    log: str,
    entries: Iterable[bytes],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Sequence[bytes],
    receipts: Sequence[bytes],
    visible: frozenset[str],
    progress: Callable[[int], None] | None,
    cited: CitedHook | None,
) -> VerifyReport:
    """`verify_record` with this node's clock, its signatures checked by `map_batches` in batches of
    the size that suits it (`batch_size_for`)."""
    return verify_record(
        log,
        entries,
        bodies=bodies.get,
        checkpoints=checkpoints,
        receipts=receipts,
        visible=visible,
        progress=progress,
        cited=cited,
        not_after=clock.latest_valid_time(),
        map_batches=map_batches,
        batch_size=batch_size_for(map_batches),
    )
