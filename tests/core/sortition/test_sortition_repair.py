"""The walk's repair (sortition/repair.py): a panel a few seat moves away, found exactly when one exists."""

import numpy as np

from ayllu.core.sortition import Instance
from ayllu.core.sortition.decompose import _Face
from ayllu.core.sortition.repair import repaired
from core.sortition.test_sortition_leximin import all_panels


def test_a_panel_one_seat_and_one_swap_away_is_always_found(tiny: Instance) -> None:
    # given every panel of a 12-person pool, and for each seated type a bound that takes its seat away (as
    # a step of the walk does to its last panel)
    face = _Face(tiny)
    panels = np.array(all_panels(tiny), dtype=np.float64)
    cost = np.linspace(0.0, 1.0, face.types)
    found = 0
    for panel in panels:
        for gone in np.flatnonzero(panel):
            low, high = np.zeros(face.types), face.sizes.copy()
            high[gone] = panel[gone] - 1
            start = np.clip(panel, low, high)
            # when
            repair = repaired(
                face.rows, panel, bounds=(low, high), row_bounds=(face.low, face.high), cost=cost, fill=0
            )
            # then whatever it returns meets every bound, and it finds one whenever a panel within the
            # bounds is one added seat and one swap away (at most three seats moved)
            inside = panels[np.all((panels >= low) & (panels <= high), axis=1)]
            near = inside[np.abs(inside - start).sum(axis=1) <= 3]
            if repair is not None:
                counts = face.rows @ repair
                assert np.all(repair >= low) and np.all(repair <= high)
                assert np.all(counts >= face.low) and np.all(counts <= face.high)
                found += 1
            else:
                assert not len(near)
    assert found > 0
