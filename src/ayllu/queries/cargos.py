"""Reads of cargos, turns, mandates, recall, draws and concentration, as the record says they are.

Thin functions over the replayed state `queries.assembly` keeps per record (same cache, same lock) and
the core's queries (`ayllu.core.assembly.reads`, docs/cargos.md). Answers are plain JSON-ready data once shown
to a reader: every word is a `core.words.Said` (show it through `shown_to`), except households' names
(`queries.cargo_visibility` hides those) and bodies' and cargos' names (not hidden yet); shares
are `{"value": "num/den", "per_mille"}`. `now` is node time in ms, passed in by the caller (a page, an
API request's `at`, the CLI), so "who holds what" can be asked for any moment.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from pydantic.json_schema import SkipJsonSchema

from ayllu.core.assembly import reads as core
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.state import Draw
from ayllu.core.assembly.words import ReadModel, Said, fields_of, said
from ayllu.core.cargos.errors import UnknownDraw
from ayllu.core.cargos.powers import REPRESENT_IN

# the core's answers, named here for the API and the pages
from ayllu.core.cargos.reads import CargoRead as CargoRead
from ayllu.core.cargos.reads import CargoTurnRead as CargoTurnRead
from ayllu.core.cargos.reads import ExemptionRead as ExemptionRead
from ayllu.core.cargos.reads import HoldingRead as HoldingRead
from ayllu.core.cargos.reads import RosterHolders as RosterHolders
from ayllu.core.cargos.reads import RosterLoadRead as RosterLoadRead
from ayllu.core.cargos.reads import RosterRead as RosterRead
from ayllu.core.cargos.reads import RosterTermRead as RosterTermRead
from ayllu.core.cargos.reads import StandingRead as StandingRead
from ayllu.core.cargos.reads import SwapOfferRead as SwapOfferRead
from ayllu.core.cargos.reads import TurnHolder as TurnHolder
from ayllu.core.cargos.reads import WhyOurTurnRead as WhyOurTurnRead
from ayllu.core.cargos.rotation import YEAR_MS as YEAR_MS
from ayllu.core.charter.members import household_names
from ayllu.core.charter.rules import DAY_MS, DRAW_PANELS_DEFAULT
from ayllu.core.concentration.measures import KINDS, Alert, Measure
from ayllu.core.federations.credentials import CredentialRead as CredentialRead
from ayllu.core.federations.credentials import list_credentials
from ayllu.core.federations.standing import member_base
from ayllu.core.mandates.acts import DelegateVoteRead as CoreDelegateVote
from ayllu.core.mandates.acts import MandateRead as CoreMandate
from ayllu.core.mandates.acts import MandateRequestRead as CoreMandateRequest
from ayllu.core.mandates.acts import SessionRead as CoreSession
from ayllu.core.mandates.acts import delegates_of
from ayllu.core.mandates.recall import RecallPetitionRead as CoreRecallPetition
from ayllu.core.sortition import recompute_draw
from ayllu.core.sortition.acts import DrawRead as DrawEvidence
from ayllu.core.sortition.acts import QuotaRead as QuotaRead
from ayllu.core.sortition.acts import draw_evidence, pool_attributes
from ayllu.core.sortition.preparation import lottery_probabilities, prepare_draw

from .read_types import Words
from .replayed import read_memo, read_state

MONTH_MS = 30 * 24 * 3600 * 1000


def get_draw_panels(log: str) -> int:
    """How many panels a draw's lottery lists in this assembly: its charter's number, else the default."""
    return read_state(
        log, lambda state: DRAW_PANELS_DEFAULT if state.charter is None else state.charter.panels_for_draws()
    )


def list_cargos(log: str) -> list[CargoRead]:
    """Every cargo: powers, burden, term, seats, filled by turn or waiting for the assembly."""
    return read_state(log, core.list_cargos)


def list_holdings(log: str, *, now: int) -> list[HoldingRead]:
    """Who holds which cargo at `now`, until when, and with which powers."""
    return read_state(log, lambda state: core.list_holdings(state, now=now))


def list_turn_order(log: str, *, now: int, months: int = 12) -> list[CargoTurnRead]:
    """Every term of every turn cargo in the coming months, each with every household's standing."""

    def read(state: AssemblyState) -> list[CargoTurnRead]:
        return core.list_turn_order_ahead(state, now=now, months=months)

    return read_state(log, read)


