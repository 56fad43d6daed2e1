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

from ayllu.core.assembly.acts import ACT_KINDS, Act, split_content
from ayllu.core.assembly.replay import AssemblyState, with_waiting
from ayllu.core.ledger.record import RULE_VIS, Body
from ayllu.storage.version_watch import KeptWhileHeard
from ayllu.storage.waiting import (
    WaitingCount,
    alive_waiting,
    count_alive_waiting,
    ms,
    signed_waiting,
    waiting_lifetime,
)

from .replayed import once_per_page, read_state

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


def _first_expires(counted: WaitingCount) -> datetime | None:
    return None if counted.first is None else counted.first + waiting_lifetime()


# Each record's count as read while the listener heard a records version (storage/version_watch.py),
# until the first of its acts expires: an act starts or stops waiting only in a write transaction, which
# moves the version on, or by expiring.
_counts_heard: KeptWhileHeard[WaitingCount] = KeptWhileHeard(until=_first_expires)


def _count_waiting(log: str) -> tuple[int, int]:
    """How many acts wait for the record of `log`, and the last one's row id (0 for none): counted once
    for a page's key and its reads (`once_per_page`); while this process's listener is live (PostgreSQL),
    counted again only when the version heard changed or an act expired."""
    return once_per_page(log, "waiting", lambda: _counted(log))


def _counted(log: str) -> tuple[int, int]:
    counted = _counts_heard.get(log, lambda: count_alive_waiting(log))
    return counted.acts, counted.last


def get_waiting_token(log: str) -> str:
    """What changes when an act starts or stops waiting for the record of `log` (a page's cache key)."""
    count, last = _count_waiting(log)
    return f"{count}:{last}"


def read_state_with_waiting(log: str, read: Callable[[AssemblyState], T]) -> T:
    """Run `read` on the state at the head with the waiting acts tried on a copy (see the module doc).
    When none waits (counted once per page, as for its key), the acts are not listed."""
    waiting = [(key, act) for key, act, _ in list_waiting_acts(log)] if _count_waiting(log)[0] else []
    if not waiting:
        return read_state(log, read)
    return read_state(log, lambda state: read(with_waiting(state, waiting)))
