"""Panels drawn by lot as record events, on the sortition engine's verifiable draw (sortition/draw.py).

Acts (body fields in braces):
- draw.prepared {purpose, pool, quotas, panel_size, lottery, lottery_hash, commit_until, reveal_until,
  beacon_chain, beacon_after}: any member records a draw. `pool` maps member ids to their attributes
  ({category: feature}); `quotas` are [{category, feature, min, max}]; `lottery` is the numbered list of
  panels written compactly as runs [[count, [[type, seats], ...]], ...]: each run lists only the types
  with seats, by their index in the pool's canonical type order (sortition/pool.py `build_instance`),
  increasing (records written before this form give every type's seats, [count, [seats per type]],
  and still replay); `beacon_chain` names public beacon rounds
  [{source, round}] published after `beacon_after`, itself later than `reveal_until`. Optional (records
  written before them replay unchanged): `largest_shift_ppm`, the rounding's largest shift of anyone's
  chance from the LEXIMIN one, in millionths rounded up (checked by `preparation.audit_draw`), and
  `lowest_chance_ppm`, the lowest chance in the list in millionths rounded down (checked on replay),
  and `leximin_lowest_ppm`, the lowest LEXIMIN chance before rounding, to the nearest millionth
  (checked by `preparation.audit_draw`).
- draw.committed {draw, commitment}: any member, until `commit_until`; commitment =
  `sortition.commitment_for(secret, lottery=lottery_hash, member=member id)`, the 32-byte secret kept
  on the device.
- draw.revealed {draw, secret}: after `commit_until`, until `reveal_until`, by a member who committed.
- draw.completed {draw, index, panel, beacon {source, round, value}}: any member, from `beacon_after`.
  Replay recomputes the draw with `sortition.recompute_draw` from the record alone and refuses the act
  unless index and panel are the ones it computes.

Where LEXIMIN is computed: off the record, by whoever prepares the draw (`lottery.prepare_draw`),
because the solver works in floating point and its exact weights may differ between builds of HiGHS.
Replay checks what is exact and cheap: pool members are active members, every panel meets the panel
size and every quota, and the panel list rebuilt from the runs (`sortition.lottery.people_panels`, the
same spreading `round_to_lottery` uses) hashes to the recorded `lottery_hash`. Whether the list is the
rounded LEXIMIN one is checked by `lottery.audit_draw`, which any member can run. A list that breaks
its quotas because no panel of its size can meet them is refused with the quotas that clash
(`draw_quotas_infeasible`, the detail of `sortition.InfeasibleQuotas`) rather than `panel_breaks_quotas`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import (
    HEX,
    INT_ID,
    LIST,
    NUMBER,
    OBJECT,
    OPTIONS,
    TIME,
    TITLE,
    Act,
    act_field,
    act_kind,
)
from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE, get_int, get_str
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import AlreadySigned
from ayllu.core.assembly.state import AssemblyState, Draw
from ayllu.core.assembly.words import ReadModel, Said, said
from ayllu.core.cargos.errors import BadDrawEvidence, DrawPhase, DrawQuotasInfeasible, UnknownDraw
from ayllu.core.errors import MalformedBody
from ayllu.core.sortition import (
    Instance,
    Quota,
    SortitionError,
    build_instance,
    commitment_for,
    lottery_hash,
    panel_meets_quotas,
    recompute_draw,
)
from ayllu.core.sortition.draw import MAX_BEACON_BYTES, is_beacon_value
from ayllu.core.sortition.errors import InfeasibleQuotas
from ayllu.core.sortition.feasibility import check_feasible
from ayllu.core.sortition.lottery import LOTTERY_VERSION, people_panels

MAX_LOTTERY = 100_000
MILLION = 10**6
DRAW_HELP = "the draw's id"


@act_kind
class DrawPrepared(Act):
    type = "draw.prepared"
    name = "prepare-draw"
    summary = "Record a draw by lot: pool, quotas, the LEXIMIN lottery and its hash"

    purpose: str = act_field(TITLE)
    pool: dict[str, Any] = act_field(OBJECT, help="member id -> {category: feature}")
    quotas: list[Any] = act_field(LIST, help="[{category, feature, min, max}]")
    panel_size: int = act_field(NUMBER, low=1)
    lottery: list[Any] = act_field(LIST, help="runs [[count, [[type index, seats], ...]], ...]")
    lottery_hash: str = act_field(HEX)
    commit_until: int = act_field(TIME)
    reveal_until: int = act_field(TIME)
    beacon_chain: list[Any] = act_field(LIST, help="[{source, round}] named in advance")
    beacon_after: int = act_field(TIME)
    largest_shift_ppm: int | None = act_field(
        NUMBER, default=None, help="the rounding's largest shift of anyone's chance, in millionths"
    )
    lowest_chance_ppm: int | None = act_field(
        NUMBER, default=None, help="the lowest chance in the list, in millionths"
    )
    leximin_lowest_ppm: int | None = act_field(
        NUMBER, default=None, help="the lowest LEXIMIN chance before rounding, in millionths"
    )

    def check(self, *, seq: int) -> None:
        for name in ("largest_shift_ppm", "lowest_chance_ppm", "leximin_lowest_ppm"):
            value = getattr(self, name)
            if value is not None and value > MILLION:
                raise MalformedBody(seq=seq, field=name)


@act_kind
class DrawCommitted(Act):
    type = "draw.committed"
    name = "commit-draw"
    summary = "Commit to a secret for a draw"

    draw: int = act_field(INT_ID, help=DRAW_HELP)
    commitment: str = act_field(HEX)


@act_kind
class DrawRevealed(Act):
    type = "draw.revealed"
    name = "reveal-draw"
    summary = "Reveal one's secret for a draw"

    draw: int = act_field(INT_ID, help=DRAW_HELP)
    secret: str = act_field(HEX)


@act_kind
class DrawCompleted(Act):
    type = "draw.completed"
    name = "complete-draw"
    summary = "Complete a draw with the beacon value: the index and panel anyone recomputes"

    draw: int = act_field(INT_ID, help=DRAW_HELP)
    index: int = act_field(NUMBER)
    panel: tuple[str, ...] = act_field(OPTIONS, help="the chosen members' ids")
    beacon: dict[str, Any] = act_field(OBJECT, help="{source, round, value}")


@dataclass(frozen=True, slots=True)
class DrawOpened(Event):
    draw: Draw


@dataclass(frozen=True, slots=True)
class CommitmentMade(Event):
    draw: int
    member: str
    commitment: str


@dataclass(frozen=True, slots=True)
class SecretRevealed(Event):
    draw: int
    member: str
    secret: str


@dataclass(frozen=True, slots=True)
class PanelDrawn(Event):
    draw: int
    seq: int
    index: int
    panel: tuple[str, ...]
    beacon: dict[str, Any]
    seed: str
    withheld: tuple[str, ...]


def lottery_document_of(instance: Instance, seats: list[tuple[int, ...]]) -> dict[str, object]:
    """The sortition engine's lottery document for a list of panels given as seats per type."""
    panels = people_panels(instance, seats)
    return {
        "version": LOTTERY_VERSION,
        "panel_size": instance.panel_size,
        "panels": [list(p) for p in panels],
    }


