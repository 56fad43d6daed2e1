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

from dataclasses import dataclass, replace

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import ReadModel, Said, said, shown_to
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.meetings.minutes import proposal_title
from ayllu.storage import models

from .federations import _read_home, list_federations_awaiting
from .pages import get_members_only
from .read_types import Words
from .replayed import read_state

# Meetings have a start and no planned end in the record: a calendar shows them as this long.
MEETING_MS = 2 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class CalendarEntry(ReadModel):
    """An event of a calendar: its stable `uid` and its `kind` (meeting, deadline, term, ratification,
    federation_vote); `stamp`, last in every kind, is the time of the record's last entry."""

    uid: str
    kind: str


@dataclass(frozen=True, slots=True)
class MeetingEvent(CalendarEntry):
    """A meeting convened (`id`), shown as two hours long; its title is the words of its convening."""

    id: int
    start: int
    end: int
    title: Words
    plenary: bool
    by_petition: bool
    members_only: bool
    stamp: int = 0


@dataclass(frozen=True, slots=True)
class DeadlineEvent(CalendarEntry):
    """The deadline of an open question (`id`) on `proposal`; its title is the proposal's."""

    id: int
    proposal: int
    start: int
    end: int
    title: Words
    members_only: bool
    stamp: int = 0


@dataclass(frozen=True, slots=True)
class TermHousehold(ReadModel):
    """A household serving a term (null where its name is withheld), and whether it is the reader's."""

    household: str | None
    ours: bool


@dataclass(frozen=True, slots=True)
class TermEvent(CalendarEntry):
    """A term of `cargo` held now or coming by turn (`by_turn`), and the households serving it."""

    cargo: str
    start: int
    end: int
    by_turn: bool
    households: tuple[TermHousehold, ...]
    members_only: bool
    stamp: int = 0


@dataclass(frozen=True, slots=True)
class FederationDeadline(CalendarEntry):
    """A federation's deadline for the assembly, from the federation's record (`federation_log`)."""

    federation_log: str
    start: int
    end: int
    members_only: bool


@dataclass(frozen=True, slots=True)
class RatificationEvent(FederationDeadline):
    """A federation's resolution awaiting the assembly's answer, with the federation's public words (its
    title and the federation's name, "" where not public)."""

    resolution: int
    title: str = ""
    federation: str = ""
    stamp: int = 0


@dataclass(frozen=True, slots=True)
class FederationVoteEvent(FederationDeadline):
    """A federation's question the assembly's delegate votes on, with the federation's public words."""

    question: int
    title: str = ""
    federation: str = ""
    stamp: int = 0


FederationEvent = RatificationEvent | FederationVoteEvent
CalendarEvent = MeetingEvent | DeadlineEvent | TermEvent | RatificationEvent | FederationVoteEvent


def list_calendar_events(log: str, *, now: int, member: str = "", months: int = 12) -> list[CalendarEvent]:
    """The assembly's events as the public calendar lists them, or, for `member` (a member id), those of
    their own calendar; an unknown or former member's calendar is empty. Oldest first."""

    def read(state: AssemblyState) -> tuple[list[CalendarEvent], int] | None:
        household = ""
        if member:
            found = state.members.get(member)
            if found is None:
                return None
            household = found.household
        events: list[CalendarEvent] = [*_meetings(state), *_deadlines(state, member=member)]
        events += _terms(state, now=now, months=months, household=household)
        return events, state.last_time

    found = read_state(log, read)
    if found is None:
        return []
    events, stamp = found
    events += list_federation_deadlines(log, now=now)
    return sorted((replace(e, stamp=stamp) for e in events), key=lambda e: (e.start, e.uid))


