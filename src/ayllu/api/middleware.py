"""Answers under /api/ that Django or django-ninja give before any operation runs, in the API's shape.

An unknown address under /api/ is Django's 404 page, and a method an operation does not take is
django-ninja's plain-text 405: neither reaches the API's exception handlers (api/app.py). A client
reading `{"code", "message", "detail"}` from every refusal (docs/api.md, "Errors") gets them in that
shape here, in the request's language; the 405 keeps its `Allow` header.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import error_body

_CODES = {404: "not_found", 405: "method_not_allowed"}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        code = _CODES.get(response.status_code)
        if code is None or not request.path.startswith("/api/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response  # the API's own answer, already in its shape
        shaped = JsonResponse(error_body(code, {}), status=response.status_code)
        if "Allow" in response:
            shaped["Allow"] = response["Allow"]
        return shaped
