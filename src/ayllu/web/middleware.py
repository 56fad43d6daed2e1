"""HTTP middleware of our own: a strict Content-Security-Policy on every response, who is logged in,
and kept pages answered as soon as the reader is known."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ayllu.queries.replayed import one_head
from ayllu.storage.errors import RecordNotFound

from . import auth, page_cache

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


MEMO_SIZE = 4096
Headers = tuple[tuple[str, str], ...]


class KeptPageMiddleware:
    """Answer a kept page (web/page_cache.py) right after the reader is known, with the bytes and headers
    the whole way would give it (issue 5: the language, URL resolution, the view's dispatch and four
    middlewares cost about a quarter of a kept page's CPU, and add nothing to it but the same headers).

    It learns from the whole way: when a view answers a GET with a kept page (`page_cache.serve`), it
    remembers which view and record the path is, and the headers the middlewares below it added, as long
    as that answer set no cookie and its language is the path's own. The next GET of that path is then
    looked up here: the language activated as LocaleMiddleware would, the reader re-checked against the
    record (`request.ayllu_login()`, the same check the view makes), the head read, and the kept page for
    that (view, record, head, language, reader, path) answered with this request's own masked CSRF token
    and the remembered headers, if it is still valid by the clock. Anything else goes the whole way,
    unchanged: no kept page, a page not yet answered the whole way under this key, a CSRF cookie that
    CsrfViewMiddleware would rewrite or refuse (anything but a 32-character secret), a page with a token
    and no cookie, another method. The Host is checked as CommonMiddleware checks it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._routes: dict[str, tuple[str, str, str]] = {}  # path?query -> (language, view, log)
        self._headers: dict[page_cache.Key, tuple[bool, Headers]] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            early = self._early(request)
            if early is not None:
                return early
        response = self.get_response(request)
        found = getattr(request, "ayllu_kept", None)
        if found is not None:
            self._learn(request, response, *found)
        return response

    def _learn(
        self, request: HttpRequest, response: HttpResponse, key: page_cache.Key, kept: page_cache.Kept
    ) -> None:
        view, log, language = key[0], key[1], key[4]
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or translation.get_language_from_path(request.path_info) != language
        ):
            return
        if len(self._headers) >= MEMO_SIZE or len(self._routes) >= MEMO_SIZE:
            self._headers.clear()
            self._routes.clear()
        self._routes[key[6]] = (language, view, log)
        self._headers[key] = (kept.csrf, tuple(response.headers.items()))

    def _early(self, request: HttpRequest) -> HttpResponse | None:
        route = self._routes.get(page_cache.asked_path(request))
        if (
            route is None
            or settings.DISALLOWED_USER_AGENTS
            or settings.PREPEND_WWW
            or settings.CSRF_USE_SESSIONS
        ):
            return None
        language, view, log = route
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if cookie is not None and not page_cache.is_plain_secret(cookie):
            return None  # CsrfViewMiddleware would unmask it, or make a new one
        request.get_host()  # a Host not allowed is refused, as CommonMiddleware refuses it
        translation.activate(language)
        request.LANGUAGE_CODE = language
        from . import views_assembly  # the views' clock, which tests move

        with one_head():
            login = request.ayllu_login()  # type: ignore[attr-defined]
            reader = login.key if login is not None and login.log == log else ""
            try:
                found = page_cache.lookup(
                    request, view=view, log=log, reader=reader, now=views_assembly.now_ms()
                )
            except RecordNotFound:
                return None
        if found is None:
            return None
        key, kept = found
        learnt = self._headers.get(key)
        if learnt is None or learnt[0] != kept.csrf or (kept.csrf and cookie is None):
            return None
        if cookie is not None:
            request.META["CSRF_COOKIE"] = cookie
        response = page_cache.answer(request, kept)
        for name, value in learnt[1]:
            response.headers[name] = value
        if "Content-Length" in response.headers:
            response.headers["Content-Length"] = str(len(response.content))
        return response
