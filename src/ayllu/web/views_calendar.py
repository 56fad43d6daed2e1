"""Calendars a phone subscribes to (iCalendar, RFC 5545): the assembly's public one and each member's own.

The public calendar lists the meetings convened, the deadlines of questions whose proposal's title is
public, cargo terms and turns (a household's name only where it is public), and the deadlines the
federations the assembly belongs to set it (ratifications awaited, questions its delegate votes on),
with the federation's public words. A member's own calendar,
reached by an unguessable link they make and may revoke (`actions.calendar_links`), lists what concerns
their household: meetings, the deadlines of the questions they may vote on, their household's turns
and terms, and the federations' deadlines, with the words a member may read. The reads are
`queries.calendar`'s; words pass through `core.words.shown_to` for the feed's reader like on every page,
and withheld ones are left out.

Times are UTC (no VTIMEZONE needed); each event's UID is stable, so a calendar updates it in place.
Texts follow the URL's language prefix.
"""

from datetime import UTC, datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event

from ayllu.actions.calendar_links import do_make_calendar_link, do_revoke_calendar_link
from ayllu.assembly_words import word
from ayllu.core.assembly.words import shown_to
from ayllu.queries import assembly as q
from ayllu.queries import cargo_visibility, pages
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.calendar import (
    CalendarEvent,
    DeadlineEvent,
    FederationEvent,
    FederationVoteEvent,
    MeetingEvent,
    RatificationEvent,
    TermEvent,
    list_calendar_events,
)
from ayllu.queries.calendar_links import get_calendar_owner, get_calendar_token
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound
from ayllu.words import meeting_title

from .views_assembly import assembly_context, not_found

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Deadlines the public calendar lists only with their public title.
TITLED = ("deadline", "ratification", "federation_vote")


def _utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _summary(event: CalendarEvent, *, mine: bool) -> str:
    if isinstance(event, MeetingEvent):
        title = event.title
        return (
            _("Meeting: %(title)s") % {"title": meeting_title(title, plenary=event.plenary)}
            if title
            else _("Meeting of the assembly")
        )
    if isinstance(event, DeadlineEvent):
        title = event.title
        return _("Voting closes: %(title)s") % {"title": title} if title else _("Voting closes")
    if not isinstance(event, TermEvent):
        return _federation_summary(event)
    cargo = word("cargo", event.cargo)
    if mine:
        return _("Our household's term as %(cargo)s") % {"cargo": cargo}
    names = [h.household for h in event.households if h.household]
    if names:
        return _("Term as %(cargo)s: %(households)s") % {"cargo": cargo, "households": ", ".join(names)}
    return _("Term as %(cargo)s") % {"cargo": cargo}


def _federation_summary(event: FederationEvent) -> str:
    """A federation's deadline, naming the resolution or question and the federation where their words
    are public (each is "" otherwise)."""
    if isinstance(event, RatificationEvent):
        sentences = (
            _("Time to ratify ends: %(title)s (%(federation)s)"),
            _("Time to ratify ends: %(title)s"),
            _("Time to ratify a resolution of %(federation)s ends"),
            _("Time to ratify a federation's resolution ends"),
        )
    else:
        sentences = (
            _("Federation vote closes: %(title)s (%(federation)s)"),
            _("Federation vote closes: %(title)s"),
            _("A vote of %(federation)s closes"),
            _("A federation's vote closes"),
        )
    both, title_only, federation_only, neither = sentences
    words = {"title": event.title, "federation": event.federation}
    if event.title and event.federation:
        return both % words
    if event.title:
        return title_only % words
    if event.federation:
        return federation_only % words
    return neither


def _link(request: HttpRequest, log: str, event: CalendarEvent) -> str:
    if isinstance(event, MeetingEvent):
        return request.build_absolute_uri(reverse("web:meeting", kwargs={"log": log, "meeting_id": event.id}))
    if isinstance(event, DeadlineEvent):
        return request.build_absolute_uri(
            reverse("web:proposal", kwargs={"log": log, "proposal_id": event.proposal})
        )
    if isinstance(event, RatificationEvent):  # where the assembly's answer is taken up ("our federations")
        return request.build_absolute_uri(reverse("web:assembly", kwargs={"log": log})) + "#federations-title"
    if isinstance(event, FederationVoteEvent):  # where the assembly decides and states its delegate's mandate
        return request.build_absolute_uri(reverse("web:mandates", kwargs={"log": log}))
    return request.build_absolute_uri(reverse("web:cargos", kwargs={"log": log}))


