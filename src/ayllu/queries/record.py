"""Reads of records: overviews for pages, and the exact stored bytes for verify and export."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ayllu.core.merkle import Frontier
from ayllu.core.record import Body
from ayllu.storage import models
from ayllu.storage.errors import RecordNotFound

# Returned by `get_body` for a body that was erased for privacy: the chain still holds without it.
ERASED_BODY = "erased"


@dataclass(frozen=True, slots=True)
class VerificationSummary:
    """The outcome of the latest verification of a record by this node."""

    ok: bool
    size: int
    problem_code: str
    problem_seq: int | None
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class RecordOverview:
    """What a page shows about one record: its head, size, Merkle root and last verification."""

    log: str
    name: str
    size: int
    head: str
    root: str
    created: datetime
    last_verification: VerificationSummary | None


def _overview(record: models.Record) -> RecordOverview:
    run = record.verifications.order_by("-finished_at", "-pk").first()
    summary = (
        None
        if run is None
        else VerificationSummary(
            ok=run.ok,
            size=run.size,
            problem_code=run.problem_code,
            problem_seq=run.problem_seq,
            finished_at=run.finished_at,
        )
    )
    return RecordOverview(
        log=record.log,
        name=record.name,
        size=record.head_seq,
        head=record.head_hash,
        root=Frontier.from_json(record.frontier).root(),
        created=record.created,
        last_verification=summary,
    )


def list_records() -> list[RecordOverview]:
    """Every record this node holds, oldest first."""
    return [_overview(r) for r in models.Record.objects.order_by("created", "pk")]


def get_record_overview(log: str) -> RecordOverview:
    """One record's overview; raise RecordNotFound when this node does not hold it."""
    try:
        return _overview(models.Record.objects.get(log=log))
    except models.Record.DoesNotExist:
        raise RecordNotFound(log=log) from None


def _record(log: str) -> models.Record:
    try:
        return models.Record.objects.get(log=log)
    except models.Record.DoesNotExist:
        raise RecordNotFound(log=log) from None


def iter_entry_bytes(log: str, *, after: int = 0, chunk_size: int = 2000) -> Iterator[bytes]:
    """The exact header bytes of each entry, in seq order (from `after` + 1)."""
    record = _record(log)
    rows = models.Entry.objects.filter(record=record, seq__gt=after).order_by("seq")
    for raw in rows.values_list("header", flat=True).iterator(chunk_size=chunk_size):
        yield bytes(raw)


def get_body(log: str, hash: str) -> Body | str | None:
    """A stored body by hash: the Body, ERASED_BODY when erased, or None when this node lacks it."""
    row = models.Body.objects.filter(record__log=log, hash=hash).values_list("vis", "raw", "erased").first()
    if row is None:
        return None
    vis, raw, erased = row
    return ERASED_BODY if erased or raw is None else Body(bytes(raw), vis)


def get_bodies(log: str) -> dict[str, Body | str]:
    """Every stored body of a record by hash (ERASED_BODY for erased ones), for a whole-record verify."""
    rows = models.Body.objects.filter(record=_record(log)).values_list("hash", "vis", "raw", "erased")
    return {
        hash: ERASED_BODY if erased or raw is None else Body(bytes(raw), vis)
        for hash, vis, raw, erased in rows.iterator(chunk_size=2000)
    }


def list_checkpoint_bytes(log: str) -> list[bytes]:
    """The exact signed bytes of every checkpoint of a record, smallest size first."""
    rows = models.Checkpoint.objects.filter(record=_record(log)).order_by("size")
    return [bytes(raw) for raw in rows.values_list("signed", flat=True)]