def instance_of(draw: Draw) -> Instance:
    """The draw's pool grouped into types, as the engine sees it."""
    quotas = [Quota(q["category"], q["feature"], q["min"], q["max"]) for q in draw.quotas]
    return build_instance(draw.pool, quotas=quotas, panel_size=draw.panel_size)


def draw_evidence(draw: Draw, *, beacon: dict[str, Any]) -> dict[str, Any]:
    """The evidence `sortition.recompute_draw` reads, from what the record holds about the draw."""
    return {
        "lottery": lottery_document_of(instance_of(draw), list(draw.lottery)),
        "lottery_hash": draw.lottery_hash,
        "beacon_chain": draw.beacon_chain,
        "commitments": dict(draw.commitments),
        "reveals": dict(draw.reveals),
        "beacon": beacon,
    }


def get_draw(state: AssemblyState, draw_id: int, *, seq: int) -> Draw:
    """The draw named `draw_id`; raise `unknown_draw` when there is none."""
    draw = state.draws.get(draw_id)
    if draw is None:
        raise UnknownDraw(seq=seq, draw=draw_id)
    return draw


def _pool(state: AssemblyState, pool: dict[str, Any], seq: int) -> dict[str, dict[str, str]]:
    if not pool:
        raise MalformedBody(seq=seq, field="pool")
    for member, attributes in pool.items():
        if not state.is_active(member):
            raise BadDrawEvidence(seq=seq, reason="pool_not_member", member=member)
        if not isinstance(attributes, dict) or not all(
            isinstance(v, str) and 0 < len(v) <= MAX_ID and len(k) <= MAX_ID for k, v in attributes.items()
        ):
            raise MalformedBody(seq=seq, field="pool", member=member)
    return pool


