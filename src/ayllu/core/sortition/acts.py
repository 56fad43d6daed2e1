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
  `lowest_chance_ppm`, the lowest chance in the list in millionths rounded down (checked on replay).
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
rounded LEXIMIN one is checked by `lottery.audit_draw`, which any member can run.
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE, get_int, get_str, only_fields
from ayllu.core.assembly.rule_errors import AlreadySigned
from ayllu.core.assembly.state import AssemblyState, Draw
from ayllu.core.assembly.words import MEMBERS_ONLY, Said, said
from ayllu.core.cargos.errors import BadDrawEvidence, DrawPhase, UnknownDraw
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.keys import is_hex
from ayllu.core.ledger.record import Entry
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
from ayllu.core.sortition.lottery import LOTTERY_VERSION, people_panels

MAX_LOTTERY = 100_000
HEX_64 = 64
PREPARED_FIELDS = {
    "purpose", "pool", "quotas", "panel_size", "lottery", "lottery_hash",
    "commit_until", "reveal_until", "beacon_chain", "beacon_after",
    "largest_shift_ppm", "lowest_chance_ppm",
}  # fmt: skip
MILLION = 10**6


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


def get_draw(state: AssemblyState, content: dict[str, Any], *, seq: int) -> Draw:
    """The draw a body names."""
    draw = state.draws.get(get_int(content, "draw", seq=seq, low=1))
    if draw is None:
        raise UnknownDraw(seq=seq, draw=content["draw"])
    return draw


def _pool(state: AssemblyState, content: dict[str, Any], seq: int) -> dict[str, dict[str, str]]:
    pool = content.get("pool")
    if not isinstance(pool, dict) or not pool:
        raise MalformedBody(seq=seq, field="pool")
    for member, attributes in pool.items():
        if not state.is_active(member):
            raise BadDrawEvidence(seq=seq, reason="pool_not_member", member=member)
        if not isinstance(attributes, dict) or not all(
            isinstance(v, str) and 0 < len(v) <= MAX_ID and len(k) <= MAX_ID for k, v in attributes.items()
        ):
            raise MalformedBody(seq=seq, field="pool", member=member)
    return pool


def _quotas(content: dict[str, Any], seq: int) -> list[Quota]:
    items = content.get("quotas")
    if not isinstance(items, list):
        raise MalformedBody(seq=seq, field="quotas")
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


def _lottery(instance: Instance, content: dict[str, Any], seq: int) -> list[tuple[int, ...]]:
    runs = content.get("lottery")
    if not isinstance(runs, list) or not runs:
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


def _beacon_chain(content: dict[str, Any], seq: int) -> list[dict[str, Any]]:
    chain = content.get("beacon_chain")
    if not isinstance(chain, list) or not chain:
        raise MalformedBody(seq=seq, field="beacon_chain")
    for link in chain:
        if not isinstance(link, dict) or set(link) != {"source", "round"}:
            raise MalformedBody(seq=seq, field="beacon_chain")
        get_str(link, "source", seq=seq, limit=MAX_TITLE)
        get_int(link, "round", seq=seq)
    return chain


def _millionths(content: dict[str, Any], key: str, seq: int) -> int | None:
    """An optional figure in millionths, 0 to a million; None when the body predates it."""
    if key not in content:
        return None
    value = get_int(content, key, seq=seq)
    if value > MILLION:
        raise MalformedBody(seq=seq, field=key)
    return value


def _lowest_chance_ppm(pool: dict[str, Any], document: dict[str, object]) -> int:
    """The lowest share of the list's panels any pool member sits on, in millionths rounded down."""
    panels = document["panels"]
    assert isinstance(panels, list)
    seen = dict.fromkeys(pool, 0)
    for panel in panels:
        for person in panel:
            seen[person] += 1
    return min(seen.values()) * MILLION // len(panels)


def do_draw_prepared(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, PREPARED_FIELDS, seq=seq)
    purpose = get_str(content, "purpose", seq=seq, limit=MAX_TITLE)
    pool, quotas = _pool(state, content, seq), _quotas(content, seq)
    try:
        instance = build_instance(
            pool, quotas=quotas, panel_size=get_int(content, "panel_size", seq=seq, low=1)
        )
    except SortitionError as exc:
        raise BadDrawEvidence(seq=seq, reason=exc.code, evidence=dict(exc.detail)) from None
    seats = _lottery(instance, content, seq)
    digest = get_str(content, "lottery_hash", seq=seq, limit=HEX_64)
    document = lottery_document_of(instance, seats)
    if digest != lottery_hash(document):
        raise BadDrawEvidence(seq=seq, reason="lottery_hash", lottery_hash=digest)
    shift = _millionths(content, "largest_shift_ppm", seq)
    lowest = _millionths(content, "lowest_chance_ppm", seq)
    if lowest is not None and lowest != _lowest_chance_ppm(pool, document):
        raise BadDrawEvidence(seq=seq, reason="lowest_chance", lowest_chance_ppm=lowest)
    chain = _beacon_chain(content, seq)
    commit_until, reveal_until = (
        get_int(content, "commit_until", seq=seq),
        get_int(content, "reveal_until", seq=seq),
    )
    beacon_after = get_int(content, "beacon_after", seq=seq)
    # Every reveal is in the record before any beacon value exists: withholding a reveal cannot steer.
    if not entry.time < commit_until < reveal_until < beacon_after:
        raise DrawPhase(
            seq=seq, commit_until=commit_until, reveal_until=reveal_until, beacon_after=beacon_after
        )
    state.draws[seq] = Draw(
        id=seq, by=author, purpose=purpose, pool={m: dict(a) for m, a in pool.items()},
        quotas=content["quotas"], panel_size=instance.panel_size, lottery=tuple(seats), lottery_hash=digest,
        commit_until=commit_until, reveal_until=reveal_until, beacon_chain=chain, beacon_after=beacon_after,
        largest_shift_ppm=shift, lowest_chance_ppm=lowest,
    )  # fmt: skip


