"""Writes to a record: founding an assembly, appending entries, signing checkpoints, verifying.

Every append is atomic and serialised per record: the author's signature is checked before anything is
stored, the record's write lock is taken (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE on
the record row), the rules are re-checked by replaying the entry onto the current state, the node seals
the entry, and entry, body and new head are written in one transaction. Only then is a receipt signed.
"""

import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ayllu.core.checkpoints import Checkpoint, Receipt, parse_checkpoint, sign_next_checkpoint, sign_receipt
from ayllu.core.errors import (
    BadAuthorSignature,
    DuplicateAct,
    InconsistentCheckpoint,
    MissingBody,
    RuleError,
    SeqGap,
    WrongBodyHash,
    WrongLog,
)
from ayllu.core.keys import ACT_CONTEXT, Keypair, verify_signature
from ayllu.core.merkle import Frontier, consistency_proof, root_of
from ayllu.core.record import (
    VISIBILITIES,
    Body,
    Entry,
    SignedAct,
    check_act_fields,
    log_id_for,
    parse_entry,
    seal_entry,
    sha256_hex,
)
from ayllu.core.replay import AssemblyState, apply_entry, initial_state
from ayllu.core.verify import Erased, Problem, VerifyReport, verify_record
from ayllu.storage import models, writes
from ayllu.storage.db import lock_record, translate_db_errors, write_transaction
from ayllu.storage.errors import RecordExists
from ayllu.storage.keyfiles import load_or_create_key_file
from ayllu.storage.reads import bodies_of, checkpoint_bytes, entry_bytes, get_record


@lru_cache(maxsize=4)
def _node_key_at(path: Path) -> Keypair:
    return load_or_create_key_file(path)


def node_keypair() -> Keypair:
    """The node's signing key, created (mode 0600) on first use."""
    return _node_key_at(Path(settings.AYLLU_NODE_KEY_FILE))


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


# --- replayed state, cached per record and keyed by head -----------------------------------------
@dataclass(frozen=True, slots=True)
class _Replayed:
    seq: int
    head: str
    state: AssemblyState


_replayed: dict[str, _Replayed] = {}


def _bodies_for(record: models.Record, hashes: Iterable[str]) -> dict[str, Body | None]:
    found: dict[str, Body | None] = {}
    wanted = list(set(hashes))
    for start in range(0, len(wanted), 500):
        rows = models.Body.objects.filter(record=record, hash__in=wanted[start : start + 500])
        for hash, vis, raw in rows.values_list("hash", "vis", "raw"):
            found[hash] = None if raw is None else Body(bytes(raw), vis)
    return found


def _replay_from(record: models.Record, base: _Replayed) -> _Replayed:
    state, seq, head = base.state, base.seq, base.head
    rows = models.Entry.objects.filter(record=record, seq__gt=seq).order_by("seq")
    for chunk in _chunks(rows.values_list("header", flat=True).iterator(chunk_size=1000), 1000):
        entries = [parse_entry(bytes(raw)) for raw in chunk]
        bodies = _bodies_for(record, (e.act.body for e in entries))
        for entry in entries:
            state = apply_entry(state, entry, bodies.get(entry.act.body))
            seq, head = entry.seq, entry.hash
    return _Replayed(seq, head, state)


def _chunks(items: Iterator[bytes | memoryview], size: int) -> Iterator[list[bytes | memoryview]]:
    chunk: list[bytes | memoryview] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _take_current_state(record: models.Record) -> _Replayed:
    """The replayed state at the record's head: from the cache, caught up, or replayed in full.

    Replay may change a state in place, so the cached state is taken out while the record is locked
    and put back only by the append that committed on top of it: a failed write cannot leave a state
    in the cache that is ahead of the database.
    """
    cached = _replayed.pop(record.log, None)
    if cached is not None and cached.seq == record.head_seq and cached.head == record.head_hash:
        return cached
    if cached is not None and cached.seq < record.head_seq:
        # Another process appended: catch up from the cached head if it is still in the record.
        at = models.Entry.objects.filter(record=record, seq=cached.seq).values_list("hash", flat=True).first()
        if cached.seq == 0 or at == cached.head:
            return _replay_from(record, cached)
    return _replay_from(record, _Replayed(0, "", initial_state(record.log)))


def _catch_up_unlocked(log: str) -> None:
    """Bring the cached state up to the committed head before the lock is taken.

    Committed entries are a prefix of the record whatever happens next, so replaying them outside
    the lock is safe, and the locked part of an append, which every writer waits for, usually has
    nothing left to replay.
    """
    cached = _replayed.pop(log, None)
    if cached is None:
        return
    record = models.Record.objects.filter(log=log).only("pk", "log", "head_seq").first()
    if record is None or record.head_seq < cached.seq:
        return
    if record.head_seq > cached.seq:
        at = models.Entry.objects.filter(record=record, seq=cached.seq).values_list("hash", flat=True).first()
        if at != cached.head:
            return
        cached = _replay_from(record, cached)
    _replayed[log] = cached


