"""Sortition: panels drawn by lot under quotas, with LEXIMIN-fair chances and a draw anyone can recompute.

find_leximin gives the fairest distribution over panels; round_to_lottery turns it into a numbered list
of panels whose hash is recorded first; recompute_draw picks the panel from commitments, reveals and a
beacon value. docs/sortition.md explains the guarantees and what each one rests on.
"""

from ayllu.core.sortition.draw import Draw, commitment_for, draw_seed, index_from_seed, recompute_draw
from ayllu.core.sortition.errors import (
    BadEvidence,
    BadLottery,
    BadPool,
    BadQuota,
    BadReveal,
    InfeasibleQuotas,
    LotteryHashMismatch,
    SolverFailed,
    SortitionError,
)
from ayllu.core.sortition.leximin import Distribution, find_leximin
from ayllu.core.sortition.lottery import (
    Lottery,
    check_lottery,
    lottery_document,
    lottery_hash,
    round_to_lottery,
)
from ayllu.core.sortition.pool import Instance, Pool, Quota, build_instance, panel_meets_quotas

__all__ = [
    "BadEvidence",
    "BadLottery",
    "BadPool",
    "BadQuota",
    "BadReveal",
    "Distribution",
    "Draw",
    "InfeasibleQuotas",
    "Instance",
    "Lottery",
    "LotteryHashMismatch",
    "Pool",
    "Quota",
    "SolverFailed",
    "SortitionError",
    "build_instance",
    "check_lottery",
    "commitment_for",
    "draw_seed",
    "find_leximin",
    "index_from_seed",
    "lottery_document",
    "lottery_hash",
    "panel_meets_quotas",
    "recompute_draw",
    "round_to_lottery",
]
