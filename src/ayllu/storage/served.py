"""A node serves only what verifies: each record's rows are checked against what the node sealed.

Every append, sync and import verifies what it adds (signatures, chain, bodies, rules) and, in the same
transaction, moves the record's seal (`models.ServedSeal`: size, head and Merkle root, with a MAC keyed
by the node's secret key, so an edit of the database cannot move the seal along with altered rows).
What the node serves is checked against the seal, at a cost of hashing, not of verifying:

- on start (the first request or command of a process) every record's rows are hashed again: the
  stored headers must be the sealed ones (same size and Merkle root, so the same bytes that were
  verified: signatures and rules need not be checked again), every body a reader may be shown must
  hash to the name its entry signed, and no checkpoint the node signed may be larger than the seal.
  A record without a seal (the first start after an upgrade), or whose rows differ from it, is
  verified in full, which names the first bad entry; a record that verifies but holds fewer entries
  than were sealed was cut short;
- every AYLLU_SERVED_SECONDS and whenever a read catches up with a new head, each record's head and
  seal are compared with the last ones checked; entries added since are hashed onto the frontier
  kept in memory, and replay (queries/replayed.py) stops before the first bad entry;
- at the same pace, off the request path (a thread of `ayllu serve`'s main process, one per node:
  `start_sweep_thread`), rows already checked are hashed again a slice at a time
  (`AYLLU_SERVED_SWEEP_ROWS` entries per period, node-wide, one record after another): when a record's
  sweep reaches what was checked, its Merkle root must be the checked one and every body it named must
  still hash to its name, so a row changed inside what was checked (an edited body, a header replaced
  while the head stays) is seen within size / rows periods, without a restart. The damage it finds is
  kept in the seal's row, so every worker process names it at its next periodic comparison;
- a write refuses a record that failed (`RecordDamaged`), or whose seal no longer matches its head
  under the write lock (naming the first bad entry), until its rows verify again.

A failure is kept in the seal's row, so every process of the node sees it, until the rows verify again
(an operator restored a good copy, docs/operations.md).
"""

import functools
import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from ayllu.core.errors import DomainError
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import RULE_VIS, SPLIT_FORMAT, VISIBILITIES, Body, sha256_hex, words_commitment
from ayllu.core.ledger.verify import ERASED, Erased, verify_record

from . import models
from .db import write_transaction
from .errors import RecordDamaged
from .keyfiles import load_or_create_key_file
from .periodic import run_every, start_daemon
from .replica import bodies_required_here, mirrored_logs

# Codes of problems found here rather than by the verifier (messages.py gives each a sentence).
RECORD_SHORTER = "record_shorter"  # the rows verify, but fewer entries than the node sealed
SEAL_MISMATCH = "seal_mismatch"  # the rows verify, but are not the ones sealed (or the seal was edited)
_CHUNK = 2000
# Rows of the records checked together on a process's first check of every record (`_check_unchecked`).
_GROUP_ROWS = 10_000
log_ = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Damage:
    """Why a record's copy on this node fails: the first bad entry (None when none is to blame)."""

    log: str
    name: str
    seq: int | None
    code: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordServed:
    """A record's live state on this node: how many entries were checked, and the damage if any."""

    log: str
    size: int
    sealed: int
    damage: Damage | None


