"""Reads of cargos, turns, mandates, recall, draws and concentration, as the record says they are.

Thin functions over the replayed state `queries.assembly` keeps per record (same cache, same lock) and
the core's queries (`ayllu.core.assembly.reads`, docs/cargos.md). Answers are plain JSON-ready data once shown
to a reader: every word is a `core.words.Said` (show it through `shown_to`), except households' names
(`queries.cargo_visibility` hides those) and bodies' and cargos' names (not hidden yet); shares
are `{"value": "num/den", "per_mille"}`. `now` is node time in ms, passed in by the caller (a page, an
API request's `at`, the CLI), so "who holds what" can be asked for any moment.
"""

from typing import Any

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.state import Draw
from ayllu.core.cargos.errors import UnknownDraw
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.concentration.measures import fraction_json
from ayllu.core.sortition.acts import draw_evidence, pool_attributes
from ayllu.core.sortition.preparation import lottery_probabilities

from .replayed import read_memo, read_state

MONTH_MS = 30 * 24 * 3600 * 1000


def list_cargos(log: str) -> list[dict[str, Any]]:
    """Every cargo: powers, burden, term, seats, filled by turn or waiting for the assembly."""
    return read_state(log, core.list_cargos)


def list_holdings(log: str, *, now: int) -> list[dict[str, Any]]:
    """Who holds which cargo at `now`, until when, and with which powers."""
    return read_state(log, lambda state: core.list_holdings(state, now=now))


def list_turn_order(log: str, *, now: int, months: int = 12) -> list[dict[str, Any]]:
    """Every term of every turn cargo in the coming months, each with every household's standing."""
    return read_state(log, lambda state: core.list_turn_order_ahead(state, now=now, months=months))


def get_planned_roster(log: str, *, now: int, months: int = 12, cargo: str = "") -> dict[str, Any]:
    """The roster solved all at once for the coming months, next to the turn order, for every cargo or
    one (`unknown_cargo_name` if `cargo` is not filled by turn). The turn order decides; this plans.

    Planned from the start of `now`'s day (UTC) and kept per record head and day: one solve takes
    HiGHS a noticeable fraction of a second, and every page view would repeat it. Callers must not
    change the answer.
    """
    day = now - now % DAY_MS
    return read_memo(
        log,
        f"cargos.roster.{day}.{months}.{cargo}",
        lambda state: core.get_planned_roster(state, now=day, months=months, cargo=cargo),
    )


def get_why_our_turn(log: str, *, household: str, now: int, months: int = 12) -> list[dict[str, Any]] | None:
    """For each coming term: where `household` stands and who stands before it (None: no such household)."""

    def read(state: AssemblyState) -> list[dict[str, Any]] | None:
        if household not in state.households:
            return None
        return core.get_why_our_turn(state, household=household, now=now, months=months)

    return read_state(log, read)


def get_households(log: str) -> dict[str, list[str]]:
    """Every household the record names, with its members (current and former), by name."""
    return read_state(log, lambda state: {h: sorted(members) for h, members in state.households.items()})


def get_household_of(log: str, *, member: str) -> str:
    """The household `member` belongs to, as replay holds it ("" for no current member), whatever body
    it was written in: for logic (which turns are ours), never to be shown as it is (a household
    written in a confidential body is shown to nobody; `pages.get_people` has what may be shown)."""

    def read(state: AssemblyState) -> str:
        found = state.members.get(member)
        return found.household if found is not None else ""

    return read_state(log, read)


def list_powers_of(log: str, *, member: str, now: int) -> list[dict[str, str]]:
    """Every power `member` holds at `now`, with the cargo it comes from."""

    def read(state: AssemblyState) -> list[dict[str, str]]:
        return [
            {"cargo": cargo, "power": power} for cargo, power in core.list_powers_of(state, member, now=now)
        ]

    return read_state(log, read)


def list_recall_petitions(log: str, *, open_only: bool = True) -> list[dict[str, Any]]:
    """Recall petitions: signers, the count needed, the question they opened and where it stands."""
    return read_state(log, lambda state: core.list_recall_petitions(state, open_only=open_only))


def list_mandates(log: str, *, body: str = "") -> dict[str, Any]:
    """The assembly's mandates (positions per body and question) and its delegates' requests for one."""

    def read(state: AssemblyState) -> dict[str, Any]:
        return {
            "mandates": core.list_mandates(state, body=body),
            "requests": core.list_mandate_requests(state, body=body),
        }

    return read_state(log, read)


def list_sessions(log: str, *, now: int, body: str = "") -> list[dict[str, Any]]:
    """Sessions of other bodies: who represented the assembly, the report, and whether it is overdue."""
    return read_state(log, lambda state: core.list_sessions(state, now=now, body=body))


def list_report_flags(log: str, *, now: int) -> list[dict[str, Any]]:
    """Overdue delegates' reports at `now`, shown to every member."""
    return read_state(log, lambda state: core.list_report_flags(state, now=now))


def list_delegate_votes(log: str, *, flagged_only: bool = False) -> list[dict[str, Any]]:
    """Delegates' votes in other bodies, cast through ayllu or reported, with their mandate flags."""
    return read_state(log, lambda state: core.list_delegate_votes(state, flagged_only=flagged_only))


def _draw(state: AssemblyState, draw_id: int) -> Draw:
    draw = state.draws.get(draw_id)
    if draw is None:
        raise UnknownDraw(draw=draw_id)
    return draw


def list_draws(log: str) -> list[dict[str, Any]]:
    """Every draw with its evidence (hashes, commitments, reveals, seed, index, panel), oldest first;
    purpose and quotas are `Said`s of `draw.prepared`."""
    return read_state(log, core.list_draws)


def get_draw(log: str, draw_id: int) -> dict[str, Any]:
    """One draw: its evidence, the pool with attributes, and every pool member's exact chance (purpose,
    quotas and attributes are `Said`s of `draw.prepared`)."""

    def read(state: AssemblyState) -> dict[str, Any]:
        draw = _draw(state, draw_id)
        chances = lottery_probabilities(draw)
        return {
            **core.get_draw_evidence(state, draw_id),
            "pool": pool_attributes(draw),
            "chances": {member: fraction_json(chance) for member, chance in sorted(chances.items())},
        }

    return read_state(log, read)


def get_draw_recomputation(log: str, draw_id: int) -> dict[str, Any]:
    """Exactly what `sortition.recompute_draw` reads: lottery document, hash, beacons, commitments, reveals.

    `beacon` is the value recorded at completion (None before): anyone recomputes the draw from this
    answer alone, and checks the beacon value against its named source themselves.
    """

    def read(state: AssemblyState) -> dict[str, Any]:
        draw = _draw(state, draw_id)
        return draw_evidence(draw, beacon=dict(draw.beacon) if draw.beacon else {})

    evidence = read_state(log, read)
    evidence["beacon"] = evidence["beacon"] or None
    return evidence


def get_concentration(log: str, *, start: int, end: int) -> dict[str, Any]:
    """Shares, Gini, top-decile share and breadth of every activity in [start, end), and the alerts."""
    return read_state(log, lambda state: core.get_record_concentration(state, start=start, end=end).as_json())


def list_concentration_alerts(log: str, *, start: int, end: int) -> list[dict[str, Any]]:
    """Only the alerts the charter's thresholds raise for [start, end)."""

    def read(state: AssemblyState) -> list[dict[str, Any]]:
        return [a.as_json() for a in core.list_concentration_alerts(state, start=start, end=end)]

    return read_state(log, read)
