"""LEXIMIN over the relaxed panel polytope: an upper bound that is usually the answer.

A distribution over panels gives every type t an expected seat count E[c_t], and that vector always lies
in the polytope R of fractional panels: 0 <= c_t <= n_t, sum_t c_t = k, every quota's seats within its
bounds (each panel satisfies these linear constraints, so their average does). LEXIMIN over R is a
sequence of small compact linear programs, no column generation:

    maximise z  s.t.  c_t / n_t >= z  (free types),  c_t / n_t >= p_t  (fixed types),  c in R

with the types fixed, as in leximin.py, when an interior (no crossover) dual prices them positively.
Since every achievable seat vector lies in R, the result is at least as good as the true LEXIMIN in the
leximin order; when some distribution over integer panels reaches it (decompose.py finds one), that
distribution is LEXIMIN-optimal.

Fixed levels are imposed a little lower (the slack, tolerances.py); a stage made infeasible by rounding
noise anyway is solved again with more slack, so a feasible pool never fails here.
"""

from dataclasses import dataclass

import highspy
import numpy as np

from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.highs import INF, Vector, new_highs
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.tolerances import (
    CANDIDATE_SHARE,
    RELAXATION_FEASIBILITY,
    RISE,
    SIMPLEX_ITERATIONS,
    SLACK,
    SLACK_LIMIT,
)


@dataclass(frozen=True, slots=True)
class Relaxed:
    """The LEXIMIN point of the relaxed polytope: expected seats per type and each type's level."""

    seats: Vector
    levels: Vector
    # how much lower than its level each fixed row was finally imposed
    slack: float


def _model(instance: Instance) -> tuple[highspy.Highs, int]:
    """Columns c_0 .. c_{T-1}, then z; rows: size, quotas, one level row per type (the first returned)."""
    sizes = np.array(instance.sizes, dtype=np.float64)
    types = len(sizes)
    every = np.arange(types, dtype=np.int32)
    highs = new_highs()
    highs.setOptionValue("primal_feasibility_tolerance", RELAXATION_FEASIBILITY)
    highs.setOptionValue("dual_feasibility_tolerance", RELAXATION_FEASIBILITY)
    highs.addVars(types, np.zeros(types), sizes)
    highs.addVar(0.0, 1.0)
    highs.changeColCost(types, 1.0)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    size = float(instance.panel_size)
    highs.addRow(size, size, types, every, np.ones(types))
    for quota in instance.quotas:
        members = np.array(instance.types_with(quota), dtype=np.int32)
        highs.addRow(float(quota.min), float(quota.max), len(members), members, np.ones(len(members)))
    first = 1 + len(instance.quotas)
    for t in range(types):
        highs.addRow(0.0, INF, 2, np.array([t, types], dtype=np.int32), np.array([1.0 / sizes[t], -1.0]))
    highs.setOptionValue("simplex_iteration_limit", _iterations(highs))
    return highs, first


def _iterations(highs: highspy.Highs) -> int:
    """The simplex iteration limit of an LP of this size (tolerances.SIMPLEX_ITERATIONS)."""
    return SIMPLEX_ITERATIONS * (highs.getNumRow() + highs.getNumCol())


def _solve(highs: highspy.Highs, *, interior: bool) -> highspy.HighsSolution:
    if interior:
        copy = new_highs()
        copy.passModel(highs.getLp())
        copy.setOptionValue("primal_feasibility_tolerance", RELAXATION_FEASIBILITY)
        copy.setOptionValue("dual_feasibility_tolerance", RELAXATION_FEASIBILITY)
        copy.setOptionValue("simplex_iteration_limit", _iterations(copy))
        copy.setOptionValue("solver", "ipm")
        copy.setOptionValue("run_crossover", "off")
        copy.run()
        if copy.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # a vertex dual is still optimal: any type it prices positively is still bound
            copy.setOptionValue("run_crossover", "on")
            copy.run()
        highs = copy
    else:
        highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            # a warm start can end on a basis the tolerances reject: solve from scratch before giving up; with
            # the primal simplex when the dual one stopped at its iteration limit (it can cycle)
            cycled = status == highspy.HighsModelStatus.kIterationLimit
            highs.clearSolver()
            highs.setOptionValue("simplex_strategy", 4 if cycled else 1)
            highs.run()
            highs.setOptionValue("simplex_strategy", 1)
        if highs.getModelStatus() == highspy.HighsModelStatus.kIterationLimit:
            # the primal simplex stopped too: the interior point method with crossover (a vertex answer,
            # as the simplex gives), on a copy so the model keeps its basis for the next warm start
            copy = new_highs()
            copy.passModel(highs.getLp())
            copy.setOptionValue("primal_feasibility_tolerance", RELAXATION_FEASIBILITY)
            copy.setOptionValue("dual_feasibility_tolerance", RELAXATION_FEASIBILITY)
            copy.setOptionValue("solver", "ipm")
            copy.run()
            highs = copy
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverFailed(stage="relaxation", status=highs.modelStatusToString(status))
    return highs.getSolution()


