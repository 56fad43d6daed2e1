"""Rows of the waiting room (docs/decisions/0011-strangers-wait-outside.md): acts strangers signed, kept
outside the record as they came until a member's act takes them in or they expire."""

import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from ayllu.core.ledger.record import RULE_VIS, Act, Body, SignedAct

from . import clock, models


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
