"""Rows of the waiting room (docs/decisions/0011-strangers-wait-outside.md): acts strangers signed, kept
outside the record as they came until a member's act takes them in or they expire."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ayllu.core.ledger.record import RULE_VIS, Act, Body, SignedAct

from . import clock, models
from .db import fetch_one

# How many acts wait for a record, the last one's row id and when the first came, in the "format"
# (psycopg) and "qmark" (sqlite3) parameter styles: every page of the record asks it for its key
# (queries/waiting.py).
_COUNT_SQL = (
    "SELECT count(w.id), max(w.id), min(w.received) FROM ayllu_waiting_act w"
    " JOIN ayllu_record r ON r.id = w.record_id WHERE r.log = %s AND w.received >= %s",
    "SELECT count(w.id), max(w.id), min(w.received) FROM ayllu_waiting_act w"
    " JOIN ayllu_record r ON r.id = w.record_id WHERE r.log = ? AND w.received >= ?",
)


class WaitingCount(NamedTuple):
    """How many acts wait for a record, the last one's row id (0 for none), and when the first of them
    came (None for none)."""

    acts: int
    last: int
    first: datetime | None


def waiting_lifetime() -> timedelta:
    """How long an act waits before it expires (AYLLU_WAITING_DAYS)."""
    return timedelta(days=int(settings.AYLLU_WAITING_DAYS))


def ms(moment: datetime) -> int:
    """A moment as milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)


def alive_waiting(log: str) -> "QuerySet[models.WaitingAct]":
    """The acts waiting for the record of `log` that have not expired."""
    cutoff = clock.now_datetime() - waiting_lifetime()
    return models.WaitingAct.objects.filter(record__log=log, received__gte=cutoff)


def count_alive_waiting(log: str) -> WaitingCount:
    """How many of `alive_waiting(log)` there are, the last one's row id and the first one's arrival, in
    one statement on the driver's cursor (`db.fetch_one`): through the ORM it cost a page's key about a
    millisecond. The cutoff is passed as Django passes a DateTimeField's value."""
    cutoff = connection.ops.adapt_datetimefield_value(clock.now_datetime() - waiting_lifetime())
    row = fetch_one(_COUNT_SQL, [log, cutoff])
    if row is None or not row[0]:
        return WaitingCount(0, 0, None)
    return WaitingCount(int(row[0]), int(row[1]), _moment(row[2]))


def _moment(value: object) -> datetime:
    """A DateTimeField's value as the driver returns it: a datetime (psycopg), or the text Django
    wrote, in UTC (SQLite: an aggregate's value reaches no field's converter)."""
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"not a moment: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def act_held(log: str, act_id: str) -> bool:
    """Whether the node already holds the act `act_id` for the record of `log`: as an entry, or waiting.

    One indexed lookup each (an entry is unique per record and act id, a waiting act per act id): cheap
    enough to run before anything is counted or checked."""
    if models.Entry.objects.filter(record__log=log, act_id=act_id).exists():
        return True
    return alive_waiting(log).filter(act_id=act_id).exists()


def signed_waiting(row: models.WaitingAct) -> tuple[SignedAct, Body]:
    """The waiting act exactly as the stranger signed it, with its bodies (checked when it came)."""
    fields: dict[str, Any] = json.loads(bytes(row.act))
    act = Act(**fields)
    if not act.split:
        return SignedAct(act, row.asig), Body(bytes(row.body), act.vis)
    words = None if row.words is None else Body(bytes(row.words), act.vis)
    return SignedAct(act, row.asig), Body(bytes(row.body), RULE_VIS, words)
