"""Meetings: the list, one meeting (agenda, presence, the live view), its live fragment and its minutes,
and the minute book (a PDF of the minutes of every meeting, or of one).

The live view (quorum, the floor, the speakers' queue in progressive-stack order, points of order and
the running tallies of open questions) is a fragment the page asks for again every few seconds with
htmx (`hx-trigger="every 3s"`); without JavaScript the page shows it as it was when loaded.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from ayllu import effect_words
from ayllu.core.errors import DomainError
from ayllu.minute_book import CONTENT_TYPE, book_etag, get_minute_book
from ayllu.queries import assembly as q
from ayllu.queries import meetings as meeting_acts
from ayllu.queries import pages
from ayllu.queries.federation_plenaries import get_plenary_forms
from ayllu.queries.plenary_chair import get_plenary_chair
from ayllu.queries.replayed import one_head

from . import page_cache
from .errors import message_for
from .reader import erasable_for, for_reader
from .views_assembly import Away, assembly_context, not_found, signing_key

LIVE_POLL_SECONDS = 3


def _meeting(log: str, meeting_id: int) -> q.MeetingRead:
    try:
        return q.get_meeting(log, meeting_id)
    except DomainError as error:
        raise not_found(error) from None


def _meeting_acts(context: dict[str, Any], meeting_id: int, *, key: str) -> meeting_acts.MeetingActs:
    """What the core would accept from this page's reader, signing with `key`, now in the meeting."""
    return meeting_acts.get_meeting_acts(context["log"], meeting_id, key=key, now=context["now"])


def _key_log(context: dict[str, Any]) -> str:
    """The home whose device key signs a delegate's acts on a federation's page ("": the page's own)."""
    delegate: Away | None = context["away"]
    return delegate.log if delegate is not None else ""


def _live_context(request: HttpRequest, log: str, meeting_id: int) -> dict[str, Any]:
    context = assembly_context(request, log)
    meeting, business, agenda_proposals = for_reader(
        (
            _meeting(log, meeting_id),
            pages.get_meeting_business(log, meeting_id),
            pages.list_agenda_proposals(log),
        ),
        context["hidden"],
    )
    # In a federation's meeting a delegate logged in at home takes the floor, the agenda and, as chair,
    # closing with the key this device keeps for that home (data-key-log, decision 0030).
    delegate: Away | None = context["away"]
    me = context["me"] or (delegate.key if delegate is not None else "")
    context.update(
        meeting=meeting,
        proposals=business.proposals,
        open_questions=business.open_questions,
        # Whether to offer each form is the core's answer; presence and the queue are only shown.
        acts=_meeting_acts(context, meeting_id, key=signing_key(context)),
        key_log=_key_log(context),
        is_present=bool(me) and me in meeting.present,
        in_queue=bool(me) and me in meeting.queue,
        poll_seconds=LIVE_POLL_SECONDS,
        agenda_proposals=agenda_proposals,
        section="meetings",
        # a federation plenary's chair and its delegates' forms (decision 0030); None for other meetings
        plenary_chair=get_plenary_chair(log, meeting_id, now=context["now"]),
        # its sitting's presence and opening, as the federation page offers them (decision 0028)
        plenary_sitting=get_plenary_forms(log, meeting_id, now=context["now"]),
    )
    # a delegate logged in at home sees their own forms, signed with the key this device keeps for that
    # home; anyone else (an outsider, a reader logged in here) sees none
    home, key = (delegate.log, delegate.key) if delegate is not None else ("", "")
    for name in ("plenary_chair", "plenary_sitting"):
        if context[name] is not None:
            context[name] = context[name].of_home(home=home, key=key)
    chair, sitting = context["plenary_chair"], context["plenary_sitting"]
    if (chair is not None and chair.forms) or (
        sitting is not None and (sitting.presence or sitting.open_body)
    ):
        get_token(request)  # the forms' script sends Django's CSRF token from its cookie
    return context


@require_GET
@one_head()
@page_cache.conditional_page("meetings")
def meetings(request: HttpRequest, log: str) -> HttpResponse:
    """Every meeting, open ones first; the convenor's form to convene one."""
    context = assembly_context(request, log)
    listed = sorted(q.list_meetings(log), key=lambda m: (not m.open, -m.starts, -m.id))
    context.update(
        section="meetings",
        meetings=for_reader(listed, context["hidden"]),
        petitions=for_reader(pages.list_petitions(log), context["hidden"]),
        petition_signatures=pages.get_counts_needed(log)["petition"],
        # in a federation, a delegate logged in at home signs with the key this device keeps for that home
        acts=meeting_acts.get_meetings_acts(log, key=signing_key(context), now=context["now"]),
        key_log=_key_log(context),
    )
    return render(request, "web/assembly/meetings.html", context)


