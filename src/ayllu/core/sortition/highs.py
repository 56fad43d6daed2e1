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

    def heavier(self, weights: Vector, *, than: float) -> tuple[int, ...] | None:
        """Return a panel weighing more than `than` + tolerance, or None when no panel does."""
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
        full = self._run(self.exact, weights, "pricing")
        if full is None:
            raise SolverFailed(stage="pricing", status="infeasible")
        if full[1] <= than + ENTER:
            return None
        return tuple(round(v) for v in full[0])