def build_calendar(
    request: HttpRequest, log: str, events: list[CalendarEvent], *, name: str, mine: bool = False
) -> bytes:
    """The iCalendar document of `events` (already shown to the feed's reader)."""
    calendar = Calendar()
    calendar.add("prodid", "-//ayllu//calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    host = request.get_host().split(":")[0] or "ayllu"
    for found in events:
        event = Event()
        event.add("uid", f"{found.uid}.{log}@{host}")
        event.add("dtstamp", _utc(found.stamp))
        event.add("dtstart", _utc(found.start))
        if found.end > found.start:
            event.add("dtend", _utc(found.end))
        event.add("summary", _summary(found, mine=mine and isinstance(found, TermEvent)))
        event.add("url", _link(request, log, found))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _calendar_response(document: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(document, content_type=CONTENT_TYPE)
    # A member's calendar is theirs: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


def _assembly_name(log: str) -> str:
    try:
        return q.get_assembly(log).name
    except RecordNotFound as error:
        raise not_found(error) from None


def _shown(log: str, events: list[CalendarEvent], *, outsider: bool) -> list[CalendarEvent]:
    """`events` as their reader may read them: words through `shown_to`, households' names as on the
    cargo pages (withheld ones become None)."""
    members_only = pages.get_members_only(log)
    hidden = members_only.seqs if outsider else members_only.confidential
    people = pages.get_people(log, outsider=outsider)
    unnamed = [m for m, person in people.items() if not person.household]
    secret = cargo_visibility.secret_households(cargo_queries.get_households(log), unnamed)
    events = cargo_visibility.hide_households(shown_to(events, hidden), secret)
    return cargo_visibility.name_households(events, cargo_queries.get_household_names(log, hidden=hidden))


@require_GET
def assembly_calendar(request: HttpRequest, log: str) -> HttpResponse:
    """The assembly's public calendar: meetings, public questions' deadlines, cargo terms and turns."""
    name = _assembly_name(log)
    events = _shown(log, list_calendar_events(log, now=clock.now_ms()), outsider=True)
    # A deadline is listed only with its question's public words (a federation's: public in its record);
    # a meeting's existence is public.
    events = [e for e in events if e.kind not in TITLED or getattr(e, "title", None)]
    return _calendar_response(build_calendar(request, log, events, name=name), private=False)


@require_GET
def member_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A member's own calendar, by the token of their link; a revoked or unknown token is a 404."""
    owner = get_calendar_owner(token)
    if owner is None:
        raise Http404(_("This calendar link is not valid, or was revoked."))
    log, member = owner
    events = _shown(log, list_calendar_events(log, now=clock.now_ms(), member=member), outsider=False)
    name = _("%(assembly)s (mine)") % {"assembly": _assembly_name(log)}
    return _calendar_response(build_calendar(request, log, events, name=name, mine=True), private=True)


@require_http_methods(["GET", "POST"])
def calendar_links(request: HttpRequest, log: str) -> HttpResponse:
    """Subscribe to calendars: the assembly's public one, and (a logged-in member) their own private
    link, which they make, replace or revoke here (POST `do` = "make" or "revoke")."""
    context = assembly_context(request, log)
    me = context["me"]
    if request.method == "POST":
        if not me:
            return HttpResponseRedirect(reverse("web:login", kwargs={"log": log}))
        if request.POST.get("do") == "revoke":
            do_revoke_calendar_link(log, member=me)
        else:
            do_make_calendar_link(log, member=me)
        return HttpResponseRedirect(reverse("web:calendars", kwargs={"log": log}))
    token = get_calendar_token(log, member=me) if me else ""
    public = request.build_absolute_uri(reverse("web:assembly_calendar", kwargs={"log": log}))
    mine = (
        request.build_absolute_uri(reverse("web:member_calendar", kwargs={"token": token})) if token else ""
    )
    context.update(
        section="members",
        public_calendar=public,
        public_webcal=public.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        my_calendar=mine,
        my_webcal=mine.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
    )
    return render(request, "web/assembly/calendars.html", context)
