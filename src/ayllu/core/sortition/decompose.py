"""Write a seat vector of the relaxed polytope as a distribution over integer panels, when one exists.

A walk in the style of Carathéodory's theorem. Keep a residual target r (the seats still to be given,
per unit of the probability mass mu still to be spent; at the start r = the target, mu = 1):

1. Find an integer panel c on the smallest face of the relaxed polytope R holding r: the types at 0 or
   at n_t in r are held there, and the quotas r meets with equality are met with equality.
2. Give c the largest weight lam such that r' = (r - lam c) / (1 - lam) stays in R: r' then reaches a new
   face, so the face shrinks by at least one dimension per step. Spend mu * lam on c, keep mu * (1 - lam).

The panel is a vertex of the face's linear program (objective: the residual's shares, so the panel
agrees with r and the step is long), made integral by a repair of a few seat moves (repair.py) from the
rounded vertex or, failing that, from one of the last panels (which miss the new face by a seat or
two); then by a small integer program over its fractional seats and the free seats with the smallest
reduced costs; the integer program over all seats is the last resort.
The walk stops when the mass left is negligible (the distribution then reaches the target within that
mass), or fails when a face holds no integer panel: the target may lie outside the integer hull, and the
caller falls back to column generation (leximin.py), seeded with the panels found.
"""

from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

from ayllu.core.sortition.highs import Vector, new_highs
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.repair import FILL, repaired

FACE = 1e-6  # a residual within this of a bound or a quota's limit is on that face ...
NOISE = 1e-11  # ... or within this divided by the mass left: the residual's rounding error grows as 1/mass
DONE = 1e-9  # the walk stops when less probability mass than this is left
ENOUGH = 1e-8  # a walk that gets stuck with at most this much mass left still counts as complete
NEIGHBOURHOOD = 100  # integral seats the rounding integer program may move, besides the fractional ones
RECENT = 4  # the last panels a repair may start from
Mask = NDArray[np.bool_]
FOUND = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit)


@dataclass(frozen=True, slots=True)
class Walk:
    """Panels (seats per type) with their weights; `complete` when they reach the target within ENOUGH."""

    panels: list[tuple[int, ...]]
    weights: list[float]
    complete: bool


class _Face:
    """The relaxed polytope as a linear program and an integer program over the same rows."""

    def __init__(self, instance: Instance) -> None:
        self.sizes = np.array(instance.sizes, dtype=np.float64)
        self.types = len(self.sizes)
        rows = [np.ones(self.types)]
        low, high = [float(instance.panel_size)], [float(instance.panel_size)]
        for quota in instance.quotas:
            row = np.zeros(self.types)
            row[instance.types_with(quota)] = 1.0
            rows.append(row)
            low.append(float(quota.min))
            high.append(float(quota.max))
        self.rows = np.array(rows)
        self.low = np.array(low)
        self.high = np.array(high)
        self.every = np.arange(self.types, dtype=np.int32)
        self.linear = self._model()

    def _model(self) -> highspy.Highs:
        highs = new_highs()
        highs.addVars(self.types, np.zeros(self.types), self.sizes)
        for row, low, high in zip(self.rows, self.low, self.high, strict=True):
            members = np.flatnonzero(row).astype(np.int32)
            highs.addRow(low, high, len(members), members, np.ones(len(members)))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return highs

    def _integer(self, low: Vector, high: Vector, rows: tuple[Vector, Vector], cost: Vector) -> Vector | None:
        """An integer panel within the bounds, by an integer program over the open seats only.

        The seats fixed by their bounds enter as constants in the rows: the program is built anew over the
        ~120 open seats instead of changing the bounds of one program over every type, which HiGHS then
        presolves each time (on the 2,000/20 pool of docs/performance.md the walk's integer programs took
        about 55 s of CPU that way, 43 s this way)."""
        row_low, row_high = rows
        open_ = np.flatnonzero(low < high)
        seats = low.copy()
        fixed = self.rows @ np.where(low < high, 0.0, low)
        touched = self.rows[:, open_].any(axis=1)
        untouched = ~touched
        if np.any(fixed[untouched] < row_low[untouched] - 1e-9) or np.any(
            fixed[untouched] > row_high[untouched] + 1e-9
        ):
            return None
        if not len(open_):
            return seats
        count = len(open_)
        columns = np.arange(count, dtype=np.int32)
        integer = new_highs()
        integer.addVars(count, low[open_], high[open_])
        for row in np.flatnonzero(touched):
            members = np.flatnonzero(self.rows[row, open_]).astype(np.int32)
            bottom, top = row_low[row] - fixed[row], row_high[row] - fixed[row]
            integer.addRow(float(bottom), float(top), len(members), members, np.ones(len(members)))
        integer.changeColsIntegrality(count, columns, np.array([highspy.HighsVarType.kInteger] * count))
        integer.changeColsCost(count, columns, cost[open_])
        integer.changeObjectiveSense(highspy.ObjSense.kMaximize)
        integer.setOptionValue("mip_max_improving_sols", 1)  # any panel on the face will do
        integer.run()
        if integer.getModelStatus() not in FOUND:
            return None
        seats[open_] = np.round(np.array(integer.getSolution().col_value))
        return seats

    def panel(
        self,
        low: Vector,
        high: Vector,
        row_low: Vector,
        row_high: Vector,
        cost: Vector,
        *,
        recent: list[Vector] | None,
    ) -> Vector | None:
        """An integer panel within these seat and row bounds, guided by `cost`; None when there is none.

        `recent` are the last panels of the walk, latest last: starts for a repair (None: no repair).
        """
        highs = self.linear
        highs.changeColsBounds(self.types, self.every, low, high)
        for row, (bottom, top) in enumerate(zip(row_low, row_high, strict=True)):
            highs.changeRowBounds(row, float(bottom), float(top))
        highs.changeColsCost(self.types, self.every, cost)
        self.linear.run()
        if self.linear.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.linear.getSolution()
        seats = np.array(solution.col_value)
        nearest = np.round(seats)
        fractional = np.abs(seats - nearest) > 1e-9
        if not fractional.any():
            return nearest
        if recent is None:
            return self._rounded(solution, fractional, nearest, low, high, row_low, row_high, cost)
        bounds = (low, high)
        row_bounds = (np.asarray(row_low, dtype=np.float64), np.asarray(row_high, dtype=np.float64))
        # the rounded vertex first (it agrees with the residual, so the step is long), then the last panels,
        # with the final move only: filling many seats greedily from those made the walk stall on 2,000/20
        starts = [(nearest, FILL), *((panel, 0) for panel in reversed(recent))]
        for start, fill in starts:
            found = repaired(self.rows, start, bounds=bounds, row_bounds=row_bounds, cost=cost, fill=fill)
            if found is not None:
                return found
        return self._rounded(solution, fractional, nearest, low, high, row_low, row_high, cost)

    def _rounded(
        self,
        solution: highspy.HighsSolution,
        fractional: Mask,
        nearest: Vector,
        low: Vector,
        high: Vector,
        row_low: Vector,
        row_high: Vector,
        cost: Vector,
    ) -> Vector | None:
        """The vertex rounded by the neighbourhood integer program, else by the full one."""
        reduced = np.abs(np.array(solution.col_dual))
        movable = np.flatnonzero(~fractional & (low < high))
        movable = movable[np.argsort(reduced[movable], kind="stable")[:NEIGHBOURHOOD]]
        open_ = fractional.copy()
        open_[movable] = True
        rows = (np.asarray(row_low, dtype=np.float64), np.asarray(row_high, dtype=np.float64))
        found = self._integer(np.where(open_, low, nearest), np.where(open_, high, nearest), rows, cost)
        return found if found is not None else self._integer(low, high, rows, cost)


