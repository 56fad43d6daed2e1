"""The last steps before a distribution is returned: polish its weights, make them exact, check them.

1. `polish`: the weights that keep every type closest to its LEXIMIN level (an LP minimising the largest
   gap, both ways, over the panels found). The solvers before it stop
   within their own tolerances; this removes what they leave (a type at 1 given 0.9999966, one at 0.1
   given 0.1000089).
2. `exact`: the weights rounded to integers over WEIGHT_SCALE, so every probability is a Fraction.
3. `verify`: exact arithmetic, no solver: every panel meets the quotas, the probabilities sum to the
   panel size, each lies in [0, 1] and within ACCEPT of its level. Anything else is a solver failure,
   raised here rather than shipped.
"""

from fractions import Fraction

import highspy
import numpy as np

from ayllu.core.sortition.distribution import Distribution
from ayllu.core.sortition.errors import SolverFailed
from ayllu.core.sortition.highs import INF, Vector, new_highs
from ayllu.core.sortition.pool import Instance
from ayllu.core.sortition.tolerances import ACCEPT, POLISH_FEASIBILITY, SIMPLEX_ITERATIONS, WEIGHT_SCALE

POLISHED = 1e-9  # a distribution this close to its levels is not polished


def polish(
    instance: Instance,
    *,
    panels: list[tuple[int, ...]],
    weights: Vector,
    levels: Vector,
) -> tuple[list[tuple[int, ...]], Vector]:
    """Weights over `panels` minimising the largest |probability - level| of any type.

    Variables x_P >= 0 (sum 1) and d >= 0; per type t: level_t - d <= sum_P x_P c_t(P) / n_t <= level_t + d.
    Returns the input when the LP does no better. (Pricing new panels into this LP was tried: on a
    2,000-person pool a hundred rounds took 38 s of CPU and gained only a factor of three.)
    """
    sizes = np.array(instance.sizes, dtype=np.float64)
    types = len(sizes)
    highs = new_highs()
    highs.setOptionValue("primal_feasibility_tolerance", POLISH_FEASIBILITY)
    highs.setOptionValue("dual_feasibility_tolerance", POLISH_FEASIBILITY)
    highs.addVar(0.0, INF)  # d, column 0
    highs.changeColCost(0, 1.0)
    none = np.array([], dtype=np.int32)
    for t in range(types):
        highs.addRow(float(levels[t]), INF, 1, np.array([0], dtype=np.int32), np.array([1.0]))
        highs.addRow(-INF, float(levels[t]), 1, np.array([0], dtype=np.int32), np.array([-1.0]))
    highs.addRow(1.0, 1.0, 0, none, np.array([]))  # convexity, row 2 * types
    found: list[tuple[int, ...]] = []
    known: set[tuple[int, ...]] = set()

    def add(panel: tuple[int, ...]) -> None:
        share = np.array(panel, dtype=np.float64) / sizes
        seated = np.flatnonzero(share).astype(np.int32)
        rows = np.concatenate([2 * seated, 2 * seated + 1, [2 * types]]).astype(np.int32)
        values = np.concatenate([share[seated], share[seated], [1.0]])
        highs.addCol(0.0, 0.0, INF, len(rows), rows, values)
        found.append(panel)
        known.add(panel)

    for panel in panels:
        if panel not in known:
            add(panel)
    highs.setOptionValue("simplex_iteration_limit", SIMPLEX_ITERATIONS * (2 * types + 1 + len(found)))
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        # the dual simplex stopped (cycling, see SIMPLEX_ITERATIONS): start afresh with the primal simplex
        highs.clearSolver()
        highs.setOptionValue("simplex_strategy", 4)
        highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return panels, weights
    polished = np.maximum(np.array(highs.getSolution().col_value[1:]), 0.0)
    before = _gap(instance, panels, weights, levels)
    if _gap(instance, found, polished, levels) >= before:
        return panels, weights
    return found, polished


def _gap(instance: Instance, panels: list[tuple[int, ...]], weights: Vector, levels: Vector) -> float:
    shares = np.array(panels, dtype=np.float64) / np.array(instance.sizes, dtype=np.float64)
    return float(np.max(np.abs(shares.T @ (weights / weights.sum()) - levels)))


def exact(instance: Instance, panels: list[tuple[int, ...]], weights: Vector, levels: Vector) -> Distribution:
    """The distribution with weights rounded to integers over WEIGHT_SCALE, panels merged and sorted."""
    merged: dict[tuple[int, ...], int] = {}
    total = float(weights.sum())
    for panel, weight in zip(panels, weights, strict=True):
        scaled = round(float(weight) / total * WEIGHT_SCALE)
        if scaled > 0:
            merged[panel] = merged.get(panel, 0) + scaled
    kept = sorted(merged.items())
    return Distribution(
        instance=instance,
        panels=tuple(panel for panel, _ in kept),
        weights=tuple(w for _, w in kept),
        levels=tuple(float(level) for level in levels),
    )


def largest_gap(distribution: Distribution) -> Fraction:
    """The largest |probability - level| over the types, exactly."""
    return max(
        (
            abs(p - Fraction(level))
            for p, level in zip(distribution.type_probabilities(), distribution.levels, strict=True)
        ),
        default=Fraction(0),
    )


def _panels_breaking_quotas(instance: Instance, panels: tuple[tuple[int, ...], ...]) -> list[int]:
    """The numbers of the panels that break the size, a type's size or a quota (integer arithmetic).

    The same test as `panel_meets_quotas`, for all panels at once: that one recomputes each quota's types
    per panel, which took seconds on a thousand panels of 1,600 types.
    """
    sizes = np.array(instance.sizes, dtype=np.int64)
    wrong = [p for p, panel in enumerate(panels) if len(panel) != len(sizes)]
    if wrong:
        return wrong
    seats = np.array(panels, dtype=np.int64)
    members = np.zeros((len(instance.quotas), len(sizes)), dtype=np.int64)
    for row, quota in enumerate(instance.quotas):
        members[row, instance.types_with(quota)] = 1
    counts = seats @ members.T
    low = np.array([q.min for q in instance.quotas], dtype=np.int64)
    high = np.array([q.max for q in instance.quotas], dtype=np.int64)
    good = (
        (seats.sum(axis=1) == instance.panel_size) & (seats >= 0).all(axis=1) & (seats <= sizes).all(axis=1)
    )
    good &= ((counts >= low) & (counts <= high)).all(axis=1)
    return [int(p) for p in np.flatnonzero(~good)]


def verify(distribution: Distribution) -> None:
    """Raise SolverFailed(stage="verification") unless the distribution keeps every promise, exactly."""
    instance = distribution.instance
    if not distribution.panels or distribution.total <= 0:
        raise SolverFailed(stage="verification", reason="no_panels")
    for number in _panels_breaking_quotas(instance, distribution.panels)[:1]:
        raise SolverFailed(stage="verification", reason="quotas", panel=number)
    probabilities = distribution.type_probabilities()
    seats = sum(p * n for p, n in zip(probabilities, instance.sizes, strict=True))
    if seats != instance.panel_size:
        raise SolverFailed(stage="verification", reason="sum", seats=str(seats))
    for t, (p, level) in enumerate(zip(probabilities, distribution.levels, strict=True)):
        if not 0 <= p <= 1 or abs(p - Fraction(level)) > Fraction(ACCEPT):
            raise SolverFailed(
                stage="verification", reason="marginal", type=t, probability=float(p), level=level
            )
