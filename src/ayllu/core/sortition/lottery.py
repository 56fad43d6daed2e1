"""Round a distribution over panels to a uniform lottery: a numbered list of M panels, drawn by one index.

Rounding:
1. Panel P gets floor(M * x_P) or ceil(M * x_P) slots, chosen by a small integer program (rounding.py)
   that minimises the largest shift of a type's chance and keeps everyone at or above
   floor(M * p_min) / M, p_min the lowest probability: the lowest chance drops by less than 1 / M.
2. Within a type, the slots' seats go round-robin over the type's people in id order, so the people of
   one type appear in the list a number of times that differs by at most one.

Guarantee, per person i of type t (checked exactly by `round_to_lottery`, see docs/sortition.md):
    |P_lottery(i) - P_distribution(i)| < (min(F_t, K + 1) + 1) / M  <=  (k + 2) / M,
where F_t = sum over the fractional panels P of c_t(P) / n_t: the expected number of those panels a
person of type t sits on, and K = max over the fractional panels of sum_t c_t(P) / n_t (K <= k, the
panel size). Step 1 moves each type by less than F_t slots (each panel by less than one) and, by the
iterative rounding proved in rounding.py, by less than K + 1; step 2 adds less than one.
"""

import hashlib
from dataclasses import dataclass
from fractions import Fraction

from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.sortition.errors import BadLottery
from ayllu.core.sortition.leximin import Distribution
from ayllu.core.sortition.pool import Instance, panel_meets_quotas
from ayllu.core.sortition.rounding import panel_counts

DEFAULT_SIZE = 1000
LOTTERY_VERSION = 1


@dataclass(frozen=True, slots=True)
class Lottery:
    """M panels, each a sorted tuple of person ids; drawing a uniform index picks the panel."""

    panels: tuple[tuple[str, ...], ...]
    # the exact probability in the distribution, and in the lottery, for every person
    targets: dict[str, Fraction]
    probabilities: dict[str, Fraction]
    # the largest shift of anyone's chance, |lottery - distribution|, and the lowest lottery chance
    max_deviation: Fraction
    # the largest guaranteed bound (F_t + 1) / M over all types
    bound: Fraction
    lowest: Fraction

    @property
    def size(self) -> int:
        """M, the number of panels in the list."""
        return len(self.panels)


def _slots(distribution: Distribution, size: int) -> list[int]:
    return panel_counts(distribution, size)


def _people(instance: Instance, panels: list[tuple[int, ...]]) -> list[tuple[str, ...]]:
    cursor = [0] * len(instance.profiles)
    result = []
    for counts in panels:
        chosen: list[str] = []
        for t, count in enumerate(counts):
            members = instance.members[t]
            for step in range(count):
                chosen.append(members[(cursor[t] + step) % len(members)])
            cursor[t] = (cursor[t] + count) % len(members)
        result.append(tuple(sorted(chosen)))
    return result


def _bounds(distribution: Distribution, size: int) -> list[Fraction]:
    """(min(F_t, K + 1) + 1) / M for every type t: the documented bound on how far rounding moves a person."""
    total = distribution.total
    sizes = distribution.instance.sizes
    fractional = [
        panel
        for panel, w in zip(distribution.panels, distribution.weights, strict=True)
        if (w * size) % total
    ]
    spread = max(
        (
            sum((Fraction(c, n) for c, n in zip(panel, sizes, strict=True)), Fraction(0))
            for panel in fractional
        ),
        default=Fraction(0),
    )
    return [
        (min(sum((Fraction(panel[t], n) for panel in fractional), Fraction(0)), spread + 1) + 1) / size
        for t, n in enumerate(sizes)
    ]


def guaranteed_shift(*, panel_size: int, size: int) -> Fraction:
    """(k + 2) / M: no rounding to `size` panels moves anyone's chance this far (K <= k, the panel size)."""
    return Fraction(panel_size + 2, size)


def round_to_lottery(distribution: Distribution, *, size: int = DEFAULT_SIZE) -> Lottery:
    """Round a distribution to a list of `size` panels whose uniform draw nearly reproduces it."""
    if size < 1:
        raise BadLottery(reason="size", value=size)
    instance = distribution.instance
    slots = _slots(distribution, size)
    order = [panel for panel, count in zip(distribution.panels, slots, strict=True) for _ in range(count)]
    panels = _people(instance, order)
    appearances = dict.fromkeys((p for members in instance.members for p in members), 0)
    for panel in panels:
        for person in panel:
            appearances[person] += 1
    probabilities = {person: Fraction(count, size) for person, count in appearances.items()}
    targets = distribution.probabilities()
    bounds = _bounds(distribution, size)
    deviation = Fraction(0)
    for t, members in enumerate(instance.members):
        for person in members:
            gap = abs(probabilities[person] - targets[person])
            if gap >= bounds[t]:
                raise BadLottery(reason="rounding_bound", person=person, gap=str(gap), bound=str(bounds[t]))
            deviation = max(deviation, gap)
    bound = max(bounds)
    lowest = min(probabilities.values())
    return Lottery(tuple(panels), targets, probabilities, deviation, bound, lowest)


def lottery_document(lottery: Lottery, *, panel_size: int) -> dict[str, object]:
    """The canonical JSON document of the panel list, whose hash is recorded before any randomness."""
    return {
        "version": LOTTERY_VERSION,
        "panel_size": panel_size,
        "panels": [list(panel) for panel in lottery.panels],
    }


def lottery_hash(document: dict[str, object]) -> str:
    """SHA-256 of the canonical JSON bytes of a lottery document, as lowercase hex."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def check_lottery(document: dict[str, object], *, instance: Instance) -> None:
    """Raise BadLottery unless every panel in the document is a valid panel of this pool and quotas."""
    panels = document.get("panels")
    if document.get("version") != LOTTERY_VERSION or not isinstance(panels, list) or not panels:
        raise BadLottery(reason="shape")
    if document.get("panel_size") != instance.panel_size:
        raise BadLottery(reason="panel_size", value=document.get("panel_size"))
    type_of = {person: t for t, members in enumerate(instance.members) for person in members}
    for number, panel in enumerate(panels):
        if not isinstance(panel, list) or panel != sorted(set(panel)):
            raise BadLottery(reason="panel_not_sorted_set", panel=number)
        counts = [0] * len(instance.profiles)
        for person in panel:
            if person not in type_of:
                raise BadLottery(reason="unknown_person", panel=number, person=person)
            counts[type_of[person]] += 1
        if not panel_meets_quotas(instance, counts=counts):
            raise BadLottery(reason="quotas_not_met", panel=number)


def people_panels(instance: Instance, panels: list[tuple[int, ...]]) -> list[tuple[str, ...]]:
    """Spread panels given as seats per type over people, exactly as `round_to_lottery` lists them.

    The record keeps a lottery compactly as seats per type (core/sortition/acts.py); replay rebuilds the panel
    list with this and checks its hash.
    """
    return _people(instance, panels)
