"""Preparing a draw off the record, and auditing a recorded one: LEXIMIN rounded to a panel list.

`prepare_draw` runs the sortition engine (`find_leximin`, then `round_to_lottery`, whose rounding is
documented in sortition/rounding.py) and writes its panel list compactly for `draw.prepared`: runs of
equal panels, each listing only the types with seats as [type index, seats]. Replay rebuilds the people
of each panel from the runs exactly as `round_to_lottery` spread them, so the recorded hash is the
engine's own `lottery_hash`. It also records the rounding's largest shift of anyone's chance (rounded up),
the lowest chance in the list (rounded down) and the lowest LEXIMIN chance before rounding (to the
nearest), in millionths.

`audit_draw` solves LEXIMIN again and compares every person's chance in the recorded list with it: a
list that moves anyone by more than the recorded shift (plus the solver's tolerance) is caught, and so is
a recorded lowest chance before rounding that the fresh solve does not give.
"""

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ayllu.core.assembly.state import Draw
from ayllu.core.sortition import Instance, Quota, build_instance, find_leximin, lottery_hash, round_to_lottery
from ayllu.core.sortition.acts import instance_of, lottery_document_of
from ayllu.core.sortition.lottery import guaranteed_shift
from ayllu.core.sortition.tolerances import ACCEPT

DEFAULT_SIZE = 1000
MILLION = 10**6
# a fresh LEXIMIN solve agrees with the one the list was rounded from within 2 * ACCEPT per person; the
# recorded shift is rounded up to a millionth
AUDIT_SLACK = Fraction(2 * round(ACCEPT * MILLION) + 1, MILLION)


def prepare_draw(
    pool: Mapping[str, Mapping[str, str]],
    *,
    quotas: Sequence[Quota],
    panel_size: int,
    size: int = DEFAULT_SIZE,
) -> dict[str, Any]:
    """The `pool`, `quotas`, `panel_size`, `lottery` and `lottery_hash` fields of a `draw.prepared` body."""
    instance = build_instance(pool, quotas=quotas, panel_size=panel_size)
    lottery = round_to_lottery(find_leximin(instance), size=size)
    type_of = {person: t for t, members in enumerate(instance.members) for person in members}
    seats: list[tuple[int, ...]] = []
    for panel in lottery.panels:
        counts = [0] * len(instance.profiles)
        for person in panel:
            counts[type_of[person]] += 1
        seats.append(tuple(counts))
    return {
        "pool": {m: dict(a) for m, a in pool.items()},
        "quotas": [
            {"category": q.category, "feature": q.feature, "min": q.min, "max": q.max} for q in quotas
        ],
        "panel_size": panel_size,
        **lottery_fields(instance, seats),
        "largest_shift_ppm": math.ceil(lottery.max_deviation * MILLION),
        "lowest_chance_ppm": math.floor(lottery.lowest * MILLION),
        # a solver's figure (1/2 may come out as 0.49999999...): the nearest millionth
        "leximin_lowest_ppm": round(min(lottery.targets.values()) * MILLION),
    }


def lottery_fields(instance: Instance, seats: Sequence[tuple[int, ...]]) -> dict[str, Any]:
    """The `lottery` runs and `lottery_hash` of a panel list given as seats per type, in order.

    Equal neighbouring panels make one run [count, [[type index, seats], ...]] listing only the types
    with seats (docs/record-format.md): a 200-seat panel names at most 200 of the pool's types.
    """
    runs: list[list[Any]] = []
    for counts in seats:
        sparse = [[t, n] for t, n in enumerate(counts) if n]
        if runs and runs[-1][1] == sparse:
            runs[-1][0] += 1
        else:
            runs.append([1, sparse])
    return {"lottery": runs, "lottery_hash": lottery_hash(lottery_document_of(instance, list(seats)))}


def lottery_probabilities(draw: Draw) -> dict[str, Fraction]:
    """Every pool member's exact chance under the recorded panel list."""
    panels = lottery_document_of(instance_of(draw), list(draw.lottery))["panels"]
    assert isinstance(panels, list)
    seen = dict.fromkeys(draw.pool, 0)
    for panel in panels:
        for person in panel:
            seen[person] += 1
    return {person: Fraction(count, len(panels)) for person, count in seen.items()}


def lowest_chance_ppm(chances: Mapping[str, Fraction]) -> int:
    """The lowest chance in a panel list, in millionths rounded down, as `draw.prepared` records it."""
    return math.floor(min(chances.values(), default=Fraction(0)) * MILLION)


def audit_draw(draw: Draw) -> dict[str, Any]:
    """Solve LEXIMIN again; compare every person's chance in the recorded list with it.

    `max_gap` is the largest |chance in the list - fresh LEXIMIN chance|, `person` who has it; `guaranteed`
    is the rounding's guarantee (k + 2) / M for this panel size and list length; `allowed` is the recorded
    largest shift (for a record without one: the shift of a fresh rounding of the same size), never more
    than the guarantee, plus AUDIT_SLACK. `within` is whether every person is within `allowed`: a record
    that claims a large shift to cover a skewed list is still held to the guarantee. `leximin_lowest` is
    the fresh lowest LEXIMIN chance; `lowest_agrees` whether the recorded one (if any) is within
    AUDIT_SLACK of it, and `within` requires that too.
    """
    instance = instance_of(draw)
    fresh = find_leximin(instance)
    targets = fresh.probabilities()
    recorded = lottery_probabilities(draw)
    person = max(sorted(draw.pool), key=lambda m: abs(targets[m] - recorded[m]))
    gap = abs(targets[person] - recorded[person])
    size = len(draw.lottery)
    guaranteed = guaranteed_shift(panel_size=draw.panel_size, size=size)
    if draw.largest_shift_ppm is None:
        shift = round_to_lottery(fresh, size=size).max_deviation
    else:
        shift = Fraction(draw.largest_shift_ppm, MILLION)
    allowed = min(shift, guaranteed) + AUDIT_SLACK
    lowest = min(targets.values())
    recorded_lowest = draw.leximin_lowest_ppm
    agrees = recorded_lowest is None or abs(lowest - Fraction(recorded_lowest, MILLION)) <= AUDIT_SLACK
    return {
        "max_gap": gap,
        "person": person,
        "allowed": allowed,
        "guaranteed": guaranteed,
        "leximin_lowest": lowest,
        "lowest_agrees": agrees,
        "within": gap <= allowed and agrees,
    }