@dataclass(frozen=True, slots=True)
class NodeServed:
    """Every damaged record of the node."""

    damaged: tuple[Damage, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.damaged


# --- the seal -------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _mac_key_at(path: Path) -> bytes:
    seed = load_or_create_key_file(path).seed()
    return hashlib.blake2b(seed, digest_size=32, person=b"ayllu/served/v1").digest()


def seal_mac(log: str, *, size: int, head: str, root: str) -> str:
    """The MAC of a seal, keyed by the node's secret key: only this node can make one."""
    message = f"{log}\0{size}\0{head}\0{root}".encode()
    return hmac.new(_mac_key_at(Path(settings.AYLLU_NODE_KEY_FILE)), message, hashlib.sha256).hexdigest()


def _sealed(seal: models.ServedSeal | None, log: str) -> bool:
    if seal is None or not seal.mac:
        return False
    expected = seal_mac(log, size=seal.size, head=seal.head, root=seal.root)
    return hmac.compare_digest(expected, seal.mac)


def sealed_state(record: models.Record) -> tuple[int, str] | None:
    """The (size, root) this node sealed for `record`, or None when no seal holds (none, or edited)."""
    seal = models.ServedSeal.objects.filter(record=record).first()
    return (seal.size, seal.root) if seal is not None and _sealed(seal, record.log) else None


# Key of what a process checked: the record's row and head, and the seal's row, as last read.
_Key = tuple[int, int, str, int, str, str, str, str]


@dataclass(slots=True)
class _Known:
    key: _Key
    frontier: Frontier | None  # over entries 1..size, all checked; None when damaged
    damage: Damage | None
    served: RecordServed


_known: dict[str, _Known] = {}
_damaged: dict[str, Damage] = {}  # the damage of every record in _known that has one
_known_lock = threading.RLock()
_node: dict[str, Any] = {"status": None, "at": 0.0, "sweeping": 0}
_node_lock = threading.Lock()


# Per record: the record row's id and the frontier of the rows hashed again so far (see `sweep`).
_sweeps: dict[str, tuple[int, Frontier]] = {}


def forget_served() -> None:
    """Forget every check this process made: the next read checks every record again, as on start."""
    with _known_lock:
        _known.clear()
        _damaged.clear()
        _sweeps.clear()
        _node["status"], _node["at"], _node["sweeping"] = None, 0.0, 0


# Table and columns are fixed in the model (db_table), so these statements are constants.
_SEAL_FIELDS = ("id", "size", "head", "root", "mac", "problem_code", "problem_seq")
_SELECT_SEAL = f"SELECT {', '.join(_SEAL_FIELDS)} FROM ayllu_served_seal WHERE record_id = %s"  # noqa: S608
_UPDATE_SEAL = (
    "UPDATE ayllu_served_seal SET size = %s, head = %s, root = %s, mac = %s, problem_code = '', "
    "problem_seq = NULL, problem_detail = '' WHERE id = %s"
)


def extend_seal(record: models.Record, *, frontier: Frontier, head: str, fresh: bool = False) -> None:
    """Move the seal of a locked record to `frontier` (what it holds after this write) and `head`.

    Call inside the write transaction, after checking (`require_writable`) and verifying what is
    added; `fresh` when the record was created whole in this transaction (an import). Raise
    RecordDamaged when the seal no longer matches the record's head as locked: the rows changed since
    they were checked, and nothing may be added on top of them.
    """
    # Plain SQL: this runs in every append, and building ORM queries cost more than the queries.
    with connection.cursor() as cursor:
        cursor.execute(_SELECT_SEAL, [record.pk])
        row = cursor.fetchone()
    seal = (
        None if row is None else models.ServedSeal(record=record, **dict(zip(_SEAL_FIELDS, row, strict=True)))
    )
    if not fresh and (record.head_seq or seal is not None) and not _seal_holds(record, seal):
        raise _damage_refusal(record, seal)
    root = frontier.root()
    mac = seal_mac(record.log, size=frontier.size, head=head, root=root)
    if seal is None:
        models.ServedSeal.objects.create(record=record, size=frontier.size, head=head, root=root, mac=mac)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_UPDATE_SEAL, [frontier.size, head, root, mac, seal.pk])
    key: _Key = (record.pk, frontier.size, head, frontier.size, head, root, mac, "")
    served = RecordServed(record.log, frontier.size, frontier.size, None)
    known = _Known(key, frontier, None, served)
    transaction.on_commit(lambda: _keep(record.log, known))


