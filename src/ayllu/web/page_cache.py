"""Pages served with conditional GET: a page is a function of its key, and its ETag names the key.

What an assembly page shows is made from the record at its head, the applications waiting outside it
(decision 0011), the reader (a logged-in member's key, or "" for anyone else), the language, the path
asked for and the clock, which changes the page only at the instants the core names
(`core.assembly.clock_changes`, through `queries.pages.get_next_clock_change`). A page carries no
per-request token (the forms' script sends Django's CSRF cookie), so the same key always gives the same
bytes, and besides these only the code and the node's name shape it. The ETag is a hash of all of them:
Django's `condition` decorator answers 304 Not Modified when the browser already holds the page, without
rendering it. As a guard against a clock dependency missed by the core, every ETag also changes each
`AYLLU_PAGE_SECONDS` (300 s by default).

An outsider's page is the same for every outsider, so it is kept in Django's cache framework under its
ETag (`serve`) until the clock would change it; a member's page is for that member only and is
rendered whenever it is not answered with a 304, except a federation's page for a delegate logged in at
home, which is kept too under its own key (the key names the reader; decision 0034). Other assembly
pages made only from the same things are answered with conditional GET alone (`conditional_page`); a
page that also shows other rows of the node (a member's own settings, move endorsements, invitations)
is not.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

import ayllu
from ayllu.queries.federation_votes import get_mandates_token
from ayllu.queries.federations import get_federation_page_token, get_federations_token
from ayllu.queries.pages import get_next_clock_change
from ayllu.queries.replayed import get_head, get_head_and_records_version
from ayllu.queries.served import get_node_served
from ayllu.queries.waiting import get_waiting_token
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

from . import auth
from .middleware import broken_entry_of

DEFAULT_SECONDS = 300
# What the code is: its files' names, sizes and modification times (templates, translations, scripts).
_CODE_SUFFIXES = {".py", ".html", ".js", ".css", ".mo", ".svg"}


@dataclass(frozen=True, slots=True)
class PageKey:
    """Everything a page is made from, as asked at node time `now`."""

    view: str
    log: str
    seq: int
    head: str
    language: str
    reader: str
    path: str
    # node time the key was asked at (the page is rendered as of then), the clock's next change after
    # it (None: none ahead) and the guard's period
    now: int
    changes_at: int | None
    period: int
    # "" while every record verifies; else which records failed their check (every page warns of it)
    served: str = ""
    # the applications waiting outside the record, which members see among applicants (decision 0011)
    waiting: str = ""
    # the home page's federations: the heads of the federations it shows (queries/federations.py); the
    # mandates page's: the heads of the federations the assembly is represented in (federation_votes.py);
    # a federation's page: the heads and checkpoints of the member records it reads (federations.py)
    federations: str = ""

    @property
    def etag(self) -> str:
        """A strong ETag, quoted, naming this key, the code and the node's name."""
        parts = (
            _code_version(),
            str(settings.AYLLU_NODE_NAME),
            self.view,
            self.log,
            str(self.seq),
            self.head,
            self.language,
            self.reader,
            self.path,
            str(self.changes_at),
            str(self.period),
            self.served,
            self.waiting,
            self.federations,
        )
        return '"' + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest() + '"'


