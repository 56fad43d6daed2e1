"""Reads for the pages about other nodes: records mirrored, witnessing, cosignatures, succession.

Every figure comes from rows a follower stored only after verifying them (entries, checkpoints seen,
cosignatures) or from exact signed bytes parsed again here; nothing is fetched from a peer.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, QuerySet

from ayllu.core.errors import DomainError
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.record import Body, parse_entry
from ayllu.core.ledger.succession import RECORD_MOVED
from ayllu.core.ledger.witness import parse_cosignature
from ayllu.storage import models

__all__ = [
    "Cosigned",
    "Mirror",
    "Move",
    "Succession",
    "get_succession",
    "list_cosignatures_held",
    "list_mirrors",
    "list_witnessed",
]


@dataclass(frozen=True, slots=True)
class Mirror:
    """A record this node follows from `url`: what it holds, verified, and how far the peer has gone."""

    log: str
    name: str
    url: str
    size: int
    head: str
    target: int
    problem: str
    updated: datetime

    @property
    def behind(self) -> int:
        return max(self.target - self.size, 0)


def list_mirrors() -> list[Mirror]:
    """Every record this node follows, from which URL, with its verified size and the largest seen."""
    records = {r.log: r for r in models.Record.objects.all().only("log", "name", "head_seq", "head_hash")}
    largest = dict(
        models.SeenCheckpoint.objects.values("log").annotate(size=Max("size")).values_list("log", "size")
    )
    mirrors = []
    for follow in models.Follow.objects.order_by("log", "url"):
        record = records.get(follow.log)
        size = record.head_seq if record is not None else 0
        mirrors.append(
            Mirror(
                log=follow.log,
                name=record.name if record is not None else "",
                url=follow.url,
                size=size,
                head=record.head_hash if record is not None else "",
                target=max(largest.get(follow.log, 0), size),
                problem=follow.problem,
                updated=follow.updated,
            )
        )
    return mirrors


@dataclass(frozen=True, slots=True)
class Cosigned:
    """A cosignature kept here: `witness` vouched for `node`'s checkpoint of `log` at `size`."""

    log: str
    name: str
    size: int
    node: str
    witness: str
    time: int
    created: datetime


def _cosigned(rows: QuerySet[models.Cosigned]) -> list[Cosigned]:
    names = dict(models.Record.objects.values_list("log", "name"))
    found = []
    for row in rows.order_by("log", "-size", "witness"):
        try:
            checkpoint = parse_checkpoint(bytes(row.checkpoint))
            cosignature = parse_cosignature(bytes(row.cosignature))
        except DomainError:
            continue  # rows are checked before they are kept; a damaged one is not shown as proof
        found.append(
            Cosigned(
                log=row.log,
                name=names.get(row.log, ""),
                size=row.size,
                node=checkpoint.node,
                witness=row.witness,
                time=cosignature.time,
                created=row.created,
            )
        )
    return found


def list_witnessed(*, witness: str) -> list[Cosigned]:
    """The latest checkpoint this node (`witness`) cosigned for each record it witnesses."""
    latest: dict[str, Cosigned] = {}
    for item in _cosigned(models.Cosigned.objects.filter(witness=witness)):
        latest.setdefault(item.log, item)
    return list(latest.values())


def list_cosignatures_held(*, besides: str) -> dict[str, list[Cosigned]]:
    """Other witnesses' cosignatures kept here, by record, largest checkpoint first."""
    held: dict[str, list[Cosigned]] = {}
    for item in _cosigned(models.Cosigned.objects.exclude(witness=besides)):
        held.setdefault(item.log, []).append(item)
    return held


@dataclass(frozen=True, slots=True)
class Move:
    """A `record.moved` entry: from then on `node` seals the record; `endorsements` members agreed."""

    seq: int
    hash: str
    time: int
    sealed_by: str
    node: str
    endorsements: int


@dataclass(frozen=True, slots=True)
class Succession:
    """Which node seals a record now: the first entry's node, or the node the last move named."""

    first_node: str
    moves: list[Move] = field(default_factory=list)

    @property
    def node(self) -> str:
        return self.moves[-1].node if self.moves else self.first_node


def get_succession(log: str) -> Succession | None:
    """The record's sealing node and its moves, from verified entries and their public bodies."""
    record = models.Record.objects.filter(log=log).first()
    if record is None or record.head_seq == 0:
        return None
    entries = models.Entry.objects.filter(record=record)
    first = entries.filter(seq=1).values_list("header", flat=True).first()
    if first is None:
        return None
    succession = Succession(first_node=parse_entry(bytes(first)).node)
    for raw in entries.filter(type=RECORD_MOVED).order_by("seq").values_list("header", flat=True):
        entry = parse_entry(bytes(raw))
        hash, vis = entry.act.body_key()  # a move's fields are all rule data: in its (public) rule body
        body = models.Body.objects.filter(record=record, hash=hash, vis=vis).first()
        if body is None or body.raw is None:
            continue  # a move is public and replay needed its body; without it there is nothing to show
        content = Body(bytes(body.raw), body.vis).content()
        succession.moves.append(
            Move(
                seq=entry.seq,
                hash=entry.hash,
                time=entry.time,
                sealed_by=entry.node,
                node=str(content.get("node", "")),
                endorsements=len(content.get("endorsements") or []),
            )
        )
    return succession