def check_seal(record: models.Record) -> None:
    """Raise RecordDamaged when a locked record's rows are not the ones sealed (a write that adds
    nothing, such as signing a checkpoint, must not vouch for them either)."""
    seal = _seal_of(record)
    if record.head_seq and not _seal_holds(record, seal):
        raise _damage_refusal(record, seal)


def _damage_refusal(record: models.Record, seal: models.ServedSeal | None) -> RecordDamaged:
    """The refusal of a write to a record whose seal does not hold, naming the first bad entry."""
    _forget(record.log)  # the transaction rolls back: the next check finds it again and keeps it
    if seal is not None and seal.problem_code:
        return _refusal(record.log, seq=seal.problem_seq, code=seal.problem_code)
    _, damage = _diagnose(record, seal)
    if damage is None:  # the rows verify and extend the seal: an older version wrote without sealing
        return _refusal(record.log, seq=None, code=SEAL_MISMATCH)
    return _refusal(record.log, seq=damage.seq, code=damage.code)


def _seal_holds(record: models.Record, seal: models.ServedSeal | None) -> bool:
    """True when the seal is this node's, holds no problem and names the record's head and root."""
    return (
        seal is not None
        and not seal.problem_code
        and _sealed(seal, record.log)
        and (seal.size, seal.head) == (record.head_seq, record.head_hash)
        and Frontier.from_json(record.frontier).root() == seal.root
    )


def _keep(log: str, known: _Known) -> None:
    with _known_lock:
        _known[log] = known
        if known.damage is None:
            _damaged.pop(log, None)
        else:
            _damaged[log] = known.damage


def _forget(log: str) -> None:
    with _known_lock:
        _known.pop(log, None)
        _damaged.pop(log, None)


# --- checking the rows -----------------------------------------------------------------------------
class _Mismatch(Exception):
    """The rows are not the sealed ones: verify them in full to say why."""


