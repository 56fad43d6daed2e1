"""How many list entries each panel gets: rounding that keeps what LEXIMIN gave.

Panel P has probability x_P; a list of M panels gives it m_P entries, always floor(M x_P) or
ceil(M x_P) (so the worst-case bound of lottery.py holds). Which fractional panels get the ceil is what
this module chooses. With S_t = sum_P m_P c_t(P) the type-t seats in the list, T_t = M p_t n_t their
expected number and L = floor(M p_min) (p_min the lowest probability), the choice aims, in this order:

1. S_t >= L n_t for every type: within a type the seats go round-robin, so each person gets floor or
   ceil of S_t / n_t entries, and nobody's chance falls below L / M: the lowest chance drops by less than
   1 / M (not at all when M p_min is an integer). When the search finds no choice meeting it, L is
   lowered by one and the search goes on: an aim, not a guarantee (on the 2,000/8/200 pool of seed 6
   no floor/ceil choice it found keeps 58/1000 for everyone at 58.3/1000; it kept 57).
2. the largest shift of a type's chance, max_t |S_t - T_t| / n_t entries, as small as possible: a
   person moves by at most that plus one entry, and a type of one person (most people, with many
   attributes) by exactly that;
3. then the sum of the squared shifts.

It starts from the greedy least-squares rounding (each round-up picked to keep the squared shifts
smallest) and improves it by swaps, one panel rounded down for one rounded up, each the best swap that
moves the worst type (the one furthest below the floor, else the one with the largest shift) the right
way (or, when none helps, one of the next WORST types), until no swap improves the three aims in order.
An integer program for the same aims was tried: with hundreds of fractional panels and thousands of
types HiGHS needed minutes, and at the node limits that kept it to seconds it found no solution at all.

Guarantee (whatever the aims reach): every type's shift max_t |S_t - T_t| / n_t is below K + 1 entries,
K = max over the fractional panels P of sum_t c_t(P) / n_t (K <= k, the panel size; K = k when every
type is one person). Proof, by iterative rounding as in Beck and Fiala (1981), the method Flanigan,
Kehne and Procaccia ("Fair sortition made transparent", NeurIPS 2021) use to round panel distributions
to uniform lotteries: write m_P = floor(M x_P) + y_P, y_P in [0, 1], starting at the fractional part.
Call y_P floating while 0 < y_P < 1, and type t dangerous while sum over floating P of c_t(P) / n_t
> K + 1. Each c_t(P) / n_t <= 1, so with F floating panels no type is dangerous when F <= K + 1; when
F > K + 1, the floating weights add to at most K F, so fewer than K F / (K + 1) <= F - 1 types are
dangerous. Then the dangerous types' rows and the row sum_P y_P (kept, so the list has M panels) are at
most F - 1 equations in F unknowns: move y along a direction that keeps them all until one more y_P
is 0 or 1 (`_iterative`). Once no type is dangerous, any floor/ceil choice of the rest with the right
sum changes each type by less than its floating weight, at most K + 1. A dangerous type never moves.
The start is the greedy rounding when it is within the bound (it almost always is: it moves types by a
few entries while K is tens to hundreds), else the iterative rounding; swaps never leave the bound.
With round-robin within a type (lottery.py), everyone's chance moves by less than (K + 2) / M.
"""

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from ayllu.core.sortition.distribution import Distribution

Matrix = NDArray[np.float64]
SWAPS_PER_PANEL = 20  # a bound on the swaps (each strictly improves, so the search ends anyway)
WORST = 5  # types tried per swap: the worst first, the next ones when no swap moving it helps
EDGE = 1e-9  # a y this close to 0 or 1 is rounded there (the sum row keeps the others' sum integral)
CAP_MARGIN = 1e-6  # the bound K + 1 is strict; float sums are kept this far inside it


