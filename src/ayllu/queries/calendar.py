"""What an assembly's calendar holds: meetings convened, questions' deadlines, cargo terms and turns.

Two readers: the public (the assembly's own feed, anyone may subscribe) and one member (their private
feed, reached by an unguessable link, `queries.calendar_links`). The member's calendar keeps what
concerns their household: every meeting, the deadlines of the open questions they may vote on, and the terms
their household serves or is due to serve. Words (a meeting's title, a proposal's title) are wrapped in
`core.words.Said` like every read, and shown to the feed's reader through `shown_to` by the caller;
households are named by id under the key "household", for `queries.cargo_visibility` to hide and name
them as on the cargo pages.

Every event has a stable `uid` (the same object keeps the same uid as the record grows, so a phone
updates the event instead of adding a copy) and `stamp`, the time of the record's last entry.
"""

from typing import Any

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.meetings.minutes import proposal_title

from .replayed import read_state

# Meetings have a start and no planned end in the record: a calendar shows them as this long.
MEETING_MS = 2 * 3600 * 1000


def list_calendar_events(log: str, *, now: int, member: str = "", months: int = 12) -> list[dict[str, Any]]:
    """The assembly's events as the public calendar lists them, or, for `member` (a member id), those of
    their own calendar; an unknown or former member's calendar is empty. Oldest first."""

    def read(state: AssemblyState) -> list[dict[str, Any]]:
        household = ""
        if member:
            found = state.members.get(member)
            if found is None:
                return []
            household = found.household
        events = _meetings(state) + _deadlines(state, member=member)
        events += _terms(state, now=now, months=months, household=household)
        for event in events:
            event["stamp"] = state.last_time
        return sorted(events, key=lambda e: (e["start"], e["uid"]))

    return read_state(log, read)


def _meetings(state: AssemblyState) -> list[dict[str, Any]]:
    return [
        {
            "uid": f"meeting-{m.id}",
            "kind": "meeting",
            "id": m.id,
            "start": m.starts,
            "end": m.starts + MEETING_MS,
            "title": said(m.title, m.id),
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
        terms[(turn["cargo"], turn["start"])] = {
            "end": turn["end"],
            "by_turn": True,
            "households": [h["household"] for h in turn["holders"]],
        }
    for held in core.list_holdings(state, now=now):
        term = terms.setdefault(
            (held["cargo"], held["start"]), {"end": held["until"], "by_turn": False, "households": []}
        )
        if held["household"] not in term["households"]:
            term["households"].append(held["household"])
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