def _chunks(rows: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# A header's body name, visibility and format, read without parsing it: every string in a header is hex
# or a pattern-matched name (record-format.md), and the header's bytes are compared with the sealed ones
# anyway (the Merkle root), so a header this misreads fails the check.
_BODY = re.compile(rb'"body":"([0-9a-f]{64})"')
_VIS = re.compile(rb'"vis":"([a-z]+)"')
_V = re.compile(rb'"v":([0-9]+)')


def _body_key(raw: bytes) -> tuple[tuple[str, str], str | None]:
    """The key of the body a header names and, for act format 2, the visibility of its words (the rule
    body is public and names the words' hash: record-format.md section 13)."""
    body, vis, v = _BODY.search(raw), _VIS.search(raw), _V.search(raw)
    if body is None or vis is None or v is None:
        raise _Mismatch
    if int(v.group(1)) == SPLIT_FORMAT:
        return (body.group(1).decode(), RULE_VIS), vis.group(1).decode()
    return (body.group(1).decode(), vis.group(1).decode()), None


# Body rows by (hash, visibility): the raw bytes and whether they were erased.
_Rows = dict[tuple[str, str], tuple[Any, bool]]


def _rows_of(record: models.Record, hashes: set[str]) -> _Rows:
    rows: _Rows = {}
    wanted = sorted(hashes)
    for start in range(0, len(wanted), 500):
        found = models.Body.objects.filter(record=record, hash__in=wanted[start : start + 500])
        for h, vis, raw, erased in found.values_list("hash", "vis", "raw", "erased"):
            rows[(h, vis)] = (raw, erased)
    return rows


def _check_body(row: tuple[Any, bool] | None, key: tuple[str, str], required: frozenset[str]) -> None:
    if row is None:
        if key[1] in required:
            raise _Mismatch
    elif not (row[1] or row[0] is None) and sha256_hex(bytes(row[0])) != key[0]:
        raise _Mismatch


def _hash_rows(
    record: models.Record, frontier: Frontier, required: frozenset[str], *, upto: int
) -> tuple[Frontier, str]:
    """Hash entries after `frontier` up to `upto` onto it and check the bodies they name; raise _Mismatch."""
    rows = models.Entry.objects.filter(record=record, seq__gt=frontier.size, seq__lte=upto).order_by("seq")
    head = ""
    for chunk in _chunks(rows.values_list("seq", "header").iterator(chunk_size=_CHUNK)):
        entries = [(seq, bytes(raw)) for seq, raw in chunk]
        frontier, head = _hash_entries(entries, frontier, required, bodies=lambda h: _rows_of(record, h))
    return frontier, head


def _hash_entries(
    entries: list[tuple[int, bytes]],
    frontier: Frontier,
    required: frozenset[str],
    *,
    bodies: Callable[[set[str]], _Rows],
) -> tuple[Frontier, str]:
    """Hash `entries` (seq, header; the next ones, in order) onto `frontier` and check the bodies they
    name, read by `bodies` (given their hashes; it may return more); return the frontier and the last
    entry's hash ("" when none). Raise _Mismatch."""
    parsed = [_body_key(raw) for _, raw in entries]
    found = bodies({key[0] for key, _ in parsed})
    words: dict[int, tuple[str, str]] = {}
    for (seq, _), (key, words_vis) in zip(entries, parsed, strict=True):
        rule = found.get(key)
        if words_vis is None or rule is None or rule[1] or rule[0] is None:
            continue
        try:
            commitment = words_commitment(Body(bytes(rule[0]), RULE_VIS).content())
        except DomainError:
            raise _Mismatch from None
        if commitment is not None:
            words[seq] = (commitment[0], words_vis)
    found_words = bodies({h for h, _ in words.values()}) if words else {}
    head = ""
    for (seq, raw), (key, _) in zip(entries, parsed, strict=True):
        if seq != frontier.size + 1:
            raise _Mismatch
        head = sha256_hex(raw)
        frontier = frontier.append(head)
        _check_body(found.get(key), key, required)
        if seq in words:
            _check_body(found_words.get(words[seq]), words[seq], required)
    return frontier, head


def _bodies_lookup(record: models.Record) -> dict[tuple[str, str], Body | Erased]:
    rows = models.Body.objects.filter(record=record).values_list("hash", "vis", "raw", "erased")
    return {
        (h, vis): ERASED if erased or raw is None else Body(bytes(raw), vis)
        for h, vis, raw, erased in rows.iterator(chunk_size=_CHUNK)
    }


def _largest_checkpoint(record: models.Record) -> int:
    row = models.Checkpoint.objects.filter(record=record).order_by("-size").values_list("size", flat=True)
    return int(row.first() or 0)


def _diagnose(record: models.Record, seal: models.ServedSeal | None) -> tuple[Frontier | None, Damage | None]:
    """Verify the rows in full: the damage naming the first bad entry, or the frontier of rows that
    verify and extend the seal (or start one: there was none)."""
    log = record.log
    required = bodies_required_here(log, sealed_here=frozenset(VISIBILITIES))
    headers = models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True)
    checkpoints = models.Checkpoint.objects.filter(record=record).order_by("size")
    report = verify_record(
        log,
        (bytes(raw) for raw in headers.iterator(chunk_size=_CHUNK)),
        bodies=_bodies_lookup(record).get,
        checkpoints=[bytes(raw) for raw in checkpoints.values_list("signed", flat=True)],
        visible=required,
    )
    if not report.ok:
        assert report.problem is not None
        problem = report.problem
        detail = {k: v for k, v in problem.detail.items() if isinstance(v, str | int | bool) or v is None}
        return None, Damage(log, record.name, problem.seq, problem.code, detail)
    if report.size != record.head_seq or report.head != record.head_hash:
        return None, Damage(
            log, record.name, report.size + 1, "head_mismatch", {"record_size": record.head_seq}
        )
    sealed = _sealed(seal, log)
    if seal is not None and seal.mac and not sealed:
        return None, Damage(log, record.name, None, SEAL_MISMATCH, {"reason": "seal"})
    if seal is not None and sealed:
        if report.size < seal.size:
            detail = {"size": report.size, "sealed": seal.size}
            return None, Damage(log, record.name, report.size + 1, RECORD_SHORTER, detail)
        prefix = Frontier()
        for raw in headers[: seal.size].iterator(chunk_size=_CHUNK):
            prefix = prefix.append(sha256_hex(bytes(raw)))
        if prefix.root() != seal.root:
            return None, Damage(log, record.name, None, SEAL_MISMATCH, {"reason": "rows"})
    frontier = Frontier()
    for raw in headers.iterator(chunk_size=_CHUNK):
        frontier = frontier.append(sha256_hex(bytes(raw)))
    return frontier, None


