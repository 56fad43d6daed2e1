"""What the API's reads show to whom: the pages' rule (web/views_assembly.py) applied to JSON.

The words of an act signed for members only are shown only to a member of this assembly logged in from
their device (the web's session, `request.ayllu_login`). Anyone else, including a member of another
assembly, sees that the act exists (its id, author and time) but its words are null and the object says
`"members_only": true`. Confidential words are shown to nobody. A household first written in a
members-only body is hidden from outsiders like its words.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ayllu.queries.pages import get_members_only
from ayllu.queries.replayed import list_confidential_seqs


@dataclass(frozen=True, slots=True)
class Hidden:
    """What one reader may not read of one record: entries by seq, households by member id."""

    seqs: frozenset[int]
    households_of: frozenset[str]


def _is_member_reader(request: HttpRequest, log: str) -> bool:
    ask = getattr(request, "ayllu_login", None)  # set by web.middleware.LoginMiddleware
    login = ask() if callable(ask) else None
    return login is not None and login.log == log


def get_hidden(request: HttpRequest, log: str) -> Hidden:
    """What the reader of `request` may not read in record `log`."""
    confidential = list_confidential_seqs(log)
    if _is_member_reader(request, log):
        return Hidden(seqs=confidential, households_of=frozenset())
    members_only = get_members_only(log)
    return Hidden(seqs=members_only["seqs"] | confidential, households_of=members_only["households_of"])


def _words(item: dict[str, Any], hidden: Hidden, *, by: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if item.get(by) not in hidden.seqs:
        return item
    return {**item, **dict.fromkeys(fields, None), "members_only": True}


def hide_in_question(question: dict[str, Any], hidden: Hidden, *, proposal_hidden: bool) -> dict[str, Any]:
    """A question on a hidden proposal: who voted stays, the choices (its options' words) do not."""
    if not proposal_hidden:
        return question
    ballots = dict.fromkeys(question.get("ballots", {}))
    return {**question, "ballots": ballots, "outcome": None, "members_only": True}


def hide_in_proposal(proposal: dict[str, Any], hidden: Hidden) -> dict[str, Any]:
    """Null the words of a proposal, amendments, objections and comments the reader may not read."""
    proposal_hidden = proposal["id"] in hidden.seqs
    shown = {**_words(proposal, hidden, by="id", fields=("title", "text"))}
    if proposal_hidden:
        shown["options"] = []
    shown["amendments"] = [
        _words(a, hidden, by="id", fields=("title", "text")) for a in proposal.get("amendments", [])
    ]
    shown["objections"] = [
        _words(o, hidden, by="id", fields=("reason", "answer")) for o in proposal.get("objections", [])
    ]
    shown["questions"] = [
        hide_in_question(q, hidden, proposal_hidden=proposal_hidden) for q in proposal.get("questions", [])
    ]
    if "comments" in proposal:
        shown["comments"] = [_words(c, hidden, by="id", fields=("text",)) for c in proposal["comments"]]
    return shown


def hide_in_meeting(meeting: dict[str, Any], hidden: Hidden, *, id_key: str = "id") -> dict[str, Any]:
    """Null the words of a meeting (or its minutes): title, agenda items, points of order, notes."""
    shown = _words(meeting, hidden, by=id_key, fields=("title",))
    shown = {**shown, "agenda": [_words(i, hidden, by="seq", fields=("title",)) for i in meeting["agenda"]]}
    shown["points_of_order"] = [
        _words(p, hidden, by="id", fields=("text", "ruling")) for p in meeting["points_of_order"]
    ]
    if "notes" in meeting:
        shown["notes"] = [_words(n, hidden, by="seq", fields=("text",)) for n in meeting["notes"]]
    if meeting.get("proposals") and isinstance(meeting["proposals"][0], dict):
        shown["proposals"] = [hide_in_proposal(p, hidden) for p in meeting["proposals"]]
    return shown


def hide_in_members(listing: dict[str, Any], hidden: Hidden) -> dict[str, Any]:
    """Hide households first written in a members-only body, and applicants' and claims' words."""
    secret = hidden.households_of
    members = [{**m, "household": None} if m["id"] in secret else m for m in listing["members"]]
    households = []
    for household in listing["households"]:
        known = [m for m in household["members"] if m not in secret]
        if known:  # a household only hidden members belong to is not listed at all
            households.append({**household, "members": known})
    return {
        **listing,
        "members": members,
        "households": households,
        "applicants": [_words(a, hidden, by="seq", fields=("household",)) for a in listing["applicants"]],
        "key_claims": [_words(c, hidden, by="seq", fields=("member",)) for c in listing["key_claims"]],
    }
