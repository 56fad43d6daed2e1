"""HTTP middleware of our own: a strict Content-Security-Policy on every response, who is logged in,
requests over the size limit refused in the one JSON error shape, and whether what the node serves
verifies (the `Ayllu-Served` header on every answer, docs/api.md)."""

import functools
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from ayllu.core.errors import DomainError
from ayllu.queries.replayed import get_broken_entry
from ayllu.queries.served import NodeServed, get_node_served, get_served_to_peers, known_damage

from . import auth
from .replies import json_error

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Add a strict CSP: no inline script, nothing from any host but this node."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class LoginMiddleware:
    """Let layers that may not import the web (the API) ask who is logged in: `request.ayllu_login()`.

    It returns `auth.current_login(request)`, re-checked against the record once per request. A
    request that did not pass here has no `ayllu_login` and is read as an outsider's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, "ayllu_login", functools.cache(lambda: auth.current_login(request)))  # noqa: B010
        return self.get_response(request)


class NulCharacterMiddleware:
    """Answer 400 `bad_request` (reason `nul_character`) to a request whose path or query holds a NUL.

    No address of the node takes one, and PostgreSQL cannot even compare a text with one (it raises
    rather than finding nothing), so a record id such as `%00` in a path would be a server error there
    while SQLite answers 404. Refused here, before any view reads the database, alike on both.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in vs) for k, vs in query):
            return json_error("bad_request", {"reason": "nul_character"}, status=400)
        return self.get_response(request)


class RequestSizeMiddleware:
    """Answer 413 `request_too_large` to a request whose body is over DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django refuses such a body only when a view reads it, with a SuspiciousOperation that becomes an
    HTML 400 (or a debug page); here it is refused before any view, in the request's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = str(request.META.get("CONTENT_LENGTH") or "0")
        # A length of thousands of digits is over any limit, and too long for int() to read.
        digits = length.isascii() and length.isdigit()
        if limit is not None and digits and (len(length) > len(str(limit)) or int(length) > limit):
            return _too_large(limit)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return _too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None


def _too_large(limit: int | None) -> HttpResponse:
    return json_error("request_too_large", {"limit": limit}, status=413)


SERVED_HEADER = "Ayllu-Served"
# On answers about one record whose copy here holds an entry that breaks a rule: which, and why.
RULES_HEADER = "Ayllu-Rules"


class ServedMiddleware:
    """Check what the node serves before answering (every record on a process's first request, then
    what changed), and say on every answer whether it verifies: `Ayllu-Served: ok`, or `damaged` with
    the first damaged record, its first bad entry and the problem's code (docs/api.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        documents = request.path_info.startswith(API_DOCUMENTS)
        if not documents:
            _served(request)
        response = self.get_response(request)
        # Asked again: a write or a read during this request may have found a damaged record. The
        # API's own description holds nothing of any record: it says what is known, checking only that
        # a known damage still holds.
        response.headers[SERVED_HEADER] = served_header(known_damage() if documents else _served(request))
        broken = None if documents else broken_entry_of(request)
        if broken is not None:
            response.headers[RULES_HEADER] = f"broken; seq={broken[0]}; code={broken[1]}"
        return response


def _served(request: HttpRequest) -> NodeServed:
    """The node's check for this answer: a replication answer (/fed/) does not wait for a process's first
    check of every record, only its own record's (storage/served.py `served_to_peers`)."""
    path = request.path_info
    if not path.startswith("/fed/"):
        return get_node_served()
    named = path.split("/")[2]
    # Asked only of a record id's shape (a path is not checked for NULs yet: NulCharacterMiddleware).
    return get_served_to_peers(named if _RECORD_ID.fullmatch(named) else None)


def broken_entry_of(request: HttpRequest) -> tuple[int, str] | None:
    """On a page or API answer about one record, its entry that breaks a rule (or is dated past the
    clock), if any: asked once per request, by the page's warning and by this header. Not on /fed:
    followers check every rule themselves, and replication must not replay every record it serves (a
    replay that pages and the API make anyway)."""
    if "ayllu_broken_entry" not in request.__dict__:
        request.__dict__["ayllu_broken_entry"] = _find_broken_entry(request)
    found: tuple[int, str] | None = request.__dict__["ayllu_broken_entry"]
    return found


def _find_broken_entry(request: HttpRequest) -> tuple[int, str] | None:
    if request.path_info.startswith("/fed/"):
        return None
    log = None if request.resolver_match is None else request.resolver_match.kwargs.get("log")
    if not isinstance(log, str):
        return None
    try:
        return get_broken_entry(log)
    except DomainError:
        return None


# A record's id in a /fed/ path: 64 lowercase hex digits (record-format.md).
_RECORD_ID = re.compile(r"[0-9a-f]{64}")
# The API's description of itself (OpenAPI document, interactive page): the same whatever the records.
API_DOCUMENTS = ("/api/openapi.json", "/api/docs")


def served_header(status: NodeServed) -> str:
    """The `Ayllu-Served` value: "ok", or "damaged; log=…; seq=…; code=…; records=N"."""
    if status.ok:
        return "ok"
    first = status.damaged[0]
    seq = "" if first.seq is None else str(first.seq)
    return f"damaged; log={first.log}; seq={seq}; code={first.code}; records={len(status.damaged)}"
