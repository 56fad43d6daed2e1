"""The minute book through the API: the same PDF as the pages' (docs/paperwork.md), for the reader of the
request as every API read decides it (`visibility.py`: a member logged in from their device reads the
members' words), in the language asked for.

A PDF is a document, not JSON: the answer is `application/pdf`, with an entity tag (head, language,
reader class, address, meeting) so a client asks again for nothing while the record has not grown.
"""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from ninja import Path, Query

from ayllu.core.errors import DomainError
from ayllu.minute_book import CONTENT_TYPE, book_etag, get_minute_book

from . import visibility as vis
from .errors import ERROR_STATUSES, ErrorOut, error_body, status_for
from .router import router
from .schemas import Log

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
TAGS = ["paperwork"]
Language = Literal["es", "en"]


@router.get(
    "/assemblies/{log}/minute-book",
    response={200: None, 304: None, **ERRORS},
    tags=TAGS,
    openapi_extra={
        "responses": {200: {"content": {CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}
    },
)
def read_minute_book(
    request: HttpRequest,
    log: Path[Log],
    meeting: Query[int | None] = None,
    lang: Query[Language | None] = None,
) -> HttpResponse:
    """The minute book (libro de actas) as a PDF: every meeting, or `meeting` alone; in `lang` (else the
    request's language). The same bytes for the same head, language, reader class and node address."""
    language = lang or translation.get_language()
    members = vis.is_member_reader(request, log)
    address = f"{request.scheme}://{request.get_host()}"
    with translation.override(language):  # an error too is said in the book's language
        try:
            etag = book_etag(log, language=language, members=members, address=address, meeting=meeting)
            if etag in request.headers.get("If-None-Match", ""):
                response = HttpResponse(status=304)
            else:
                etag, pdf = get_minute_book(
                    log, language=language, members=members, address=address, meeting=meeting
                )
                response = HttpResponse(pdf, content_type=CONTENT_TYPE)
        except DomainError as error:
            return JsonResponse(error_body(error.code, error.detail), status=status_for(error))
    response["ETag"] = etag
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-cache" if members else "no-cache"
    return response
