"""What an assembly's news feed holds: each decided question with its outcome, each closed meeting with
its minutes, newest first, with the time of the entry that decided or closed it.

Words (titles, minutes' notes) are `core.words.Said`: the caller shows them through `shown_to`.
"""

from dataclasses import dataclass, replace
from typing import Literal

from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import ReadModel, said
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.ledger.record import parse_entry
from ayllu.core.meetings.minutes import proposal_title
from ayllu.storage import models, reads

from .read_types import Words
from .replayed import read_state

# A feed shows the latest news; older decisions and minutes stay on the pages.
FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class DecisionFeedEntry(ReadModel):
    """A decided question: its proposal's title and the outcome's result and method."""

    kind: Literal["decision"]
    id: int  # the question
    seq: int  # the entry that closed it
    proposal: int
    title: Words
    result: str
    method: str
    members_only: bool = False  # its words are for members only (null in the answer)
    time: int = 0  # the closing entry's node time (ms)


@dataclass(frozen=True, slots=True)
class MinutesFeedEntry(ReadModel):
    """A closed meeting: its title, when it started, how many came, its proposals' titles and the notes."""

    kind: Literal["minutes"]
    id: int  # the meeting
    seq: int  # the entry that closed it
    title: Words
    plenary: bool  # a federation's plenary (its title is shown in the reader's language)
    starts: int
    present: int
    proposals: tuple[Words, ...]
    notes: tuple[Words, ...]
    members_only: bool = False  # its words are for members only (null in the answer)
    time: int = 0  # the closing entry's node time (ms)


FeedEntry = DecisionFeedEntry | MinutesFeedEntry


def _decisions(state: AssemblyState) -> list[FeedEntry]:
    return [
        DecisionFeedEntry(
            kind="decision",
            id=q.id,
            seq=q.closed_seq,
            proposal=q.proposal,
            title=proposal_title(state.proposals[q.proposal]),
            result=q.outcome.result,
            method=q.method,
        )
        for q in state.questions.values()
        if q.closed_seq and q.outcome is not None
    ]


def _minutes(state: AssemblyState) -> list[FeedEntry]:
    return [
        MinutesFeedEntry(
            kind="minutes",
            id=m.id,
            seq=m.closed_seq,
            title=said(m.title, m.id),
            plenary=is_plenary(state, m.id),
            starts=m.starts,
            present=len(m.attended),
            proposals=tuple(proposal_title(state.proposals[p]) for p in m.proposals),
            notes=tuple(said(n["text"], n["seq"]) for n in m.notes),
        )
        for m in state.meetings.values()
        if m.closed_seq
    ]


def list_feed_entries(log: str, *, size: int = FEED_SIZE) -> list[FeedEntry]:
    """The latest `size` decisions and minutes, newest first; each with `time`, its entry's node time."""
    found = read_state(log, lambda state: _decisions(state) + _minutes(state))
    found = sorted(found, key=lambda item: -item.seq)[:size]
    rows = models.Entry.objects.filter(record=reads.get_record(log), seq__in=[i.seq for i in found])
    times = {seq: parse_entry(bytes(raw)).time for seq, raw in rows.values_list("seq", "header")}
    return [replace(item, time=times[item.seq]) for item in found]
