"""Reads of records: overviews for pages, and the exact stored bytes for verify and export."""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from ayllu.core.assembly.texts import skeleton
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Body, BodyKey, parse_entry
from ayllu.core.ledger.verify import Erased
from ayllu.storage import models, reads
from ayllu.storage.errors import RecordNotFound

__all__ = [
    "RecordNotFound",
    "RecordOverview",
    "VerificationSummary",
    "get_bodies",
    "get_body",
    "get_record_overview",
    "iter_entry_bytes",
    "iter_export_entries",
    "list_checkpoint_bytes",
    "list_records",
]


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
    # The name of an assembly listed before this one that this one's name looks like ("" if none).
    looks_like: str = ""


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
    """Every record this node holds, oldest first; a name that looks like an earlier one's says so."""
    listed: list[RecordOverview] = []
    first_by_skeleton: dict[str, str] = {}
    for record in models.Record.objects.order_by("created", "pk"):
        overview = _overview(record)
        key = skeleton(overview.name)
        if key and key in first_by_skeleton:
            overview = replace(overview, looks_like=first_by_skeleton[key])
        elif key:
            first_by_skeleton[key] = overview.name
        listed.append(overview)
    return listed


def get_record_overview(log: str) -> RecordOverview:
    """One record's overview; raise RecordNotFound when this node does not hold it."""
    return _overview(reads.get_record(log))


def iter_entry_bytes(log: str, *, after: int = 0) -> Iterator[bytes]:
    """The exact header bytes of each entry of a record, in seq order (from `after` + 1)."""
    return reads.entry_bytes(reads.get_record(log), after=after)


def get_body(log: str, hash: str, *, vis: str) -> Body | Erased | None:
    """A stored body by hash and visibility: the Body, ERASED when erased, or None when not held."""
    return reads.body_of(reads.get_record(log), hash, vis=vis)


def get_bodies(log: str) -> dict[BodyKey, Body | Erased]:
    """Every stored body of a record by (hash, vis) (ERASED for erased ones)."""
    return reads.bodies_of(reads.get_record(log))


def list_checkpoint_bytes(log: str) -> list[bytes]:
    """The exact signed bytes of every checkpoint of a record, smallest size first."""
    return reads.checkpoint_bytes(reads.get_record(log))


def iter_export_entries(log: str) -> Iterator[tuple[bytes, str, str]]:
    """Each entry's exact header bytes with its body hash and visibility, in seq order."""
    for raw in reads.entry_bytes(reads.get_record(log)):
        act = parse_entry(raw).act
        yield raw, act.body, act.vis