def do_draw_committed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"draw", "commitment"}, seq=entry.seq)
    draw = get_draw(state, content, seq=entry.seq)
    commitment = content.get("commitment")
    if not is_hex(commitment, HEX_64):
        raise MalformedBody(seq=entry.seq, field="commitment")
    if entry.time > draw.commit_until:
        raise DrawPhase(seq=entry.seq, draw=draw.id, commit_until=draw.commit_until)
    if author in draw.commitments:
        raise AlreadySigned(seq=entry.seq, member=author, draw=draw.id)
    draw.commitments[author] = str(commitment)


def do_draw_revealed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"draw", "secret"}, seq=entry.seq)
    draw = get_draw(state, content, seq=entry.seq)
    secret = content.get("secret")
    if not is_hex(secret, HEX_64):
        raise MalformedBody(seq=entry.seq, field="secret")
    if not draw.commit_until < entry.time <= draw.reveal_until:
        raise DrawPhase(seq=entry.seq, draw=draw.id, reveal_until=draw.reveal_until)
    if author in draw.reveals:
        raise AlreadySigned(seq=entry.seq, member=author, draw=draw.id)
    expected = commitment_for(bytes.fromhex(str(secret)), lottery=draw.lottery_hash, member=author)
    if draw.commitments.get(author) != expected:
        raise BadDrawEvidence(seq=entry.seq, reason="reveal_does_not_match", member=author)
    draw.reveals[author] = str(secret)


def do_draw_completed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"draw", "index", "panel", "beacon"}, seq=seq)
    draw = get_draw(state, content, seq=seq)
    if draw.completed_seq or entry.time < draw.beacon_after:
        raise DrawPhase(seq=seq, draw=draw.id, beacon_after=draw.beacon_after)
    beacon = content.get("beacon")
    if not isinstance(beacon, dict) or set(beacon) != {"source", "round", "value"}:
        raise MalformedBody(seq=seq, field="beacon")
    try:
        result = recompute_draw(draw_evidence(draw, beacon=beacon))
    except SortitionError as exc:
        raise BadDrawEvidence(seq=seq, reason=exc.code, evidence=dict(exc.detail)) from None
    if get_int(content, "index", seq=seq) != result.index:
        raise BadDrawEvidence(seq=seq, reason="index", index=content["index"], expected=result.index)
    if content.get("panel") != list(result.panel):
        raise BadDrawEvidence(seq=seq, reason="panel", draw=draw.id)
    draw.completed_seq, draw.index, draw.panel = seq, result.index, result.panel
    draw.beacon, draw.seed, draw.withheld = dict(beacon), result.seed, result.withheld


DRAW_ACTS = {
    "draw.prepared": do_draw_prepared,
    "draw.committed": do_draw_committed,
    "draw.revealed": do_draw_revealed,
    "draw.completed": do_draw_completed,
}


def get_draw_evidence(state: AssemblyState, draw_id: int) -> dict[str, Any]:
    """Everything needed to recompute a draw by hand: lottery hash, commitments, reveals, seed, panel.

    The purpose and the quotas are words of `draw.prepared` (a `Said`: show them through
    `words.shown_to`); who is in the pool, the deadlines, the hashes, commitments, reveals, the beacon
    and the panel drawn are not words and are always shown (docs/access-policy.md)."""
    draw = state.draws[draw_id]
    withheld = sorted(set(draw.commitments) - set(draw.reveals))
    return {
        "draw": draw.id,
        "purpose": said(draw.purpose, draw.id),
        "by": draw.by,
        "panel_size": draw.panel_size,
        "pool_size": len(draw.pool),
        "quotas": said(draw.quotas, draw.id),
        "lottery_size": len(draw.lottery),
        "lottery_hash": draw.lottery_hash,
        "largest_shift_ppm": draw.largest_shift_ppm,
        "lowest_chance_ppm": draw.lowest_chance_ppm,
        "commit_until": draw.commit_until,
        "reveal_until": draw.reveal_until,
        "beacon_chain": draw.beacon_chain,
        "beacon_after": draw.beacon_after,
        "commitments": dict(sorted(draw.commitments.items())),
        "reveals": dict(sorted(draw.reveals.items())),
        "withheld": withheld,
        "beacon": draw.beacon,
        "seed": draw.seed,
        "index": draw.index,
        "panel": list(draw.panel),
        "completed_seq": draw.completed_seq,
        MEMBERS_ONLY: False,
    }


def pool_attributes(draw: Draw) -> dict[str, Said]:
    """Each pool member's attributes ({category: feature}), words of `draw.prepared`."""
    return {member: said(dict(attributes), draw.id) for member, attributes in sorted(draw.pool.items())}


def list_draws(state: AssemblyState) -> list[dict[str, Any]]:
    """Every draw with its evidence, oldest first."""
    return [get_draw_evidence(state, d) for d in sorted(state.draws)]
