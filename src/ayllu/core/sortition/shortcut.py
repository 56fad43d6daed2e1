"""The shortcut to LEXIMIN: solve the relaxation, then show that panels reach it.

1. `relaxed_leximin` (relaxation.py): the LEXIMIN of the relaxed panel polytope R, an upper bound on the
   true LEXIMIN in the leximin order (every distribution's expected seats lie in R).
2. `decompose` (decompose.py): a walk that writes that seat vector as a mix of integer panels.
3. When the walk stops short (its residual left the integer hull, or rounding noise at a tiny mass), a
   short column generation finishes: the master LP "maximise z such that every type gets at least z
   times its target seats" over the walk's panels, priced exactly (master.py). z = 1 means the target
   is reached; pricing proving z < 1 means it is not (the relaxation's LEXIMIN is not achievable).
   After VERTEX_ROUNDS rounds, within FAR of the target, it prices with interior-point duals instead of
   the simplex's: on a master with hundreds of types bound at once the simplex's dual is one vertex of a
   large optimal face and jumps between vertices from round to round, so the panels it prices lift a
   few types each; duals near the centre of that face weigh all of them (interior-point stabilisation
   of column generation: Rousseau, Gendreau and Feillet, 2007; Gondzio, Gonzalez-Brevis and Munari,
   2013).

Reaching the upper bound proves optimality, so no stage of the LEXIMIN column generation is needed.
The finishing master keeps adding panels while its level rises and, after FAR_ROUNDS, is near the target
(tolerances.py), and the
caller accepts the answer when the exact distribution is within ACCEPT of the relaxed levels
(verify.py), whatever route reached it.
"""

from dataclasses import dataclass

import numpy as np

from ayllu.core.sortition.decompose import decompose
from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.highs import Pricer, Vector
from ayllu.core.sortition.master import Master, more_panels, price
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.relaxation import relaxed_leximin
from ayllu.core.sortition.tolerances import (
    FAR,
    FAR_ROUNDS,
    GAP,
    STALL_RISE,
    STALL_ROUNDS,
    VERTEX_ROUNDS,
)

SEATED = 1e-9  # types with fewer target seats than this get none (their row is dropped)


@dataclass(frozen=True, slots=True)
class Shortcut:
    """Panels and weights reaching `level` times the relaxed seats; the relaxed LEXIMIN `levels`.

    `level` is 1 when the walk reached the target, else the finishing master's z (below 1 - GAP when it
    stalled or pricing proved the target out of reach); the panels are worth seeding the stages with.
    """

    panels: list[tuple[int, ...]]
    weights: Vector
    levels: Vector
    level: float


def find_shortcut(
    instance: Instance, pricer: Pricer, *, zero: list[int], seeds: list[tuple[int, ...]]
) -> Shortcut:
    """Try to reach the relaxed LEXIMIN with integer panels.

    `zero` are the types that fit in no panel; `seeds` are some panels (at least one), so the finishing
    master is feasible even when the walk finds no panel at all.
    """
    relaxed = relaxed_leximin(instance, zero=zero)
    walk = decompose(instance, relaxed.seats)
    if not walk.complete:
        # repaired panels agree less with the residual than the integer programs' and left the finishing
        # master a much harder start on one pool (2,000/20 seed 1040: 13.8 s of CPU with the integer
        # programs alone, 196 s with the repair): walk again the old way, and finish from that walk
        walk = decompose(instance, relaxed.seats, repair=False)
    if walk.complete:
        merged: dict[tuple[int, ...], float] = {}
        for panel, weight in zip(walk.panels, walk.weights, strict=True):
            merged[panel] = merged.get(panel, 0.0) + weight
        return Shortcut(list(merged), np.array(list(merged.values())), relaxed.levels, level=1.0)
    target = relaxed.seats
    seated = target > SEATED
    master = Master(instance, idle_limit=None, scale=np.where(seated, target, 1.0))
    for t in np.flatnonzero(~seated):
        master.fix(int(t), 0.0)
    for panel in [*walk.panels, *seeds]:
        if panel not in master.known:
            master.add(panel)
    best, since, rounds = -1.0, 0, 0
    while True:
        # a long tail near the target: price with interior (central) duals, which stabilise it (module
        # docstring); far from it the stages take over after FAR_ROUNDS anyway, seeded as before
        central = rounds >= VERTEX_ROUNDS and best >= 1.0 - FAR
        try:
            level, prices, weights = master.solve(interior=central)
        except SolverFailed:
            if not central:
                raise
            # the interior method failed even with crossover: price this round at the simplex's vertex,
            # as before the stabilisation (slower near the target, never wrong)
            central = False
            level, prices, weights = master.solve(interior=False)
        if level >= 1.0 - GAP:
            break
        since = 0 if level >= best + STALL_RISE else since + 1
        best = max(best, level)
        rounds += 1
        if since >= STALL_ROUNDS or (rounds >= FAR_ROUNDS and level < 1.0 - FAR):
            break
        new = price(master, pricer, prices)
        if new is None:  # proven: no mix of panels gives more than `level` times the target
            break
        master.add(new)
        more_panels(master, pricer, prices, new)
    if central:
        # interior weights spread over every panel and meet the rows only within the interior method's
        # tolerance: the answer is a simplex vertex of the same master (warm from its last basis)
        level, _, weights = master.solve(interior=False)
    return Shortcut(list(master.panels), weights, relaxed.levels, level=level)
