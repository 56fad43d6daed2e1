"""Questions pages and the API ask of the replayed state: who is a member, what is open, quorum now.

All are pure reads of an `AssemblyState`; none changes it. Issue 4's queries (cargos, turns, mandates,
recall, concentration) live with their subjects and are gathered here so the API finds every read here.
"""

from dataclasses import dataclass

from ayllu.core.assembly.state import AssemblyState, Member
from ayllu.core.cargos.powers import list_powers_of
from ayllu.core.cargos.reads import (
    get_planned_roster,
    get_why_our_turn,
    list_cargos,
    list_exemptions,
    list_holdings,
    list_swap_offers,
    list_turn_order_ahead,
)
from ayllu.core.concentration.sources import get_record_concentration, list_concentration_alerts
from ayllu.core.mandates.acts import (
    list_delegate_votes,
    list_mandate_requests,
    list_mandates,
    list_report_flags,
    list_sessions,
)
from ayllu.core.mandates.recall import list_recall_petitions
from ayllu.core.meetings.acts import get_quorum, list_speakers
from ayllu.core.proposals.methods import QuorumCheck
from ayllu.core.sortition.acts import get_draw_evidence, list_draws


def get_member_by_key(state: AssemblyState, key: str) -> Member | None:
    """The member whose current key is `key`, if any."""
    member = state.key_owner.get(key)
    return None if member is None else state.members[member]


def get_meeting_quorum(state: AssemblyState, meeting: int) -> QuorumCheck:
    """The live quorum of an open meeting."""
    return get_quorum(state, state.meetings[meeting])


def list_meeting_speakers(state: AssemblyState, meeting: int) -> list[str]:
    """The speakers' queue of a meeting, in the order the chair must call it."""
    return list_speakers(state.meetings[meeting])


@dataclass(frozen=True, slots=True)
class Floor:
    """Who has the floor and until when (0: no time limit), by the charter's speaking limit."""

    speaker: str
    since: int
    until: int


def get_floor(state: AssemblyState, meeting: int) -> Floor:
    record = state.meetings[meeting]
    limit = state.rules.speaking_limit_s * 1000
    until = record.speaker_since + limit if record.speaker and limit else 0
    return Floor(record.speaker, record.speaker_since, until)


def list_cargo_holders(state: AssemblyState, cargo: str, *, now: int) -> list[str]:
    """Members holding `cargo` at `now`, in member-id order."""
    record = state.cargos.get(cargo)
    return sorted(m for m in record.holders if record.held_by(m, now=now)) if record else []


__all__ = [
    "Floor",
    "get_draw_evidence",
    "get_floor",
    "get_meeting_quorum",
    "get_member_by_key",
    "get_planned_roster",
    "get_record_concentration",
    "get_why_our_turn",
    "list_cargo_holders",
    "list_cargos",
    "list_concentration_alerts",
    "list_delegate_votes",
    "list_draws",
    "list_exemptions",
    "list_holdings",
    "list_mandate_requests",
    "list_mandates",
    "list_meeting_speakers",
    "list_powers_of",
    "list_recall_petitions",
    "list_report_flags",
    "list_sessions",
    "list_swap_offers",
    "list_turn_order_ahead",
]