def _row_key(record: models.Record, seal: models.ServedSeal | None) -> _Key:
    if seal is None:
        return (record.pk, record.head_seq, record.head_hash, -1, "", "", "", "")
    return (
        record.pk, record.head_seq, record.head_hash, seal.size, seal.head, seal.root, seal.mac,
        seal.problem_code,
    )  # fmt: skip


def _seal_of(record: models.Record) -> models.ServedSeal | None:
    try:
        return record.served
    except models.ServedSeal.DoesNotExist:
        return None


def _fetch(log: str, *, locked: bool = False) -> models.Record | None:
    """The record's row and its seal's, read in one statement (so one snapshot of both)."""
    rows = models.Record.objects.select_related("served").filter(log=log)
    # `of`: PostgreSQL locks no row of the nullable side of an outer join (the seal may be missing).
    return (rows.select_for_update(of=("self",)) if locked else rows).first()


def _hash_against_seal(
    record: models.Record, seal: models.ServedSeal | None, start: Frontier, *, locked: bool
) -> Frontier:
    """The frontier of the rows when they are the sealed ones; raise _Mismatch (or a DomainError)."""
    if seal is None or not _seal_names_head(record, seal) or _largest_checkpoint(record) > seal.size:
        raise _Mismatch
    required = bodies_required_here(record.log, sealed_here=frozenset(VISIBILITIES))
    frontier, head = _hash_rows(record, start, required, upto=seal.size)
    if not _hashed_to_seal(seal, frontier, head):
        raise _Mismatch
    # Unlocked, a row past the seal may be an append committing now; locked, it was put there.
    if locked and models.Entry.objects.filter(record=record, seq__gt=seal.size).exists():
        raise _Mismatch
    return frontier


def _seal_names_head(record: models.Record, seal: models.ServedSeal) -> bool:
    """True when the seal is this node's, holds no problem, and names the record's head as read."""
    if not seal.mac or seal.problem_code or not _sealed(seal, record.log):
        return False
    return (seal.size, seal.head) == (record.head_seq, record.head_hash)


def _hashed_to_seal(seal: models.ServedSeal, frontier: Frontier, head: str) -> bool:
    """True when the rows hashed up to the seal's size give its root (and head, when any was hashed)."""
    return frontier.size == seal.size and frontier.root() == seal.root and (not head or head == seal.head)


def _check(log: str, known: _Known | None) -> _Known | None:
    """Check a record's rows against its seal, from what `known` checked when it still holds.

    The rows are read without a lock first; only when they do not match the seal (damage, or a write
    committing meanwhile) are they read again under the record's write lock, verified in full if they
    still do not match, and the outcome kept in the seal's row. None: the record is gone.
    """
    record = _fetch(log)
    if record is None:
        return None
    seal = _seal_of(record)
    key = _row_key(record, seal)
    if known is not None and known.key == key:
        return known
    start = Frontier()
    sealed_size = seal.size if seal is not None else 0
    if known is not None and known.frontier is not None and known.key[0] == record.pk:
        start = known.frontier if known.frontier.size <= sealed_size else start
    try:
        holds = _hash_against_seal(record, seal, start, locked=False)
        return _Known(key, holds, None, RecordServed(log, holds.size, holds.size, None))
    except (_Mismatch, DomainError):
        pass
    with write_transaction(log=log):
        record = _fetch(log, locked=True)
        if record is None:
            return None
        seal = _seal_of(record)
        damage: Damage | None = None
        frontier: Frontier | None
        try:
            frontier = _hash_against_seal(record, seal, Frontier(), locked=True)
        except (_Mismatch, DomainError):
            frontier, damage = _diagnose(record, seal)
            seal = _store(record, frontier, damage)
        key = _row_key(record, seal)
    size = record.head_seq if frontier is None else frontier.size
    served = RecordServed(log, size, 0 if seal is None else seal.size, damage)
    return _Known(key, frontier, damage, served)


