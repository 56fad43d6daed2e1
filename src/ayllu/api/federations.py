"""Federations through the API: a federation's member assemblies and their delegates' seats.

The acts (a home delegate's credential, a seat in the federation) are typed endpoints of the catalogue
(acts.ROUTES: `…/credentials`, `…/seats`). The read is computed from the replayed federation record and
holds no words of any act but its resolutions' titles (their proposals' words, shown as the federation's
record shows them to the reader): ids, keys, seqs and times, and each member assembly's name where this
node holds its record (docs/federation-bodies.md).
"""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query
from pydantic import Field

from ayllu.core.federations.errors import NotAFederation
from ayllu.queries.federations import FederationRead, get_federation
from ayllu.storage import clock

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import MAX_SAFE_INT, Log
from .visibility import get_hidden, shown

At = Annotated[int | None, Field(None, ge=0, le=MAX_SAFE_INT, description="the moment asked about, ms")]


@router.get(
    "/assemblies/{log}/federation",
    response={200: FederationRead, **dict.fromkeys(ERROR_STATUSES, ErrorOut)},
    tags=["federations"],
)
def read_federation(request: HttpRequest, log: Path[Log], at: Query[At] = None) -> FederationRead:
    """A federation's member assemblies and their delegates' seats, standing or not at `at` (default:
    the node's clock), and its resolutions with their ratification so far; `not_a_federation` for an
    assembly's record."""
    found = get_federation(log, now=clock.now_ms() if at is None else at)
    if found is None:
        raise NotAFederation()
    return shown(found, get_hidden(request, log))
