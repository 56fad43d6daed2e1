"""LEXIMIN selection probabilities by column generation (Flanigan, Gölz, Gupta, Hennig, Procaccia 2021).

The outer loop raises the lowest selection probability as far as any distribution over panels allows,
fixes the types that cannot rise above it, and repeats with the rest. Each stage is the linear program

    maximise z  s.t.  sum_P x_P * c_t(P) / n_t >= z      for every type t not yet fixed
                      sum_P x_P * c_t(P) / n_t >= p_t    for every fixed type t
                      sum_P x_P = 1,  x >= 0

over panels P given as seats per type c_t(P). Only the panels found so far are columns; the dual prices
y_t of the type rows go to the pricing integer program (the heaviest panel under weights y_t / n_t), and
a panel heavier than the convexity price is a new column. When no such panel exists the stage is solved.
A type is fixed when its price is positive in an interior (no crossover) dual solution: strict
complementarity then says it sits at z in every optimal distribution.

Before any stage, the shortcut (shortcut.py) solves LEXIMIN over the relaxed panel polytope, an upper
bound, and looks for integer panels that reach it; when they do, the stages are not needed.
"""

import numpy as np

from ayllu.core.sortition.distribution import Distribution
from ayllu.core.sortition.feasibility import check_feasible
from ayllu.core.sortition.highs import Pricer, Vector
from ayllu.core.sortition.master import Master, initial_panels, more_panels, price
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.shortcut import find_shortcut
from ayllu.core.sortition.tolerances import ACCEPT, FIX_SHARE
from ayllu.core.sortition.verify import POLISHED, exact, largest_gap, polish, verify

IDLE_LIMIT = 20  # a panel unused in this many master solves in a row leaves the master

__all__ = ["IDLE_LIMIT", "Distribution", "find_leximin"]


def _solve_stage(master: Master, pricer: Pricer) -> tuple[float, Vector]:
    """Generate columns until the stage LP is solved over all panels; return z and interior prices."""
    while True:
        level, prices, _ = master.solve(interior=False)
        panel = price(master, pricer, prices)
        if panel is not None:
            master.drop_idle()
            master.add(panel)
            more_panels(master, pricer, prices, panel)
            continue
        # fix at the lower of the two levels: either solver's objective can sit a little above what the
        # panels reach (within its tolerance), and a fixed level above that makes the next stage infeasible
        inner, prices, _ = master.solve(interior=True)
        level = min(level, inner)
        panel = price(master, pricer, prices)
        if panel is None:
            return level, prices
        master.add(panel)


def find_leximin(
    instance: Instance, *, idle_limit: int | None = IDLE_LIMIT, shortcut: bool = True
) -> Distribution:
    """Compute the LEXIMIN distribution over panels for a pool grouped into types.

    With `shortcut` (the default), first the LEXIMIN of the relaxed panel polytope, an upper bound, and
    integer panels that reach it (shortcut.py): when they do, that distribution is LEXIMIN-optimal and
    the stages below are skipped. Otherwise the stages run, seeded with the panels found.

    In the stages, a panel unused in `idle_limit` master solves in a row leaves the master (faster;
    IDLE_LIMIT is the measured setting; None keeps every panel).
    """
    check_feasible(instance)
    pricer = Pricer(instance)
    master = Master(instance, idle_limit=idle_limit)
    zero = initial_panels(instance, pricer, master)
    if shortcut:
        found = find_shortcut(instance, pricer, zero=zero, seeds=list(master.panels))
        # the target may be missed by a little (the finishing master stalled just short): the polished,
        # exact distribution decides, at the one tolerance every answer is held to
        if found.level >= 1.0 - ACCEPT:
            distribution = _finish(instance, found.panels, found.weights, found.levels)
            if largest_gap(distribution) <= ACCEPT:
                verify(distribution)
                return distribution
        for panel in found.panels:
            if panel not in master.known:
                master.add(panel)
    levels = {}
    for t in zero:
        master.fix(t, 0.0)
        levels[t] = 0.0
    while len(levels) < master.types:
        level, prices = _solve_stage(master, pricer)
        free = [t for t in range(master.types) if t not in levels]
        scale = float(sum(prices[t] for t in free)) or 1.0
        bound = [t for t in free if prices[t] / scale > FIX_SHARE]
        if not bound:
            bound = [max(free, key=lambda t: (prices[t], -t))]
        for t in bound:
            master.fix(t, level)
            levels[t] = level
    _, _, weights = master.solve(interior=False)
    distribution = _finish(
        instance, master.panels, weights, np.array([levels[t] for t in range(master.types)])
    )
    verify(distribution)
    return distribution


def _finish(
    instance: Instance, panels: list[tuple[int, ...]], weights: Vector, levels: Vector
) -> Distribution:
    """Exact weights for these panels, polished first when the solvers left a visible gap."""
    distribution = exact(instance, panels, weights, levels)
    if largest_gap(distribution) <= POLISHED:
        return distribution
    panels, weights = polish(instance, panels=panels, weights=weights, levels=levels)
    return exact(instance, panels, weights, levels)
