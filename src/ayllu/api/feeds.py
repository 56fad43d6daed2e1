"""The API's side of reaching members where they are (docs/paperwork.md): the calendar and the news feed
as JSON, a member's own calendar by its link's token, and the check of a council's register (CSV).

The iCalendar and Atom documents themselves are plain GETs on the pages' side (`calendar.ics`,
`feed.atom`): calendar apps and feed readers ask for those. Here the same reads answer in JSON, words and
households' names shown to the reader as every API read shows them (`visibility.py`).
"""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Schema
from pydantic import Field

from ayllu.core.charter.register import MAX_BYTES, read_register
from ayllu.queries import cargo_visibility as words
from ayllu.queries import cargos as cargo_queries
from ayllu.queries import pages
from ayllu.queries.calendar import list_calendar_events
from ayllu.queries.calendar_links import get_calendar_owner
from ayllu.queries.feeds import list_feed_entries
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


@router.get(f"{A}/calendar", response={200: list[dict[str, Any]], **ERRORS}, tags=TAGS)
def list_calendar(
    request: HttpRequest, log: Path[Log], at: Query[At] = None, months: Query[Months] = 12
) -> list[dict[str, Any]]:
    """The assembly's calendar: meetings, open questions' deadlines, cargo terms and turns (times in ms).
    Subscribe to the same as iCalendar at /<lang>/assembly/<log>/calendar.ics."""
    hidden = vis.get_hidden(request, log)
    events = vis.shown(
        list_calendar_events(log, now=clock.now_ms() if at is None else at, months=months), hidden
    )
    return list(words.hide_households(events, _secret_households(log, hidden)))


@router.get("/calendar/{token}", response={200: list[dict[str, Any]], **ERRORS}, tags=TAGS)
def get_own_calendar(request: HttpRequest, token: Path[Token]) -> list[dict[str, Any]]:
    """A member's own calendar, by the token of the link they made (404 once revoked)."""
    owner = get_calendar_owner(token)
    if owner is None:
        raise Http404
    log, member = owner
    found = pages.get_members_only(log)
    hidden = vis.Hidden(seqs=found["confidential"], households_of=found["confidential_households_of"])
    events = vis.shown(list_calendar_events(log, now=clock.now_ms(), member=member), hidden)
    return list(words.hide_households(events, _secret_households(log, hidden)))


@router.get(f"{A}/feed", response={200: list[dict[str, Any]], **ERRORS}, tags=TAGS)
def list_feed(request: HttpRequest, log: Path[Log]) -> list[dict[str, Any]]:
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


class RegisterOut(Schema):
    problem: str
    detail: dict[str, int]
    lines: list[RegisterLineOut]


@router.post(f"{A}/register/check", response={200: RegisterOut, **ERRORS}, tags=TAGS)
def check_register(request: HttpRequest, log: Path[Log], payload: RegisterIn) -> dict[str, Any]:
    """Check a council's register of households (CSV) as the invitations page does: each line's problem
    (left out) or warning (look-alike), against the households' names this reader may read. Nothing is
    stored; phones and e-mails are not echoed."""
    hidden = vis.get_hidden(request, log)
    names = cargo_queries.get_household_names(log, hidden=hidden.seqs)
    secret = _secret_households(log, hidden)
    existing = [*(h for h in cargo_queries.get_households(log) if h not in secret), *names.values()]
    found = read_register(payload.text.encode("utf-8", "surrogatepass"), existing=existing)
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
        }
        for line in found.lines
    ]
    return {"problem": found.problem, "detail": dict(found.detail), "lines": lines}
