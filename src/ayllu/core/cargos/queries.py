"""What pages and the API ask about cargos: who holds what until when, and the turn order ahead.

Pure reads of the replayed state; each returns plain JSON-ready values (ids, ints, strings, lists).
Times are ms. `now` is passed in: a term due since the last entry is shown as the turn order fills it.
"""

from typing import Any

from ..rotation import YEAR_MS, Turn, list_turn_order
from ..state import AssemblyState
from .powers import cargo_powers
from .terms import rotation_facts


def list_cargos(state: AssemblyState) -> list[dict[str, Any]]:
    """Every cargo: powers, burden, term, seats, and whether it is filled by turn or waits for a decision."""
    return [
        {
            "cargo": name,
            "powers": list(cargo_powers(state, name)),
            "burden": cargo.burden,
            "term_ms": cargo.term_ms,
            "seats": cargo.seats,
            "by_turn": bool(cargo.created_seq),
            "created_seq": cargo.created_seq,
            "asks_assembly_since": cargo.asks_assembly_since,
        }
        for name, cargo in sorted(state.cargos.items())
    ]


def list_holdings(state: AssemblyState, *, now: int) -> list[dict[str, Any]]:
    """Who holds which cargo at `now` and until when, with the powers that come with it."""
    found = [
        {
            "cargo": name,
            "member": t.member,
            "household": t.household,
            "start": t.start,
            "until": t.end,
            "how": t.how,
            "powers": list(cargo_powers(state, name)),
        }
        for name, cargo in state.cargos.items()
        for t in cargo.terms
        if t.start <= now < t.end and not t.ended_by and cargo.holders.get(t.member) == t.end
    ]
    # Terms that began after the last entry: replay records them with the next entry; show them now.
    for turn in _due_turns(state, now=now):
        for holder in turn.holders:
            found.append(
                {
                    "cargo": turn.cargo,
                    "member": holder.member,
                    "household": holder.household,
                    "start": turn.start,
                    "until": turn.end,
                    "how": turn.outcome,
                    "powers": list(cargo_powers(state, turn.cargo)),
                }
            )
    return sorted(found, key=lambda h: (h["cargo"], h["start"], h["member"]))


def _due_turns(state: AssemblyState, *, now: int) -> list[Turn]:
    if not state.next_turn_at or state.next_turn_at > now:
        return []
    turns = list_turn_order(rotation_facts(state), start=state.next_turn_at, until=now + 1)
    return [t for t in turns if t.start <= now < t.end]


def list_turn_order_ahead(state: AssemblyState, *, now: int, months: int = 12) -> list[dict[str, Any]]:
    """The turn order for the coming months, each term with every household's standing (the "why")."""
    if not state.next_turn_at:
        return []
    until = now + YEAR_MS * months // 12
    start = min(state.next_turn_at, now)
    turns = list_turn_order(rotation_facts(state), start=start, until=until)
    return [t.as_json() for t in turns if t.end > now]


def get_why_our_turn(
    state: AssemblyState, *, household: str, now: int, months: int = 12
) -> list[dict[str, Any]]:
    """For each coming term: where `household` stands, who stands before it, and which rules bar whom.

    The order is load first (burden x time served), then who served longest ago, then the lot drawn
    for that term from the record's id; a household barred by a rule (resting, exempt, ...) waits.
    """
    answers = []
    for turn in list_turn_order_ahead(state, now=now, months=months):
        standings = turn["standings"]
        mine = next((s for s in standings if s["household"] == household), None)
        if mine is None:
            continue
        rank = mine["rank"]
        ahead = [s for s in standings if s["rank"] is not None and (rank is None or s["rank"] < rank)]
        answers.append(
            {
                "cargo": turn["cargo"],
                "start": turn["start"],
                "end": turn["end"],
                "outcome": turn["outcome"],
                "serves": any(h["household"] == household for h in turn["holders"]),
                "standing": mine,
                "ahead": ahead,
            }
        )
    return answers
