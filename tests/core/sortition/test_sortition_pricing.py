"""The pricer: it climbs to the heaviest panel and finds none above it."""

import numpy as np

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