def get_planned_roster(log: str, *, now: int, months: int = 12, cargo: str = "") -> RosterRead:
    """The roster solved all at once for the coming months, next to the turn order, for every cargo or
    one (`unknown_cargo_name` if `cargo` is not filled by turn). The turn order decides; this plans.

    Planned from the start of `now`'s day (UTC) and kept per record head and day: one solve takes
    HiGHS a noticeable fraction of a second, and every page view would repeat it (the answer is frozen).
    """
    day = now - now % DAY_MS
    return read_memo(
        log,
        f"cargos.roster.{day}.{months}.{cargo}",
        lambda state: core.get_planned_roster(state, now=day, months=months, cargo=cargo),
    )


def get_why_our_turn(log: str, *, household: str, now: int, months: int = 12) -> list[WhyOurTurnRead] | None:
    """For each coming term: where `household` stands and who stands before it (None: no such household)."""

    def read(state: AssemblyState) -> list[WhyOurTurnRead] | None:
        if household not in state.households:
            return None
        return core.get_why_our_turn(state, household=household, now=now, months=months)

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class HouseholdRead(ReadModel):
    """A household the record names (by id: its name may be hidden, `cargo_visibility`), with its
    members, current and former, sorted."""

    household: str
    members: tuple[str, ...]


def get_households(log: str) -> tuple[HouseholdRead, ...]:
    """Every household the record names, with its members (current and former)."""
    return read_state(
        log,
        lambda state: tuple(
            HouseholdRead(household=h, members=tuple(sorted(members)))
            for h, members in state.households.items()
        ),
    )


def get_household_names(log: str, *, hidden: frozenset[int]) -> dict[str, str]:
    """The households' names a reader from whom the acts `hidden` are hidden may read, by id (format 2:
    a name is the words of the act that made the household; format-1 households are called by id)."""
    return read_state(log, lambda state: household_names(state, hidden))


def get_household_of(log: str, *, member: str) -> str:
    """The household `member` belongs to, as replay holds it ("" for no current member), whatever body
    it was written in: for logic (which turns are ours), never to be shown as it is (a household
    written in a confidential body is shown to nobody; `pages.get_people` has what may be shown)."""

    def read(state: AssemblyState) -> str:
        found = state.members.get(member)
        return found.household if found is not None else ""

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class PowerHeld:
    """A power a member holds, and the cargo it comes from."""

    cargo: str
    power: str


def list_powers_of(log: str, *, member: str, now: int) -> list[PowerHeld]:
    """Every power `member` holds at `now`, with the cargo it comes from."""

    def read(state: AssemblyState) -> list[PowerHeld]:
        return [
            PowerHeld(cargo=cargo, power=power)
            for cargo, power in core.list_powers_of(state, member, now=now)
        ]

    return read_state(log, read)


# The core's reads whose words the API's schema types as `Words` (described as the core describes them).


@dataclass(frozen=True, slots=True)
class RecallPetitionRead(CoreRecallPetition):
    __doc__ = CoreRecallPetition.__doc__

    reason: Words


@dataclass(frozen=True, slots=True)
class MandateRead(CoreMandate):
    __doc__ = CoreMandate.__doc__

    question: Words
    position: Words


@dataclass(frozen=True, slots=True)
class MandateRequestRead(CoreMandateRequest):
    __doc__ = CoreMandateRequest.__doc__

    question: Words
    text: Words


@dataclass(frozen=True, slots=True)
class MandatesRead(ReadModel):
    """The assembly's mandates, per body and question, and its delegates' requests for new ones."""

    mandates: tuple[MandateRead, ...]
    requests: tuple[MandateRequestRead, ...]


