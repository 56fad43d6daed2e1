"""The pricer: it climbs to the heaviest panel and finds none above it."""

import numpy as np
import pytest

from ayllu.core.sortition import build_instance
from ayllu.core.sortition.highs import Pricer
from factories.pools import QUOTAS, biased_pool


def test_the_pricer_finds_the_heaviest_panel_and_none_above_it() -> None:
    instance = build_instance(biased_pool(seed=7, people=60), quotas=QUOTAS, panel_size=9)
    pricer = Pricer(instance)
    rng = np.random.default_rng(3)
    for _ in range(20):
        weights = rng.random(len(instance.profiles))
        panel = pricer.heavier(weights, than=0.0)
        assert panel is not None
        best = float(np.array(panel) @ weights)
        while (heavier := pricer.heavier(weights, than=best)) is not None:  # climb to the heaviest
            assert float(np.array(heavier) @ weights) > best
            best = float(np.array(heavier) @ weights)
        # nothing is heavier than the heaviest panel, and the cutoff is reset for the next call
        assert pricer.heavier(weights, than=best) is None
        assert pricer.heavier(weights, than=best - 1e-3) is not None


def test_the_swap_search_climbs_to_a_heavier_panel_that_meets_the_quotas() -> None:
    instance = build_instance(biased_pool(seed=7, people=60), quotas=QUOTAS, panel_size=9)
    pricer = Pricer(instance)
    rng = np.random.default_rng(5)
    start = pricer.heavier(np.zeros(len(instance.profiles)) + 1.0, than=0.0)
    assert start is not None
    climbed = 0
    for _ in range(20):
        weights = rng.random(len(instance.profiles))
        panel, weight = pricer.swapped(start, weights)
        seats = np.array(panel)
        # a valid panel: the size, every quota, no type over its people
        assert seats.sum() == instance.panel_size
        assert np.all(pricer.rows @ seats >= pricer.low) and np.all(pricer.rows @ seats <= pricer.high)
        assert np.all(seats <= pricer.sizes) and np.all(seats >= 0)
        assert weight == pytest.approx(float(seats @ weights))
        assert weight >= float(np.array(start) @ weights)
        climbed += weight > float(np.array(start) @ weights) + 1e-9
    assert climbed >= 15


def test_swaps_from_a_known_panel_do_not_replace_the_proof_that_none_is_heavier() -> None:
    instance = build_instance(biased_pool(seed=7, people=60), quotas=QUOTAS, panel_size=9)
    pricer = Pricer(instance)
    weights = np.random.default_rng(1).random(len(instance.profiles))
    best = pricer.heavier(weights, than=0.0)
    assert best is not None
    heaviest = float(np.array(best) @ weights)
    while (found := pricer.heavier(weights, than=heaviest)) is not None:
        heaviest = float(np.array(found) @ weights)
    # above the heaviest panel: nothing, whatever panel the swaps start from; just below it: a panel
    assert pricer.heavier(weights, than=heaviest, near=(best,)) is None
    below = pricer.heavier(weights, than=heaviest - 1e-3, near=(best,))
    assert below is not None and float(np.array(below) @ weights) > heaviest - 1e-3
