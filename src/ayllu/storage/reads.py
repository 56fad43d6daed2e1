"""Reading a record's exact stored bytes: shared by actions (verify, checkpoints) and queries (export)."""

from collections.abc import Iterable, Iterator

from django.db import connection

from ayllu.core.ledger.record import Body, BodyKey, Entry, body_for_replay, parse_entry, words_commitment
from ayllu.core.ledger.verify import ERASED, Erased

from . import models
from .db import fetch_one
from .errors import RecordNotFound


def get_record(log: str) -> models.Record:
    """The row of a record; raise RecordNotFound when this node does not hold it."""
    try:
        return models.Record.objects.get(log=log)
    except models.Record.DoesNotExist:
        raise RecordNotFound(log=log) from None


_HEAD_FIELDS = ["id", "log", "head_seq", "head_hash"]
_HEAD_SQL = (
    "SELECT id, log, head_seq, head_hash FROM ayllu_record WHERE log = %s",
    "SELECT id, log, head_seq, head_hash FROM ayllu_record WHERE log = ?",
)


def record_head(log: str) -> models.Record | None:
    """The row of a record with only its id and head loaded, or None (plain SQL: asked on every append)."""
    row = fetch_one(_HEAD_SQL, [log])
    return None if row is None else models.Record.from_db(connection.alias, _HEAD_FIELDS, row)


def entry_bytes(
    record: models.Record, *, after: int = 0, upto: int | None = None, chunk_size: int = 2000
) -> Iterator[bytes]:
    """The exact header bytes of each entry, in seq order (from `after` + 1, up to `upto` if given)."""
    rows = models.Entry.objects.filter(record=record, seq__gt=after).order_by("seq")
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    for raw in rows.values_list("header", flat=True).iterator(chunk_size=chunk_size):
        yield bytes(raw)


def body_of(record: models.Record, hash: str, *, vis: str) -> Body | Erased | None:
    """A stored body by hash and visibility: the Body, ERASED when erased, or None when not held."""
    row = models.Body.objects.filter(record=record, hash=hash, vis=vis).values_list("raw", "erased").first()
    if row is None:
        return None
    raw, erased = row
    return ERASED if erased or raw is None else Body(bytes(raw), vis)


def bodies_of(record: models.Record) -> dict[BodyKey, Body | Erased]:
    """Every stored body of a record by (hash, vis) (ERASED for erased ones), for a whole-record verify."""
    rows = models.Body.objects.filter(record=record).values_list("hash", "vis", "raw", "erased")
    return {
        (hash, vis): ERASED if erased or raw is None else Body(bytes(raw), vis)
        for hash, vis, raw, erased in rows.iterator(chunk_size=2000)
    }


def checkpoint_bytes(record: models.Record) -> list[bytes]:
    """The exact signed bytes of every checkpoint of a record, smallest size first."""
    rows = models.Checkpoint.objects.filter(record=record).order_by("size")
    return [bytes(raw) for raw in rows.values_list("signed", flat=True)]


class AlteredRow(Exception):
    """A body row read for replay no longer hashes to the name it is stored under: it changed since the
    record's check (storage/served.py)."""


def replay_bodies(
    record: models.Record, entries: Iterable[Entry], *, refuse_altered: bool = False
) -> dict[int, Body | None]:
    """The body each entry replays with, by seq (None where not held or erased): its body, and in
    format 2 its words, which only the rule body names, so they are read in a second query.

    A row that does not hash to its name is left out, like one not held (words are shown only if they
    are the ones signed); with `refuse_altered`, AlteredRow is raised instead."""
    entries = list(entries)
    held = bodies_for(record, entries, refuse_altered=refuse_altered)
    return {e.seq: body_for_replay(e.act, held.get) for e in entries}


def bodies_for(
    record: models.Record, entries: Iterable[Entry], *, refuse_altered: bool = False
) -> dict[BodyKey, Body]:
    """The stored bodies `entries` name, by (hash, vis), and in format 2 their words (as `replay_bodies`
    reads them: a row that does not hash to its name is left out, or raises AlteredRow)."""
    entries = list(entries)
    held = _bodies_by_hash(record, {e.act.body for e in entries}, refuse_altered=refuse_altered)
    words = set()
    for entry in entries:
        rule = held.get(entry.act.body_key())
        if entry.act.split and rule is not None:
            commitment = words_commitment(rule.content())
            if commitment is not None:
                words.add(commitment[0])
    held.update(_bodies_by_hash(record, words, refuse_altered=refuse_altered))
    return held


def entries_with_words(record: models.Record, seqs: Iterable[int]) -> list[tuple[Entry, Body | None]]:
    """The entries `seqs` of `record` in seq order, each with the body that holds its words: in act format
    2 its words body, else its body (None where not held here or erased). Replay keeps only the seqs of
    acts whose words bear no rule (comments, reports); their words are read here."""
    rows = models.Entry.objects.filter(record=record, seq__in=list(seqs)).order_by("seq")
    entries = [parse_entry(bytes(raw)) for raw in rows.values_list("header", flat=True)]
    bodies = replay_bodies(record, entries)
    found = []
    for entry in entries:
        body = bodies[entry.seq]
        found.append((entry, body.words if body is not None and entry.act.split else body))
    return found


def _bodies_by_hash(record: models.Record, hashes: set[str], *, refuse_altered: bool) -> dict[BodyKey, Body]:
    found: dict[BodyKey, Body] = {}
    wanted = sorted(hashes)
    for start in range(0, len(wanted), 500):  # under SQLite's limit on a query's parameters
        rows = models.Body.objects.filter(record=record, hash__in=wanted[start : start + 500], erased=False)
        for hash, vis, raw in rows.values_list("hash", "vis", "raw"):
            if raw is None:
                continue
            body = Body(bytes(raw), vis)
            if body.hash != hash:
                if refuse_altered:
                    raise AlteredRow(hash)
                continue
            found[(hash, vis)] = body
    return found


def entry_hash(record: models.Record, seq: int) -> str | None:
    """The hash of entry `seq` of the record, or None when it holds no such entry."""
    return models.Entry.objects.filter(record=record, seq=seq).values_list("hash", flat=True).first()
