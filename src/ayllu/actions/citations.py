"""Checking a citation of another record's entry against what this node holds of that record.

The interfaces read this node's copy (`queries.citations.get_held_copy`) and pass it here; the write path
reads it from storage with its own replayed state (`check_cited_here`). The check is the core's
(`core.ledger.citations.check_citation`). What this adds is keeping the evidence a fork or a rollback
yields, as following a record does, so the node passes it on to whoever asks (/fed/evidence/).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.replay import ACT_KINDS, read_act
from ayllu.core.errors import CitationError, CitationUnknownRecord, DomainError
from ayllu.core.ledger.checked_texts import vouched_by
from ayllu.core.ledger.checkpoints import Checkpoint
from ayllu.core.ledger.citations import Citation, CitationVerdict, HeldCopy, check_citation
from ayllu.core.ledger.evidence import check_evidence
from ayllu.core.ledger.record import Body, Entry, body_for_replay, parse_entry
from ayllu.storage import models, reads, replayed
from ayllu.storage.citations import HeldRecords


def do_check_citation(
    citation: Citation,
    *,
    held: HeldCopy | None,
    sealers: frozenset[str] | None = None,
    require_held: bool = False,
) -> CitationVerdict:
    """Check a citation against this node's copy `held` of the cited record; keep the evidence it yields.

    Without a copy the verdict is "checked by proof only" (`sealers`, if given, are the keys taken as
    the record's sealers), or CitationUnknownRecord when `require_held`.
    """
    if held is None and require_held:
        raise CitationUnknownRecord(log=citation.log)
    try:
        return check_citation(citation, held=held, sealers=sealers)
    except CitationError as exc:
        evidence = exc.detail.get("evidence")
        if isinstance(evidence, str):
            # Here, not at the top: actions.replication imports the write path, which imports this.
            from .replication import do_store_evidence

            raw = evidence.encode("utf-8")
            do_store_evidence(raw, source="citation")
            # Its id, for the interfaces to name what was kept (/fed/evidence/<id>).
            exc.detail["evidence_id"] = check_evidence(raw).id
        raise


def check_cited_here(act: Act) -> list[CitationVerdict]:
    """Check every citation an act carries against this node's copies of the cited records (the write
    path, before it appends the act); raise the first refusal, keeping its evidence. Each checkpoint
    of a citation that holds is then noted as seen (`replication.do_note_cited_checkpoint`)."""
    held = HeldRecords()
    citations = act.citations()
    verdicts = [do_check_citation(citation, held=_held_here(citation, held)) for citation in citations]
    for citation in citations:
        _note_seen(citation.checkpoint)
    return verdicts


def _note_seen(checkpoint: Checkpoint) -> None:
    """Note a cited checkpoint as seen from its node (`replication.do_note_cited_checkpoint`)."""
    # Here, not at the top: actions.replication imports the write path, which imports this.
    from .replication import do_note_cited_checkpoint

    do_note_cited_checkpoint(checkpoint)


def _held_here(citation: Citation, held: HeldRecords) -> HeldCopy | None:
    """This node's copy of the cited record, with how far its rules are known to hold: as far as its
    cached replayed state reaches (to the entry that breaks one, for a state stuck there), else as far
    as this node's last verification of the record, still matching its rows, replayed them; else not
    at all (the citation is then checked against the copy, not through the rules).

    Rows stored through the write or import path had their rules replayed then, but a node's own
    sealed rows may break a rule since (a rule changed with the code, a clock set back): only replay
    tells, so nothing is claimed that this node did not replay."""
    found = replayed.get(citation.log)
    if found is None:
        return held.copy_for(citation, replayed=held.rules_verified(citation.log))
    broken = found.broken if found.stuck is not None else None
    done = None if found.stuck is not None else found.seq
    return held.copy_for(citation, broken=broken, sealer_now=found.state.node, replayed=done)


@dataclass(frozen=True, slots=True)
class CitationsReport:
    """How the citations a record's acts carry checked out here: how many, how far each was checked
    ("proof", "record", "rules"), and the refusals as (seq of the citing entry, index, code)."""

    acts: int = 0
    checked: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[int, int, str]] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)


def do_check_record_citations(log: str) -> CitationsReport:
    """Check every citation the acts of record `log` carry against this node's copies of the cited
    records, keeping the evidence of any fork or rollback (a follower's check, over the whole record)."""
    record = reads.get_record(log)
    citing = [t for t, kind in ACT_KINDS.items() if kind.cites_in]
    rows = models.Entry.objects.filter(record=record, type__in=citing).order_by("seq")
    headers = [bytes(raw) for raw in rows.values_list("header", flat=True)]
    # The citing acts' bodies in a few queries, not one an act (a row altered since is not read).
    bodies = reads.bodies_for(record, (parse_entry(raw) for raw in headers))
    return do_check_citations_of(headers, bodies.get, note=True)


def do_check_citations_of(
    headers: Iterable[bytes], body_of: Callable[[tuple[str, str]], Body | None], *, note: bool = False
) -> CitationsReport:
    """Check the citations of the acts among `headers` (exact header bytes of one record, its bodies
    found by `body_of`) against this node's copies of the cited records: a record this node holds
    (`do_check_record_citations`) or one read from a file (`ayllu verify --file`, `ayllu import`).
    With `note` (a record held here), the checkpoint of each citation that holds is noted as seen."""
    checked: Counter[str] = Counter()
    refused: list[tuple[int, int, str]] = []
    unreadable: list[int] = []
    acts = 0
    held = HeldRecords()
    for raw in headers:
        entry = parse_entry(raw)
        kind = ACT_KINDS.get(entry.type)
        if kind is None or not kind.cites_in:
            continue
        acts += 1
        try:
            act = read_act(kind, entry, body_for_replay(entry.act, body_of))
            citations = None if act is None else act.citations(seq=entry.seq)
        except DomainError:
            citations = None
        if citations is None:  # its body is not held here, or does not read: not checked, and said so
            unreadable.append(entry.seq)
            continue
        for index, citation in enumerate(citations):
            try:
                checked[do_check_citation(citation, held=_held_here(citation, held)).checked] += 1
            except CitationError as exc:
                refused.append((entry.seq, index, exc.code))
            else:
                if note:
                    _note_seen(citation.checkpoint)
    return CitationsReport(acts, checked, refused, unreadable)


class CitationChecker:
    """Checks the citations a verification walk hands over (`core.ledger.verify`'s `cited`) against
    this node's copies of the cited records, in one pass (`HeldRecords`) for the whole record.

    It counts how far each held and notes each refusal, or, with `refuse` (an import), raises the
    first, which stops the walk at the citing entry. Within `vouching()`, a cited header or checkpoint
    that is byte for byte one this node stores is not checked again (`HeldRecords.stores`, `keeps`).
    """

    def __init__(self, *, refuse: bool = False) -> None:
        self.held = HeldRecords()
        self.refuse = refuse
        self.acts = 0
        self.checked: Counter[str] = Counter()
        self.refused: list[tuple[int, int, str]] = []

    def __call__(self, entry: Entry, citations: tuple[Citation, ...]) -> None:
        self.acts += 1
        for index, citation in enumerate(citations):
            try:
                self.checked[do_check_citation(citation, held=_held_here(citation, self.held)).checked] += 1
            except CitationError as exc:
                if self.refuse:
                    exc.detail.setdefault("citation", index)
                    raise
                self.refused.append((entry.seq, index, exc.code))
            else:
                if self.refuse:  # an import keeps the record: what its citations proved is known here
                    _note_seen(citation.checkpoint)

    def expect(self, bodies: Iterable[object]) -> None:
        """Read ahead what the citations in `bodies` (the citing record's, before its walk) will need of
        the records they cite, in a few statements for all of them (`HeldRecords.expect`). A hint: a
        body that does not read is skipped here, and the walk reads and checks every one as before."""
        self.held.expect(_cited_in(bodies))

    @contextmanager
    def vouching(self) -> Iterator[None]:
        """A scope in which cited headers and checkpoints this node stores are not checked again."""
        with vouched_by(self.held):
            yield

    def report(self) -> CitationsReport:
        """What was checked so far."""
        return CitationsReport(self.acts, self.checked, self.refused, [])


_CITES = frozenset(kind.cites_in for kind in ACT_KINDS.values() if kind.cites_in)
_SIZE = re.compile(r'"size":(\d{1,16})[,}]')


def _cited_in(bodies: Iterable[object]) -> Iterator[tuple[str, int, int]]:
    """(log, seq, checkpoint size) of each citation found in `bodies` that looks like one."""
    for body in bodies:
        if not isinstance(body, Body) or not any(f'"{name}":['.encode() in body.raw for name in _CITES):
            continue
        try:
            content = body.content()
        except DomainError:
            continue
        for name in _CITES:
            items = content.get(name)
            for item in items if isinstance(items, list) else ():
                if not isinstance(item, dict):
                    continue
                log, seq, checkpoint = item.get("log"), item.get("seq"), item.get("checkpoint")
                size = _SIZE.search(checkpoint) if isinstance(checkpoint, str) else None
                if isinstance(log, str) and type(seq) is int and size is not None:
                    yield log, seq, int(size.group(1))