class _Stages:
    """The stage LP with the fixed types so far, and the slack their rows are imposed with."""

    def __init__(self, instance: Instance) -> None:
        self.highs, self.first = _model(instance)
        self.sizes = np.array(instance.sizes, dtype=np.float64)
        self.types = len(self.sizes)
        self.levels = np.zeros(self.types)
        self.fixed = np.zeros(self.types, dtype=bool)
        self.slack = SLACK

    def fix(self, t: int, level: float) -> None:
        self.highs.changeCoeff(self.first + t, self.types, 0.0)
        self.highs.changeRowBounds(self.first + t, max(0.0, level - self.slack), INF)
        self.levels[t] = level
        self.fixed[t] = True

    def solve(self, *, interior: bool) -> highspy.HighsSolution:
        """Solve the stage; when it is infeasible, impose the fixed levels with more slack and retry."""
        while True:
            try:
                return _solve(self.highs, interior=interior)
            except SolverFailed as failure:
                if failure.detail["status"] != "Infeasible" or self.slack * 10 > SLACK_LIMIT * (1 + 1e-9):
                    raise
            self.slack *= 10
            for t in np.flatnonzero(self.fixed):
                self.highs.changeRowBounds(self.first + int(t), max(0.0, self.levels[t] - self.slack), INF)

    def verified(self, candidates: list[int], *, level: float) -> dict[int, float]:
        """The candidates that cannot rise above `level` while every free type keeps it, with their levels.

        A dual price is only as good as the solver's tolerances: a price of 1e-6 proves that a type is
        bound only up to (dual infeasibility) / price, which can be a visible amount. So the candidates
        are checked: maximise their total probability with z held at `level`; any candidate that rises
        is dropped, and the rest are checked again, until none rises. At least one type is always bound
        at the optimum, so this ends with some; if noise says otherwise, the one that rose least is kept.
        Each is fixed at the lower of `level` and what this LP's solution gives it: a point that meets
        every fixed row at once, so the next stage stays feasible.
        """
        types, sizes = self.types, self.sizes
        zeros = np.zeros(types + 1)
        every = np.arange(types + 1, dtype=np.int32)
        kept = candidates
        try:
            while True:
                self.highs.changeColBounds(types, level - self.slack, level - self.slack)
                cost = zeros.copy()
                cost[kept] = 1.0 / sizes[kept]
                self.highs.changeColsCost(types + 1, every, cost)
                reached = np.array(self.solve(interior=False).col_value[:types]) / sizes
                rise = reached[kept] - level
                # the slack of every other fixed row, pooled onto one type, can lift it by up to this
                risen = rise > max(RISE, 10.0 * self.slack * float(sizes.sum()))
                if risen.all():
                    kept = [kept[int(np.argmin(rise))]]
                    break
                if not risen.any():
                    break
                kept = [t for t, up in zip(kept, risen, strict=True) if not up]
        finally:
            self.highs.changeColsCost(types + 1, every, np.append(np.zeros(types), 1.0))
            self.highs.changeColBounds(types, 0.0, 1.0)
        return {t: min(level, float(reached[t])) for t in kept}


def relaxed_leximin(instance: Instance, *, zero: list[int]) -> Relaxed:
    """LEXIMIN over the relaxed polytope, with the types in `zero` (which fit in no panel) held at 0."""
    stages = _Stages(instance)
    types = stages.types
    first = stages.first
    for t in zero:
        stages.fix(t, 0.0)
        stages.highs.changeColBounds(t, 0.0, 0.0)
    while not stages.fixed.all():
        level = float(stages.solve(interior=False).col_value[types])
        solution = stages.solve(interior=True)
        # fix at the lower of the two levels: either may sit a little above what R allows (tolerance)
        level = min(level, float(solution.col_value[types]))
        prices = np.maximum(-np.array(solution.row_dual[first : first + types]), 0.0)
        prices[stages.fixed] = 0.0
        scale = float(prices.sum()) or 1.0
        bound = np.flatnonzero(prices / scale > CANDIDATE_SHARE)
        if not len(bound):
            free = np.flatnonzero(~stages.fixed)
            bound = free[np.argmax(prices[free]) : np.argmax(prices[free]) + 1]
        for t, reached in stages.verified([int(t) for t in bound], level=level).items():
            stages.fix(t, reached)
    seats = np.clip(np.array(stages.solve(interior=False).col_value[:types]), 0.0, instance.sizes)
    # the levels of this one point of R: within the slack of the stage levels, and the walk's exact target
    # (the stage levels can sum to a little less than k, and the point puts the rest anywhere)
    return Relaxed(seats=seats, levels=seats / stages.sizes, slack=stages.slack)
