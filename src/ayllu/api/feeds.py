"""The API's side of reaching members where they are (docs/paperwork.md): the calendar and the news feed
as JSON, a member's own calendar by its link's token, and the check of a council's register (CSV text,
or the file as the council keeps it: .csv, .xlsx, .ods).

The iCalendar and Atom documents themselves are plain GETs on the pages' side (`calendar.ics`,
`feed.atom`): calendar apps and feed readers ask for those. Here the same reads answer in JSON, words and
households' names shown to the reader as every API read shows them (`visibility.py`).
"""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja import Path, Query, Schema
from ninja.errors import ValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticError

from ayllu.core.charter.register import MAX_BYTES
from ayllu.core.errors import DomainError
from ayllu.queries import cargo_visibility as words
from ayllu.queries import cargos as cargo_queries
from ayllu.queries import pages
from ayllu.queries.calendar import CalendarEvent, list_calendar_events
from ayllu.queries.calendar_links import get_calendar_owner
from ayllu.queries.feeds import FeedEntry, list_feed_entries
from ayllu.register_files import read_register_file
from ayllu.register_words import file_problem, line_message
from ayllu.storage import clock

from . import visibility as vis
from .cargos import At, Months
from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import Log

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
A = "/assemblies/{log}"
TAGS = ["feeds"]
Token = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _secret_households(log: str, hidden: vis.Hidden) -> frozenset[str]:
    members = hidden.households_of
    return words.secret_households(cargo_queries.get_households(log), members) if members else frozenset()


@router.get(f"{A}/calendar", response={200: list[CalendarEvent], **ERRORS}, tags=TAGS)
def list_calendar(
    request: HttpRequest, log: Path[Log], at: Query[At] = None, months: Query[Months] = 12
) -> list[CalendarEvent]:
    """The assembly's calendar: meetings, open questions' deadlines, cargo terms and turns (times in ms).
    Subscribe to the same as iCalendar at /<lang>/assembly/<log>/calendar.ics."""
    hidden = vis.get_hidden(request, log)
    events = vis.shown(
        list_calendar_events(log, now=clock.now_ms() if at is None else at, months=months), hidden
    )
    return list(words.hide_households(events, _secret_households(log, hidden)))


@router.get("/calendar/{token}", response={200: list[CalendarEvent], **ERRORS}, tags=TAGS)
def get_own_calendar(request: HttpRequest, token: Path[Token]) -> list[CalendarEvent]:
    """A member's own calendar, by the token of the link they made (404 once revoked)."""
    owner = get_calendar_owner(token)
    if owner is None:
        raise Http404
    log, member = owner
    found = pages.get_members_only(log)
    hidden = vis.Hidden(seqs=found.confidential, households_of=found.confidential_households_of)
    events = vis.shown(list_calendar_events(log, now=clock.now_ms(), member=member), hidden)
    return list(words.hide_households(events, _secret_households(log, hidden)))


@router.get(f"{A}/feed", response={200: list[FeedEntry], **ERRORS}, tags=TAGS)
def list_feed(request: HttpRequest, log: Path[Log]) -> list[FeedEntry]:
    """The latest decisions (with their result) and minutes of closed meetings, newest first. Subscribe to
    the same as Atom at /<lang>/assembly/<log>/feed.atom."""
    return list(vis.shown(list_feed_entries(log), vis.get_hidden(request, log)))


class RegisterIn(Schema):
    text: str = Field(max_length=MAX_BYTES, description="the register as CSV text, header row first")


class RegisterLineOut(Schema):
    line: int
    name: str
    has_phone: bool
    has_email: bool
    problem: str
    warning: str
    like: str
    reason: str
    message: str  # what is wrong or what to look at, in the asker's language ("" for a good line)


class RegisterOut(Schema):
    problem: str
    problem_message: str  # why the file could not be read at all, in the asker's language ("" when it was)
    detail: dict[str, int]
    sheet: str  # the spreadsheet's sheet the lines were read from ("" for CSV)
    lines: list[RegisterLineOut]


class RegisterFileMissing(DomainError):
    """A multipart register check came without its `file` part."""

    code = "register_file_missing"
    status = 422


# The operation reads its body itself: JSON with CSV text, or a multipart upload of the file as the
# council keeps it. The OpenAPI document says both.
REGISTER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": RegisterIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "the register as a .csv (UTF-8), .xlsx or .ods file",
                        }
                    },
                }
            },
        },
    }
}


def _register_bytes(request: HttpRequest) -> bytes:
    """The register a check was sent: an uploaded file's bytes (read up to one byte past the limit, for
    `too_large`), or the JSON body's CSV text."""
    if request.content_type == "multipart/form-data":
        try:
            upload = request.FILES.get("file")
        except MultiPartParserError:  # no boundary, or parts Django cannot split: no file part found
            raise RegisterFileMissing() from None
        if upload is None:
            raise RegisterFileMissing()
        return bytes(upload.read(MAX_BYTES + 1))
    try:
        payload = RegisterIn.model_validate_json(request.body or b"")
    except PydanticError as invalid:
        raise ValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in invalid.errors(include_url=False)]
        ) from None
    return payload.text.encode("utf-8", "surrogatepass")


@router.post(
    f"{A}/register/check", response={200: RegisterOut, **ERRORS}, tags=TAGS, openapi_extra=REGISTER_BODY
)
def check_register(request: HttpRequest, log: Path[Log]) -> dict[str, Any]:
    """Check a council's register of households as the invitations page does, from the same reader: a
    file as the council keeps it (multipart `file`: .csv, .xlsx or .ods) or CSV text (JSON `text`).
    Each line's problem (left out) or warning (look-alike), in codes and in the asker's words, against
    the households' names this reader may read; a file that cannot be read at all says why. Nothing is
    stored; phones and e-mails are not echoed."""
    data = _register_bytes(request)
    hidden = vis.get_hidden(request, log)
    names = cargo_queries.get_household_names(log, hidden=hidden.seqs)
    secret = _secret_households(log, hidden)
    households = [h.household for h in cargo_queries.get_households(log)]
    existing = [*(h for h in households if h not in secret), *names.values()]
    found = read_register_file(data, existing=existing)
    lines = [
        {
            "line": line.line,
            "name": line.name,
            "has_phone": bool(line.phone),
            "has_email": bool(line.email),
            "problem": line.problem,
            "warning": line.warning,
            "like": line.like,
            "reason": line.reason,
            "message": line_message(line),
        }
        for line in found.lines
    ]
    return {
        "problem": found.problem,
        "problem_message": file_problem(found) if found.problem else "",
        "detail": dict(found.detail),
        "sheet": found.sheet,
        "lines": lines,
    }