def _meeting_page(name: str, template: str, doc: str) -> Callable[..., HttpResponse]:
    """A page of one meeting named `name` (its cache key), rendering the live context with `template`."""

    @require_GET
    @one_head()
    @page_cache.conditional_page(name)
    def view(request: HttpRequest, log: str, meeting_id: int) -> HttpResponse:
        return render(request, template, _live_context(request, log, meeting_id))

    view.__name__ = view.__qualname__ = name
    view.__doc__ = doc
    return view


meeting = _meeting_page(
    "meeting",
    "web/assembly/meeting.html",
    "One meeting: agenda, the live view, and the forms a member present (or the chair) may use.",
)
meeting_live = _meeting_page(
    "meeting_live",
    "web/assembly/includes/live.html",
    "The live part of a meeting page alone, for htmx to swap in every few seconds.",
)


@require_GET
@one_head()
@page_cache.conditional_page("minutes")
def minutes(request: HttpRequest, log: str, meeting_id: int) -> HttpResponse:
    """The minutes, generated from the record; the minute-keeper's notes signed as theirs."""
    context = assembly_context(request, log)
    try:
        read: q.MinutesRead = for_reader(q.get_meeting_minutes(log, meeting_id), context["hidden"])
    except DomainError as error:
        raise not_found(error) from None
    context["minutes"] = read
    # What each proposal changes if it passes, in the same words as its page and its ballot.
    context["effect_words"] = effect_words.proposals_in_words(
        log, [(p.id, p.matter) for p in read.proposals], context
    )
    context["meeting"] = for_reader(_meeting(log, meeting_id), context["hidden"])
    # in a federation, its minute-keeper (a delegate given the cargo) logged in at home adds notes
    # signed with the key this device keeps for that home, as on the meeting page
    context["acts"] = _meeting_acts(context, meeting_id, key=signing_key(context))
    context["key_log"] = _key_log(context)
    context["section"] = "meetings"
    context["erasable"] = frozenset()
    if context["me"]:  # the entries whose words a member may propose erasing (the record page's link)
        seqs = [p.id for p in read.proposals] + [o.id for p in read.proposals for o in p.objections]
        context["erasable"] = erasable_for(
            request, log, seqs + [n.seq for n in read.notes], now=context["now"]
        )
    return render(request, "web/assembly/minutes.html", context)


def _book_reader(request: HttpRequest, log: str) -> tuple[bool, str]:
    """The reader class of a minute book (a logged-in member of this assembly, or anyone else, as every
    page decides it: `assembly_context`) and the address its QR codes point to (this node's)."""
    context = assembly_context(request, log, act_forms=False)
    return bool(context["me"]), f"{request.scheme}://{request.get_host()}"


def _book_etag(request: HttpRequest, log: str, meeting_id: int | None = None) -> str | None:
    try:
        members, address = _book_reader(request, log)
        language = translation.get_language()
        return book_etag(log, language=language, members=members, address=address, meeting=meeting_id)
    except Http404:
        return None


@require_GET
@condition(etag_func=_book_etag)
def minute_book(request: HttpRequest, log: str, meeting_id: int | None = None) -> HttpResponse:
    """The minute book as a PDF: every meeting, or one; the words this reader may read, in the page's
    language. The same bytes for the same head, language, reader class and node address."""
    members, address = _book_reader(request, log)
    language = translation.get_language()
    try:
        pdf = get_minute_book(log, language=language, members=members, address=address, meeting=meeting_id)[1]
    except DomainError as error:
        # Said on the page, not only in the status: a printed link to a meeting that is not there.
        return render(request, "404.html", {"message": message_for(error.code, error.detail)}, status=404)
    response = HttpResponse(pdf, content_type=CONTENT_TYPE)
    name = f"{_('minute-book')}-{log[:12]}" + ("" if meeting_id is None else f"-{meeting_id}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Content-Language"] = language
    # A members' copy holds members' words: for this reader only. A public one changes as the record grows.
    response["Cache-Control"] = "private, no-cache" if members else "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response
