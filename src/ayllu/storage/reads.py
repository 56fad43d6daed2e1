"""Reading a record's exact stored bytes: shared by actions (verify, checkpoints) and queries (export)."""

from collections.abc import Iterator

from ayllu.core.ledger.record import Body, BodyKey
from ayllu.core.ledger.verify import ERASED, Erased

from . import models
from .errors import RecordNotFound


def get_record(log: str) -> models.Record:
    """The row of a record; raise RecordNotFound when this node does not hold it."""
    try:
        return models.Record.objects.get(log=log)
    except models.Record.DoesNotExist:
        raise RecordNotFound(log=log) from None


def entry_bytes(record: models.Record, *, after: int = 0, chunk_size: int = 2000) -> Iterator[bytes]:
    """The exact header bytes of each entry, in seq order (from `after` + 1)."""
    rows = models.Entry.objects.filter(record=record, seq__gt=after).order_by("seq")
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
