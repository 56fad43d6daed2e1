"""A federation's home: its member assemblies and the delegates each has seated (docs/federation-bodies.md).

Its forms are a delegate's: taking a seat on a credential their home assembly issued, and on each
open question, the vote their assembly's mandate allows, as a whole body the core would accept now;
and a seated delegate's acts as the federation's member (tabling a proposal, closing a question),
signed in the browser with the device key kept for the delegate's home assembly (the form's
`data-key-log`; docs/device-key.md), not for the federation.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.messages import message_for
from ayllu.queries.federation_members import list_member_forms, list_membership_forms, list_office_up_forms
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.queries.federation_votes import list_delegation_forms, list_recall_forms, list_seat_forms
from ayllu.queries.federations import get_federation
from ayllu.queries.replayed import one_head

from . import auth
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
    member_forms = list_member_forms(log, now=context["now"])
    login = auth.current_login(request)
    membership = (
        list_membership_forms(log, home=login.log, key=login.key, now=context["now"])
        if login is not None
        else []
    )
    up_forms = list_office_up_forms(log, now=context["now"])
    if seats or recalls or member_forms or membership or up_forms or any(q["votes"] for q in questions):
        get_token(request)  # the forms' script sends Django's CSRF token from its cookie
    context.update(
        section="federation",
        federation=page,
        offices=offices,
        questions=questions,
        seat_forms=seats,
        recall_forms=recalls,
        member_forms=member_forms,
        membership_forms=membership,
        up_forms=up_forms,
        membership_home=login.log if login is not None else "",
    )
    return render(request, "web/assembly/federation.html", context)