def _store(record: models.Record, frontier: Frontier | None, damage: Damage | None) -> models.ServedSeal:
    """Keep what a full check of a locked record found: the damage, or a seal over rows that verified."""
    if damage is not None:
        values: dict[str, Any] = {
            "problem_code": damage.code,
            "problem_seq": damage.seq,
            "problem_detail": json.dumps(damage.detail, sort_keys=True, default=str),
        }
    else:
        assert frontier is not None
        root = frontier.root()
        values = {
            "size": frontier.size,
            "head": record.head_hash,
            "root": root,
            "mac": seal_mac(record.log, size=frontier.size, head=record.head_hash, root=root),
            "problem_code": "",
            "problem_seq": None,
            "problem_detail": "",
        }
    stored, _ = models.ServedSeal.objects.update_or_create(record=record, defaults=values)
    return stored


# --- what the node serves ------------------------------------------------------------------------
def check_record(log: str, *, suspect: bool = False) -> RecordServed:
    """The live state of one record on this node, checking what changed since this process last did
    (everything, when a reader found a row that is not what was verified: `suspect`)."""
    with _known_lock:
        known = None if suspect else _known.get(log)
    # Checked without holding the lock: a writer keeps what it sealed under it (while it holds the
    # record's write lock), and a check may wait for that write lock.
    checked = _check(log, known)
    if checked is None:
        _forget(log)
        return RecordServed(log, 0, 0, None)
    _keep(log, checked)
    return checked.served


def require_writable(log: str) -> None:
    """Raise RecordDamaged when this node's copy of `log` failed its check: nothing may be added.

    A record this process has not checked yet is checked first, as on start; after that no query is
    made here: the write's own check under the record's lock (`extend_seal`) refuses rows changed since.
    """
    with _known_lock:
        known = _known.get(log)
    # A damage found earlier holds only while the rows are the ones found damaged: asked again (one
    # query) before refusing, so a record replaced meanwhile (a restore, another database) is judged anew.
    damage = (known.served if known is not None and known.damage is None else check_record(log)).damage
    if damage is not None:
        raise _refusal(log, seq=damage.seq, code=damage.code)


def _refusal(log: str, *, seq: int | None, code: str) -> RecordDamaged:
    if seq is None:
        return RecordDamaged(log=log, seq=None, problem=code, reason="unplaced")
    return RecordDamaged(log=log, seq=seq, problem=code)


def node_served() -> NodeServed:
    """Every damaged record of the node: every record is checked the first time in a process (which
    holds every request until it is done), then again at most every AYLLU_SERVED_SECONDS; a record
    checked meanwhile (a write, a read catching up) counts at once."""
    if _due() and _node_lock.acquire(blocking=_node["status"] is None):
        # Later checks run in one request at a time; the others answer with what is known.
        try:
            if _due():
                _check_every_record()
        finally:
            _node_lock.release()
    return known_damage()


