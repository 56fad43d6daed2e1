"""Citations of an entry of a record this node holds (docs/record-format.md 14), for another record's act.

A node that seals the record signs a checkpoint of its head first, so the citation is against the
latest state; a mirror answers with the sealer's latest checkpoint it kept. What a citation carries is
the entry's exact header, already public wherever the record is (as `/fed/` serves it): no words.

`POST /api/citations/check` checks a citation against this node's copy of the cited record and says how
far it was checked (by proof only, against this node's copy, through the cited assembly's rules); a
refusal is the coded error, with the id of the evidence kept when the check yielded some.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Schema

from ayllu.actions.citations import do_check_citation
from ayllu.actions.record import do_refresh_checkpoint
from ayllu.core.ledger.citations import Citation, CitationVerdict, parse_citation, read_citation_text
from ayllu.queries.citations import get_citation, get_held_copy

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import Log, PathId

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)


class CitationOut(Schema):
    """The citation object of record-format.md 14.1; its canonical bytes are what an act embeds."""

    v: int
    log: str
    seq: int
    entry: str
    header: str
    checkpoint: str
    proof: list[str]


@router.get(
    "/assemblies/{log}/entries/{entry}/citation",
    response={200: CitationOut, **ERRORS},
    operation_id="get_citation",
    tags=["record"],
)
def citation(request: HttpRequest, log: Path[Log], entry: Path[PathId]) -> dict[str, Any]:
    """A citation of entry `entry` (its seq): its header, the latest checkpoint and the audit path."""
    do_refresh_checkpoint(log)
    return get_citation(log, seq=entry).as_json()


class CitationCheckIn(Schema):
    """A citation to check: the object GET .../citation answers, or the exact text `ayllu cite` writes."""

    citation: dict[str, Any] | str


def read_citation(value: dict[str, Any] | str) -> Citation:
    """A citation given as its JSON object, or as its text (canonical JSON; surrounding space ignored)."""
    return read_citation_text(value) if isinstance(value, str) else parse_citation(value)


@router.post(
    "/citations/check",
    response={200: CitationVerdict, **ERRORS},
    operation_id="check_citation",
    tags=["record"],
)
def check_citation(request: HttpRequest, payload: CitationCheckIn) -> CitationVerdict:
    """Check a citation against this node's copy of the cited record: how far it was checked (the
    verdict record-format.md 14.2 names, "What a checker reports"), or why not."""
    citation = read_citation(payload.citation)
    return do_check_citation(citation, held=get_held_copy(citation))