def _quotas(items: list[Any], seq: int) -> list[Quota]:
    quotas = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"category", "feature", "min", "max"}:
            raise MalformedBody(seq=seq, field="quotas")
        category = get_str(item, "category", seq=seq, limit=MAX_ID)
        feature = get_str(item, "feature", seq=seq, limit=MAX_ID)
        quotas.append(Quota(category, feature, get_int(item, "min", seq=seq), get_int(item, "max", seq=seq)))
    return quotas


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _run_seats(instance: Instance, seats: list[Any], seq: int) -> list[int]:
    """Seats per type of one run: sparse [[type, seats], ...] (types increasing, seats >= 1), or dense."""
    if seats and all(isinstance(pair, list) for pair in seats):
        dense = [0] * len(instance.profiles)
        last = -1
        for pair in seats:
            if not (len(pair) == 2 and _is_int(pair[0]) and _is_int(pair[1])):
                raise MalformedBody(seq=seq, field="lottery")
            type_index, count = pair
            if not last < type_index < len(dense) or count < 1:
                raise MalformedBody(seq=seq, field="lottery", type=type_index, seats=count)
            dense[type_index], last = count, type_index
        return dense
    if not all(_is_int(s) for s in seats):  # the dense form, as records before sparse runs wrote it
        raise MalformedBody(seq=seq, field="lottery")
    return seats


def _lottery(instance: Instance, runs: list[Any], seq: int) -> list[tuple[int, ...]]:
    if not runs:
        raise MalformedBody(seq=seq, field="lottery")
    expanded: list[tuple[int, ...]] = []
    for run in runs:
        if not (
            isinstance(run, list) and len(run) == 2 and isinstance(run[0], int) and isinstance(run[1], list)
        ):
            raise MalformedBody(seq=seq, field="lottery")
        count, seats = run[0], _run_seats(instance, run[1], seq)
        if count < 1 or len(expanded) + count > MAX_LOTTERY:
            raise MalformedBody(seq=seq, field="lottery", count=count)
        if not panel_meets_quotas(instance, counts=seats):
            raise BadDrawEvidence(seq=seq, reason="panel_breaks_quotas", panel=len(expanded))
        expanded.extend([tuple(seats)] * count)
    return expanded


def _beacon_chain(chain: list[Any], seq: int) -> list[dict[str, Any]]:
    if not chain:
        raise MalformedBody(seq=seq, field="beacon_chain")
    for link in chain:
        if not isinstance(link, dict) or set(link) != {"source", "round"}:
            raise MalformedBody(seq=seq, field="beacon_chain")
        get_str(link, "source", seq=seq, limit=MAX_TITLE)
        get_int(link, "round", seq=seq)
    return chain


def _lowest_chance_ppm(pool: dict[str, Any], document: dict[str, object]) -> int:
    """The lowest share of the list's panels any pool member sits on, in millionths rounded down."""
    panels = document["panels"]
    assert isinstance(panels, list)
    seen = dict.fromkeys(pool, 0)
    for panel in panels:
        for person in panel:
            seen[person] += 1
    return min(seen.values()) * MILLION // len(panels)


def _explain_infeasible(instance: Instance, seq: int) -> None:
    """When no panel of the draw's size meets its quotas at all, refuse with the quotas that clash.

    Only on the way to refusing a list that breaks its quotas (a recorded draw never gets here), so the
    solver this needs never runs when a record is replayed."""
    try:
        check_feasible(instance)
    except InfeasibleQuotas as exc:
        raise DrawQuotasInfeasible(seq=seq, **exc.detail) from None


