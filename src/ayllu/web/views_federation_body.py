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
from django.views.decorators.http import condition, require_GET

from ayllu.messages import message_for
from ayllu.queries.federation_members import list_member_forms, list_membership_forms, list_office_up_forms
from ayllu.queries.federation_offices import get_federation_offices, get_member_names
from ayllu.queries.federation_plenaries import get_plenaries_page
from ayllu.queries.federation_votes import list_delegation_forms, list_recall_forms, list_seat_forms
from ayllu.queries.federations import get_federation, list_delegates
from ayllu.queries.replayed import one_head
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

from . import auth, page_cache
from .reader import for_reader
from .views_assembly import assembly_context


def _federation_etag(request: HttpRequest, log: str) -> str | None:
    return page_cache.etag(request, view="federation", log=log, now=clock.now_ms())


@require_GET
@one_head()
@condition(etag_func=_federation_etag)
def federation(request: HttpRequest, log: str) -> HttpResponse:
    """The federation's member assemblies, which founded it or when each joined, and their delegates.

    Served with conditional GET (page_cache): its key names the federation's head and, for every record
    it reads besides (its member assemblies', the reader's home), the head and the latest checkpoint; an
    outsider's page is rendered once for every outsider. Reading it writes nothing: the checkpoints its
    forms cite are signed with the writes that need them (actions/record/append.py).
    """
    try:
        key = page_cache.page_key(request, view="federation", log=log, now=clock.now_ms())
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    return page_cache.serve(request, key, render=lambda: _render(request, log, now=key.now))


def _render(request: HttpRequest, log: str, *, now: int) -> HttpResponse:
    context = assembly_context(request, log, now=now, act_forms=False)
    page = get_federation(log, now=now)
    if page is None:
        raise Http404(message_for("not_a_federation", {}))
    offices = get_federation_offices(log, now=now)
    questions = list_delegation_forms(log, now=now)
    seats = list_seat_forms(log, now=now)
    recalls = list_recall_forms(log, now=now)
    home = auth.home_login(request, log=log)
    member_forms = list_member_forms(log, now=now)
    up_forms = list_office_up_forms(log, now=now)
    plenaries = get_plenaries_page(log, now=now)
    # A member assembly's forms are signed with the key this device keeps for it (data-key-log, decision
    # 0029): they are offered only to a browser logged in at that assembly, a delegate's own; anyone else
    # (an outsider, a reader logged in here or at another record) is offered none of them.
    mine, key = (home.log, home.key) if home is not None else ("", "")
    seats = [c for c in seats if (c.assembly, c.key) == (mine, key)]
    recalls = [r for r in recalls if r.assembly == mine]
    member_forms = [f for f in member_forms if (f.assembly, f.key) == (mine, key)]
    up_forms = [f for f in up_forms if (f.home, f.key) == (mine, key)]
    plenaries = plenaries.of_home(home=mine, key=key)
    questions = [q.of_home(home=mine, key=key) if home is not None else q.without_votes() for q in questions]
    # a delegate logged in at home is told at the top what waits for them further down the page
    votes = any(q.votes for q in questions)
    todo = "" if home is None else "seat" if seats else "vote" if votes else ""
    membership = list_membership_forms(log, home=mine, key=key, now=now) if home is not None else []
    if seats or recalls or member_forms or membership or up_forms or votes or plenaries.forms:
        get_token(request)  # the forms' script sends Django's CSRF token from its cookie
    context.update(
        section="federation",
        federation=for_reader(page, context["hidden"]),
        offices=offices,
        questions=questions,
        seat_forms=seats,
        recall_forms=recalls,
        delegate_todo=todo,
        delegate_home=mine,
        member_forms=member_forms,
        membership_forms=membership,
        up_forms=up_forms,
        membership_home=mine,
        plenaries=plenaries,
        delegates=list_delegates(log),
        office_names=get_member_names(log),
    )
    return render(request, "web/assembly/federation.html", context)