def forget_replayed_state() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    _replayed.clear()


# --- appending -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Prepared:
    signed: SignedAct
    body: Body
    act_id: str


def check_author_signatures(batch: Sequence[tuple[str, bytes, str]]) -> list[bool]:
    """Check (author, act signing bytes, signature) triples; picklable, for a process pool's map."""
    return [verify_signature(author, ACT_CONTEXT, signing, asig) for author, signing, asig in batch]


def _prepare(
    log: str, items: Sequence[tuple[SignedAct, Body]], map_batches: Callable[..., Iterable[Any]]
) -> tuple[list[_Prepared], Iterable[list[bool]]]:
    """Check every act's form, body, record and uniqueness; start checking the authors' signatures.

    The signature results come back lazily: with a process pool they are computed while the caller
    seals the entries, and `_require_signatures` must read them all before anything is stored.
    """
    prepared: list[_Prepared] = []
    triples: list[tuple[str, bytes, str]] = []
    seen: set[str] = set()
    for signed_act, body in items:
        act = signed_act.act
        check_act_fields(act)
        if act.log != log:
            raise WrongLog(expected=log, found=act.log)
        if body.hash != act.body or body.vis != act.vis:
            raise WrongBodyHash(body=body.hash)
        signing = act.signing_bytes()
        act_id = sha256_hex(ACT_CONTEXT + signing)
        if act_id in seen:
            raise DuplicateAct(act=act_id)
        seen.add(act_id)
        prepared.append(_Prepared(signed_act, body, act_id))
        triples.append((act.author, signing, signed_act.asig))
    chunks = [triples[i : i + SIGNATURE_CHUNK] for i in range(0, len(triples), SIGNATURE_CHUNK)]
    return prepared, map_batches(check_author_signatures, chunks)


def _require_signatures(prepared: Sequence[_Prepared], results: Iterable[list[bool]]) -> None:
    checked = [ok for oks in results for ok in oks]
    for item, ok in zip(prepared, checked, strict=True):
        if not ok:
            raise BadAuthorSignature(author=item.signed.act.author, act=item.act_id)


SIGNATURE_CHUNK = 250


def _append_locked(
    record: models.Record, items: Sequence[_Prepared], signatures: Iterable[list[bool]] | None
) -> tuple[list[Entry], _Replayed]:
    replayed = _take_current_state(record)
    node = node_keypair()
    state, seq, head = replayed.state, record.head_seq, record.head_hash
    frontier = Frontier.from_json(record.frontier)
    entries: list[Entry] = []
    # Node time is informational but may not go back (replay checks it): a clock behind the record's
    # last entry, e.g. after importing from a node whose clock ran ahead, stamps that entry's time.
    now = max(_now_ms(), state.last_time)
    for item in items:
        entry = seal_entry(item.signed, seq=seq + 1, prev=head, time=now, node=node)
        try:
            state = apply_entry(state, entry, item.body)
        except RuleError:
            if not entries:
                # A broken rule changes nothing (replay's contract): the state is still the head's.
                _replayed[record.log] = replayed
            raise
        frontier = frontier.append(entry.hash)
        entries.append(entry)
        seq, head = entry.seq, entry.hash
    if signatures is not None:
        _require_signatures(items, signatures)
    # The unique (record, act_id) constraint refuses an act replayed into the record without a query
    # of its own; the whole transaction rolls back on the way out.
    writes.insert_entries(
        record,
        ((e.seq, e.hash, e.raw, i.act_id, e.type, e.author) for e, i in zip(entries, items, strict=True)),
    )
    writes.insert_bodies(record, {i.body.hash: (i.body.hash, i.body.vis, i.body.raw) for i in items}.values())
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=seq, head_hash=head, frontier=frontier.as_json(), name=state.name or record.name
    )
    return entries, _Replayed(seq, head, state)


def do_append_many(
    log: str, *, items: Sequence[tuple[SignedAct, Body]], map_batches: Callable[..., Iterable[Any]] = map
) -> Receipt:
    """Append signed acts with their bodies in one transaction; return the receipt of the last one.

    The last entry's hash commits, through the chain of `prev` hashes, to every entry before it, so
    one receipt covers the whole batch. `map_batches` (see `batch_mapper`) may check the authors'
    signatures in other processes.
    """
    if not items:
        raise ValueError("nothing to append")
    prepared, signatures = _prepare(log, items, map_batches)
    _catch_up_unlocked(log)
    if map_batches is map:
        # In this process: check before taking the lock, so a forged act never waits for it.
        _require_signatures(prepared, signatures)
    with write_transaction(log=log):
        record = lock_record(log)
        entries, replayed = _append_locked(record, prepared, None if map_batches is map else signatures)
    # Cached only after the commit; if an outer transaction rolls back, the head no longer matches
    # and the next append replays from the database.
    _replayed[log] = replayed
    last = entries[-1]
    return sign_receipt(node_keypair(), log=log, seq=last.seq, entry=last.hash, time=_now_ms())


