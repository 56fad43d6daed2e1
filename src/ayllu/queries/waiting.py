"""What members see of strangers waiting outside the record (docs/decisions/0011-strangers-wait-outside.md).

An application or a lost-key claim waits on the node until a member's act takes it in; members must see
it where they see applicants or claims, and sponsor it, vouch for it or propose its admission or key
replacement as if it were in the record. Reads that list applicants or claims read a copy of the state
with the waiting acts tried on top (`read_state_with_waiting`).
Only the public rule data of a waiting act is read: its words reach nobody before it is in the record.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.db.models import Count, Max, Min

from ayllu.core.assembly.acts import ACT_KINDS, Act, split_content
from ayllu.core.assembly.replay import AssemblyState, with_waiting
from ayllu.core.ledger.record import RULE_VIS, Body
from ayllu.storage.clock import now_datetime
from ayllu.storage.version_watch import HeardVersion, heard_records_version
from ayllu.storage.waiting import alive_waiting, ms, signed_waiting, waiting_lifetime

from .replayed import read_state

T = TypeVar("T")


def list_waiting_acts(log: str) -> list[tuple[str, Act, int]]:
    """The acts waiting for the record of `log`: (key, the act's rule data, received ms), oldest first."""
    out: list[tuple[str, Act, int]] = []
    for row in alive_waiting(log).order_by("received", "pk"):
        signed, body = signed_waiting(row)
        kind = ACT_KINDS[row.type]
        split = signed.act.split
        content = split_content(kind, Body(body.raw, RULE_VIS), seq=0) if split else body.content()
        out.append((row.author, kind.parse(content), ms(row.received)))
    return out


def list_waiting_keys(log: str) -> frozenset[str]:
    """The keys of the strangers with an act waiting for the record of `log`."""
    return frozenset(alive_waiting(log).values_list("author", flat=True))


# Each record's token as read while the listener heard a records version (storage/version_watch.py),
# and when the first of its acts expires: an act starts or stops waiting only in a write transaction,
# which moves the version on, or by expiring.
_tokens_heard: dict[str, tuple[HeardVersion, str, datetime | None]] = {}


def get_waiting_token(log: str) -> str:
    """What changes when an act starts or stops waiting for the record of `log` (a page's cache key).
    While this process's listener is live (PostgreSQL), read again only when the version heard changed
    or an act expired."""
    heard, now = heard_records_version(), now_datetime()
    known = _tokens_heard.get(log)
    if heard is not None and known is not None and known[0] == heard and (known[2] is None or now < known[2]):
        return known[1]
    found = alive_waiting(log).aggregate(count=Count("pk"), last=Max("pk"), first=Min("received"))
    token = f"{found['count']}:{found['last'] or 0}"
    if heard is not None:
        first: datetime | None = found["first"]
        _tokens_heard[log] = (heard, token, None if first is None else first + waiting_lifetime())
    return token


def read_state_with_waiting(log: str, read: Callable[[AssemblyState], T]) -> T:
    """Run `read` on the state at the head with the waiting acts tried on a copy (see the module doc)."""
    waiting = [(key, act) for key, act, _ in list_waiting_acts(log)]
    if not waiting:
        return read_state(log, read)
    return read_state(log, lambda state: read(with_waiting(state, waiting)))
