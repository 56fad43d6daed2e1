"""Errors of the sortition engine; each names the offending value in its detail."""

from ayllu.core.errors import DomainError


class SortitionError(DomainError):
    code = "sortition_error"


class BadPool(SortitionError):
    code = "sortition_bad_pool"


class BadQuota(SortitionError):
    code = "sortition_bad_quota"


class InfeasibleQuotas(SortitionError):
    """No panel of the requested size meets the quotas; `category` and `feature` name a culprit."""

    code = "sortition_quotas_infeasible"


class SolverFailed(SortitionError):
    """HiGHS returned a status the engine cannot use (a bug or a numerical breakdown, never user input)."""

    code = "sortition_solver_failed"


class BadLottery(SortitionError):
    code = "sortition_bad_lottery"


class LotteryHashMismatch(SortitionError):
    """The panel list differs from the one whose hash was recorded before the randomness existed."""

    code = "sortition_lottery_hash_mismatch"


class BadReveal(SortitionError):
    """A revealed secret does not match the member's commitment, or comes from someone who never committed."""

    code = "sortition_bad_reveal"


class BadEvidence(SortitionError):
    code = "sortition_bad_evidence"
