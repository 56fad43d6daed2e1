"""Repair a nearly right panel into one on the walk's face by a few seat moves, without an integer program.

The walk (decompose.py) needs, at each step, an integer panel within seat bounds per type and row bounds
(the size, every quota; the tight ones as equalities). Its linear program gives a vertex with a few
fractional seats, and the panel of the step before misses the new face by a seat or two. An integer
program finds a panel from either, but its set-up and root cuts made it nearly all of the walk's time on
2,000-person pools with small panels, over hundreds of steps (docs/sortition.md, "Speed work
(2026-12-07, later)"). A repair is a little numpy work over the seated and the open types:

1. clip the start to the seat bounds;
2. while the size is off by more than one seat, add (or remove) the seat that leaves the quotas least
   violated, the cheapest by `cost` among equals (at most `fill` seats: 0 for a start that should only
   need the last move);
3. one last move: the seat the size still needs (or none) together with at most one swap (one seat from
   one type to another), found exactly: the tight rows are matched by a linear hash of their counts
   (equal counts, equal keys; a collision only adds a candidate, which the exact check drops), the
   loose rows and the seat bounds are then checked for every candidate, and the one adding the most
   `cost` is returned.

A repaired panel meets every bound exactly (integers, checked here), so it is as valid a step as the
integer program's; when no repair is found the caller runs the integer program as before.
"""

import hashlib
from functools import cache

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]
Keys = NDArray[np.int64]

FILL = 16  # seats the greedy step may add or remove before the last move
# (seat the size needs, type giving up a seat) pairs looked up at most: the seats tried are the best by
# cost, fewer the more types are seated (on 200-seat panels all pairs cost more than the integer
# programs they saved); on 20-seat panels every seat is tried, and fewer missed most repairs
PAIRS = 32768
PER_PAIR = 8  # swaps kept per (seat, type giving up a seat) with matching keys
CHUNK = 2048  # candidates whose loose rows are checked at once, best first
CHECKED = 16  # candidates per chunk checked in full (seat bounds, every row)


@cache
def _weights(count: int) -> Keys:
    # unrelated 31-bit weights (from a hash of the row number): a weight growing with the row number, as
    # in multiplicative hashing, makes moves between rows at equal distances collide, which was seen
    # often; sums over a hundred rows of counts up to a few thousand stay far below 2^63
    digests = (hashlib.blake2b(row.to_bytes(4, "big"), digest_size=4).digest() for row in range(count))
    return np.array([int.from_bytes(digest, "big") >> 1 for digest in digests], dtype=np.int64)


def row_keys(rows: Vector) -> Keys:
    """Weights for the linear hash of row counts: one per row."""
    return _weights(len(rows))


def repaired(
    rows: Vector,
    start: Vector,
    *,
    bounds: tuple[Vector, Vector],
    row_bounds: tuple[Vector, Vector],
    cost: Vector,
    fill: int,
) -> Vector | None:
    """A panel within `bounds` and `row_bounds` a few seat moves from `start`, or None.

    `rows` are 0/1 (one row per constraint, the panel size first); `start` is integer.
    """
    low, high = bounds
    row_low, row_high = row_bounds
    seats = np.clip(start, low, high)
    for _ in range(fill + 1):
        counts = rows @ seats
        short = round(float(row_low[0] - counts[0]))
        if abs(short) <= 1:
            return _last_move(rows, seats, counts, short, bounds=bounds, row_bounds=row_bounds, cost=cost)
        sign = 1.0 if short > 0 else -1.0
        movable = np.flatnonzero(seats < high) if short > 0 else np.flatnonzero(seats > low)
        if not len(movable):
            return None
        after = counts[1:, None] + sign * rows[1:, movable]
        violation = np.sum(
            np.maximum(row_low[1:, None] - after, 0.0) + np.maximum(after - row_high[1:, None], 0.0), axis=0
        )
        least = np.flatnonzero(violation == violation.min())
        seats[movable[least[np.argmax(sign * cost[movable[least]])]]] += sign
    return None


