"""A federation's home: its member assemblies and the delegates each has seated (docs/federation-bodies.md).

Its forms are a delegate's: taking a seat on a credential their home assembly issued, and on each
open question, the vote their assembly's mandate allows, as a whole body the core would accept now;
and a seated delegate's acts as the federation's member (tabling a proposal, closing a question),
signed in the browser with the device key kept for the delegate's home assembly (the form's
`data-key-log`; docs/device-key.md), not for the federation.

The member list is paged (`MEMBERS_PER_PAGE` a page, `?p=` as the node's front page): a city's
federation of hundreds of councils stays one phone screen's scroll a page, and the page's first view
renders that many cards, not every member's. Each card is kept as a fragment in Django's cache
(`fragments`) under a digest of everything it shows, so a page rendered again after a write that left a
member's card alone does not render that card again.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import condition, require_GET

from ayllu.messages import message_for
from ayllu.queries.federation_members import list_member_forms, list_membership_forms, list_office_up_forms
from ayllu.queries.federation_offices import get_federation_offices, get_member_names
from ayllu.queries.federation_plenaries import get_plenaries_page
from ayllu.queries.federation_votes import list_delegation_forms, list_recall_forms, list_seat_forms
from ayllu.queries.federations import (
    DelegateRead,
    MemberAssemblyRead,
    RatificationAnswerRead,
    get_federation,
    get_resolution_answers,
    list_delegates,
)
from ayllu.queries.pages import Person
from ayllu.queries.replayed import one_head
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

from . import page_cache
from .reader import for_reader
from .views_assembly import Away, assembly_context

T = TypeVar("T")
MEMBERS_PER_PAGE = 12
# a resolution's answers the federation's home lists; past that many it counts them and links to the
# resolution's own page, which lists them `ANSWERS_PER_PAGE` a page
ANSWERS_ON_HOME = 12
ANSWERS_PER_PAGE = 50
# how long a member's card is kept (s): its key names what it shows, so any time is right; this bounds
# what a process keeps of cards no page shows any more
CARD_SECONDS = 3600


def _federation_etag(request: HttpRequest, log: str) -> str | None:
    return page_cache.etag(request, view="federation", log=log, now=clock.now_ms())


@require_GET
@one_head()
@condition(etag_func=_federation_etag)
def federation(request: HttpRequest, log: str) -> HttpResponse:
    """The federation's member assemblies, which founded it or when each joined, and their delegates.

    Served with conditional GET (page_cache): its key names the federation's head and, for every record
    it reads besides (its member assemblies', the reader's home), the head and the latest checkpoint; an
    outsider's page is rendered once for every outsider, a delegate's once for them. Reading it writes
    nothing: the checkpoints its forms cite are signed with the writes that need them
    (actions/record/append.py).
    """
    try:
        key = page_cache.page_key(request, view="federation", log=log, now=clock.now_ms())
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    # a delegate's page (their forms, their assembly first) is kept for them too: it costs tens of
    # milliseconds to render, a few to send again
    return page_cache.serve(request, key, render=lambda: _render(request, log, now=key.now), readers=True)


def _render(request: HttpRequest, log: str, *, now: int) -> HttpResponse:
    context = assembly_context(request, log, now=now, act_forms=False)
    page = get_federation(log, now=now)
    if page is None:
        raise Http404(message_for("not_a_federation", {}))
    offices = get_federation_offices(log, now=now)
    questions = list_delegation_forms(log, now=now)
    home: Away | None = context["away"]
    mine, key = (home.log, home.key) if home is not None else ("", "")
    # a delegate logged in at home finds their own assembly first, on the first page
    members, pages = _page_of(request, _ours_first(page.assemblies, home=mine), per_page=MEMBERS_PER_PAGE)
    page = replace(page, assemblies=members)  # the rest of the list is on its other pages
    plenaries = get_plenaries_page(log, now=now)
    # A member assembly's forms are signed with the key this device keeps for it (data-key-log, decision
    # 0029): they are offered only to a browser logged in at that assembly, a delegate's own; anyone else
    # (an outsider, a reader logged in here or at another record) is offered none of them, and their
    # citations (most of the page's cost) are not worked out for them.
    seats, recalls, member_forms, up_forms = [], [], [], []
    if home is not None:
        seats = [c for c in list_seat_forms(log, now=now) if (c.assembly, c.key) == (mine, key)]
        recalls = [r for r in list_recall_forms(log, now=now) if r.assembly == mine]
        member_forms = [f for f in list_member_forms(log, now=now) if (f.assembly, f.key) == (mine, key)]
        up_forms = [f for f in list_office_up_forms(log, now=now) if (f.home, f.key) == (mine, key)]
    plenaries = plenaries.of_home(home=mine, key=key)
    questions = [q.of_home(home=mine, key=key) if home is not None else q.without_votes() for q in questions]
    # a delegate logged in at home is told at the top what waits for them further down the page
    votes = any(q.votes for q in questions)
    todo = "" if home is None else "seat" if seats else "vote" if votes else ""
    membership = list_membership_forms(log, home=mine, key=key, now=now) if home is not None else []
    delegates = list_delegates(log)
    if seats or recalls or member_forms or membership or up_forms or votes or plenaries.forms:
        get_token(request)  # the forms' script sends Django's CSRF token from its cookie
    shown, people = for_reader(page, context["hidden"]), context["people"]
    terms = offices.concentration.assemblies if offices is not None else ()
    served = [a for a in terms if a.terms]
    context.update(
        section="federation",
        federation=shown,
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
        delegates=delegates,
        office_names=get_member_names(log),
        # the home names the member assemblies that held an office; a federation of hundreds counts the
        # rest in one line, and the concentration page lists every member's terms
        office_holders=served,
        offices_unserved=len(terms) - len(served),
        member_cards=[
            (a, _card_key(a, delegates, people, context["me"], ours=mine)) for a in shown.assemblies
        ],
        card_seconds=CARD_SECONDS,
        members_page=pages[0],
        members_pages=pages[1],
        answers_on_home=ANSWERS_ON_HOME,
    )
    return render(request, "web/assembly/federation.html", context)


def _page_of(
    request: HttpRequest, items: tuple[T, ...], *, per_page: int
) -> tuple[tuple[T, ...], tuple[int, int]]:
    """The items on the page asked for (`?p=`, from 1; past the last: the last) and (that page, how
    many pages)."""
    raw = request.GET.get("p", "1")
    count = max(1, -(-len(items) // per_page))
    number = min(max(int(raw), 1), count) if raw.isdigit() else 1
    start = (number - 1) * per_page
    return items[start : start + per_page], (number, count)


def _resolution_etag(request: HttpRequest, log: str, resolution: int) -> str | None:
    return page_cache.etag(request, view="federation_resolution", log=log, now=clock.now_ms())


@require_GET
@one_head()
@condition(etag_func=_resolution_etag)
def resolution(request: HttpRequest, log: str, resolution: int) -> HttpResponse:
    """One resolution of the federation: its tally, and every member assembly's answer (or that the
    federation still waits for it), `ANSWERS_PER_PAGE` a page: the federation's home counts them."""
    try:
        key = page_cache.page_key(request, view="federation_resolution", log=log, now=clock.now_ms())
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    return page_cache.serve(
        request, key, render=lambda: _render_resolution(request, log, resolution, now=key.now)
    )


