"""Domain error codes turned into words for people: kept for pages that import them from here.

The sentences live in `ayllu.messages`, shared by pages, the API and the CLI. Also the node's answer
to a request Django refuses as bad before any view runs (`bad_request`, urls.handler400), and the
other error pages (404, 403, 500) without Django's CSRF check.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from ayllu.messages import MESSAGES, UNKNOWN, message_for

__all__ = [
    "MESSAGES",
    "UNKNOWN",
    "bad_request",
    "message_for",
    "not_found",
    "permission_denied",
    "server_error",
]


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for a request Django refuses itself (a Host it does not serve, a suspicious operation).

    Django's own handler is wrapped in `requires_csrf_token`, whose check reads a POST's form: for a
    body Django cannot parse (multipart without a boundary) that raises inside the 400 handler, and the
    client got a 500. This one skips the check (it renders no form). Under /api/ it answers in the
    API's error shape.
    """
    if request.path.startswith("/api/"):
        body = {"code": "bad_request", "message": message_for("bad_request", {}), "detail": {}}
        return JsonResponse(body, status=400)
    return defaults.bad_request.__wrapped__(request, exception)  # type: ignore[attr-defined,no-any-return]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 without Django's CSRF check (see `bad_request`: a POST to a missing record with a form Django
    cannot parse got a 500), saying why when the page gave a reason in the reader's words."""
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "404.html", {"message": reason}, status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 without Django's CSRF check (see `bad_request`)."""
    return defaults.permission_denied.__wrapped__(request, exception)  # type: ignore[attr-defined,no-any-return]


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without Django's CSRF check (see `bad_request`): the error page itself must not fail."""
    return defaults.server_error.__wrapped__(request)  # type: ignore[attr-defined,no-any-return]
