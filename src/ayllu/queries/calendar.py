"""What an assembly's calendar holds: meetings convened, questions' deadlines, cargo terms and turns.

Two readers: the public (the assembly's own feed, anyone may subscribe) and one member (their private
feed, reached by an unguessable link, `queries.calendar_links`). The member's calendar keeps what
concerns their household: every meeting, the deadlines of the open questions they may vote on, and the terms
their household serves or is due to serve. Words (a meeting's title, a proposal's title) are wrapped in
`core.words.Said` like every read, and shown to the feed's reader through `shown_to` by the caller;
households are named by id under the key "household", for `queries.cargo_visibility` to hide and name
them as on the cargo pages.

The federations the assembly belongs to add their deadlines to both calendars, read from each
federation's record held on this node: a resolution awaiting the assembly's answer (`ratification`, at
its deadline) and a federation question the assembly's delegate votes on (`federation_vote`, at its
deadline). Their words are the federation's, shown as its record shows them to an outsider (the title and
the federation's name, or "" when not public), as a ratification reminder shows them.

Every event has a stable `uid` (the same object keeps the same uid as the record grows, so a phone
updates the event instead of adding a copy) and `stamp`, the time of the record's last entry.
"""

from typing import Any

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import MEMBERS_ONLY, Said, said, shown_to
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.meetings.minutes import proposal_title
from ayllu.storage import models

from .federations import _read_home, list_federations_awaiting
from .pages import get_members_only
from .replayed import read_state

# Meetings have a start and no planned end in the record: a calendar shows them as this long.
MEETING_MS = 2 * 3600 * 1000


def list_calendar_events(log: str, *, now: int, member: str = "", months: int = 12) -> list[dict[str, Any]]:
    """The assembly's events as the public calendar lists them, or, for `member` (a member id), those of
    their own calendar; an unknown or former member's calendar is empty. Oldest first."""

    def read(state: AssemblyState) -> tuple[list[dict[str, Any]], int] | None:
        household = ""
        if member:
            found = state.members.get(member)
            if found is None:
                return None
            household = found.household
        events = _meetings(state) + _deadlines(state, member=member)
        events += _terms(state, now=now, months=months, household=household)
        return events, state.last_time

    found = read_state(log, read)
    if found is None:
        return []
    events, stamp = found
    events += list_federation_deadlines(log, now=now)
    for event in events:
        event["stamp"] = stamp
    return sorted(events, key=lambda e: (e["start"], e["uid"]))


def list_federation_deadlines(log: str, *, now: int) -> list[dict[str, Any]]:
    """The deadlines the federations assembly `log` belongs to set it, from their records held here: each
    resolution awaiting its answer, and each open question of a federation it is a member of (its
    delegate votes there), with the federation's public words."""
    events = [
        _federation_event(
            f"ratification-{a.federation[:16]}-{a.resolution}", "ratification", a.federation, a.deadline
        )
        | {"resolution": a.resolution, "words": (a.title, a.name)}
        for a in list_federations_awaiting(log, now=now)
    ]
    named, _ = read_state(log, _read_home)
    held = models.Record.objects.filter(log__in=named - {log}).order_by("log").values_list("log", flat=True)
    for federation in held:
        events += read_state(federation, lambda state: _federation_votes(state, assembly=log, now=now))
    hidden: dict[str, frozenset[int]] = {}
    for event in events:
        source = event["federation_log"]
        if source not in hidden:
            hidden[source] = frozenset(get_members_only(source).seqs)
        title, name = event.pop("words")
        event["title"] = _public(title, hidden[source])
        event["federation"] = _public(name, hidden[source])
    return events


def _public(words: Said | None, hidden: frozenset[int]) -> str:
    return str(shown_to(words, hidden, withheld="") or "")


def _federation_event(uid: str, kind: str, federation: str, deadline: int) -> dict[str, Any]:
    return {
        "uid": uid,
        "kind": kind,
        "federation_log": federation,
        "start": deadline,
        "end": deadline,
        MEMBERS_ONLY: False,
    }


def _federation_votes(state: AssemblyState, *, assembly: str, now: int) -> list[dict[str, Any]]:
    """The open questions of federation `state` with a deadline still ahead, where `assembly` is a member
    (its delegate votes on them, as its mandate says)."""
    if state.rules.federation is None or assembly not in state.member_assemblies:
        return []
    return [
        _federation_event(
            f"federation-{state.log[:16]}-question-{q.id}", "federation_vote", state.log, q.deadline
        )
        | {"question": q.id, "words": (proposal_title(state.proposals[q.proposal]), said(state.name, 1))}
        for q in sorted(state.questions.values(), key=lambda q: q.id)
        if not q.closed_seq and not q.meeting and q.deadline and now < q.deadline
    ]


def _meetings(state: AssemblyState) -> list[dict[str, Any]]:
    return [
        {
            "uid": f"meeting-{m.id}",
            "kind": "meeting",
            "id": m.id,
            "start": m.starts,
            "end": m.starts + MEETING_MS,
            "title": said(m.title, m.id),
            "plenary": is_plenary(state, m.id),
            "by_petition": m.by_petition,
            MEMBERS_ONLY: False,
        }
        for m in state.meetings.values()
    ]


def _deadlines(state: AssemblyState, *, member: str) -> list[dict[str, Any]]:
    return [
        {
            "uid": f"question-{q.id}-deadline",
            "kind": "deadline",
            "id": q.id,
            "proposal": q.proposal,
            "start": q.deadline,
            "end": q.deadline,
            "title": proposal_title(state.proposals[q.proposal]),
            MEMBERS_ONLY: False,
        }
        for q in state.questions.values()
        # Open questions only: a question closed before its deadline has no deadline left to keep.
        if q.deadline and not q.closed_seq and (not member or member in q.eligible)
    ]


def _terms(state: AssemblyState, *, now: int, months: int, household: str) -> list[dict[str, Any]]:
    """Terms held now and turns coming, one event per cargo and start; only `household`'s when given."""
    terms: dict[tuple[str, int], dict[str, Any]] = {}
    for turn in core.list_turn_order_ahead(state, now=now, months=months):
        terms[(turn.cargo, turn.start)] = {
            "end": turn.end,
            "by_turn": True,
            "households": [h.household for h in turn.holders],
        }
    for held in core.list_holdings(state, now=now):
        term = terms.setdefault(
            (held.cargo, held.start), {"end": held.until, "by_turn": False, "households": []}
        )
        if held.household not in term["households"]:
            term["households"].append(held.household)
    return [
        {
            "uid": f"term-{cargo}-{start}",
            "kind": "term",
            "cargo": cargo,
            "start": start,
            "end": term["end"],
            "by_turn": term["by_turn"],
            "households": [{"household": h, "ours": h == household} for h in sorted(term["households"])],
            MEMBERS_ONLY: False,
        }
        for (cargo, start), term in terms.items()
        if not household or household in term["households"]
    ]
