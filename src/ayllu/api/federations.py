"""Federations through the API: a federation's member assemblies and their delegates' seats.

The acts (a home delegate's credential, a seat in the federation) are typed endpoints of the catalogue
(acts.ROUTES: `…/credentials`, `…/seats`). The read is computed from the replayed federation record and
holds no words of any act but its resolutions' titles (their proposals' words, shown as the federation's
record shows them to the reader): ids, keys, seqs and times, and each member assembly's name where this
node holds its record (docs/federation-bodies.md).
"""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Schema
from pydantic import Field

from ayllu.core.federations.errors import NotAFederation
from ayllu.queries.federations import get_federation
from ayllu.storage import clock

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import MAX_SAFE_INT, Log
from .visibility import get_hidden, shown

At = Annotated[int | None, Field(None, ge=0, le=MAX_SAFE_INT, description="the moment asked about, ms")]


class SeatOut(Schema):
    key: str
    seq: int
    time: int
    until: int
    ended: int
    ended_by: int
    stands: bool
    credential_log: str
    credential_seq: int


class MemberAssemblyOut(Schema):
    assembly: str
    name: str
    held: bool
    founding: bool
    seq: int
    standing: int
    seats: list[SeatOut]


class RatificationAnswerOut(Schema):
    assembly: str
    name: str
    answer: str
    households: int
    weight: int
    seq: int
    time: int
    cited_seq: int


class ResolutionOut(Schema):
    resolution: int = Field(description="the id of the proposal that adopted it")
    title: str | None = Field(description="its proposal's title; null when the reader may not read it")
    members_only: bool = Field(description="whether the title was withheld from this reader")
    seq: int
    time: int
    rule: str = Field(description="assemblies, households_capped or double_majority")
    share: str = Field(description='the share it needs, exact ("num/den")')
    households_share: str = Field(description="double_majority: the share of households that answered")
    cap: int = Field(description="households_capped: the most households one assembly weighs")
    blocking: int = Field(description="double_majority: the fewest refusing assemblies that block it")
    deadline: int
    outcome: str = Field(description="pending, ratified, rejected or expired")
    members: int
    yes: int
    no: int
    yes_weight: int
    no_weight: int
    base: int = Field(description="the weight the share is taken of")
    reached: str = Field(description='yes_weight / base, exact ("num/den")')
    answers: list[RatificationAnswerOut]
    waiting: list[str]


class RatificationRulesOut(Schema):
    rule: str
    share: str
    cap: int
    households_share: str
    blocking: int


class RecallOut(Schema):
    assembly: str = Field(description="the member assembly that recalled its delegate")
    name: str
    key: str = Field(description="the recalled delegate's key")
    credential_seq: int = Field(description="the seat's credential, an entry of the assembly's record")
    at: int = Field(description="from when the recall counts, ms")
    seq: int = Field(description="the federation's entry that cited the recall")


class FederationOut(Schema):
    delegates_per_assembly: int
    joining: str
    ratification: RatificationRulesOut
    assemblies: list[MemberAssemblyOut]
    resolutions: list[ResolutionOut]
    recalls: list[RecallOut]


@router.get(
    "/assemblies/{log}/federation",
    response={200: FederationOut, **dict.fromkeys(ERROR_STATUSES, ErrorOut)},
    tags=["federations"],
)
def read_federation(request: HttpRequest, log: Path[Log], at: Query[At] = None) -> dict[str, Any]:
    """A federation's member assemblies and their delegates' seats, standing or not at `at` (default:
    the node's clock), and its resolutions with their ratification so far; `not_a_federation` for an
    assembly's record."""
    found = get_federation(log, now=clock.now_ms() if at is None else at)
    if found is None:
        raise NotAFederation()
    shown_found: dict[str, Any] = shown(found, get_hidden(request, log))
    return shown_found