def list_federation_deadlines(log: str, *, now: int) -> list[FederationEvent]:
    """The deadlines the federations assembly `log` belongs to set it, from their records held here: each
    resolution awaiting its answer, and each open question of a federation it is a member of (its
    delegate votes there), with the federation's public words."""
    said_by: list[tuple[FederationEvent, tuple[Said | None, Said | None]]] = [
        (
            RatificationEvent(
                f"ratification-{a.federation[:16]}-{a.resolution}",
                "ratification",
                a.federation,
                a.deadline,
                a.deadline,
                False,
                resolution=a.resolution,
            ),
            (a.title, a.name),
        )
        for a in list_federations_awaiting(log, now=now)
    ]
    named, _ = read_state(log, _read_home)
    held = models.Record.objects.filter(log__in=named - {log}).order_by("log").values_list("log", flat=True)
    for federation in held:
        said_by += read_state(federation, lambda state: _federation_votes(state, assembly=log, now=now))
    hidden: dict[str, frozenset[int]] = {}
    events = []
    for event, (title, name) in said_by:
        source = event.federation_log
        if source not in hidden:
            hidden[source] = frozenset(get_members_only(source).seqs)
        events.append(
            replace(event, title=_public(title, hidden[source]), federation=_public(name, hidden[source]))
        )
    return events


def _public(words: Said | None, hidden: frozenset[int]) -> str:
    return str(shown_to(words, hidden, withheld="") or "")


def _federation_votes(
    state: AssemblyState, *, assembly: str, now: int
) -> list[tuple[FederationVoteEvent, tuple[Said | None, Said | None]]]:
    """The open questions of federation `state` with a deadline still ahead, where `assembly` is a member
    (its delegate votes on them, as its mandate says), each with its words (title, federation's name)."""
    if state.rules.federation is None or assembly not in state.member_assemblies:
        return []
    return [
        (
            FederationVoteEvent(
                f"federation-{state.log[:16]}-question-{q.id}",
                "federation_vote",
                state.log,
                q.deadline,
                q.deadline,
                False,
                question=q.id,
            ),
            (proposal_title(state.proposals[q.proposal]), said(state.name, 1)),
        )
        for q in sorted(state.questions.values(), key=lambda q: q.id)
        if not q.closed_seq and not q.meeting and q.deadline and now < q.deadline
    ]


def _meetings(state: AssemblyState) -> list[MeetingEvent]:
    return [
        MeetingEvent(
            uid=f"meeting-{m.id}",
            kind="meeting",
            id=m.id,
            start=m.starts,
            end=m.starts + MEETING_MS,
            title=said(m.title, m.id),
            plenary=is_plenary(state, m.id),
            by_petition=m.by_petition,
            members_only=False,
        )
        for m in state.meetings.values()
    ]


def _deadlines(state: AssemblyState, *, member: str) -> list[DeadlineEvent]:
    return [
        DeadlineEvent(
            uid=f"question-{q.id}-deadline",
            kind="deadline",
            id=q.id,
            proposal=q.proposal,
            start=q.deadline,
            end=q.deadline,
            title=proposal_title(state.proposals[q.proposal]),
            members_only=False,
        )
        for q in state.questions.values()
        # Open questions only: a question closed before its deadline has no deadline left to keep.
        if q.deadline and not q.closed_seq and (not member or member in q.eligible)
    ]


def _terms(state: AssemblyState, *, now: int, months: int, household: str) -> list[TermEvent]:
    """Terms held now and turns coming, one event per cargo and start; only `household`'s when given."""
    # (cargo, start) -> (end, by turn, households)
    terms: dict[tuple[str, int], tuple[int, bool, list[str]]] = {}
    for turn in core.list_turn_order_ahead(state, now=now, months=months):
        terms[(turn.cargo, turn.start)] = (turn.end, True, [h.household or "" for h in turn.holders])
    for held in core.list_holdings(state, now=now):
        _, _, households = terms.setdefault((held.cargo, held.start), (held.until, False, []))
        if held.household not in households:
            households.append(held.household or "")
    return [
        TermEvent(
            uid=f"term-{cargo}-{start}",
            kind="term",
            cargo=cargo,
            start=start,
            end=end,
            by_turn=by_turn,
            households=tuple(TermHousehold(household=h, ours=h == household) for h in sorted(households)),
            members_only=False,
        )
        for (cargo, start), (end, by_turn, households) in terms.items()
        if not household or household in households
    ]
