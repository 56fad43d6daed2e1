"""An assembly's pages for its members: "what needs me now", the charter in plain language, members.

Reading needs no login and no JavaScript, within the record's visibility: the words of an act signed
for members only ("members" or "confidential" bodies) are shown only to a logged-in member of this
assembly; anyone else sees that the act exists, marked "members only" (`hidden` in every context).
Every answer comes from replaying the record (`queries.assembly`, `queries.pages`). Acting is done by
forms that sign their act on the member's device (static/web/js/act-form.js) and post it to
`web:submit_act`. Meetings, proposals and the matters' forms have their own modules (views_meetings.py,
views_proposals.py, views_matters.py); they share `assembly_context` from here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import condition, require_GET

from ayllu.core.errors import DomainError
from ayllu.queries import assembly as q
from ayllu.queries import pages
from ayllu.queries.federations import (
    OurFederationRead,
    list_our_federations,
    list_ratifications_due,
    list_unheld_federations,
)
from ayllu.queries.members import get_members_acts
from ayllu.queries.pages import MemberHome, Person
from ayllu.queries.replayed import one_head
from ayllu.queries.words import list_own_words
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

from . import auth, page_cache
from .errors import message_for
from .reader import for_reader, hidden_from


@dataclass(frozen=True, slots=True)
class Away:
    """A delegate reading a federation's page while logged in at their home assembly (`auth.home_login`):
    that home's record and name (the header shows it), and the key whose acts here the device signs
    with the key it keeps for that home."""

    log: str
    key: str
    name: str


def reader_key(context: dict[str, Any]) -> str:
    """The signing key of the page's reader, from `assembly_context` ("" for an outsider)."""
    return context["login"].key if context["login"] else ""


def signing_key(context: dict[str, Any]) -> str:
    """The key this reader's acts here are signed with: in a federation, the delegate's key at home;
    else their own login's ("" for an outsider)."""
    away: Away | None = context["away"]
    return away.key if away is not None else reader_key(context)


def not_found(error: DomainError | RecordNotFound) -> Http404:
    """A 404 whose message names what was not found, in the page's language."""
    return Http404(message_for(error.code, error.detail))


def assembly_context(
    request: HttpRequest, log: str, *, now: int | None = None, act_forms: bool = True
) -> dict[str, Any]:
    """What every assembly page needs: the assembly, who is logged in (member id), everyone by id, and
    in a federation the delegate logged in at home (`away`).

    `people` is shared by every request at this head: a view must not change it. An unknown record, or
    one without a charter (written before charters existed), is a 404. A page with forms (`act_forms`,
    or a member's log-out button) makes sure the browser has Django's CSRF cookie, whose token the
    forms' script sends: the page itself carries none.
    """
    try:
        assembly = q.get_assembly(log)
    except RecordNotFound as error:
        raise not_found(error) from None
    if not assembly.charter_version:
        raise Http404(message_for("not_founded", {}))
    login, me, away = _reader(request, log, act_forms=act_forms)
    now = clock.now_ms() if now is None else now
    # Visibility: what a member signed for members only is theirs to read. An outsider sees that such
    # an act exists (its place, its author's key), never its words or a household it names. Confidential
    # words and households are shown to nobody, members included. Reads reach templates through
    # `reader.for_reader(data, hidden)`, which withholds every word an act in `hidden` wrote.
    people = pages.get_people(log, outsider=not me)
    hidden = hidden_from(log, me=me)
    return {
        "assembly": assembly,
        "log": log,
        "login": login,
        "away": away,
        "me": me,
        "hidden": hidden,
        "people": people,
        "now": now,
        "here": request.get_full_path(),
    }


def _reader(request: HttpRequest, log: str, *, act_forms: bool) -> tuple[auth.Login | None, str, Away | None]:
    """Who reads a page of record `log`: their login to it, their member id there, and in a federation
    the delegate logged in at home. Sets Django's CSRF cookie where the page has forms (`act_forms`) or
    a log-out button: the forms' script sends its token, the page itself carries none."""
    current = auth.current_login(request)
    login = current if current is not None and current.log == log else None
    me = pages.get_member_id(log, key=login.key) if login is not None else ""
    # In a federation, a delegate logged in at their home assembly acts from it: the header names that
    # assembly, with the way back to it and out (page_cache keys every federation page by it).
    home = auth.home_login(request, log=log)
    away = Away(log=home.log, key=home.key, name=q.get_assembly(home.log).name) if home is not None else None
    if (
        act_forms or login is not None or away is not None
    ) and settings.CSRF_COOKIE_NAME not in request.COOKIES:
        get_token(request)  # sets the cookie (the cookie a member logged in with is kept: not renewed)
    return login, me, away


class SessionContext(TypedDict):
    """What the header's session block reads (assembly/includes/session.html)."""

    log: str
    login: auth.Login | None
    away: Away | None
    me: str
    people: Mapping[str, Person]


