"""What the API's reads show to whom: the pages' rule (web/views_assembly.py) applied to JSON.

The words of an act signed for members only are shown only to a member of this assembly logged in from
their device (the web's session, `request.ayllu_login`). Anyone else, including a member of another
assembly, sees that the act exists (its id, author and time) but its words are null and the object says
`"members_only": true`. Confidential words are shown to nobody. A household first written in a
members-only body is hidden from outsiders like its words; one written in a confidential body from
everyone. Which act wrote a word is traced by the reads themselves (`core.words.Said`): an objection's
answer is the answering act's, a ruling the ruling act's, a ballot's choice the ballot's.
"""

from dataclasses import dataclass, replace
from typing import TypeVar

from django.http import HttpRequest

from ayllu.core.assembly.words import shown_to
from ayllu.queries.assembly import MembersRead
from ayllu.queries.pages import get_members_only

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hidden:
    """What one reader may not read of one record: entries by seq, households by member id."""

    seqs: frozenset[int]
    households_of: frozenset[str]


def logged_in_key(request: HttpRequest, log: str) -> str | None:
    """The key the reader of `request` logged in to `log` with from their device, if they did."""
    ask = getattr(request, "ayllu_login", None)  # set by web.middleware.LoginMiddleware
    login = ask() if callable(ask) else None
    return str(login.key) if login is not None and login.log == log else None


def is_member_reader(request: HttpRequest, log: str) -> bool:
    """Whether the reader of `request` is a member of `log` logged in from their device."""
    return logged_in_key(request, log) is not None


def get_hidden(request: HttpRequest, log: str) -> Hidden:
    """What the reader of `request` may not read in record `log`."""
    found = get_members_only(log)
    if is_member_reader(request, log):
        return Hidden(seqs=found.confidential, households_of=found.confidential_households_of)
    return Hidden(seqs=found.seqs, households_of=found.households_of)


def shown(data: T, hidden: Hidden) -> T:
    """A read as this reader may see it: every word (a `Said`) an act in `hidden.seqs` wrote is null, and
    the object holding it says `"members_only": true` (core/assembly/words.py). In a question that is a
    ballot's choice (its own act's words) and the proposal's options, the outcome's words and counts shown
    only when every ballot behind them is readable; in a proposal its amendments, objections and answers,
    comments and questions; in a meeting or its minutes the title, agenda items, points of order and
    rulings, notes and proposals."""
    found: T = shown_to(data, hidden.seqs)
    return found


def hide_in_members(listing: MembersRead, hidden: Hidden) -> MembersRead:
    """Hide households written in a body the reader may not read, and applicants' and claims' words."""
    found = shown(listing, hidden)
    secret = hidden.households_of
    members = tuple(
        replace(m, household=None, household_name=None) if m.id in secret else m for m in found.members
    )
    households = []
    for household in found.households:
        known = tuple(m for m in household.members if m not in secret)
        if known:  # a household only hidden members belong to is not listed at all
            households.append(replace(household, members=known))
    return replace(found, members=members, households=tuple(households))
