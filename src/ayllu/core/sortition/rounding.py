"""How many list entries each panel gets: rounding that keeps what LEXIMIN gave.

Panel P has probability x_P; a list of M panels must give it an integer count m_P. Every m_P is floor or
ceil of M x_P (so the documented worst-case bound of lottery.py holds), and which panels get the ceil is
chosen by a small integer program over the fractional panels:

    minimise D  s.t.  | S_t - M p_t n_t | <= D n_t               for every type t
                      S_t >= L n_t                               for every type t
                      sum_P m_P = M,   m_P in {floor(M x_P), ceil(M x_P)}

where S_t = sum_P m_P c_t(P) is the number of type-t seats in the list, p_t the type's probability and
L = floor(M p_min), p_min the lowest probability. Within a type the seats go round-robin, so each person
gets floor or ceil of S_t / n_t entries: the second row means nobody's chance falls below L / M, that is
the lowest chance drops by less than 1 / M (not at all when M p_min is an integer). D is the largest
shift of a type's average chance, in entries; a person moves by at most D + 1 entries, and singletons
(most people, with many attributes) by exactly their type's shift. When the floor on the minimum
cannot be met with floor/ceil counts, L is lowered one entry at a time.

The program is solved in two steps, because on a 2,000-person pool with 700 fractional panels the whole
integer program took minutes: its linear relaxation first, then the integer program over just the panels
the relaxation leaves fractional (the others keep their 0 or 1), stopped after SEARCH_NODES nodes (a
deterministic limit, unlike a time limit). When that finds nothing, the greedy least-squares rounding
(each round-up picked to keep the squared gaps smallest) is used.
"""

from fractions import Fraction

import highspy
import numpy as np

from ayllu.core.sortition.distribution import Distribution
from ayllu.core.sortition.highs import INF, new_highs

SEARCH_NODES = 500
FOUND = (
    highspy.HighsModelStatus.kOptimal,
    highspy.HighsModelStatus.kSolutionLimit,
    highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kTimeLimit,
)


def _greedy(shares: np.ndarray, gap: np.ndarray, sizes: np.ndarray, left: int) -> list[int]:
    """The fractional panels to round up, picked one at a time to keep the squared gaps smallest."""
    gap = gap.copy()
    free = np.ones(len(shares), dtype=bool)
    picked = []
    for _ in range(left):
        cost = 2.0 * (shares * sizes) @ gap + (shares * shares) @ sizes
        cost[~free] = np.inf
        pick = int(np.argmin(cost))
        free[pick] = False
        gap += shares[pick]
        picked.append(pick)
    return picked


def panel_counts(distribution: Distribution, size: int) -> list[int]:
    """The number of list entries of each panel of `distribution` in a list of `size` panels."""
    total = distribution.total
    exact = [Fraction(w * size, total) for w in distribution.weights]
    counts = [int(e) for e in exact]  # floor: the weights are non-negative
    left = size - sum(counts)
    if left == 0:
        return counts
    fractional = [p for p, e in enumerate(exact) if e != counts[p]]
    instance = distribution.instance
    sizes = np.array(instance.sizes, dtype=np.float64)
    seats = np.array([distribution.panels[p] for p in fractional], dtype=np.float64)
    # per type: seats in the list so far minus the target, per person (in list entries)
    target = np.zeros(len(sizes))
    base = np.zeros(len(sizes))
    for panel, e, c in zip(distribution.panels, exact, counts, strict=True):
        target += np.array(panel, dtype=np.float64) * float(e)
        base += np.array(panel, dtype=np.float64) * c
    gap = (base - target) / sizes
    lowest = min(distribution.type_probabilities())
    floor = int(lowest * size)  # L: nobody's chance below L / size
    for level in range(floor, -1, -1):
        chosen = _program(seats, sizes=sizes, base=base, target=target, left=left, floor=level)
        if chosen is not None:
            break
    else:
        chosen = _greedy(seats / sizes, gap, sizes, left)
    for pick in chosen:
        counts[fractional[pick]] += 1
    return counts


def _program(
    seats: np.ndarray,
    *,
    sizes: np.ndarray,
    base: np.ndarray,
    target: np.ndarray,
    left: int,
    floor: int,
) -> list[int] | None:
    """The fractional panels to round up under the integer program above; None when it has no solution."""
    count, types = seats.shape
    covered = set(np.flatnonzero(seats.sum(axis=0)).tolist())
    if any(floor * sizes[t] > base[t] for t in range(types) if t not in covered):
        return None
    highs = new_highs()
    highs.setOptionValue("mip_max_nodes", SEARCH_NODES)
    highs.addVars(count, np.zeros(count), np.ones(count))
    highs.addVar(0.0, INF)  # D, column `count`
    highs.changeColCost(count, 1.0)
    every = np.arange(count, dtype=np.int32)
    highs.addRow(float(left), float(left), count, every, np.ones(count))
    for t in sorted(covered):
        panels = np.flatnonzero(seats[:, t]).astype(np.int32)
        index = np.append(panels, count).astype(np.int32)
        values = seats[panels, t]
        wanted = float(target[t] - base[t])
        highs.addRow(-INF, wanted, len(index), index, np.append(values, -sizes[t]))
        highs.addRow(wanted, INF, len(index), index, np.append(values, sizes[t]))
        need = floor * sizes[t] - base[t]
        if need > 0:
            highs.addRow(float(need), INF, len(panels), panels, values)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    relaxed = np.array(highs.getSolution().col_value[:count])
    settled = (relaxed < 1e-9) | (relaxed > 1 - 1e-9)
    low = np.where(settled, np.round(relaxed), 0.0)
    high = np.where(settled, np.round(relaxed), 1.0)
    highs.changeColsBounds(count, every, low, high)
    highs.changeColsIntegrality(count, every, np.array([highspy.HighsVarType.kInteger] * count))
    highs.run()
    if highs.getModelStatus() not in FOUND or not highs.getInfo().primal_solution_status:
        return None
    values = np.array(highs.getSolution().col_value[:count])
    return [int(p) for p in np.flatnonzero(values > 0.5)]
