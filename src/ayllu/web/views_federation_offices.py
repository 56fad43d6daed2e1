"""A home assembly's federation offices and petitions (docs/federation-bodies.md).

For each federation this node holds whose member the assembly is: the offices and whose turn each is
(ours marked), the form to issue an office credential for the holder of the home cargo that serves it,
the petitions open in the federation (with the form that proposes the assembly back one, as a mandate
decision), the form that states a petition decision once the assembly took it, and, for each such home
entry not yet cited in the federation, the form that cites it there. That last form is signed with this
assembly's device key (`data-key-log`) and posted to the federation's record, which this node holds:
citing an entry into a federation is anyone's act, and the browser keeps its keys per assembly.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.queries.federation_offices import (
    HomeFederationOfficesRead,
    get_home_federation_offices,
    get_member_names,
)
from ayllu.queries.replayed import one_head

from .views_cargos import cargo_context


@require_GET
@one_head()
def federation_offices(request: HttpRequest, log: str) -> HttpResponse:
    """Our federations' offices by turn and overflow petitions, and what this reader may do about them."""
    context = cargo_context(request, log, "federation_offices")
    now, key = context["now"], context["login"].key if context["login"] else ""
    # The forms cite entries the node sealing the record signed a checkpoint for as it appended them.
    federations = get_home_federation_offices(log, key=key, now=now)
    context.update(federations=federations, names=_all_names(federations))
    return render(request, "web/cargos/federation_offices.html", context)


def _all_names(federations: list[HomeFederationOfficesRead]) -> dict[str, str]:
    names: dict[str, str] = {}
    for federation in federations:
        names |= get_member_names(federation.log)
    return names