@rule(DrawPrepared)
def decide_prepare_draw(state: AssemblyState, act: DrawPrepared, ctx: Context) -> list[Event]:
    seq = ctx.seq
    pool, quotas = _pool(state, act.pool, seq), _quotas(act.quotas, seq)
    try:
        instance = build_instance(pool, quotas=quotas, panel_size=act.panel_size)
    except SortitionError as exc:
        raise BadDrawEvidence(seq=seq, reason=exc.code, evidence=dict(exc.detail)) from None
    try:
        seats = _lottery(instance, act.lottery, seq)
    except BadDrawEvidence as exc:
        if exc.detail.get("reason") == "panel_breaks_quotas":
            _explain_infeasible(instance, seq)
        raise
    panels = None if state.charter is None else state.charter.draw_panels
    if panels is not None and len(seats) != panels:
        # Only a charter that states its number binds draws: older records replay as they were written.
        raise BadDrawEvidence(seq=seq, reason="panel_count", expected=panels, found=len(seats))
    digest = act.lottery_hash
    document = lottery_document_of(instance, seats)
    if digest != lottery_hash(document):
        raise BadDrawEvidence(seq=seq, reason="lottery_hash", lottery_hash=digest)
    lowest = act.lowest_chance_ppm
    if lowest is not None and lowest != _lowest_chance_ppm(pool, document):
        raise BadDrawEvidence(seq=seq, reason="lowest_chance", lowest_chance_ppm=lowest)
    chain = _beacon_chain(act.beacon_chain, seq)
    commit_until, reveal_until, beacon_after = act.commit_until, act.reveal_until, act.beacon_after
    # Every reveal is in the record before any beacon value exists: withholding a reveal cannot steer.
    if not ctx.time < commit_until < reveal_until < beacon_after:
        raise DrawPhase(
            seq=seq, commit_until=commit_until, reveal_until=reveal_until, beacon_after=beacon_after
        )
    draw = Draw(
        id=seq, by=ctx.author, purpose=act.purpose, pool={m: dict(a) for m, a in pool.items()},
        quotas=act.quotas, panel_size=instance.panel_size, lottery=tuple(seats), lottery_hash=digest,
        commit_until=commit_until, reveal_until=reveal_until, beacon_chain=chain, beacon_after=beacon_after,
        largest_shift_ppm=act.largest_shift_ppm, lowest_chance_ppm=lowest,
        leximin_lowest_ppm=act.leximin_lowest_ppm,
    )  # fmt: skip
    return [DrawOpened(draw)]


@applies(DrawOpened)
def apply_draw_opened(state: AssemblyState, event: DrawOpened) -> None:
    state.draws[event.draw.id] = event.draw


@rule(DrawCommitted)
def decide_commit_draw(state: AssemblyState, act: DrawCommitted, ctx: Context) -> list[Event]:
    draw = get_draw(state, act.draw, seq=ctx.seq)
    if ctx.time > draw.commit_until:
        raise DrawPhase(seq=ctx.seq, draw=draw.id, commit_until=draw.commit_until)
    if ctx.author in draw.commitments:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author, draw=draw.id)
    return [CommitmentMade(draw.id, ctx.author, act.commitment)]


@applies(CommitmentMade)
def apply_commitment(state: AssemblyState, event: CommitmentMade) -> None:
    state.draws[event.draw].commitments[event.member] = event.commitment


@rule(DrawRevealed)
def decide_reveal_draw(state: AssemblyState, act: DrawRevealed, ctx: Context) -> list[Event]:
    draw = get_draw(state, act.draw, seq=ctx.seq)
    if not draw.commit_until < ctx.time <= draw.reveal_until:
        raise DrawPhase(seq=ctx.seq, draw=draw.id, reveal_until=draw.reveal_until)
    if ctx.author in draw.reveals:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author, draw=draw.id)
    expected = commitment_for(bytes.fromhex(act.secret), lottery=draw.lottery_hash, member=ctx.author)
    if draw.commitments.get(ctx.author) != expected:
        raise BadDrawEvidence(seq=ctx.seq, reason="reveal_does_not_match", member=ctx.author)
    return [SecretRevealed(draw.id, ctx.author, act.secret)]


@applies(SecretRevealed)
def apply_reveal(state: AssemblyState, event: SecretRevealed) -> None:
    state.draws[event.draw].reveals[event.member] = event.secret


