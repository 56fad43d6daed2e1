"""Reads of records: overviews for pages, and the exact stored bytes for verify and export."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Max, OuterRef, Subquery

from ayllu.core.assembly.texts import search_key, skeleton
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Act, Body, BodyKey, parse_entry
from ayllu.core.ledger.verify import Erased
from ayllu.storage import models, reads
from ayllu.storage.errors import RecordNotFound

__all__ = [
    "AssemblyCard",
    "AssemblyIndex",
    "AssemblyPage",
    "EntryPage",
    "RecordNotFound",
    "RecordOverview",
    "VerificationSummary",
    "get_assembly_index",
    "get_bodies",
    "get_body",
    "get_entry_texts",
    "get_record_overview",
    "iter_entry_bytes",
    "iter_export_entries",
    "list_assembly_page",
    "list_checkpoint_bytes",
    "list_entries",
    "list_records",
]


@dataclass(frozen=True, slots=True)
class VerificationSummary:
    """The outcome of the latest verification of a record by this node."""

    ok: bool
    size: int
    replayed: int | None  # None for a run kept before rules replayed were counted
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
            replayed=run.replayed,
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


# --- the node's front page: every assembly, searched and paged ----------------------------------
@dataclass(frozen=True, slots=True)
class AssemblyCard:
    """What the front page shows of one assembly."""

    log: str
    name: str
    size: int
    created: datetime
    last_verification: VerificationSummary | None
    looks_like: str = ""  # the name of an assembly listed before it that its name looks like


@dataclass(frozen=True, slots=True)
class AssemblyIndex:
    """Every record's (log, name, size, head, created), oldest first, and the latest verification run's
    id: the front page is a function of these (and of what the node serves)."""

    rows: tuple[tuple[str, str, int, str, datetime], ...]
    last_run: int

    @property
    def fingerprint(self) -> str:
        """A digest naming every record's head and name and the latest verification."""
        digest = hashlib.blake2b(str(self.last_run).encode(), digest_size=16)
        for log, name, size, head, _ in self.rows:
            digest.update(f"\n{log}:{size}:{head}:{name}".encode())
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class AssemblyPage:
    """One page of the front page's list: its cards, which page of how many, and how many matched."""

    cards: list[AssemblyCard]
    page: int
    pages: int
    total: int


def get_assembly_index() -> AssemblyIndex:
    """Every record's name and head in one query, and the latest verification run in another."""
    rows = models.Record.objects.order_by("created", "pk").values_list(
        "log", "name", "head_seq", "head_hash", "created"
    )
    last_run = models.VerificationRun.objects.aggregate(last=Max("pk"))["last"] or 0
    return AssemblyIndex(rows=tuple(rows), last_run=last_run)


def list_assembly_page(
    index: AssemblyIndex, *, search: str = "", page: int = 1, per_page: int = 50
) -> AssemblyPage:
    """Page `page` of the assemblies whose name holds `search` (compared by `search_key`), oldest first.

    A name that looks like an earlier one's (among all, not only those found) says so. The page's last
    verifications are read in one query, whatever the number of assemblies.
    """
    wanted = search_key(search)
    first_by_skeleton: dict[str, str] = {}
    found: list[tuple[str, str, int, datetime, str]] = []
    for log, name, size, _, created in index.rows:
        key = skeleton(name)
        looks_like = first_by_skeleton.get(key, "") if key else ""
        if key and not looks_like:
            first_by_skeleton[key] = name
        if not wanted or wanted in search_key(name):
            found.append((log, name, size, created, looks_like))
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * per_page : page * per_page]
    runs = _last_verifications([log for log, *_ in shown])
    cards = [
        AssemblyCard(log, name, size, created, runs.get(log), looks_like)
        for log, name, size, created, looks_like in shown
    ]
    return AssemblyPage(cards=cards, page=page, pages=pages, total=len(found))


def _last_verifications(logs: list[str]) -> dict[str, VerificationSummary]:
    latest = models.VerificationRun.objects.filter(record=OuterRef("record")).order_by("-finished_at", "-pk")
    rows = models.VerificationRun.objects.filter(
        record__log__in=logs, pk=Subquery(latest.values("pk")[:1])
    ).values_list("record__log", "ok", "size", "replayed", "problem_code", "problem_seq", "finished_at")
    return {
        log: VerificationSummary(ok, size, replayed, code, seq, finished)
        for log, ok, size, replayed, code, seq, finished in rows
    }


def get_record_overview(log: str) -> RecordOverview:
    """One record's overview; raise RecordNotFound when this node does not hold it."""
    return _overview(reads.get_record(log))


@dataclass(frozen=True, slots=True)
class EntryPage:
    """One page of a record's entries, newest first: (seq, type, author key, node time in ms) each."""

    entries: list[tuple[int, str, str, int]]
    page: int
    pages: int


def list_entries(log: str, *, page: int = 1, per_page: int = 50) -> EntryPage:
    """The entries of page `page` (1 is the newest `per_page`), read from the stored headers."""
    record = reads.get_record(log)
    pages = max(1, -(-record.head_seq // per_page))
    page = min(max(page, 1), pages)
    last = record.head_seq - (page - 1) * per_page
    rows = (
        models.Entry.objects.filter(record=record, seq__lte=last, seq__gt=last - per_page)
        .order_by("-seq")
        .values_list("seq", "type", "author", "header")
    )
    entries = [(seq, type_, author, parse_entry(bytes(header)).time) for seq, type_, author, header in rows]
    return EntryPage(entries=entries, page=page, pages=pages)


def iter_entry_bytes(log: str, *, after: int = 0) -> Iterator[bytes]:
    """The exact header bytes of each entry of a record, in seq order (from `after` + 1)."""
    return reads.entry_bytes(reads.get_record(log), after=after)


def get_body(log: str, hash: str, *, vis: str) -> Body | Erased | None:
    """A stored body by hash and visibility: the Body, ERASED when erased, or None when not held."""
    return reads.body_of(reads.get_record(log), hash, vis=vis)


def get_entry_texts(log: str, seqs: list[int]) -> dict[int, str]:
    """The `text` of the entries `seqs` whose words this node holds (a delegate's reports): replay keeps
    only their seqs, the words are in their bodies."""
    if not seqs:
        return {}
    return {
        entry.seq: str(words.content().get("text", ""))
        for entry, words in reads.entries_with_words(reads.get_record(log), seqs)
        if words is not None
    }


def get_bodies(log: str) -> dict[BodyKey, Body | Erased]:
    """Every stored body of a record by (hash, vis) (ERASED for erased ones)."""
    return reads.bodies_of(reads.get_record(log))


def list_checkpoint_bytes(log: str) -> list[bytes]:
    """The exact signed bytes of every checkpoint of a record, smallest size first."""
    return reads.checkpoint_bytes(reads.get_record(log))


def iter_export_entries(log: str) -> Iterator[tuple[bytes, Act]]:
    """Each entry's exact header bytes with its act, in seq order."""
    for raw in reads.entry_bytes(reads.get_record(log)):
        yield raw, parse_entry(raw).act
