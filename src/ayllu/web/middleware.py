"""HTTP middleware of our own: a strict Content-Security-Policy on every response, who is logged in, and
requests over the size limit refused in the one JSON error shape."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

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
