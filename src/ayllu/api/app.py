"""The node's JSON API (django-ninja), mounted at /api/ with its OpenAPI document at /api/openapi.json.

Every error answers `{"code", "message", "detail"}` with the message in the request's language.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError

from ayllu.core.errors import DomainError

from . import acts, cargos, citations, federations, feeds, minute_book, notifications, reads  # noqa: F401  (they register their operations on the router)
from . import federation_offices as _federation_offices  # noqa: F401  (registers its operations)
from .errors import error_body, status_for
from .router import router

api = NinjaAPI(
    title="ayllu",
    version="1",
    description=(
        "Assemblies that govern themselves: every act is signed on the member's own device and appended "
        "to the assembly's record; reads are computed by replaying that record. See docs/api.md."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI would ask validator.swagger.io for a badge; the page asks no host but this node.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("", router)


def _reply(request: HttpRequest, code: str, detail: dict[str, Any], status: int) -> HttpResponse:
    return api.create_response(request, error_body(code, detail), status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _reply(request, exc.code, exc.detail, status_for(exc))


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "type": str(e.get("type", "")),
            "msg": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    return _reply(request, "invalid_request", {"errors": errors}, 422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "method_not_allowed" if exc.status_code == 405 else "invalid_request"
    return _reply(request, code, {"reason": str(exc)}, exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _reply(request, "not_found", {}, 404)
