"""A distribution over panels with exact weights: what `find_leximin` returns."""

from dataclasses import dataclass
from fractions import Fraction

from ayllu.core.sortition.pool import Instance


@dataclass(frozen=True, slots=True)
class Distribution:
    """A distribution over panels: panel `panels[i]` (seats per type) has probability weights[i] / total."""

    instance: Instance
    panels: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...]
    # the LEXIMIN level of each type, as solved (floats); every probability is within ACCEPT of it
    levels: tuple[float, ...]

    @property
    def total(self) -> int:
        """The sum of the weights."""
        return sum(self.weights)

    def type_probabilities(self) -> tuple[Fraction, ...]:
        """The exact probability that a given person of each type is selected."""
        seats = [0] * len(self.instance.profiles)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for t, count in enumerate(panel):
                seats[t] += weight * count
        total = self.total
        return tuple(Fraction(s, n * total) for s, n in zip(seats, self.instance.sizes, strict=True))

    def probabilities(self) -> dict[str, Fraction]:
        """The exact selection probability of every person."""
        result: dict[str, Fraction] = {}
        for members, probability in zip(self.instance.members, self.type_probabilities(), strict=True):
            for person in members:
                result[person] = probability
        return result