@dataclass(frozen=True, slots=True)
class SessionRead(CoreSession):
    __doc__ = CoreSession.__doc__

    session: Words


@dataclass(frozen=True, slots=True)
class DelegateVoteRead(CoreDelegateVote):
    __doc__ = CoreDelegateVote.__doc__

    session: Words
    question: Words
    choice: Words


R = TypeVar("R", bound=ReadModel)


def _as(kind: type[R], found: ReadModel) -> R:
    """The core's read `found` as the read model `kind` that extends it (its words typed for the API)."""
    return kind(**fields_of(found))


def recall_petitions(state: AssemblyState, *, open_only: bool) -> list[RecallPetitionRead]:
    """The recall petitions of a replayed state (open ones only, or all), for the reads below and the
    member's home."""
    return [_as(RecallPetitionRead, p) for p in core.list_recall_petitions(state, open_only=open_only)]


def _sessions(found: list[CoreSession]) -> list[SessionRead]:
    return [_as(SessionRead, s) for s in found]


def report_flags(state: AssemblyState, *, now: int) -> list[SessionRead]:
    """The sessions whose report is overdue at `now` (a read of a state, for the member's home)."""
    return _sessions(core.list_report_flags(state, now=now))


def delegate_votes(state: AssemblyState, *, flagged_only: bool = False) -> list[DelegateVoteRead]:
    """The delegates' votes of a replayed state (flagged ones only, or all)."""
    return [_as(DelegateVoteRead, v) for v in core.list_delegate_votes(state, flagged_only=flagged_only)]


def mandates(state: AssemblyState, *, body: str = "") -> tuple[MandateRead, ...]:
    """The mandates of a replayed state (of one body, or all)."""
    return tuple(_as(MandateRead, m) for m in core.list_mandates(state, body=body))


def mandate_requests(state: AssemblyState, *, body: str = "") -> tuple[MandateRequestRead, ...]:
    """The delegates' requests for a mandate of a replayed state (of one body, or all)."""
    return tuple(_as(MandateRequestRead, r) for r in core.list_mandate_requests(state, body=body))


def list_recall_petitions(log: str, *, open_only: bool = True) -> list[RecallPetitionRead]:
    """Recall petitions: signers, the count needed, the question they opened and where it stands."""

    return read_state(log, lambda state: recall_petitions(state, open_only=open_only))


def list_mandates(log: str, *, body: str = "") -> MandatesRead:
    """The assembly's mandates (positions per body and question) and its delegates' requests for one."""

    def read(state: AssemblyState) -> MandatesRead:
        return MandatesRead(mandates=mandates(state, body=body), requests=mandate_requests(state, body=body))

    return read_state(log, read)


def list_sessions(log: str, *, now: int, body: str = "") -> list[SessionRead]:
    """Sessions of other bodies: who represented the assembly, the report, and whether it is overdue."""
    return read_state(log, lambda state: _sessions(core.list_sessions(state, now=now, body=body)))


def list_report_flags(log: str, *, now: int) -> list[SessionRead]:
    """Overdue delegates' reports at `now`, shown to every member."""
    return read_state(log, lambda state: report_flags(state, now=now))


def list_delegate_votes(log: str, *, flagged_only: bool = False) -> list[DelegateVoteRead]:
    """Delegates' votes in other bodies, cast through ayllu or reported, with their mandate flags."""

    return read_state(log, lambda state: delegate_votes(state, flagged_only=flagged_only))


def _draw(state: AssemblyState, draw_id: int) -> Draw:
    draw = state.draws.get(draw_id)
    if draw is None:
        raise UnknownDraw(draw=draw_id)
    return draw


@dataclass(frozen=True, slots=True)
class FractionRead(ReadModel):
    """An exact fraction ("num/den") and the same per mille (nearest, ties to even)."""

    value: str
    per_mille: int


# A draw's quotas, words of `draw.prepared` (null where withheld from the reader).
Quotas = Sequence[QuotaRead] | None | SkipJsonSchema[Said]
# A pool member's attributes ({category: feature}), words of `draw.prepared`.
Attributes = Mapping[str, str] | None | SkipJsonSchema[Said]