def panel_counts(distribution: Distribution, size: int) -> list[int]:
    """The number of list entries of each panel of `distribution` in a list of `size` panels."""
    total = distribution.total
    exact = [Fraction(w * size, total) for w in distribution.weights]
    counts = [int(e) for e in exact]  # floor: the weights are non-negative
    left = size - sum(counts)
    if left == 0:
        return counts
    fractional = [p for p, e in enumerate(exact) if e != counts[p]]
    sizes = np.array(distribution.instance.sizes, dtype=np.float64)
    seats = np.array([distribution.panels[p] for p in fractional], dtype=np.float64)
    target = np.zeros(len(sizes))
    base = np.zeros(len(sizes))
    for panel, e, c in zip(distribution.panels, exact, counts, strict=True):
        row = np.array(panel, dtype=np.float64)
        target += row * float(e)
        base += row * c
    shares = seats / sizes
    cap = spread(distribution, size) + 1.0
    up = _greedy(shares, (base - target) / sizes, sizes, left)
    if _largest_shift(base + seats[up].sum(axis=0), sizes=sizes, target=target) >= cap - CAP_MARGIN:
        fractions = np.array([float(e - c) for e, c in zip(exact, counts, strict=True) if e != c])
        up = _iterative(shares, fractions, cap=cap)
    floor = int(min(distribution.type_probabilities()) * size)
    while True:
        up, short = _improve(
            seats, up, sizes=sizes, base=base, target=target, need=floor * sizes, cap=cap - CAP_MARGIN
        )
        if not short or floor == 0:
            break
        floor -= 1
    for pick in np.flatnonzero(up):
        counts[fractional[int(pick)]] += 1
    return counts


def spread(distribution: Distribution, size: int) -> float:
    """K: the largest sum_t c_t(P) / n_t over the panels P with a fractional share of `size` (0 if none)."""
    sizes = distribution.instance.sizes
    total = distribution.total
    return max(
        (
            sum(c / n for c, n in zip(panel, sizes, strict=True))
            for panel, w in zip(distribution.panels, distribution.weights, strict=True)
            if (w * size) % total
        ),
        default=0.0,
    )


def _largest_shift(totals: Matrix, *, sizes: Matrix, target: Matrix) -> float:
    return float(np.abs((totals - target) / sizes).max(initial=0.0))


def _iterative(shares: Matrix, fractions: Matrix, *, cap: float) -> NDArray[np.bool_]:
    """Round `fractions` (one per fractional panel, adding to an integer) to 0/1, Beck-Fiala style.

    While a type's floating weight exceeds `cap` its seats stay exactly where they are: y moves in the
    null space of the dangerous types' rows and the all-ones row, over just enough floating panels for
    one to exist, until one more y is 0 or 1. When no type is dangerous, the rest goes to the largest
    fractions (any choice with the right sum keeps the bound; see the module's proof).
    """
    y = fractions.astype(np.float64).copy()
    floating = (y > EDGE) & (y < 1.0 - EDGE)
    y[~floating] = np.round(y[~floating])
    weight = shares[floating].sum(axis=0)
    while floating.any():
        dangerous = np.flatnonzero(weight > cap)
        if not len(dangerous):
            break
        columns = np.flatnonzero(floating)[: len(dangerous) + 2]
        if len(columns) < len(dangerous) + 2:  # cannot happen (see the proof); the exact check would catch it
            break
        rows = np.vstack([shares[np.ix_(columns, dangerous)].T, np.ones(len(columns))])
        direction = np.linalg.svd(rows)[2][-1]  # rows has fewer rows than columns: a null vector
        direction[np.abs(direction) < 1e-15] = 0.0
        with np.errstate(divide="ignore"):
            up_room = np.where(direction > 0, (1.0 - y[columns]) / direction, np.inf)
            down_room = np.where(direction < 0, -y[columns] / direction, np.inf)
        step = float(min(up_room.min(), down_room.min()))
        y[columns] += step * direction
        for c in columns:
            if y[c] <= EDGE or y[c] >= 1.0 - EDGE:
                y[c] = round(float(y[c]))
                floating[c] = False
                weight -= shares[c]
    rest = np.flatnonzero(floating)
    ups = round(float(y[rest].sum()))
    y[rest] = 0.0
    y[rest[np.argsort(-fractions[rest], kind="stable")[:ups]]] = 1.0
    return y > 0.5