def _last_move(
    rows: Vector,
    seats: Vector,
    counts: Vector,
    short: int,
    *,
    bounds: tuple[Vector, Vector],
    row_bounds: tuple[Vector, Vector],
    cost: Vector,
) -> Vector | None:
    """The seat the size needs (`short` is -1, 0 or 1) and at most one swap, meeting every bound exactly."""
    low, high = bounds
    row_low, row_high = row_bounds
    tight = row_low == row_high
    weights = row_keys(rows)[tight]
    wanted = int(weights @ np.rint(row_low - counts)[tight].astype(np.int64))
    keys: Keys = weights @ np.rint(rows[tight]).astype(np.int64)
    addable = np.flatnonzero(seats < high)
    removable = np.flatnonzero(seats > low)
    if short:
        sign = float(short)
        singles = addable if short > 0 else removable
        tried = max(1, PAIRS // max(1, len(removable)))
        singles = singles[np.argsort(-sign * cost[singles], kind="stable")[:tried]]
        single_keys = short * keys[singles]
    else:
        sign = 0.0
        singles = np.array([-1])
        single_keys = np.zeros(1, dtype=np.int64)
    # alone: the single seat already puts the tight rows right
    alone = np.flatnonzero(single_keys == wanted)
    # with a swap c -> d: keys[d] - keys[c] = wanted - key of the single seat
    order = np.argsort(keys[addable], kind="stable")
    sorted_keys = keys[addable][order]
    single = np.repeat(np.arange(len(singles)), len(removable))
    giver = np.tile(removable, len(singles))
    target = wanted - single_keys[single] + keys[giver]
    first = np.searchsorted(sorted_keys, target, "left")
    found = np.minimum(np.searchsorted(sorted_keys, target, "right") - first, PER_PAIR)
    if not found.any() and not len(alone):
        return None
    offsets = np.arange(int(found.sum())) - np.repeat(np.cumsum(found) - found, found)
    taker = addable[order[np.repeat(first, found) + offsets]]
    picks = np.concatenate([alone, np.repeat(single, found)])
    givers = np.concatenate([np.full(len(alone), -1), np.repeat(giver, found)])
    takers = np.concatenate([np.full(len(alone), -1), taker])
    distinct = (givers != takers) | (takers < 0)
    picks, givers, takers = picks[distinct], givers[distinct], takers[distinct]
    chosen = singles[picks]
    swap = takers >= 0
    gain = np.where(swap, cost[takers] - cost[np.maximum(givers, 0)], 0.0)
    if short:
        gain += sign * cost[chosen]
    # the tight rows match by their keys; the loose ones are checked in order of gain, a chunk at a time
    loose = ~tight
    ranked = np.argsort(-gain, kind="stable")
    for chunk in range(0, len(ranked), CHUNK):
        some = ranked[chunk : chunk + CHUNK]
        after = np.tile(counts[loose][:, None], (1, len(some)))
        if short:
            after += sign * rows[loose][:, chosen[some]]
        moved = some[swap[some]]
        after[:, swap[some]] += rows[loose][:, takers[moved]] - rows[loose][:, givers[moved]]
        fits = np.all(
            (after >= row_low[loose, None] - 1e-9) & (after <= row_high[loose, None] + 1e-9), axis=0
        )
        for best in some[fits][:CHECKED]:
            panel = seats.copy()
            if short:
                panel[chosen[best]] += sign
            if swap[best]:
                panel[givers[best]] -= 1.0
                panel[takers[best]] += 1.0
            if _meets(rows, panel, bounds=bounds, row_bounds=row_bounds):
                return panel
    return None


def _meets(
    rows: Vector, panel: Vector, *, bounds: tuple[Vector, Vector], row_bounds: tuple[Vector, Vector]
) -> bool:
    counts = rows @ panel
    return bool(
        np.all(panel >= bounds[0])
        and np.all(panel <= bounds[1])
        and np.all(counts >= row_bounds[0] - 1e-9)
        and np.all(counts <= row_bounds[1] + 1e-9)
    )
