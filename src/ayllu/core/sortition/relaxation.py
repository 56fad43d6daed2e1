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
"""

from dataclasses import dataclass

import highspy
import numpy as np

from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.highs import INF, Vector, new_highs
from ayllu.core.sortition.pool import Instance

FIX_TOLERANCE = 1e-6  # an interior dual price above this (prices of free types sum to 1) fixes a type
FIXED_SLACK = (
    1e-9  # fixed levels are imposed this much lower, so rounding noise cannot make a stage infeasible
)
RISE = 1e-5  # a type that can rise more than this above the stage level is not bound (the 1e-9 slack on
# every other type, summed over up to thousands of people, can let a bound type rise by ~1e-6)
FEASIBILITY = 1e-9  # primal and dual feasibility tolerance of these LPs (HiGHS's default is 1e-7)


@dataclass(frozen=True, slots=True)
class Relaxed:
    """The LEXIMIN point of the relaxed polytope: expected seats per type and each type's level."""

    seats: Vector
    levels: Vector


def _model(instance: Instance) -> tuple[highspy.Highs, int]:
    """Columns c_0 .. c_{T-1}, then z; rows: size, quotas, one level row per type (the first returned)."""
    sizes = np.array(instance.sizes, dtype=np.float64)
    types = len(sizes)
    every = np.arange(types, dtype=np.int32)
    highs = new_highs()
    highs.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
    highs.setOptionValue("dual_feasibility_tolerance", FEASIBILITY)
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
    return highs, first


def _solve(highs: highspy.Highs, *, interior: bool) -> highspy.HighsSolution:
    if interior:
        copy = new_highs()
        copy.passModel(highs.getLp())
        copy.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
        copy.setOptionValue("dual_feasibility_tolerance", FEASIBILITY)
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
        raise SolverFailed(stage="relaxation", status=highs.modelStatusToString(status))
    return highs.getSolution()


def _verified(highs: highspy.Highs, *, sizes: Vector, candidates: list[int], level: float) -> list[int]:
    """The candidates that cannot rise above `level` while every free type keeps it.

    A dual price is only as good as the solver's tolerances: a price of 1e-6 proves that a type is
    bound only up to (dual infeasibility) / price, which can be a visible amount. So the candidates are
    checked: maximise their total probability with z held at `level`; any candidate that rises is
    dropped, and the rest are checked again, until none rises. At least one type is always bound at
    the optimum, so this ends with some; if noise says otherwise, the candidate that rose least is kept.
    """
    types = len(sizes)
    zeros = np.zeros(types + 1)
    every = np.arange(types + 1, dtype=np.int32)
    kept = candidates
    highs.changeColBounds(types, level - FIXED_SLACK, level - FIXED_SLACK)
    try:
        while True:
            cost = zeros.copy()
            cost[kept] = 1.0 / sizes[kept]
            highs.changeColsCost(types + 1, every, cost)
            seats = np.array(_solve(highs, interior=False).col_value[:types])
            rise = seats[kept] / sizes[kept] - level
            # the slack of every other fixed row, pooled onto one type, can lift it by up to this
            risen = rise > max(RISE, 10.0 * FIXED_SLACK * float(sizes.sum()))
            if not risen.any():
                return kept
            if risen.all():
                return [kept[int(np.argmin(rise))]]
            kept = [t for t, up in zip(kept, risen, strict=True) if not up]
    finally:
        highs.changeColsCost(types + 1, every, np.append(np.zeros(types), 1.0))
        highs.changeColBounds(types, 0.0, 1.0)


def relaxed_leximin(instance: Instance, *, zero: list[int]) -> Relaxed:
    """LEXIMIN over the relaxed polytope, with the types in `zero` (which fit in no panel) held at 0."""
    highs, first = _model(instance)
    types = len(instance.profiles)
    sizes = np.array(instance.sizes, dtype=np.float64)
    levels = np.zeros(types)
    fixed = np.zeros(types, dtype=bool)

    def fix(t: int, level: float) -> None:
        highs.changeCoeff(first + t, types, 0.0)
        highs.changeRowBounds(first + t, max(0.0, level - FIXED_SLACK), INF)
        levels[t] = level
        fixed[t] = True

    for t in zero:
        fix(t, 0.0)
        highs.changeColBounds(t, 0.0, 0.0)
    while not fixed.all():
        level = float(_solve(highs, interior=False).col_value[types])
        solution = _solve(highs, interior=True)
        # fix at the lower of the two levels: either may sit a little above what R allows (tolerance)
        level = min(level, float(solution.col_value[types]))
        prices = np.maximum(-np.array(solution.row_dual[first : first + types]), 0.0)
        prices[fixed] = 0.0
        scale = float(prices.sum()) or 1.0
        bound = np.flatnonzero(prices / scale > FIX_TOLERANCE)
        if not len(bound):
            free = np.flatnonzero(~fixed)
            bound = free[np.argmax(prices[free]) : np.argmax(prices[free]) + 1]
        for chosen in _verified(highs, sizes=sizes, candidates=[int(t) for t in bound], level=level):
            fix(int(chosen), level)
    seats = np.clip(np.array(_solve(highs, interior=False).col_value[:types]), 0.0, instance.sizes)
    return Relaxed(seats=seats, levels=levels)
