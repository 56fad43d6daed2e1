"""A federation's offices by turn and overflow petitions through the API (docs/federation-bodies.md).

The acts (an office credential and a petition backing at home; citing either into the federation) are
typed endpoints of the catalogue (acts.ROUTES). This read is computed from the replayed federation
record: ids, keys, seqs and times, no words of any act.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Schema

from ayllu.core.federations.errors import NotAFederation
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.storage import clock

from .errors import ERROR_STATUSES, ErrorOut
from .federations import At
from .router import router
from .schemas import Log


class HolderOut(Schema):
    key: str
    since: int
    until: int
    seq: int
    holds: bool
    suspended: int
    suspended_by: int
    credential_log: str
    credential_seq: int


class TermOut(Schema):
    office: str
    assembly: str
    start: int
    end: int
    outcome: str
    runs: bool
    holder: str
    holders: list[HolderOut]


class TurnOut(Schema):
    assembly: str
    start: int
    end: int
    outcome: str


class OfficeOut(Schema):
    office: str
    term_ms: int
    burden: int
    current: TermOut | None
    next: list[TurnOut]
    past: list[TermOut]


class PetitionOut(Schema):
    question: str
    action: str
    target: str
    opened_seq: int
    backers: list[str]
    needs: int
    completed_seq: int
    completed_time: int
    expires: int
    fields: dict[str, Any]


class PlenaryOut(Schema):
    seq: int
    time: int
    starts: int


class PostponedOut(Schema):
    seq: int
    time: int
    moved_from: int


class SittingOut(Schema):
    meeting: int
    starts: int
    sitting: int
    quorum: str
    needs: int
    present: list[str]
    opened_seq: int
    opened_time: int
    closed_seq: int
    wait_until: int
    postponed: list[PostponedOut]


class RecallVoteOut(Schema):
    recall: int
    office: str
    holder: str
    deadline: int
    closes_after: int
    eligible: int
    confirm: list[str]
    lift: list[str]
    open: bool
    closed_seq: int
    closed_time: int
    outcome: str


class WithdrawnOut(Schema):
    resolution: int
    seq: int


class FederationOfficesOut(Schema):
    offices: list[OfficeOut]
    offices_per_assembly: int
    petition_assemblies: int
    petitions: list[PetitionOut]
    plenaries: list[PlenaryOut]
    sittings: list[SittingOut]
    recall_votes: list[RecallVoteOut]
    withdrawn: list[WithdrawnOut]
    concentration: dict[str, Any]


@router.get(
    "/assemblies/{log}/federation/offices",
    response={200: FederationOfficesOut, **dict.fromkeys(ERROR_STATUSES, ErrorOut)},
    tags=["federations"],
)
def read_federation_offices(request: HttpRequest, log: Path[Log], at: Query[At] = None) -> dict[str, Any]:
    """A federation's offices (the running term, whose turn is next, past terms), its overflow petitions
    and what they brought about, and office terms per member assembly and per person (with the
    federations below it that this node holds), at `at` (default: the node's clock);
    `not_a_federation` for an assembly's record."""
    found = get_federation_offices(log, now=clock.now_ms() if at is None else at)
    if found is None:
        raise NotAFederation()
    return found