@dataclass(frozen=True, slots=True)
class DrawRead(DrawEvidence):
    """A draw by lot and all a member needs to recompute it by hand. Only its purpose and quotas are words
    (null for a reader they are withheld from); the pool's size, the deadlines, hashes, commitments,
    reveals, beacon and panel are shown to everyone (docs/access-policy.md). `withheld` names who
    committed a secret and never revealed it; until the panel is drawn `index` is -1 and `seed` ""."""

    purpose: Words
    quotas: Quotas


def _draw_read(state: AssemblyState, draw_id: int) -> DrawRead:
    return _as(DrawRead, core.get_draw_evidence(state, draw_id))


@dataclass(frozen=True, slots=True)
class DrawDetailRead(DrawRead):
    """One draw: its evidence, the pool with each member's attributes, and each one's exact chance."""

    pool: Mapping[str, Attributes]
    chances: Mapping[str, FractionRead]


def list_draws(log: str) -> list[DrawRead]:
    """Every draw with its evidence (hashes, commitments, reveals, seed, index, panel), oldest first;
    purpose and quotas are `Said`s of `draw.prepared`."""
    return read_state(log, lambda state: [_draw_read(state, d) for d in sorted(state.draws)])


def get_draw(log: str, draw_id: int) -> DrawDetailRead:
    """One draw: its evidence, the pool with attributes, and every pool member's exact chance (purpose,
    quotas and attributes are `Said`s of `draw.prepared`)."""

    def read(state: AssemblyState) -> DrawDetailRead:
        draw = _draw(state, draw_id)
        chances = lottery_probabilities(draw)
        return DrawDetailRead(
            **fields_of(_draw_read(state, draw_id), DrawRead),
            pool=pool_attributes(draw),
            chances={member: _fraction(chance) for member, chance in sorted(chances.items())},
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class DrawRecomputation(ReadModel):
    """Exactly what `sortition.recompute_draw` reads: the lottery document, its hash, the beacons named in
    advance, the commitments and reveals, and the beacon recorded at completion (null before). Anyone
    recomputes the draw from this answer alone (`as_evidence`), and checks the beacon value against its
    named source themselves."""

    lottery: Mapping[str, object]
    lottery_hash: str
    beacon_chain: tuple[Mapping[str, object], ...]
    commitments: Mapping[str, str]
    reveals: Mapping[str, str]
    beacon: Mapping[str, object] | None

    def as_evidence(self, *, beacon: Mapping[str, object] | None = None) -> dict[str, object]:
        """The evidence `recompute_draw` reads, with `beacon` in place of the recorded one if given."""
        return {
            **fields_of(self),
            "beacon_chain": list(self.beacon_chain),
            "beacon": beacon or self.beacon or {},
        }


@dataclass(frozen=True, slots=True)
class CompletedDrawEvidence(DrawRecomputation):
    """A completed draw's evidence file: what `recompute_draw` reads, with the purpose, the quotas and
    the pool's attributes (words of `draw.prepared`: `Said`s until `shown_to`), and the index, panel and
    seed drawn."""

    draw: int
    purpose: Words
    quotas: Said | Sequence[Mapping[str, object]] | None
    index: int
    panel: tuple[str, ...]
    seed: str
    members_only: bool
    pool: Mapping[str, Attributes]


def _recomputation(draw: Draw) -> DrawRecomputation:
    evidence = draw_evidence(draw, beacon=dict(draw.beacon))
    return DrawRecomputation(
        **{**evidence, "beacon_chain": tuple(evidence["beacon_chain"]), "beacon": evidence["beacon"] or None}
    )


def get_draw_recomputation(log: str, draw_id: int) -> DrawRecomputation:
    """What `sortition.recompute_draw` reads: lottery document, hash, beacons, commitments, reveals."""
    return read_state(log, lambda state: _recomputation(_draw(state, draw_id)))


HOUR_MS = 3_600_000


def get_draw_preparation(
    log: str, *, purpose: str, panel_size: int, hours: int, beacon: Mapping[str, object], now: int
) -> dict[str, Any]:
    """The body of `draw.prepared` for a panel drawn from every active member, without quotas: the list
    of panels the node's solver makes (equal chances), committing open for `hours`, revealing for as
    long again, and the named beacon round due an hour after the reveals close.

    Raise the sortition's errors when no such panel can be drawn (more seats than members, ...).
    """
    pool: dict[str, dict[str, str]] = read_state(log, lambda state: {m: {} for m in state.active_members()})
    prepared = prepare_draw(pool, quotas=[], panel_size=panel_size, size=get_draw_panels(log))
    commit_until = now + hours * HOUR_MS
    reveal_until = commit_until + hours * HOUR_MS
    return {
        "purpose": purpose,
        **prepared,
        "commit_until": commit_until,
        "reveal_until": reveal_until,
        "beacon_chain": [beacon],
        "beacon_after": reveal_until + HOUR_MS,
    }


def get_draw_completion(
    log: str, draw_id: int, *, beacon_value: str, beacon: Mapping[str, object] | None = None
) -> dict[str, Any]:
    """The body of `draw.completed` once the beacon's value is known: the index and panel recomputed from
    the record, for the round `beacon` names (default: the first the draw named in advance).

    Raise the draw's evidence errors when the value cannot complete it (not hex, wrong length, ...).
    """
    evidence = get_draw_recomputation(log, draw_id)
    named = beacon or evidence.beacon_chain[0]
    full = {"source": named["source"], "round": named["round"], "value": beacon_value}
    result = recompute_draw(evidence.as_evidence(beacon=full))
    return {"draw": draw_id, "index": result.index, "panel": list(result.panel), "beacon": full}


def get_completed_draw_evidence(log: str, draw_id: int) -> CompletedDrawEvidence:
    """A completed draw's evidence file; `unknown_draw` for a draw not completed yet."""

    def read(state: AssemblyState) -> CompletedDrawEvidence:
        draw = _draw(state, draw_id)
        if not draw.completed_seq:
            raise UnknownDraw(draw=draw_id)
        return CompletedDrawEvidence(
            **fields_of(_recomputation(draw)),
            draw=draw.id,
            purpose=said(draw.purpose, draw.id),
            quotas=said(draw.quotas, draw.id),
            index=draw.index,
            panel=tuple(draw.panel),
            seed=draw.seed,
            members_only=False,
            pool=pool_attributes(draw),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class ShareRead(ReadModel):
    """One person's or household's share of an activity (`id`: a member, or a household, null where its
    name was written for members only)."""

    id: str | None
    value: str
    per_mille: int


@dataclass(frozen=True, slots=True)
class MeasureRead(ReadModel):
    """One kind of activity counted per person or per household (`unit`): its total, the population
    counted, every share (largest first), the Gini coefficient, the top tenth's share and the breadth."""

    kind: str
    unit: str
    total: int
    population: int
    shares: tuple[ShareRead, ...]
    gini: FractionRead
    top_decile_share: FractionRead
    breadth: FractionRead


@dataclass(frozen=True, slots=True)
class AlertRead(ReadModel):
    """A measure past the charter's threshold (`code`: gini_above_threshold, ...), its value and limit."""

    kind: str
    unit: str
    code: str
    value: FractionRead
    threshold: FractionRead


@dataclass(frozen=True, slots=True)
class ConcentrationRead(ReadModel):
    """Every measure of [start, end), and the alerts the charter's thresholds raise."""

    start: int
    end: int
    measures: tuple[MeasureRead, ...]
    alerts: tuple[AlertRead, ...]


def _fraction(value: Fraction) -> FractionRead:
    return FractionRead(value=f"{value.numerator}/{value.denominator}", per_mille=round(value * 1000))


def _alert(alert: Alert) -> AlertRead:
    return AlertRead(
        kind=alert.kind,
        unit=alert.unit,
        code=alert.code,
        value=_fraction(alert.value),
        threshold=_fraction(alert.threshold),
    )


def measure_read(measure: Measure) -> MeasureRead:
    """A measure of core/concentration as a read (its fractions exact and per mille)."""
    return MeasureRead(
        kind=measure.kind,
        unit=measure.unit,
        total=measure.total,
        population=measure.population,
        shares=tuple(
            ShareRead(id=who, **fields_of(_fraction(share), FractionRead)) for who, share in measure.shares
        ),
        gini=_fraction(measure.gini),
        top_decile_share=_fraction(measure.top_decile_share),
        breadth=_fraction(measure.breadth),
    )


# The kinds of measure a concentration read holds, in the order pages show them.
CONCENTRATION_KINDS: tuple[str, ...] = KINDS


def get_concentration(log: str, *, start: int, end: int) -> ConcentrationRead:
    """Shares, Gini, top-decile share and breadth of every activity in [start, end), and the alerts."""

    def read(state: AssemblyState) -> ConcentrationRead:
        found = core.get_record_concentration(state, start=start, end=end)
        return ConcentrationRead(
            start=found.start,
            end=found.end,
            measures=tuple(measure_read(m) for m in found.measures),
            alerts=tuple(_alert(a) for a in found.alerts),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class ThresholdRead(ReadModel):
    """A limit the charter sets on concentration (`limit`: max_gini, max_top_decile_share,
    max_single_share, min_breadth) and its share."""

    limit: str
    share: FractionRead


def get_concentration_thresholds(log: str) -> tuple[ThresholdRead, ...]:
    """The charter's thresholds above which concentration raises an alert, in the charter's order."""
    return read_state(
        log,
        lambda state: tuple(
            ThresholdRead(limit=name, share=_fraction(share))
            for name, share in state.rules.cargo.concentration
        ),
    )


def list_concentration_alerts(log: str, *, start: int, end: int) -> list[AlertRead]:
    """Only the alerts the charter's thresholds raise for [start, end)."""

    def read(state: AssemblyState) -> list[AlertRead]:
        return [_alert(a) for a in core.list_concentration_alerts(state, start=start, end=end)]

    return read_state(log, read)


# --- the cargo pages' reads ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CargoOnPage(CargoRead):
    """A cargo as the cargos page shows it: its term in days, and who holds it now."""

    term_days: int
    holdings: tuple[HoldingRead, ...]


@dataclass(frozen=True, slots=True)
class TurnWhy(ReadModel):
    """Why the first household named for a term comes before the next one that may serve (`runner`), as
    a code: only_one, least_load, never_served, waited_longest, lot; ask_assembly when nobody may."""

    code: str
    first: StandingRead | None = None
    runner: StandingRead | None = None


def explain_turn(turn: CargoTurnRead) -> TurnWhy:
    """Why the first household named for `turn` comes before the next one that may serve."""
    if not turn.holders:
        return TurnWhy(code="ask_assembly")
    ranked = [s for s in turn.standings if s.rank is not None]
    chosen = {h.household for h in turn.holders}
    runner = next((s for s in ranked if s.household not in chosen), None)
    first = next(s for s in ranked if s.household in chosen)
    if runner is None:
        return TurnWhy(code="only_one", first=first)
    if first.load < runner.load:
        code = "least_load"
    elif first.last_served != runner.last_served:
        code = "never_served" if first.last_served is None else "waited_longest"
    else:
        code = "lot"
    return TurnWhy(code=code, first=first, runner=runner)


@dataclass(frozen=True, slots=True)
class TurnAhead(CargoTurnRead):
    """A term of the turn order as the cargos page shows it: with why its household comes first."""

    why: TurnWhy


@dataclass(frozen=True, slots=True)
class CargosPage(ReadModel):
    """What the cargos page shows: every cargo with its holdings, the turn order ahead (each term with
    why its household comes first), swap offers, households that may serve, exemptions."""

    cargos: tuple[CargoOnPage, ...]
    holdings: tuple[HoldingRead, ...]
    ahead: tuple[TurnAhead, ...]
    offers: tuple[SwapOfferRead, ...]
    households: tuple[str, ...]
    exemptions: tuple[ExemptionRead, ...]


def get_cargos_page(log: str, *, now: int) -> CargosPage:
    """What the cargos page shows, read at `now`."""

    def read(state: AssemblyState) -> CargosPage:
        holdings = core.list_holdings(state, now=now)
        cargos = tuple(
            CargoOnPage(
                **fields_of(cargo, CargoRead),
                term_days=cargo.term_ms // DAY_MS,
                holdings=tuple(h for h in holdings if h.cargo == cargo.cargo),
            )
            for cargo in core.list_cargos(state)
        )
        ahead = [
            TurnAhead(**fields_of(turn, CargoTurnRead), why=explain_turn(turn))
            for turn in core.list_turn_order_ahead(state, now=now)
        ]
        return CargosPage(
            cargos=cargos,
            holdings=tuple(holdings),
            ahead=tuple(ahead),
            offers=tuple(core.list_swap_offers(state)),
            households=tuple(sorted(h for h, n in state.household_active.items() if n)),
            exemptions=tuple(core.list_exemptions(state, now=now)),
        )

    return read_state(log, read)


def list_bodies(state: AssemblyState) -> list[str]:
    """Every other body the record names: in mandates, sessions, delegates' votes or a cargo's powers."""
    named = {b for b, _ in state.mandates} | {b for b, _ in state.sessions}
    named |= {a.body for a in state.delegate_acts}
    for cargo in state.cargos.values():
        named |= {p.removeprefix(REPRESENT_IN) for p in cargo.powers if p.startswith(REPRESENT_IN)}
    return sorted(named)


def list_past_delegates(state: AssemblyState, body: str) -> list[str]:
    """Everyone who ever held a cargo with the power to represent the assembly in `body`, sorted."""
    power = REPRESENT_IN + body
    return sorted({t.member for c in state.cargos.values() if power in c.powers for t in c.terms})


@dataclass(frozen=True, slots=True)
class BodyRead(ReadModel):
    """Another body the assembly is represented in: its delegates now and before, the assembly's
    mandates, its delegates' votes and sessions (newest first), their requests for a mandate and, for a
    federation's log id, the credentials its delegates issued for it."""

    body: str
    delegates: tuple[str, ...]
    mandates: tuple[MandateRead, ...]
    votes: tuple[DelegateVoteRead, ...]
    sessions: tuple[SessionRead, ...]
    requests: tuple[MandateRequestRead, ...]
    past_delegates: tuple[str, ...]
    credentials: tuple[CredentialRead, ...]


@dataclass(frozen=True, slots=True)
class MandatesPage(ReadModel):
    """What the mandates page shows: every other body, and every overdue report and flagged vote."""

    bodies: tuple[BodyRead, ...]
    overdue: tuple[SessionRead, ...]
    flagged: tuple[DelegateVoteRead, ...]


def get_mandates_page(log: str, *, now: int) -> MandatesPage:
    """Per other body: its delegates now and before, the assembly's mandates, its delegates' votes and
    sessions (newest first) and requests; and every overdue report and flagged vote."""

    def read(state: AssemblyState) -> MandatesPage:
        sessions = _sessions(core.list_sessions(state, now=now))
        votes = delegate_votes(state)
        bodies = tuple(
            BodyRead(
                body=body,
                delegates=tuple(delegates_of(state, body, now=now)),
                mandates=mandates(state, body=body),
                votes=tuple(v for v in votes if v.body == body)[::-1],
                sessions=tuple(s for s in sessions if s.body == body)[::-1],
                requests=mandate_requests(state, body=body),
                past_delegates=tuple(list_past_delegates(state, body)),
                # a body named by a federation's log id: the credentials its delegates issued for it
                credentials=tuple(list_credentials(state, federation=body, now=now)),
            )
            for body in list_bodies(state)
        )
        return MandatesPage(
            bodies=bodies,
            overdue=tuple(s for s in sessions if s.overdue),
            flagged=tuple(v for v in votes if v.flag),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class RecallOnPage(RecallPetitionRead):
    """A recall petition as the recall page shows it: once its question opened, the vote's deadline, how
    many voted of how many may, the counts (a `Said` of the ballots: one ballot the reader may not read
    hides them) and the reader's own ballot ("" for none)."""

    deadline: int = 0
    voted: int = 0
    eligible: int = 0
    counts: Said | Mapping[str, int] | None = None
    my_vote: str = ""


@dataclass(frozen=True, slots=True)
class RecallPage(ReadModel):
    """What the recall page shows: open petitions (newest first), past ones, current holdings, the
    signatures the charter needs now and its recall threshold (per mille)."""

    open: tuple[RecallOnPage, ...]
    past: tuple[RecallOnPage, ...]
    holdings: tuple[HoldingRead, ...]
    needed: int
    threshold: int


def get_recall_page(log: str, *, now: int, me: str) -> RecallPage:
    """Recall petitions (open ones newest first, then past ones) with their vote where one opened and
    `me`'s ballot in it; current holdings; the charter's signatures and threshold (per mille)."""

    def read(state: AssemblyState) -> RecallPage:
        petitions = [_recall_on_page(state, p, me=me) for p in recall_petitions(state, open_only=False)]
        return RecallPage(
            open=tuple(p for p in petitions if p.status in OPEN_RECALL)[::-1],
            past=tuple(p for p in petitions if p.status not in OPEN_RECALL)[::-1],
            holdings=tuple(core.list_holdings(state, now=now)),
            # in a federation, member assemblies (decision 0033)
            needed=state.rules.needed("recall", members=member_base(state)),
            threshold=round(state.rules.cargo.recall_threshold * 1000),
        )

    return read_state(log, read)


OPEN_RECALL = ("collecting", "deliberation", "voting")


def _recall_on_page(state: AssemblyState, petition: RecallPetitionRead, *, me: str) -> RecallOnPage:
    question = state.questions.get(petition.question) if petition.question else None
    if question is None:
        return _as(RecallOnPage, petition)
    votes = list(question.votes.values())
    return RecallOnPage(
        **fields_of(petition, RecallPetitionRead),
        deadline=question.deadline,
        voted=len(question.votes),
        eligible=len(question.eligible),
        # the counts are made from the ballots: one ballot the reader may not read hides them
        counts=said({c: votes.count(c) for c in ("yes", "no", "abstain")}, *question.ballot_seqs.values()),
        my_vote=question.votes.get(me, ""),
    )


@dataclass(frozen=True, slots=True)
class PoolRowRead(ReadModel):
    """A pool member as the draw page lists it: attributes as (category, feature) sorted by category (a
    `Said` of `draw.prepared`), chance per mille."""

    member: str
    attributes: Said | Sequence[tuple[str, str]] | None
    chance: int


@dataclass(frozen=True, slots=True)
class DrawPage(DrawRead):
    """One draw as its page shows it: the pool as rows, the categories (a `Said`), each member's exact
    chance and the lowest chance (per mille)."""

    pool: tuple[PoolRowRead, ...]
    chances: Mapping[str, FractionRead]
    categories: Said | Sequence[str] | None
    lowest_chance: int


def get_draw_page(log: str, draw_id: int) -> DrawPage:
    """One draw as its page shows it: `get_draw`'s answer, with the pool as rows (attributes sorted by
    category, chance per mille), the categories and the lowest chance (per mille)."""
    described = get_draw(log, draw_id)
    pool, chances = described.pool, described.chances
    # not shown yet: every pool member's attributes are a `Said` of `draw.prepared`
    attributes = {m: a.value for m, a in pool.items() if isinstance(a, Said)}
    categories = sorted({c for found in attributes.values() for c in found})
    return DrawPage(
        **fields_of(described, DrawRead),
        pool=tuple(
            PoolRowRead(
                member=member,
                attributes=said(sorted(attributes[member].items()), draw_id),
                chance=chances[member].per_mille,
            )
            for member in pool
        ),
        chances=chances,
        categories=said(categories, draw_id),
        lowest_chance=min((c.per_mille for c in chances.values()), default=0),
    )