@functools.cache
def _code_version() -> str:
    root = Path(ayllu.__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.suffix in _CODE_SUFFIXES:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _served_token() -> str:
    status = get_node_served()
    return "" if status.ok else repr([(d.log, d.seq, d.code) for d in status.damaged])


def _period_ms() -> int:
    return int(float(getattr(settings, "AYLLU_PAGE_SECONDS", DEFAULT_SECONDS)) * 1000)


# Pages whose forms follow the login at home that acts in a federation (`auth.home_login`): a delegate
# logged in at home takes a plenary's chair (decision 0030) and is offered their own assembly's forms on
# the federation's page (decision 0029), its recall petitions (decision 0033), its meetings' petitions
# and notices and the minute-keeper's notes, so their page is not another reader's.
AWAY_FORMS = frozenset({"meeting", "meeting_live", "meetings", "minutes", "federation", "recall"})
# a federation's pages that read its member records (their names, heads and checkpoints)
FEDERATION_PAGES = frozenset({"federation", "federation_resolution"})


def page_key(request: HttpRequest, *, view: str, log: str, now: int) -> PageKey:
    """The key of `view`'s page of `log` for this request at node time `now`, worked out once per
    request (the ETag's and the view's are the same). Call inside `one_head()`; raises RecordNotFound."""
    known: dict[tuple[str, str], PageKey] = request.__dict__.setdefault("ayllu_pages", {})
    key = known.get((view, log))
    if key is None:
        login = auth.request_login(request)
        # the head, checked once for this request's reads, and the node's records version in one
        # statement: the records the page reads besides its own are answered under the version
        _, version = get_head_and_records_version(log)
        changes_at = get_next_clock_change(log, now=now)  # it brings the state to the head
        seq, head = get_head(log)
        reader = login.key if login is not None and login.log == log else ""
        home = auth.home_login(request, log=log)
        if home is not None:
            # a federation's pages show a delegate logged in at home their own forms (AWAY_FORMS), and
            # every one of them names their assembly in the header: never an outsider's page
            reader = f"{home.log}:{home.key}" if view in AWAY_FORMS else f"{home.log}:"
        key = PageKey(
            view=view,
            log=log,
            seq=seq,
            head=head,
            language=translation.get_language() or "",
            reader=reader,
            path=request.get_full_path(),
            now=now,
            changes_at=changes_at,
            period=now // _period_ms(),
            served=_served_token(),
            # nothing waiting outside a federation's record is on its page
            waiting="" if view in FEDERATION_PAGES else get_waiting_token(log),
            federations=(
                _under_version("federations", log, version=version, read=lambda: get_federations_token(log))
                if view == "home"
                else _under_version("mandates", log, version=version, read=lambda: get_mandates_token(log))
                if view == "mandates"
                else _federation_page_token(log, home=login.log if login is not None else "", version=version)
                if view in FEDERATION_PAGES
                else ""
            ),
        )
        known[(view, log)] = key
        # the answer's Ayllu-Rules header (middleware), asked here under the key's head: the same head
        # as the ETag's, and no second look at the record when the answer is a 304
        broken_entry_of(request)
    return key


def _under_version(name: str, log: str, *, version: int, read: Callable[[], str]) -> str:
    """`read()`, what a page of `log` reads of other records held here, kept in Django's cache under the
    node's records version: while no record held here was written, those records are not read again.
    The version is read before `read()` runs, so an answer kept under it is never older than it."""
    cache_key = f"ayllu-{name}-reads:{log}:{version}"
    token = cache.get(cache_key)
    if token is None:
        token = read()
        cache.set(cache_key, token, _period_ms() // 1000)
    return str(token)


def _federation_page_token(log: str, *, home: str, version: int) -> str:
    """`get_federation_page_token` under the records version: the heads and checkpoints of a
    federation's hundreds of member records are not read again while none was written."""
    return _under_version(
        f"federation:{home}", log, version=version, read=lambda: get_federation_page_token(log, home=home)
    )


def etag(request: HttpRequest, *, view: str, log: str, now: int) -> str | None:
    """The ETag of `view`'s page of `log` (for `condition`), or None for an unknown record."""
    try:
        return page_key(request, view=view, log=log, now=now).etag
    except RecordNotFound:
        return None


def node_page_etag(request: HttpRequest, *, view: str, fingerprint: str, now: int) -> str:
    """The ETag of a page of the whole node: `fingerprint` names what it is made from (e.g. every
    record's head), besides the code, the node's name, the language, the path, what the node serves and
    the reader (its header names whoever is logged in, and their record's head the household it shows).
    Worked out once per request."""
    known: dict[str, str] = request.__dict__.setdefault("ayllu_node_pages", {})
    if view not in known:
        parts = (
            _code_version(),
            str(settings.AYLLU_NODE_NAME),
            view,
            fingerprint,
            translation.get_language() or "",
            request.get_full_path(),
            str(now // _period_ms()),
            _served_token(),
            _node_page_reader(request),
        )
        known[view] = '"' + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest() + '"'
    return known[view]


def _node_page_reader(request: HttpRequest) -> str:
    """Who reads a page of the whole node: "" for anyone not logged in, else their record, key and that
    record's head."""
    login = auth.request_login(request)
    if login is None:
        return ""
    try:
        seq, head = get_head(login.log)
    except RecordNotFound:
        seq, head = 0, ""
    return f"{login.log}:{login.key}:{seq}:{head}"


def serve_node_page(
    request: HttpRequest, etag: str, *, now: int, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """A page of `node_page_etag`'s kind: an outsider's from Django's cache when it is there, else
    `render()`, kept until the guard's period ends; a logged-in reader's is theirs alone, rendered
    whenever it is not answered with a 304, as `serve` does for an assembly's pages."""
    reader = auth.request_login(request) is not None
    cache_key = f"ayllu-node-page:{etag}"
    content = None if reader else cache.get(cache_key)
    if content is not None:
        response = HttpResponse(content)
    else:
        response = render()
        period = _period_ms()
        kept_for = ((now // period + 1) * period - now) // 1000
        if (
            not reader
            and kept_for > 0
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(cache_key, response.content, kept_for)
    if reader:
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def serve(
    request: HttpRequest, key: PageKey, *, render: Callable[[], HttpResponse], readers: bool = False
) -> HttpResponse:
    """The page of `key`: an outsider's from Django's cache when it is there, else `render()` (which
    renders it as of `key.now`). With `readers`, a logged-in reader's page is kept too, under its own key
    (which names the reader): for a page whose rendering for its reader costs far more than its bytes
    (a federation's page with a delegate's forms).

    Only a plain 200 answer rendered at the key's own head is kept, until the clock would change it.
    """
    cache_key = f"ayllu-page:{key.etag}"
    kept = readers or not key.reader
    found = cache.get(cache_key) if kept else None
    if found is not None:
        content, forms = found
        response = HttpResponse(content)
        if forms:
            get_token(request)  # the forms' script sends Django's CSRF cookie: set it as render() did
    else:
        response = render()
        kept_for = _seconds_until(key)
        if (
            kept
            and kept_for > 0
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and get_head(key.log) == (key.seq, key.head)  # no catch-up mid-render moved it on
        ):
            forms = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))  # render() asked for the token
            cache.set(cache_key, (response.content, forms), kept_for)
    # The browser asks again each time (If-None-Match), and a member's page is theirs alone.
    if key.reader:
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def _seconds_until(key: PageKey) -> int:
    period = _period_ms()
    until = (key.period + 1) * period
    if key.changes_at is not None:
        until = min(until, key.changes_at)
    return max(0, (until - key.now) // 1000)


View = Callable[..., HttpResponse]


def conditional_page(view: str) -> Callable[[View], View]:
    """Answer an assembly page (a view taking `log`) with conditional GET: its ETag names its `page_key`,
    and Django's `condition` answers 304 Not Modified, without running the view, when the browser holds
    the page already. Put it inside `one_head()`, so the ETag and the page read the same head."""

    def etag_of(request: HttpRequest, log: str, **kwargs: Any) -> str | None:
        return etag(request, view=view, log=log, now=clock.now_ms())

    def decorate(view_func: View) -> View:
        conditioned = condition(etag_func=etag_of)(view_func)

        @functools.wraps(view_func)
        def answer(request: HttpRequest, log: str, **kwargs: Any) -> HttpResponse:
            response = conditioned(request, log, **kwargs)
            # The browser asks again each time (If-None-Match), and a logged-in reader's page is theirs alone.
            if auth.request_login(request) is not None:
                patch_cache_control(response, no_cache=True, private=True)
            else:
                patch_cache_control(response, no_cache=True)
            return response

        return answer

    return decorate