def _greedy(shares: Matrix, gap: Matrix, sizes: Matrix, left: int) -> NDArray[np.bool_]:
    """The fractional panels to round up, picked one at a time to keep the squared shifts smallest."""
    gap = gap.copy()
    up = np.zeros(len(shares), dtype=bool)
    for _ in range(left):
        cost = 2.0 * (shares * sizes) @ gap + (shares * shares) @ sizes
        cost[up] = np.inf
        pick = int(np.argmin(cost))
        up[pick] = True
        gap += shares[pick]
    return up


def _keys(seats: Matrix, *, sizes: Matrix, target: Matrix, need: Matrix) -> Matrix:
    """Per row of seat totals: (seats short of the floor, largest shift, sum of squared shifts)."""
    short = np.maximum(need - seats, 0.0).sum(axis=-1)
    shift = (seats - target) / sizes
    return np.stack([short, np.abs(shift).max(axis=-1), (shift * shift).sum(axis=-1)], axis=-1)


def _better(new: Matrix, old: Matrix) -> bool:
    """Lexicographically smaller, ignoring float noise."""
    for a, b in zip(new, old, strict=True):
        if a < b - 1e-9:
            return True
        if a > b + 1e-9:
            return False
    return False


def _worst(totals: Matrix, *, sizes: Matrix, target: Matrix, need: Matrix) -> list[tuple[int, float]]:
    """The WORST types to move first, each with the way to move it: below the floor, else most shifted."""
    short = need - totals
    if short.max() > 1e-9:
        order = np.argsort(-short, kind="stable")[:WORST]
        return [(int(t), 1.0) for t in order if short[t] > 1e-9]
    shift = (totals - target) / sizes
    order = np.argsort(-np.abs(shift), kind="stable")[:WORST]
    return [(int(t), -1.0 if shift[t] > 0 else 1.0) for t in order]


def _best_swap(
    seats: Matrix,
    up: NDArray[np.bool_],
    totals: Matrix,
    *,
    worst: int,
    way: float,
    sizes: Matrix,
    target: Matrix,
    need: Matrix,
    cap: float,
) -> tuple[Matrix, int, int] | None:
    """The swap (rounded-up panel out, rounded-down panel in) moving type `worst` by `way` that is best."""
    best: tuple[Matrix, int, int] | None = None
    downs = np.flatnonzero(~up)
    for out in (int(p) for p in np.flatnonzero(up)):
        ins = downs[way * (seats[downs, worst] - seats[out, worst]) > 0]
        if not len(ins):
            continue
        keys = _keys(totals - seats[out] + seats[ins], sizes=sizes, target=target, need=need)
        keys[keys[:, 1] >= cap] = np.inf  # never leave the guarantee
        if np.isinf(keys[:, 0]).all():
            continue
        pick = int(np.lexsort(keys.T[::-1])[0])
        if best is None or _better(keys[pick], best[0]):
            best = (keys[pick], out, int(ins[pick]))
    return best


def _improve(
    seats: Matrix,
    up: NDArray[np.bool_],
    *,
    sizes: Matrix,
    base: Matrix,
    target: Matrix,
    need: Matrix,
    cap: float = np.inf,
) -> tuple[NDArray[np.bool_], bool]:
    """Swap rounded-up and rounded-down panels while it helps; return them and whether a type is short."""
    up = up.copy()
    totals = base + seats[up].sum(axis=0)
    key = _keys(totals, sizes=sizes, target=target, need=need)
    for _ in range(SWAPS_PER_PANEL * len(seats)):
        best = None
        for worst, way in _worst(totals, sizes=sizes, target=target, need=need):
            best = _best_swap(
                seats, up, totals, worst=worst, way=way, sizes=sizes, target=target, need=need, cap=cap
            )
            if best is not None and _better(best[0], key):
                break
        if best is None or not _better(best[0], key):
            break
        key, out, into = best
        up[out], up[into] = False, True
        totals = totals - seats[out] + seats[into]
    return up, bool((need - totals).max() > 1e-9)
