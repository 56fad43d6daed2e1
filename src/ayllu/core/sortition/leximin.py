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

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ayllu.core.sortition.feasibility import check_feasible
from ayllu.core.sortition.highs import Pricer, Vector
from ayllu.core.sortition.master import Master, initial_panels, more_panels, price
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.shortcut import find_shortcut

# an interior dual price share above this fixes a type. A price y_t proves type t bound only up to
# (dual infeasibility) / y_t, and pricing leaves up to 1e-7 of dual infeasibility: with 1e-6 a type
# could be fixed 0.1 below where it can go (seen: 7e-4 on the 500/6/50 pool with idle panels dropped);
# 1e-2 keeps that under 1e-5. Types with smaller prices wait for a later stage at the same level.
FIX_TOLERANCE = 1e-2
IDLE_LIMIT = 20  # a panel unused in this many master solves in a row leaves the master
WEIGHT_SCALE = 2**32  # panel weights are rounded to integers over this scale for the exact output
REACHED = 1e-7  # the shortcut's distribution must give every type its relaxed level within this


@dataclass(frozen=True, slots=True)
class Distribution:
    """A distribution over panels: panel `panels[i]` (seats per type) has probability weights[i] / total."""

    instance: Instance
    panels: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...]
    # the LEXIMIN level each type was fixed at, as solved (floats, for reports only)
    levels: tuple[float, ...]

    @property
    def total(self) -> int:
        """The sum of the weights."""
        return sum(self.weights)

    def type_probabilities(self) -> tuple[Fraction, ...]:
        """The exact probability that a given person of each type is selected."""
        seats = [0] * len(self.instance.profiles)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for t, count in enumerate(panel):
                seats[t] += weight * count
        total = self.total
        return tuple(Fraction(s, n * total) for s, n in zip(seats, self.instance.sizes, strict=True))

    def probabilities(self) -> dict[str, Fraction]:
        """The exact selection probability of every person."""
        result: dict[str, Fraction] = {}
        for members, probability in zip(self.instance.members, self.type_probabilities(), strict=True):
            for person in members:
                result[person] = probability
        return result


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
        if found.reached:
            levels = {t: float(level) for t, level in enumerate(found.levels)}
            distribution = _exact(instance, found.panels, found.weights, levels)
            reached = np.array([float(p) for p in distribution.type_probabilities()])
            if np.all(reached >= found.levels - REACHED):
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
        bound = [t for t in free if prices[t] / scale > FIX_TOLERANCE]
        if not bound:
            bound = [max(free, key=lambda t: (prices[t], -t))]
        for t in bound:
            master.fix(t, level)
            levels[t] = level
    _, _, weights = master.solve(interior=False)
    return _exact(instance, master.panels, weights, levels)


def _exact(
    instance: Instance, panels: list[tuple[int, ...]], weights: Vector, levels: dict[int, float]
) -> Distribution:
    scaled = [round(float(w) / float(weights.sum()) * WEIGHT_SCALE) for w in weights]
    kept = [(panel, w) for panel, w in zip(panels, scaled, strict=True) if w > 0]
    kept.sort()
    return Distribution(
        instance=instance,
        panels=tuple(panel for panel, _ in kept),
        weights=tuple(w for _, w in kept),
        levels=tuple(levels[t] for t in range(len(instance.profiles))),
    )
