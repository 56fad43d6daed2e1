"""Pages. Views stay thin: reads come from `ayllu.queries`, writes go through `ayllu.actions`."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views import i18n
from django.views.decorators.http import condition, require_GET

from ayllu.core.errors import DomainError
from ayllu.queries import pages
from ayllu.queries import record as record_queries
from ayllu.queries import served as served_queries
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

from . import auth, page_cache
from .errors import message_for
from .reader import erasable_for
from .views_assembly import session_context

ENTRIES_PER_PAGE = 50


ASSEMBLIES_PER_PAGE = 50


def _index(request: HttpRequest) -> record_queries.AssemblyIndex:
    index: record_queries.AssemblyIndex | None = request.__dict__.get("ayllu_index")
    if index is None:
        index = request.__dict__["ayllu_index"] = record_queries.get_assembly_index()
    return index


def _front_etag(request: HttpRequest) -> str:
    now = request.__dict__.setdefault("ayllu_now", clock.now_ms())
    return page_cache.node_page_etag(request, view="front", fingerprint=_index(request).fingerprint, now=now)


@require_GET
@condition(etag_func=_front_etag)
def home(request: HttpRequest) -> HttpResponse:
    """The node's front page: its assemblies (searched by name, 50 a page), marking any whose copy here
    fails.

    Served with conditional GET and, for a reader not logged in, kept in Django's cache while no record's
    head, name or verification changed: asked for again, it costs two queries whatever the number of
    assemblies.
    """
    search = request.GET.get("q", "").strip()[:100]
    raw_page = request.GET.get("p", "1")

    def render_front() -> HttpResponse:
        listing = record_queries.list_assembly_page(
            _index(request),
            search=search,
            page=int(raw_page) if raw_page.isdigit() else 1,
            per_page=ASSEMBLIES_PER_PAGE,
        )
        damaged = {d.log for d in served_queries.get_node_served().damaged}
        context = {
            "assemblies": listing.cards,
            "listing": listing,
            "search": search,
            "held": len(_index(request).rows),
            "damaged": damaged,
        }
        login = auth.request_login(request)
        if login is not None:
            # The header names whoever is logged in, at the assembly they logged in to (page_cache keeps
            # only an outsider's front page, the same for every outsider).
            context.update(session_context(request, login.log))
        return render(request, "web/home.html", context)

    now = request.__dict__.setdefault("ayllu_now", clock.now_ms())
    return page_cache.serve_node_page(request, _front_etag(request), now=now, render=render_front)


@require_GET
def record(request: HttpRequest, log: str) -> HttpResponse:
    """One assembly's record: its head, size, Merkle root, whether this node's copy verifies now, and the
    last full verification's result."""
    try:
        overview = record_queries.get_record_overview(log)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    verification = overview.last_verification
    problem = ""
    added = removed = 0
    if verification is not None:
        added = max(overview.size - verification.size, 0)
        # A record that got shorter since it was verified is not "verified with nothing added".
        removed = max(verification.size - overview.size, 0)
        if not verification.ok and verification.problem_code:
            problem = message_for(verification.problem_code, {"seq": verification.problem_seq})
    raw_page = request.GET.get("p", "1")
    entries = record_queries.list_entries(log, page=int(raw_page) if raw_page.isdigit() else 1)
    served = served_queries.get_record_served(log)
    damage = served.damage
    context = {
        "record": overview,
        "problem": problem,
        "added": added,
        "entries": entries,
        "authors": _authors(request, log),
        "erasable": erasable_for(request, log, [seq for seq, *_ in entries.entries], now=clock.now_ms()),
        "removed": removed,
        "served": served,
        "served_problem": ""
        if damage is None
        else message_for(damage.code, {**damage.detail, "seq": damage.seq}),
        **session_context(request, log),
    }
    return render(request, "web/record.html", context)


def _authors(request: HttpRequest, log: str) -> dict[str, pages.Person]:
    """Members by any key they signed with that the record still names (the key they joined with and
    their current one), as this reader may see them: a household written for members only shows only
    to a logged-in member. Empty for a record that is no assembly's (a mirror of an older kind)."""
    login = auth.current_login(request)
    member = bool(login and login.log == log and pages.get_member_id(log, key=login.key))
    try:
        people = pages.get_people(log, outsider=not member)
    except DomainError:
        return {}
    return {key: person for person in people.values() for key in (person.id, person.key)}


def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language and stay on the same page, in its other-language URL.

    Django's own view resolves `next` in the language the browser asked for, which fails for a URL
    whose words are in the other language (/es/asamblea/... while the browser prefers English) and
    then sends the reader back to the page they wanted to leave. Resolve it in its own language.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    with translation.override(get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by Django's CSRF check (CSRF_FAILURE_VIEW): say what it needs, in the page's
    language. Pages carry no CSRF token; the forms' script sends the one in this browser's cookie, so a
    form sent without JavaScript, or without cookies, is refused."""
    return render(request, "web/csrf_failure.html", {}, status=403)
