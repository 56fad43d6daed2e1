"""What an assembly's news feed holds: each decided question with its outcome, each closed meeting with
its minutes, newest first, with the time of the entry that decided or closed it.

Words (titles, minutes' notes) are `core.words.Said`: the caller shows them through `shown_to`.
"""

from typing import Any

from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.ledger.record import parse_entry
from ayllu.core.meetings.minutes import proposal_title
from ayllu.storage import models, reads

from .replayed import read_state

# A feed shows the latest news; older decisions and minutes stay on the pages.
FEED_SIZE = 50


def _decisions(state: AssemblyState) -> list[dict[str, Any]]:
    return [
        {
            "kind": "decision",
            "id": q.id,
            "seq": q.closed_seq,
            "proposal": q.proposal,
            "title": proposal_title(state.proposals[q.proposal]),
            "result": q.outcome.result,
            "method": q.method,
            MEMBERS_ONLY: False,
        }
        for q in state.questions.values()
        if q.closed_seq and q.outcome is not None
    ]


def _minutes(state: AssemblyState) -> list[dict[str, Any]]:
    return [
        {
            "kind": "minutes",
            "id": m.id,
            "seq": m.closed_seq,
            "title": said(m.title, m.id),
            "plenary": is_plenary(state, m.id),
            "starts": m.starts,
            "present": len(m.attended),
            "proposals": [proposal_title(state.proposals[p]) for p in m.proposals],
            "notes": [said(n["text"], n["seq"]) for n in m.notes],
            MEMBERS_ONLY: False,
        }
        for m in state.meetings.values()
        if m.closed_seq
    ]


def list_feed_entries(log: str, *, size: int = FEED_SIZE) -> list[dict[str, Any]]:
    """The latest `size` decisions and minutes, newest first; each with `time`, its entry's node time."""
    found = read_state(log, lambda state: _decisions(state) + _minutes(state))
    found = sorted(found, key=lambda item: -item["seq"])[:size]
    rows = models.Entry.objects.filter(record=reads.get_record(log), seq__in=[i["seq"] for i in found])
    times = {seq: parse_entry(bytes(raw)).time for seq, raw in rows.values_list("seq", "header")}
    return [{**item, "time": times[item["seq"]]} for item in found]