def served_to_peers(log: str | None) -> NodeServed:
    """What a replication answer (/fed/) about `log` (None: about no one record) says of the node: like
    `node_served`, except before this process's first check of every record, which such an answer
    neither waits for nor starts. Then only `log` is checked (what changed since this process last
    did), and the damage known so far is said. A follower checks every byte it is served itself; on a
    node of many records the first check takes longer than a peer waits for an answer (600 councils on
    PostgreSQL: over 30 s, docs/performance.md), so a follower asking a node just started would fail."""
    if _node["status"] is not None:
        return node_served()
    if log is not None:
        check_record(log)
    return known_damage()


def _due() -> bool:
    return _node["status"] is None or time.monotonic() - _node["at"] >= _period()


def _period() -> float:
    return float(getattr(settings, "AYLLU_SERVED_SECONDS", 2))


def _check_every_record() -> list[str]:
    # One query for every record's head and seal; only a record whose row changed is checked again.
    records = list(models.Record.objects.select_related("served").order_by("created", "pk"))
    logs = [record.log for record in records]
    unchecked: list[models.Record] = []
    for record in records:
        with _known_lock:
            known = _known.get(record.log)
        if known is None:
            unchecked.append(record)
        elif known.key != _row_key(record, _seal_of(record)):
            check_record(record.log)
    for log in _check_unchecked(unchecked):
        check_record(log)
    with _known_lock:
        for gone in set(_known) - set(logs):
            _forget(gone)
            _sweeps.pop(gone, None)
    _node["status"], _node["at"] = True, time.monotonic()
    return logs


def _check_unchecked(records: list[models.Record]) -> list[str]:
    """Check records this process has not checked yet (as read with their seals) a group at a time: a
    few statements for the rows of many records, none per record. Return the logs left to check one at
    a time (`check_record`: read again, under the record's lock when the rows do not match, verified in
    full and the damage kept): rows that do not match the seal, a record too big for a group, and
    anything `_hash_against_seal` would not take at once."""
    if not records:
        return []
    checkpoints = models.Checkpoint.objects.values("record_id").annotate(size=Max("size"))
    largest = dict(checkpoints.values_list("record_id", "size"))
    mirrored = mirrored_logs()
    left: list[str] = []
    group: list[tuple[models.Record, models.ServedSeal]] = []
    rows = 0
    for record in records:
        seal = _seal_of(record)
        if seal is None or not _seal_names_head(record, seal) or largest.get(record.pk, 0) > seal.size:
            left.append(record.log)
            continue
        if seal.size > _GROUP_ROWS:  # read a chunk at a time on its own
            left.append(record.log)
            continue
        if rows + seal.size > _GROUP_ROWS:
            left += _check_group(group, mirrored)
            group, rows = [], 0
        group.append((record, seal))
        rows += seal.size
    return left + _check_group(group, mirrored)


def _every_row(rows: _Rows, hashes: set[str]) -> _Rows:
    """All of a record's body rows, whatever `hashes` asks for (they were read in one statement)."""
    return rows


def _check_group(group: list[tuple[models.Record, models.ServedSeal]], mirrored: frozenset[str]) -> list[str]:
    """Hash the sealed rows of a group of records, read in two statements, and keep each record whose rows
    are the sealed ones as checked; return the logs of the others."""
    if not group:
        return []
    ids = [record.pk for record, _ in group]
    held: dict[int, _Rows] = {pk: {} for pk in ids}
    for pk, h, vis, raw, erased in models.Body.objects.filter(record_id__in=ids).values_list(
        "record_id", "hash", "vis", "raw", "erased"
    ):
        held[pk][(h, vis)] = (raw, erased)
    headers: dict[int, list[tuple[int, bytes]]] = {pk: [] for pk in ids}
    entries = models.Entry.objects.filter(record_id__in=ids)
    for pk, seq, raw in entries.values_list("record_id", "seq", "header"):
        headers[pk].append((seq, bytes(raw)))
    left: list[str] = []
    for record, seal in group:
        log = record.log
        # Unlocked, as `_check` reads first: a row past the seal may be an append committing now.
        sealed = sorted(entry for entry in headers[record.pk] if entry[0] <= seal.size)
        required = bodies_required_here(log, sealed_here=frozenset(VISIBILITIES), mirrored=mirrored)
        try:
            every = functools.partial(_every_row, held[record.pk])
            frontier, head = _hash_entries(sealed, Frontier(), required, bodies=every)
        except (_Mismatch, DomainError):
            left.append(log)
            continue
        if not _hashed_to_seal(seal, frontier, head):
            left.append(log)
            continue
        served = RecordServed(log, frontier.size, frontier.size, None)
        _keep(log, _Known(_row_key(record, seal), frontier, None, served))
    return left


