"""The rounding's guarantee: nobody's chance moves by (k + 2) / M or more (docs/sortition.md)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ayllu.core.sortition import build_instance, find_leximin, round_to_lottery, rounding
from ayllu.core.sortition.errors import InfeasibleQuotas
from ayllu.core.sortition.lottery import guaranteed_shift
from factories.pools import TINY_QUOTAS, biased_pool


@st.composite
def fractional_panels(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Panels as seats per type (k seats each), type sizes, and fractional parts adding to an integer."""
    types = draw(st.integers(1, 6))
    k = draw(st.integers(1, 4))
    panels = draw(st.integers(2, 30))
    sizes = np.array(draw(st.lists(st.integers(1, 3), min_size=types, max_size=types)), dtype=np.float64)
    seats = np.zeros((panels, types))
    for p in range(panels):
        for _ in range(k):
            free = [t for t in range(types) if seats[p, t] < sizes[t]]
            if free:
                seats[p, draw(st.sampled_from(free))] += 1
    parts = [draw(st.integers(1, 99)) for _ in range(panels)]
    # the parts add to an integer number of panels: the last one takes what is left
    parts[-1] = -sum(parts[:-1]) % 100
    if parts[-1] == 0:
        seats, parts = seats[:-1], parts[:-1]
    fractions = np.array(parts, dtype=np.float64) / 100.0
    return seats, sizes, fractions


@settings(max_examples=300, deadline=None)
@given(fractional_panels())
def test_the_iterative_rounding_moves_no_type_by_k_plus_one(
    case: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    seats, sizes, fractions = case
    shares = seats / sizes
    spread = float(shares.sum(axis=1).max())
    up = rounding._iterative(shares, fractions, cap=spread + 1.0)
    assert up.sum() == round(fractions.sum())
    moved = (up.astype(np.float64) - fractions) @ shares
    assert np.abs(moved).max() < spread + 1.0 + 1e-9


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 60), greedy=st.booleans())
def test_nobody_moves_by_k_plus_two_over_m(seed: int, size: int, greedy: bool) -> None:
    instance = build_instance(biased_pool(seed=seed % 50, people=16), quotas=TINY_QUOTAS, panel_size=3)
    try:
        distribution = find_leximin(instance)
    except InfeasibleQuotas:
        assume(False)
    with pytest.MonkeyPatch.context() as patch:
        if not greedy:  # a start far outside the bound: the iterative rounding must take over
            patch.setattr(rounding, "_largest_shift", lambda *a, **k: np.inf)
        lottery = round_to_lottery(distribution, size=size)
    limit = guaranteed_shift(panel_size=instance.panel_size, size=size)
    for person, target in lottery.targets.items():
        assert abs(lottery.probabilities[person] - target) < limit
    assert lottery.max_deviation < limit


def test_a_rounding_past_k_plus_two_over_m_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break the rounding on purpose (everything on one panel): the exact check refuses the list."""
    from ayllu.core.sortition.errors import BadLottery

    instance = build_instance(biased_pool(seed=3, people=12), quotas=TINY_QUOTAS, panel_size=3)
    distribution = find_leximin(instance)
    monkeypatch.setattr(
        "ayllu.core.sortition.lottery.panel_counts",
        lambda d, size: [size] + [0] * (len(d.panels) - 1),
    )
    with pytest.raises(BadLottery):
        round_to_lottery(distribution, size=1000)
    assert guaranteed_shift(panel_size=3, size=1000) == Fraction(5, 1000)


def test_rounding_the_largest_parts_would_break_the_bound_and_the_iterative_rounding_does_not() -> None:
    """One-seat panels, two one-person types: five panels of A at 0.6 and five of B at 0.4 (five to round up).

    K = 1, so no type may move by 2 entries or more; rounding up the five largest parts moves A by +2 and
    B by -2. A is dangerous (floating weight 3 > K + 1) and keeps its 3 expected entries exactly.
    """
    seats = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5)
    fractions = np.array([0.6] * 5 + [0.4] * 5)
    up = rounding._iterative(seats, fractions, cap=2.0)
    moved = (up.astype(np.float64) - fractions) @ seats
    assert up.sum() == 5
    assert np.abs(moved).max() < 2.0
    assert abs(moved[0]) < 1e-9