@rule(DrawCompleted)
def decide_complete_draw(state: AssemblyState, act: DrawCompleted, ctx: Context) -> list[Event]:
    seq = ctx.seq
    draw = get_draw(state, act.draw, seq=seq)
    if draw.completed_seq or ctx.time < draw.beacon_after:
        raise DrawPhase(seq=seq, draw=draw.id, beacon_after=draw.beacon_after)
    beacon = act.beacon
    if set(beacon) != {"source", "round", "value"}:
        raise MalformedBody(seq=seq, field="beacon")
    if not is_beacon_value(beacon["value"]):
        raise BadDrawEvidence(seq=seq, reason="beacon_value", max_bytes=MAX_BEACON_BYTES)
    try:
        result = recompute_draw(draw_evidence(draw, beacon=beacon))
    except SortitionError as exc:
        raise BadDrawEvidence(seq=seq, reason=exc.code, evidence=dict(exc.detail)) from None
    if act.index != result.index:
        raise BadDrawEvidence(seq=seq, reason="index", index=act.index, expected=result.index)
    if list(act.panel) != list(result.panel):
        raise BadDrawEvidence(seq=seq, reason="panel", draw=draw.id)
    return [PanelDrawn(draw.id, seq, result.index, result.panel, dict(beacon), result.seed, result.withheld)]


@applies(PanelDrawn)
def apply_panel_drawn(state: AssemblyState, event: PanelDrawn) -> None:
    draw = state.draws[event.draw]
    draw.completed_seq, draw.index, draw.panel = event.seq, event.index, event.panel
    draw.beacon, draw.seed, draw.withheld = dict(event.beacon), event.seed, event.withheld


@dataclass(frozen=True, slots=True)
class QuotaRead(ReadModel):
    """A draw's quota: between `min` and `max` seats for members whose `category` is `feature` (fields
    in the record's canonical order, as the API answered them before)."""

    category: str
    feature: str
    max: int
    min: int


@dataclass(frozen=True, slots=True)
class DrawRead(ReadModel):
    """A draw by lot with everything needed to recompute it by hand (docs/access-policy.md: only the
    purpose and the quotas are words; who is in the pool, the deadlines, the hashes, commitments,
    reveals, the beacon and the panel drawn are always shown). `withheld`: who committed and did not
    reveal; `index` -1 and `seed` "" until the panel is drawn."""

    draw: int
    purpose: Said | str | None
    by: str
    panel_size: int
    pool_size: int
    quotas: Said | Sequence[QuotaRead] | None
    lottery_size: int
    lottery_hash: str
    largest_shift_ppm: int | None
    lowest_chance_ppm: int | None
    leximin_lowest_ppm: int | None
    commit_until: int
    reveal_until: int
    beacon_chain: tuple[Mapping[str, object], ...]
    beacon_after: int
    commitments: Mapping[str, str]
    reveals: Mapping[str, str]
    withheld: tuple[str, ...]
    beacon: Mapping[str, object]
    seed: str
    index: int
    panel: tuple[str, ...]
    completed_seq: int
    members_only: bool


def get_draw_evidence(state: AssemblyState, draw_id: int) -> DrawRead:
    """Everything needed to recompute a draw by hand: lottery hash, commitments, reveals, seed, panel.

    The purpose and the quotas are words of `draw.prepared` (a `Said`: show them through
    `words.shown_to`); who is in the pool, the deadlines, the hashes, commitments, reveals, the beacon
    and the panel drawn are not words and are always shown (docs/access-policy.md)."""
    draw = state.draws[draw_id]
    return DrawRead(
        draw=draw.id,
        purpose=said(draw.purpose, draw.id),
        pool_size=len(draw.pool),
        quotas=said(tuple(QuotaRead(**q) for q in draw.quotas), draw.id),
        lottery_size=len(draw.lottery),
        beacon_chain=tuple(draw.beacon_chain),
        commitments=dict(sorted(draw.commitments.items())),
        reveals=dict(sorted(draw.reveals.items())),
        withheld=tuple(sorted(set(draw.commitments) - set(draw.reveals))),
        panel=tuple(draw.panel),
        members_only=False,
        **{name: getattr(draw, name) for name in AS_RECORDED},
    )


# The fields of a draw's read model that are the replayed draw's own, as they are.
AS_RECORDED = (
    *("by", "panel_size", "lottery_hash", "largest_shift_ppm", "lowest_chance_ppm", "leximin_lowest_ppm"),
    *("commit_until", "reveal_until", "beacon_after", "beacon", "seed", "index", "completed_seq"),
)


def pool_attributes(draw: Draw) -> dict[str, Said]:
    """Each pool member's attributes ({category: feature}), words of `draw.prepared`."""
    return {member: said(dict(attributes), draw.id) for member, attributes in sorted(draw.pool.items())}


def list_draws(state: AssemblyState) -> list[DrawRead]:
    """Every draw with its evidence, oldest first."""
    return [get_draw_evidence(state, d) for d in sorted(state.draws)]