def _render_resolution(request: HttpRequest, log: str, number: int, *, now: int) -> HttpResponse:
    context = assembly_context(request, log, now=now, act_forms=False)
    found = get_resolution_answers(log, number, now=now)
    if found is None:
        raise Http404(message_for("unknown_resolution", {"resolution": number}))
    read = for_reader(found, context["hidden"])
    rows: tuple[RatificationAnswerRead, ...] = (*read.resolution.answers, *read.waiting)
    shown, (page, pages) = _page_of(request, rows, per_page=ANSWERS_PER_PAGE)
    context.update(
        section="federation",
        r=read.resolution,
        waiting=len(read.waiting),
        rows=shown,
        answers_page=page,
        answers_pages=pages,
    )
    return render(request, "web/assembly/federation_resolution.html", context)


def _ours_first(members: tuple[MemberAssemblyRead, ...], *, home: str) -> tuple[MemberAssemblyRead, ...]:
    """The member assemblies with `home` (a delegate's own, logged in there) first, the rest in order."""
    ours = tuple(a for a in members if a.assembly == home)
    return (*ours, *(a for a in members if a.assembly != home)) if ours else members


def _card_key(
    a: MemberAssemblyRead,
    delegates: Mapping[str, DelegateRead],
    people: Mapping[str, Person],
    me: str,
    *,
    ours: str,
) -> str:
    """A digest of everything a member's card shows: the member as the reader reads it, how each of its
    seats' delegates is named, the reader, whether it is the reader's own assembly (`ours`: the home a
    delegate is logged in at), the language (its words and URLs) and the time zone."""
    keys = [s.key for s in a.seats]
    shown = (
        a,
        [delegates.get(k) for k in keys],
        [people.get(k) for k in keys],
        me,
        a.assembly == ours,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
