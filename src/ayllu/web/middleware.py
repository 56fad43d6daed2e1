"""HTTP middleware of our own: a strict Content-Security-Policy on every response, and who is logged in."""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import auth

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