def do_append(log: str, *, signed_act: SignedAct, body: Body) -> Receipt:
    """Append one signed act with its body; return the node's receipt (seq, entry hash)."""
    return do_append_many(log, items=[(signed_act, body)])


def do_found_assembly(*, signed_act: SignedAct, body: Body) -> Receipt:
    """Create a record from its founding act and body, and append that act as entry 1."""
    log = log_id_for(body)
    prepared, signatures = _prepare(log, [(signed_act, body)], map)
    _require_signatures(prepared, signatures)
    with write_transaction(log=log):
        if models.Record.objects.filter(log=log).exists():
            raise RecordExists(log=log)
        try:
            with transaction.atomic():
                models.Record.objects.create(log=log)
        except IntegrityError:
            raise RecordExists(log=log) from None
        record = lock_record(log)
        _replayed.pop(log, None)
        (entry,), replayed = _append_locked(record, prepared, None)
    _replayed[log] = replayed
    return sign_receipt(node_keypair(), log=log, seq=entry.seq, entry=entry.hash, time=_now_ms())


# --- erasure ------------------------------------------------------------------------------------
def do_erase_body(log: str, *, body_hash: str) -> None:
    """Erase a body's content for privacy; its hash stays in the chain, so the record still verifies.

    This only removes bytes from this node; who may ask for an erasure is the assembly's decision,
    taken elsewhere before this is called.
    """
    with write_transaction(log=log):
        record = lock_record(log)
        erased = models.Body.objects.filter(record=record, hash=body_hash).update(raw=None, erased=True)
        if not erased:
            raise MissingBody(body=body_hash)
    # Replay never reads an erased body again; the cached state already folded it in.


# --- checkpoints ---------------------------------------------------------------------------------
def _stored_entry_hashes(record: models.Record) -> list[str]:
    # Hashed from the exact stored bytes, not read from the derived column: a node must not sign a
    # root over anything but what it really holds.
    rows = models.Entry.objects.filter(record=record).order_by("seq").values_list("seq", "header")
    hashes = []
    for expected, (seq, header) in enumerate(rows.iterator(chunk_size=5000), start=1):
        if seq != expected:
            raise SeqGap(seq=expected, found=seq)
        hashes.append(sha256_hex(bytes(header)))
    return hashes


def do_sign_checkpoint(log: str) -> Checkpoint:
    """Sign a checkpoint of the current size and root; refuse one contradicting an earlier one."""
    node = node_keypair()
    with write_transaction(log=log):
        record = lock_record(log)
        hashes = _stored_entry_hashes(record)
        root = root_of(hashes)
        if Frontier.from_json(record.frontier).root() != root or len(hashes) != record.head_seq:
            raise InconsistentCheckpoint(reason="frontier_mismatch", size=len(hashes))
        stored = models.Checkpoint.objects.filter(record=record).order_by("-size").first()
        last = None if stored is None else parse_checkpoint(bytes(stored.signed))
        if last is not None and last.size == len(hashes) and last.root == root:
            return last
        proof = [] if last is None else consistency_proof(hashes, old_size=last.size)
        checkpoint = sign_next_checkpoint(
            node, last=last, log=log, size=len(hashes), root=root, proof=proof, time=_now_ms()
        )
        models.Checkpoint.objects.create(
            record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
        )
    return checkpoint


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
            visible=frozenset(VISIBILITIES),
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
def _founding_name(entries: Sequence[bytes], bodies: dict[str, Body | Erased]) -> str:
    founding = bodies.get(parse_entry(entries[0]).act.body) if entries else None
    name = founding.content().get("name") if isinstance(founding, Body) else None
    return name if isinstance(name, str) else ""


def do_import_record(
    log: str,
    *,
    entries: Sequence[bytes],
    bodies: dict[str, Body | Erased],
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
        vis_of = {e.act.body: e.act.vis for e in parsed}
        models.Body.objects.bulk_create(
            (
                models.Body(record=record, hash=h, vis=b.vis, raw=b.raw)
                if isinstance(b, Body)
                else models.Body(record=record, hash=h, vis=vis_of[h], raw=None, erased=True)
                for h, b in bodies.items()
                if h in vis_of
            ),
            batch_size=2000,
        )
        for raw in checkpoints:
            checkpoint = parse_checkpoint(raw)
            models.Checkpoint.objects.create(
                record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
            )
    _replayed.pop(log, None)
    return report
