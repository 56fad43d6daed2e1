"""A federation's home: its member assemblies and the delegates each has seated (docs/federation-bodies.md).

Read-only: the seats are taken through the API or `ayllu act take-seat` (decision 0018 says why the
browser's way to take one is not built yet).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.messages import message_for
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.queries.federations import get_federation
from ayllu.queries.replayed import one_head

from .views_assembly import assembly_context


@require_GET
@one_head()
def federation(request: HttpRequest, log: str) -> HttpResponse:
    """The federation's member assemblies, which founded it or when each joined, and their delegates."""
    context = assembly_context(request, log, act_forms=False)
    page = get_federation(log, now=context["now"])
    if page is None:
        raise Http404(message_for("not_a_federation", {}))
    offices = get_federation_offices(log, now=context["now"])
    context.update(section="federation", federation=page, offices=offices)
    return render(request, "web/assembly/federation.html", context)
