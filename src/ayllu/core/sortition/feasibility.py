"""Find out whether any panel meets the quotas and, when none does, name the quotas that clash.

Single quotas and single categories are checked by counting. When quotas of different categories clash,
a deletion filter finds a minimal conflicting set: each quota in turn is loosened to [0, k] and stays
loosened if no panel appears; the quotas left are each needed for the conflict (loosen any one and some
panel meets the rest of that set), so the assembly knows which ones to reconsider.
"""

from dataclasses import replace

from ayllu.core.sortition.errors import InfeasibleQuotas
from ayllu.core.sortition.highs import Pricer
from ayllu.core.sortition.pool import Instance, Quota


def _check_one_quota(instance: Instance, quota: Quota) -> None:
    sizes = instance.sizes  # a property that counts every type: read it once
    available = sum(sizes[t] for t in instance.types_with(quota))
    if quota.min > available:
        raise InfeasibleQuotas(
            reason="min_above_pool",
            category=quota.category,
            feature=quota.feature,
            min=quota.min,
            available=available,
        )
    if quota.min > instance.panel_size:
        raise InfeasibleQuotas(
            reason="min_above_panel",
            category=quota.category,
            feature=quota.feature,
            min=quota.min,
            panel_size=instance.panel_size,
        )


def _check_one_category(instance: Instance, category: str) -> None:
    quotas = [q for q in instance.quotas if q.category == category]
    k = instance.panel_size
    if sum(q.min for q in quotas) > k:
        biggest = max(quotas, key=lambda q: (q.min, q.feature))
        raise InfeasibleQuotas(
            reason="minimums_above_panel", category=category, feature=biggest.feature, panel_size=k
        )
    column = instance.categories.index(category)
    capped = {q.feature: q.max for q in quotas}
    reachable = sum(instance.sizes)
    for feature, cap in capped.items():
        available = sum(
            s for p, s in zip(instance.profiles, instance.sizes, strict=True) if p[column] == feature
        )
        reachable -= max(0, available - cap)
    if reachable < k:
        tightest = min(quotas, key=lambda q: (q.max, q.feature))
        raise InfeasibleQuotas(
            reason="maximums_below_panel", category=category, feature=tightest.feature, panel_size=k
        )


def _has_panel(instance: Instance) -> bool:
    return Pricer(instance).any_panel() is not None


def _named(quotas: list[Quota]) -> str:
    """Quotas as "category=feature min-max", comma-separated: data the message layer shows as is."""
    return ", ".join(f"{q.category}={q.feature} {q.min}-{q.max}" for q in quotas)


def conflicting_quotas(instance: Instance) -> list[Quota]:
    """A minimal set of quotas that no panel meets together (the instance must have no panel)."""
    k = instance.panel_size
    quotas = list(instance.quotas)
    needed = []
    for index, quota in enumerate(instance.quotas):
        quotas[index] = replace(quota, min=0, max=k)
        if _has_panel(replace(instance, quotas=tuple(quotas))):
            quotas[index] = quota  # loosening it makes room: it is part of the conflict
            needed.append(quota)
    return needed


def check_feasible(instance: Instance) -> None:
    """Raise InfeasibleQuotas naming the clashing quotas unless some panel meets every quota."""
    for quota in instance.quotas:
        _check_one_quota(instance, quota)
    for category in instance.categories:
        _check_one_category(instance, category)
    if _has_panel(instance):
        return
    clash = conflicting_quotas(instance)
    first = clash[0] if clash else instance.quotas[0]
    raise InfeasibleQuotas(
        reason="conflict",
        category=first.category,
        feature=first.feature,
        quotas=_named(clash),
        panel_size=instance.panel_size,
    )
