"""A federation's offices by turn and overflow petitions through the API (docs/federation-bodies.md).

The acts (an office credential and a petition backing at home; citing either into the federation) are
typed endpoints of the catalogue (acts.ROUTES). This read is computed from the replayed federation
record: ids, keys, seqs and times, no words of any act; its schema is the query's read model.
"""

from django.http import HttpRequest
from ninja import Path, Query

from ayllu.core.federations.errors import NotAFederation
from ayllu.queries.federation_offices import FederationOfficesRead, get_federation_offices
from ayllu.storage import clock

from .errors import ERROR_STATUSES, ErrorOut
from .federations import At
from .router import router
from .schemas import Log


@router.get(
    "/assemblies/{log}/federation/offices",
    response={200: FederationOfficesRead, **dict.fromkeys(ERROR_STATUSES, ErrorOut)},
    tags=["federations"],
)
def read_federation_offices(
    request: HttpRequest, log: Path[Log], at: Query[At] = None
) -> FederationOfficesRead:
    """A federation's offices (the running term, whose turn is next, past terms), its overflow petitions
    and what they brought about, and office terms per member assembly and per person (with the
    federations below it that this node holds), at `at` (default: the node's clock);
    `not_a_federation` for an assembly's record."""
    found = get_federation_offices(log, now=clock.now_ms() if at is None else at)
    if found is None:
        raise NotAFederation()
    return found
