"""A federation's home: its member assemblies and the delegates each has seated (docs/federation-bodies.md).

Its forms are a delegate's: taking a seat on a credential their home assembly issued, and on each
open question, the vote their assembly's mandate allows, as a whole body the core would accept now,
signed in the browser with the device key kept for the delegate's home assembly (the form's
`data-key-log`; docs/device-key.md), not for the federation.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.messages import message_for
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.queries.federation_plenaries import get_plenaries_page
from ayllu.queries.federation_votes import list_delegation_forms, list_recall_forms, list_seat_forms
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
    questions = list_delegation_forms(log, now=context["now"])
    seats = list_seat_forms(log, now=context["now"])
    recalls = list_recall_forms(log, now=context["now"])
    plenaries = get_plenaries_page(log, now=context["now"])
    if seats or recalls or plenaries["forms"] or any(q["votes"] for q in questions):
        get_token(request)  # the forms' script sends Django's CSRF token from its cookie
    context.update(
        section="federation",
        federation=page,
        offices=offices,
        questions=questions,
        seat_forms=seats,
        recall_forms=recalls,
        plenaries=plenaries,
    )
    return render(request, "web/assembly/federation.html", context)