def sweep_pass() -> int:
    """One period of the sweep: compare every record's head and seal as a request would, then hash
    again up to AYLLU_SERVED_SWEEP_ROWS already-checked rows; return how many were hashed."""
    with _node_lock:
        return _sweep_some(_check_every_record())


def run_sweeps(stop: threading.Event, *, seconds: float) -> None:
    """Sweep pass after pass, `seconds` apart, until `stop` is set; a failing pass is logged."""
    run_every(stop, sweep_pass, seconds=seconds, what="a sweep of the served rows", at_once=False)


def start_sweep_thread(*, seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Run the sweep in a daemon thread of this process (`ayllu serve`'s main process)."""
    return start_daemon(lambda stop: run_sweeps(stop, seconds=seconds), name="ayllu-sweep")


def _sweep_some(logs: list[str]) -> int:
    """Hash again up to AYLLU_SERVED_SWEEP_ROWS already-checked rows, going on from the record the last
    period stopped at; return how many."""
    rows = budget = int(getattr(settings, "AYLLU_SERVED_SWEEP_ROWS", 500))
    if budget <= 0 or not logs:
        return 0
    first = _node["sweeping"] % len(logs)
    for turn in range(len(logs)):
        index = (first + turn) % len(logs)
        budget -= sweep(logs[index], rows=budget)
        if budget <= 0:
            _node["sweeping"] = index  # this record's sweep is not done: go on from it
            return rows
    _node["sweeping"] = first + 1
    return rows - budget


def sweep(log: str, *, rows: int) -> int:
    """Hash up to `rows` more of the record's already-checked rows onto its sweep; return how many.

    When the sweep reaches the size checked, its root must be the checked root: otherwise (or when a
    body no longer hashes to its name, or a row is missing) the record is checked in full at once, which
    names the first bad entry and stops writes. A finished sweep starts again from the first entry.
    """
    with _known_lock:
        known = _known.get(log)
    if known is None or known.frontier is None or known.damage is not None or rows <= 0:
        return 0
    target = known.frontier
    pk, done = _sweeps.get(log, (known.key[0], Frontier()))
    if pk != known.key[0] or done.size >= target.size:
        pk, done = known.key[0], Frontier()
    record = _fetch(log)
    if record is None or record.pk != pk:
        return 0
    required = bodies_required_here(log, sealed_here=frozenset(VISIBILITIES))
    start = done.size
    try:
        done, _ = _hash_rows(record, done, required, upto=min(start + rows, target.size))
        if done.size < min(start + rows, target.size):
            raise _Mismatch  # rows missing inside what was checked
        if done.size == target.size and done.root() != target.root():
            raise _Mismatch
    except (_Mismatch, DomainError):
        _sweeps.pop(log, None)
        check_record(log, suspect=True)
        return done.size - start
    _sweeps[log] = (pk, Frontier() if done.size == target.size else done)
    return done.size - start


def known_damage() -> NodeServed:
    """The damaged records as this process knows them now: each damage still holds only while the record's
    row and seal are the ones it was found in (one query per damaged record; none on a sound node), so a
    record replaced meanwhile, or put back by an operator, is checked again rather than named."""
    if not _damaged:
        return _OK
    with _known_lock:
        logs = list(_damaged)
    for log in logs:
        check_record(log)
    with _known_lock:
        return NodeServed(tuple(_damaged.values())) if _damaged else _OK


_OK = NodeServed()
