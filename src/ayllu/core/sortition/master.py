"""The restricted master LP of LEXIMIN column generation, and how panels enter it.

The master holds the panels found so far as columns; its rows give every type t the probability
sum_P x_P * c_t(P) / scale_t, where scale_t is the type's size (leximin.py) or its target seats
(shortcut.py, which asks whether a seat vector is a mix of panels). Dual prices of the type rows go to
the pricing integer program (highs.Pricer); a panel heavier than the known ones is a new column.
"""

import highspy
import numpy as np

from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.highs import INF, Pricer, Vector, new_highs
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.tolerances import SLACK, SLACK_LIMIT

EXTRA_PANELS = 4  # extra panels sought per master solve


class Master:
    """The restricted stage LP, kept between stages so HiGHS can warm-start from the last basis."""

    def __init__(self, instance: Instance, *, idle_limit: int | None, scale: Vector | None = None) -> None:
        self.sizes = np.array(instance.sizes, dtype=np.float64) if scale is None else scale
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
        self.levels: dict[int, float] = {}  # fixed types and their levels
        self.slack = SLACK  # fixed levels are imposed this much lower (tolerances.py)

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
        self.highs.changeRowBounds(t, max(0.0, level - self.slack), INF)
        self.levels[t] = level

    def _widen(self) -> bool:
        """Impose the fixed levels with ten times the slack; False when the slack is at its limit."""
        if self.slack * 10 > SLACK_LIMIT * (1 + 1e-9):
            return False
        self.slack *= 10
        for t, level in self.levels.items():
            self.highs.changeRowBounds(t, max(0.0, level - self.slack), INF)
        return True

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
        if status == highspy.HighsModelStatus.kInfeasible and not interior and self._widen():
            return self.solve(interior=False)
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailed(stage="master", status=highs.modelStatusToString(status))
        solution = highs.getSolution()
        # HiGHS signs duals for the objective sense; in a maximisation a binding >= row has a price <= 0.
        prices = np.maximum(-np.array(solution.row_dual[: self.types]), 0.0)
        weights = np.maximum(np.array(solution.col_value[1:]), 0.0)
        if not interior:
            self.idle = [0 if w > 0.0 else idle + 1 for w, idle in zip(weights, self.idle, strict=True)]
        return float(solution.col_value[0]), prices, weights


def initial_panels(instance: Instance, pricer: Pricer, master: Master) -> list[int]:
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


def price(master: Master, pricer: Pricer, prices: Vector) -> tuple[int, ...] | None:
    """Return a panel that the current prices undervalue, or None when the known panels suffice."""
    weights = master.shares @ prices
    heaviest = int(np.argmax(weights))
    ceiling = float(weights[heaviest])
    panel = pricer.heavier(prices / master.sizes, than=ceiling, near=(master.panels[heaviest],))
    if panel is None or panel in master.known:
        # a known panel cannot be heavier than the ceiling; if the solver says so, it is rounding noise
        return None
    return panel


def more_panels(master: Master, pricer: Pricer, prices: Vector, panel: tuple[int, ...]) -> None:
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
        found = pricer.heavier(prices / master.sizes, than=ceiling, near=(panel,))
        if found is None or found in master.known:
            return
        master.add(found)
        panel = found
