"""The pool of people a panel is drawn from, the quotas, and the grouping of people into types.

Two people with the same value in every category are interchangeable for the quotas, so the LEXIMIN
solution gives them the same probability. The engine works on types (one integer count per type in each
panel) and spreads the seats of a type evenly over its people only when it writes the lottery.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ayllu.core.sortition.errors import BadPool, BadQuota

# person id -> {category: feature}, e.g. {"ana": {"zone": "north", "gender": "f"}}
Pool = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True, slots=True, order=True)
class Quota:
    """At least `min` and at most `max` panel seats for people whose `category` is `feature`."""

    category: str
    feature: str
    min: int
    max: int


@dataclass(frozen=True, slots=True)
class Instance:
    """A pool grouped into types, ready for the solver; everything is sorted so the order is canonical."""

    categories: tuple[str, ...]
    # one entry per type: its feature in each category (aligned with `categories`)
    profiles: tuple[tuple[str, ...], ...]
    # the people of each type, sorted by id
    members: tuple[tuple[str, ...], ...]
    quotas: tuple[Quota, ...]
    panel_size: int

    @property
    def sizes(self) -> tuple[int, ...]:
        """The number of people of each type."""
        return tuple(len(people) for people in self.members)

    def types_with(self, quota: Quota) -> list[int]:
        """The indices of the types a quota counts."""
        column = self.categories.index(quota.category)
        return [t for t, profile in enumerate(self.profiles) if profile[column] == quota.feature]


def build_instance(pool: Pool, *, quotas: Sequence[Quota], panel_size: int) -> Instance:
    """Check the pool and quotas and group the people into types in a canonical order."""
    if panel_size < 1:
        raise BadPool(reason="panel_size", value=panel_size)
    if len(pool) < panel_size:
        raise BadPool(reason="pool_smaller_than_panel", pool=len(pool), panel_size=panel_size)
    categories = tuple(sorted({q.category for q in quotas}))
    seen: set[tuple[str, str]] = set()
    for quota in quotas:
        key = (quota.category, quota.feature)
        if key in seen:
            raise BadQuota(reason="duplicate", category=quota.category, feature=quota.feature)
        seen.add(key)
        if not 0 <= quota.min <= quota.max:
            raise BadQuota(reason="bounds", category=quota.category, feature=quota.feature)
    groups: dict[tuple[str, ...], list[str]] = {}
    for person_id in sorted(pool):
        attributes = pool[person_id]
        missing = [c for c in categories if c not in attributes]
        if missing:
            raise BadPool(reason="missing_category", person=person_id, category=missing[0])
        # a feature without a quota is unconstrained; it still separates types, harmlessly
        profile = tuple(attributes[c] for c in categories)
        groups.setdefault(profile, []).append(person_id)
    profiles = tuple(sorted(groups))
    return Instance(
        categories=categories,
        profiles=profiles,
        members=tuple(tuple(groups[p]) for p in profiles),
        quotas=tuple(sorted(quotas)),
        panel_size=panel_size,
    )


def panel_meets_quotas(instance: Instance, *, counts: Sequence[int]) -> bool:
    """True when a panel, given as seats per type, has the right size and meets every quota."""
    if len(counts) != len(instance.profiles) or sum(counts) != instance.panel_size:
        return False
    if any(not 0 <= c <= n for c, n in zip(counts, instance.sizes, strict=True)):
        return False
    for quota in instance.quotas:
        seats = sum(counts[t] for t in instance.types_with(quota))
        if not quota.min <= seats <= quota.max:
            return False
    return True