def session_context(request: HttpRequest, log: str) -> SessionContext:
    """What the header's session (assembly/includes/session.html) needs on a page of record `log` that
    is none of the assembly's own pages (the record, the device page): who is logged in, their
    household's name, and the log-out button's CSRF cookie. A record that is no assembly's (a mirror of
    an older kind) names no household."""
    login, me, away = _reader(request, log, act_forms=False)
    try:
        people = pages.get_people(log, outsider=not me)
    except DomainError:
        people = {}
    return SessionContext(log=log, login=login, away=away, me=me, people=people)


def _home_etag(request: HttpRequest, log: str) -> str | None:
    return page_cache.etag(request, view="home", log=log, now=clock.now_ms())


def named_people(home: MemberHome, people: Mapping[str, Person]) -> dict[object, Person | None]:
    """The people the home page names (`{% person %}`), by member id, as it shows them: the members
    named by lost-key claims and recall petitions, and flagged delegates. Its fragments that name
    people are kept under these, not under everyone."""
    named = (
        *(c.member for c in home.claims),
        *(p.member for p in home.petitions),
        *(r.member for r in home.recalls),
        *(v.delegate for v in home.vote_flags),
    )
    return {member: people.get(member) if isinstance(member, str) else None for member in named}


def our_federations(log: str, *, now: int) -> list[OurFederationRead]:
    """The federations this assembly is a member of, with the ratified act's body ready where the
    assembly's answer is recorded but not yet counted."""
    # The form cites the answer recorded here: the node sealing the record signed a checkpoint covering
    # it when it appended it (the write path), so reading the page writes nothing.
    federations = list_our_federations(log, now=now)
    # The federation's words (its resolutions' titles) as its own record shows them to an outsider.
    return [for_reader(f, hidden_from(f.log, me="")) for f in federations]


@require_GET
@one_head()
@condition(etag_func=_home_etag)
def assembly_home(request: HttpRequest, log: str) -> HttpResponse:
    """What needs me now: meetings, questions awaiting my answer, objections, recalls, flags, my cargos.

    Served with conditional GET (page_cache): asked for again before the record grows and before the
    clock changes what it shows (a meeting starts, a deadline passes), it is answered 304 Not Modified;
    an outsider's page is rendered once for every outsider.
    """
    try:
        key = page_cache.page_key(request, view="home", log=log, now=clock.now_ms())
    except RecordNotFound as error:
        raise not_found(error) from None
    now = key.now

    def render_home() -> HttpResponse:
        context = assembly_context(request, log, now=now, act_forms=False)
        home = pages.get_member_home(log, member=context["me"], now=now)
        context["home"] = shown = for_reader(home, context["hidden"])
        context["named"] = named_people(shown, context["people"])
        context["section"] = "home"
        context["federations"] = our_federations(log, now=now)
        context["unheld_federations"] = list_unheld_federations(log)
        context["ratifications_due"] = list_ratifications_due(context["federations"])
        # whether the proposals listed for cosigning need it to come to a vote, or only welcome support
        context["cosigners_needed"] = pages.get_tabling_cosigners(log) if home.cosign else 0
        return render(request, "web/assembly/home.html", context)

    return page_cache.serve(request, key, render=render_home)


@require_GET
@one_head()
@page_cache.conditional_page("charter")
def charter(request: HttpRequest, log: str) -> HttpResponse:
    """The charter in force in plain language, and every earlier version."""
    context = assembly_context(request, log)
    versions = for_reader(pages.list_charter_versions(log), context["hidden"])
    context.update(section="charter", current=versions[0], earlier=versions[1:])
    return render(request, "web/assembly/charter.html", context)


@require_GET
@one_head()
@page_cache.conditional_page("members")
def members(request: HttpRequest, log: str) -> HttpResponse:
    """Members by household, with the start of their keys; applicants and key claims waiting."""
    context = assembly_context(request, log)
    listing: q.MembersRead = for_reader(q.list_members(log), context["hidden"])
    people = context["people"]
    by_household: dict[tuple[str, str], list[q.MemberRead]] = {}
    for member in sorted(listing.members, key=lambda m: (m.household or "", m.since)):
        # A household written for members only is grouped, for outsiders, under "members only" ("");
        # households are grouped by id and shown by name (two households may share a name).
        shown = people[member.id].household if member.id in people else member.household or ""
        by_household.setdefault((shown, (member.household or "") if shown else ""), []).append(member)
    now = context["now"]
    cargos = [{"cargo": c.cargo, "holders": [h for h in c.holders if h.until > now]} for c in listing.cargos]
    needed = pages.get_counts_needed(log)
    context.update(
        section="members",
        acts=get_members_acts(log, key=reader_key(context), now=now),
        admission_sponsors=needed["sponsors"],
        key_vouchers=needed["vouchers"],
        households=[(shown, found) for (shown, _), found in sorted(by_household.items())],
        applicants=listing.applicants,
        key_claims=listing.key_claims,
        cargos=[c for c in cargos if c["holders"]],
    )
    return render(request, "web/assembly/members.html", context)


@require_GET
def my_words(request: HttpRequest, log: str) -> HttpResponse:
    """The logged-in member's own words in the record, each with a button to erase them."""
    context = assembly_context(request, log)
    me = context["me"]
    context.update(section="members", words=list_own_words(log, member=me) if me else [])
    return render(request, "web/assembly/my_words.html", context)