def decompose(instance: Instance, target: Vector, *, repair: bool = True) -> Walk:
    """Walk from `target` (expected seats per type, a point of the relaxed polytope) towards panels.

    With `repair`, panels are repaired from the vertex or the last panels before any integer program.
    """
    face = _Face(instance)
    sizes = face.sizes
    panels: list[Vector] = []
    weights: list[float] = []
    mass = 1.0
    residual = target.copy()
    # the seats given so far, summed with Kahan's compensation (`lost` keeps the low-order bits), so the
    # residual does not drift as the mass left shrinks; adding each panel once instead of multiplying
    # every panel by its weight at every step saves a quadratic pass (3-4 s on 774 panels of 1,304 types)
    given = np.zeros_like(target)
    lost = np.zeros_like(target)
    for _ in range(4 * face.types + 100):  # each step shrinks the face; the bound is only a safeguard
        # each panel seats floor or ceil of the residual if it can: a box around it keeps the walk near it
        nearest = np.round(residual)
        near = max(FACE, NOISE / mass)
        whole = np.abs(residual - nearest) <= near
        residual[whole] = nearest[whole]
        low = np.floor(residual)
        high = np.ceil(residual)
        counts = face.rows @ residual
        tight_low = counts <= face.low + near
        tight_high = counts >= face.high - near
        row_low = np.where(tight_high, face.high, face.low)
        row_high = np.where(tight_low, face.low, face.high)
        cost = residual / sizes - 0.5
        recent = panels[-RECENT:] if repair else None
        panel = face.panel(low, high, row_low, row_high, cost, recent=recent)
        if panel is None:
            # no panel in the box: any panel on the face will do (types at 0 or n_t stay there)
            low = np.where(residual >= sizes, sizes, 0.0)
            high = np.where(residual <= 0.0, 0.0, sizes)
            panel = face.panel(low, high, row_low, row_high, cost, recent=recent)
        if panel is None:
            break
        step = _longest_step(face, residual, panel, box=(low, high), loose=~tight_low & ~tight_high)
        panels.append(panel)
        if step is None:  # the residual is this panel
            weights.append(mass)
            mass = 0.0
            break
        share = step / (1.0 + step)
        weights.append(mass * share)
        mass *= 1.0 - share
        if mass <= DONE:
            break
        term = weights[-1] * panel - lost
        total = given + term
        lost = (total - given) - term
        given = total
        # recomputed from the target each time, so rounding errors do not pile up along the walk
        residual = np.clip((target - given) / mass, 0.0, sizes)
    return Walk(
        panels=[tuple(int(v) for v in panel) for panel in panels],
        weights=weights,
        complete=mass <= ENOUGH,
    )


def _longest_step(
    face: _Face, residual: Vector, panel: Vector, *, box: tuple[Vector, Vector], loose: Mask
) -> float | None:
    """The largest s with residual + s (residual - panel) in R (s = lam / (1 - lam)); None if unbounded."""
    away = residual - panel
    if np.max(np.abs(away)) < 1e-9:
        return None
    step = np.inf
    low, high = box
    free = low < high
    down = free & (away < 0)
    up = free & (away > 0)
    if down.any():
        step = min(step, float(np.min((residual - low)[down] / -away[down])))
    if up.any():
        step = min(step, float(np.min((high - residual)[up] / away[up])))
    counts = face.rows @ residual
    moves = face.rows @ away
    falling = loose & (moves < -1e-12)
    rising = loose & (moves > 1e-12)
    if falling.any():
        step = min(step, float(np.min((counts - face.low)[falling] / -moves[falling])))
    if rising.any():
        step = min(step, float(np.min((face.high - counts)[rising] / moves[rising])))
    return None if not np.isfinite(step) else max(step, 0.0)
