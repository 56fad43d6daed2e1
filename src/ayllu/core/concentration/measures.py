"""How concentrated the assembly's work and voice are: shares, Gini, top-decile share, breadth, alerts.

Inputs are plain activities (a role-term served, a proposal tabled, a speaking turn, a mandate
carried), each with the person, their household, a time and an integer weight. For a period, every
kind of activity is measured twice, per person and per household, over the whole population (members
who did nothing count, with zero): that is what makes a few people doing everything visible. All
numbers are exact `Fraction`s; `as_json` gives "num/den" strings and per-mille integers for display.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Any

from ayllu.core.errors import RuleError

ROLE_TERM = "role_term"
PROPOSAL_TABLED = "proposal_tabled"
SPEAKING_TURN = "speaking_turn"
MANDATE_CARRIED = "mandate_carried"
KINDS = (ROLE_TERM, PROPOSAL_TABLED, SPEAKING_TURN, MANDATE_CARRIED)
PERSON = "person"
HOUSEHOLD = "household"

GINI_ABOVE = "gini_above_threshold"
TOP_DECILE_ABOVE = "top_decile_share_above_threshold"
SINGLE_SHARE_ABOVE = "single_share_above_threshold"
BREADTH_BELOW = "breadth_below_threshold"


class InvalidActivity(RuleError):
    code = "invalid_activity"


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing someone did for the assembly; `weight` lets a role-term count its burden."""

    kind: str
    person: str
    household: str
    at: int
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The charter's limits; None means the charter sets none."""

    max_gini: Fraction | None = None
    max_top_decile_share: Fraction | None = None
    max_single_share: Fraction | None = None
    min_breadth: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Measure:
    """One kind of activity counted per person or per household; `shares` largest first."""

    kind: str
    unit: str
    total: int
    population: int
    shares: tuple[tuple[str, Fraction], ...]
    gini: Fraction
    top_decile_share: Fraction
    breadth: Fraction

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "total": self.total,
            "population": self.population,
            "shares": [{"id": who, **fraction_json(share)} for who, share in self.shares],
            "gini": fraction_json(self.gini),
            "top_decile_share": fraction_json(self.top_decile_share),
            "breadth": fraction_json(self.breadth),
        }


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str
    unit: str
    code: str
    value: Fraction
    threshold: Fraction

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "code": self.code,
            "value": fraction_json(self.value),
            "threshold": fraction_json(self.threshold),
        }


@dataclass(frozen=True, slots=True)
class Concentration:
    """Every measure for [start, end), and the alerts the charter's thresholds raise."""

    start: int
    end: int
    measures: tuple[Measure, ...]
    alerts: tuple[Alert, ...]

    def measure(self, kind: str, unit: str) -> Measure:
        """Return the measure of `kind` per `unit`."""
        return next(m for m in self.measures if (m.kind, m.unit) == (kind, unit))

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "measures": [m.as_json() for m in self.measures],
            "alerts": [a.as_json() for a in self.alerts],
        }


def fraction_json(value: Fraction) -> dict[str, Any]:
    """Return a fraction for the wire: exact "num/den" and per-mille (nearest, ties to even)."""
    return {"value": f"{value.numerator}/{value.denominator}", "per_mille": round(value * 1000)}


def gini(values: Iterable[int]) -> Fraction:
    """Return the Gini coefficient of non-negative values exactly: 0 if equal, (n-1)/n if one has all."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total == 0:
        return Fraction(0)
    # The sorted form of sum|xi - xj| / (2 n total), in whole numbers until the one division.
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    return Fraction(weighted, n * total)


def top_decile_share(values: Iterable[int]) -> Fraction:
    """Return the share held by the top tenth of units (at least one unit, rounded up)."""
    ordered = sorted(values, reverse=True)
    total = sum(ordered)
    if total == 0:
        return Fraction(0)
    return Fraction(sum(ordered[: max(1, ceil(len(ordered) / 10))]), total)


def get_concentration(
    activities: Iterable[Activity],
    *,
    population: Iterable[tuple[str, str]],
    start: int,
    end: int,
    thresholds: Thresholds | None = None,
) -> Concentration:
    """Measure every kind of activity in [start, end) over the population of (person, household)."""
    if end <= start:
        raise InvalidActivity(start=start, end=end)
    people = dict(population)
    in_period = [a for a in activities if start <= a.at < end]
    for activity in in_period:
        if activity.kind not in KINDS or activity.weight < 0:
            raise InvalidActivity(kind=activity.kind, weight=activity.weight, at=activity.at)
    measures = tuple(
        _measure(kind, unit, [a for a in in_period if a.kind == kind], people)
        for kind in KINDS
        for unit in (PERSON, HOUSEHOLD)
    )
    alerts = tuple(alert for m in measures for alert in _alerts(m, thresholds or Thresholds()))
    return Concentration(start, end, measures, alerts)


def _measure(kind: str, unit: str, activities: list[Activity], people: dict[str, str]) -> Measure:
    counts: dict[str, int] = defaultdict(int)
    for who in people if unit == PERSON else people.values():
        counts[who] += 0
    for a in activities:
        counts[a.person if unit == PERSON else a.household] += a.weight
    total = sum(counts.values())
    shares = tuple(
        (who, Fraction(n, total) if total else Fraction(0))
        for who, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    breadth = Fraction(sum(1 for n in counts.values() if n > 0), len(counts)) if counts else Fraction(0)
    values = list(counts.values())
    return Measure(kind, unit, total, len(counts), shares, gini(values), top_decile_share(values), breadth)


def _alerts(m: Measure, t: Thresholds) -> list[Alert]:
    if m.total == 0:
        return []
    alerts = []
    largest = m.shares[0][1]
    for code, value, limit, above in (
        (GINI_ABOVE, m.gini, t.max_gini, True),
        (TOP_DECILE_ABOVE, m.top_decile_share, t.max_top_decile_share, True),
        (SINGLE_SHARE_ABOVE, largest, t.max_single_share, True),
        (BREADTH_BELOW, m.breadth, t.min_breadth, False),
    ):
        if limit is not None and (value > limit if above else value < limit):
            alerts.append(Alert(m.kind, m.unit, code, value, limit))
    return alerts
