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
"""

from dataclasses import dataclass
from fractions import Fraction

import highspy
import numpy as np

from .errors import SolverFailed
from .feasibility import check_feasible
from .highs import INF, Pricer, Vector, new_highs
from .pool import Instance

FIX_TOLERANCE = 1e-6  # an interior dual price above this (prices sum to 1) fixes a type
FIXED_SLACK = (
    1e-9  # fixed levels are imposed this much lower, so rounding noise cannot make a stage infeasible
)
EXTRA_PANELS = 4  # extra panels sought per master solve
IDLE_LIMIT = 20  # a panel unused in this many master solves in a row leaves the master
WEIGHT_SCALE = 2**32  # panel weights are rounded to integers over this scale for the exact output


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


class _Master:
    """The restricted stage LP, kept between stages so HiGHS can warm-start from the last basis."""

    def __init__(self, instance: Instance, *, idle_limit: int | None) -> None:
        self.sizes = np.array(instance.sizes, dtype=np.float64)
        self.types = len(self.sizes)
        self.idle_limit = idle_limit
        self.highs = new_highs()
        self.highs.setOptionValue("presolve", "off")  # the master changes a little between solves
        self.highs.setOptionValue("simplex_strategy", 4)  # primal: a new column keeps the basis feasible
        self.highs.addVar(0.0, 1.0)  # z, column 0
        self.highs.changeColCost(0, 1.0)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        for _t in range(self.types):
            self.highs.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        self.highs.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))  # convexity row
        self.panels: list[tuple[int, ...]] = []
        self.known: set[tuple[int, ...]] = set()
        self._shares = np.zeros((64, self.types))  # row P: c_t(P) / n_t; grown by doubling
        self.idle: list[int] = []  # per panel: master solves in a row in which it had no weight

    @property
    def shares(self) -> Vector:
        """One row per known panel: the probability it gives a person of each type."""
        return self._shares[: len(self.panels)]

    def add(self, panel: tuple[int, ...]) -> None:
        share = np.array(panel, dtype=np.float64) / self.sizes
        rows = np.flatnonzero(share).astype(np.int32)
        self.highs.addCol(
            0.0, 0.0, INF, len(rows) + 1, np.append(rows, self.types), np.append(share[rows], 1.0)
        )
        if len(self.panels) == len(self._shares):
            self._shares = np.vstack([self._shares, np.zeros_like(self._shares)])
        self._shares[len(self.panels)] = share
        self.panels.append(panel)
        self.known.add(panel)
        self.idle.append(0)

    def drop_idle(self) -> None:
        """Remove the panels unused for `idle_limit` solves: a smaller master pivots faster.

        Only nonbasic columns go, so the basis stays valid and the current solution (where they are 0)
        stays optimal; a dropped panel is forgotten, so pricing can bring it back when it is needed.
        """
        if self.idle_limit is None:
            return
        limit = self.idle_limit
        status = self.highs.getBasis().col_status
        basic = highspy.HighsBasisStatus.kBasic
        gone = [p for p, idle in enumerate(self.idle) if idle >= limit and status[p + 1] != basic]
        if not gone:
            return
        self.highs.deleteCols(len(gone), np.array([p + 1 for p in gone], dtype=np.int32))
        keep = np.ones(len(self.panels), dtype=bool)
        keep[gone] = False
        for p in gone:
            self.known.discard(self.panels[p])
        self.panels = [panel for panel, k in zip(self.panels, keep, strict=True) if k]
        self.idle = [idle for idle, k in zip(self.idle, keep, strict=True) if k]
        self._shares = np.vstack([self._shares[: len(keep)][keep], np.zeros((64, self.types))])

    def fix(self, t: int, level: float) -> None:
        self.highs.changeCoeff(t, 0, 0.0)
        self.highs.changeRowBounds(t, max(0.0, level - FIXED_SLACK), INF)

    def solve(self, *, interior: bool) -> tuple[float, Vector, Vector]:
        """Solve; return z, the type prices y >= 0 and the panel weights.

        The interior solve runs on a copy, so the simplex keeps its basis for the next warm start.
        """
        highs = self.highs
        if interior:
            highs = new_highs()
            highs.passModel(self.highs.getLp())
            highs.setOptionValue("solver", "ipm")
            highs.setOptionValue("run_crossover", "off")
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal and not interior:
            # the warm primal simplex can stall on a degenerate basis: start afresh with the dual simplex
            highs.clearSolver()
            highs.setOptionValue("simplex_strategy", 1)
            highs.run()
            highs.setOptionValue("simplex_strategy", 4)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal and interior:
            # the interior method can stop short on a tiny degenerate master; a crossed-over (vertex) dual is
            # still optimal, so any type it prices positively is still bound: fewer types fixed, none wrong
            highs.setOptionValue("run_crossover", "on")
            highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailed(stage="master", status=highs.modelStatusToString(status))
        solution = highs.getSolution()
        # HiGHS signs duals for the objective sense; in a maximisation a binding >= row has a price <= 0.
        prices = np.maximum(-np.array(solution.row_dual[: self.types]), 0.0)
        weights = np.maximum(np.array(solution.col_value[1:]), 0.0)
        if not interior:
            self.idle = [0 if w > 0.0 else idle + 1 for w, idle in zip(weights, self.idle, strict=True)]
        return float(solution.col_value[0]), prices, weights


def _initial_panels(instance: Instance, pricer: Pricer, master: _Master) -> list[int]:
    """Add panels until every type that fits in some panel is in one; return the types that fit in none."""
    uncovered = np.ones(len(instance.profiles))
    while uncovered.any():
        panel = pricer.heavier(uncovered, than=0.0)
        if panel is None:
            break
        newly = [t for t, count in enumerate(panel) if count > 0 and uncovered[t]]
        if not newly:
            break
        master.add(panel)
        uncovered[newly] = 0.0
    return [int(t) for t in np.flatnonzero(uncovered)]


def _price(master: _Master, pricer: Pricer, prices: Vector) -> tuple[int, ...] | None:
    """Return a panel that the current prices undervalue, or None when the known panels suffice."""
    ceiling = float(np.max(master.shares @ prices))
    panel = pricer.heavier(prices / master.sizes, than=ceiling)
    if panel is None or panel in master.known:
        # a known panel cannot be heavier than the ceiling; if the solver says so, it is rounding noise
        return None
    return panel


def _more_panels(master: _Master, pricer: Pricer, prices: Vector, panel: tuple[int, ...]) -> None:
    """Find a few more panels from one master solve: push down the prices of the panel just found.

    Scaling down prices keeps every known panel under the old ceiling, so a panel above it under the
    new prices is new. Any feasible panel is a valid column: this only saves master solves.
    """
    ceiling = float(np.max(master.shares[:-1] @ prices)) if len(master.panels) > 1 else 0.0
    prices = prices.copy()
    for _ in range(EXTRA_PANELS):
        share = np.array(panel, dtype=np.float64) / master.sizes
        weight = float(share @ prices)
        if weight <= ceiling or ceiling <= 0.0:
            return
        prices[share > 0] *= ceiling / weight
        found = pricer.heavier(prices / master.sizes, than=ceiling)
        if found is None or found in master.known:
            return
        master.add(found)
        panel = found


def _solve_stage(master: _Master, pricer: Pricer) -> tuple[float, Vector]:
    """Generate columns until the stage LP is solved over all panels; return z and interior prices."""
    while True:
        level, prices, _ = master.solve(interior=False)
        panel = _price(master, pricer, prices)
        if panel is not None:
            master.drop_idle()
            master.add(panel)
            _more_panels(master, pricer, prices, panel)
            continue
        # fix at the lower of the two levels: either solver's objective can sit a little above what the
        # panels reach (within its tolerance), and a fixed level above that makes the next stage infeasible
        inner, prices, _ = master.solve(interior=True)
        level = min(level, inner)
        panel = _price(master, pricer, prices)
        if panel is None:
            return level, prices
        master.add(panel)


def find_leximin(instance: Instance, *, idle_limit: int | None = None) -> Distribution:
    """Compute the LEXIMIN distribution over panels for a pool grouped into types.

    With `idle_limit`, a panel unused in that many master solves in a row leaves the master (faster;
    IDLE_LIMIT is the measured setting). Off by default: with limits of 1-2 solves the master has been
    seen to turn infeasible on small random pools, a bug not yet found.
    """
    check_feasible(instance)
    pricer = Pricer(instance)
    master = _Master(instance, idle_limit=idle_limit)
    levels: dict[int, float] = {}
    for t in _initial_panels(instance, pricer, master):
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
