"""HiGHS set up for reproducible answers, and the pricing problem: the heaviest panel meeting the quotas.

Every model runs on one thread with a fixed random seed and quiet output, so the same inputs give the
same answer on the same build of HiGHS.
"""

import highspy
import numpy as np
from numpy.typing import NDArray

from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.tolerances import ENTER

INF = highspy.kHighsInf
Vector = NDArray[np.float64]


def new_highs() -> highspy.Highs:
    """Return an empty HiGHS model with reproducible, silent options."""
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    return highs


def tune_integer(highs: highspy.Highs) -> None:
    """Settings for the small panel integer programs: they take few nodes but spend long at the root.

    HiGHS keeps up to 10,000 cuts in its pool by default and presolves each model anew, though only the
    objective or the bounds change between runs; a pool of 10 cuts and no presolve find the same optima
    in less time (docs/sortition.md, "Speed work 2026-12-06"). Not for the walk's integer program
    (decompose.py), which stops at its first panel: there, on 1,654 types, the same settings took over
    seven times as long.
    """
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("mip_pool_soft_limit", 10)


SWAPS = 40  # steps of the swap search at most
SWAP_CANDIDATES = 256  # types that may take a seat in a swap: the heaviest ones
SWAP_GAIN = 1e-12  # a swap must add more weight than this (rounding noise)


class Pricer:
    """The integer program over seats per type: size k, every quota met, maximise a weight per seat.

    Most calls are settled by the LP relaxation: its optimum bounds every panel's weight, and when it
    is no heavier than the known panels there is nothing to find. Otherwise the relaxation's fractional
    seats are rounded by a small integer program over just those types, and only when that finds
    nothing heavy enough does the full integer program run.
    """

    def __init__(self, instance: Instance) -> None:
        self.sizes = np.array(instance.sizes, dtype=np.float64)
        self.types = len(self.sizes)
        self.every = np.arange(self.types, dtype=np.int32)
        # the quotas as a 0/1 matrix (one row per quota), for the swap search
        self.rows = np.zeros((len(instance.quotas), self.types))
        for q, quota in enumerate(instance.quotas):
            self.rows[q, instance.types_with(quota)] = 1.0
        self.low = np.array([float(quota.min) for quota in instance.quotas])
        self.high = np.array([float(quota.max) for quota in instance.quotas])
        self.relaxed = self._model(instance)
        self.exact = self._model(instance)
        self.exact.setOptionValue("mip_rel_gap", 1e-9)
        tune_integer(self.exact)
        self.exact.setOptionValue("mip_abs_gap", 1e-12)
        self.exact.changeColsIntegrality(
            self.types, self.every, np.array([highspy.HighsVarType.kInteger] * self.types)
        )

    def _model(self, instance: Instance) -> highspy.Highs:
        highs = new_highs()
        highs.addVars(self.types, np.zeros(self.types), self.sizes)
        size = float(instance.panel_size)
        highs.addRow(size, size, self.types, self.every, np.ones(self.types))
        for quota in instance.quotas:
            members = np.array(instance.types_with(quota), dtype=np.int32)
            highs.addRow(float(quota.min), float(quota.max), len(members), members, np.ones(len(members)))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return highs

    def _run(self, highs: highspy.Highs, weights: Vector, stage: str) -> tuple[Vector, float] | None:
        highs.changeColsCost(self.types, self.every, weights)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailed(stage=stage, status=highs.modelStatusToString(status))
        return np.array(highs.getSolution().col_value), float(highs.getInfo().objective_function_value)

    def any_panel(self) -> tuple[int, ...] | None:
        """Return some panel meeting the quotas, or None when there is none."""
        found = self._run(self.exact, np.zeros(self.types), "feasibility")
        return None if found is None else tuple(round(v) for v in found[0])

    def swapped(self, panel: tuple[int, ...], weights: Vector) -> tuple[tuple[int, ...], float]:
        """Climb from `panel` by swaps (one seat from one type to another) that keep every quota met.

        Each step takes the swap that adds the most weight; it stops when none adds any, or after
        SWAPS steps. Any panel it returns meets the quotas, so it is a valid column; it proves nothing,
        which is why the integer program still has the last word in `heavier`.
        """
        seats = np.array(panel, dtype=np.float64)
        counts = self.rows @ seats
        # the candidates to take a seat: the heaviest types (all of them on small pools)
        heavy = np.argsort(-weights, kind="stable")[:SWAP_CANDIDATES]
        rows_in = self.rows[:, heavy]
        for _ in range(SWAPS):
            out = np.flatnonzero(seats > 0)
            moved = counts[:, None, None] - self.rows[:, out][:, :, None] + rows_in[:, None, :]
            feasible = np.all(
                (moved >= self.low[:, None, None]) & (moved <= self.high[:, None, None]), axis=0
            )
            feasible &= (seats[heavy] < self.sizes[heavy])[None, :]
            gain = np.where(feasible, weights[heavy][None, :] - weights[out][:, None], -np.inf)
            i, j = np.unravel_index(int(np.argmax(gain)), gain.shape)
            if not gain[i, j] > SWAP_GAIN:
                break
            seats[out[i]] -= 1.0
            seats[heavy[j]] += 1.0
            counts = moved[:, i, j]
        return tuple(int(v) for v in seats), float(seats @ weights)

    def heavier(
        self, weights: Vector, *, than: float, near: tuple[tuple[int, ...], ...] = ()
    ) -> tuple[int, ...] | None:
        """Return a panel weighing more than `than` + tolerance, or None when no panel does.

        `near` are panels (meeting the quotas) to climb from by swaps before the full integer program
        runs: a heavier panel is usually a few swaps from a heavy known one, and the swaps cost
        milliseconds where the integer program costs tenths of a second (docs/sortition.md, "Speed
        work 2026-12-07"). None is still only answered by the integer program.
        """
        found = self._run(self.relaxed, weights, "pricing_relaxation")
        if found is None:
            raise SolverFailed(stage="pricing_relaxation", status="infeasible")
        seats, bound = found
        if bound <= than + ENTER:
            return None
        nearest = np.round(seats)
        if np.all(np.abs(seats - nearest) < 1e-9):
            return tuple(int(v) for v in nearest)
        # round only the fractional seats, keeping the rest where the relaxation put them
        fractional = np.abs(seats - nearest) >= 1e-9
        low = np.where(fractional, np.floor(seats), nearest)
        high = np.where(fractional, np.ceil(seats), nearest)
        self.exact.changeColsBounds(self.types, self.every, low, high)
        rounded = self._run(self.exact, weights, "pricing_rounding")
        self.exact.changeColsBounds(self.types, self.every, np.zeros(self.types), self.sizes)
        if rounded is not None and rounded[1] > than + ENTER:
            return tuple(round(v) for v in rounded[0])
        starts = list(near) if rounded is None else [tuple(round(v) for v in rounded[0]), *near]
        for start in starts:
            climbed, weight = self.swapped(start, weights)
            if weight > than + ENTER:
                return climbed
        full = self._run(self.exact, weights, "pricing")
        if full is None:
            raise SolverFailed(stage="pricing", status="infeasible")
        if full[1] <= than + ENTER:
            return None
        return tuple(round(v) for v in full[0])
