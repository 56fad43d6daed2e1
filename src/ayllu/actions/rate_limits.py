"""Counting attempts (logins, challenges, anonymous writes) per fixed window, shared by every worker.

The counts live in the database (storage.counters), not in one process's memory, so a node served by
several processes allows the same number of attempts as one process would (decision 0004).
"""

from ayllu.storage.counters import bump_counter, delete_counters, read_counter


def do_count_attempt(bucket: str, *, moment: float, window: int) -> int:
    """Count one attempt for `bucket` in the window holding `moment`; return the window's count so far.

    Windows are fixed: [k * window, (k + 1) * window) seconds since the epoch. The first count of a new
    window also deletes the counters of windows that have ended, so the table stays small.
    """
    slot = int(moment // window)
    count = bump_counter(bucket, slot=slot, expires=float((slot + 1) * window))
    if count == 1:
        delete_counters(expired_at=moment)
    return count


def get_attempts(bucket: str, *, moment: float, window: int) -> int:
    """How many attempts `bucket` has counted in the window holding `moment`, without counting one."""
    return read_counter(bucket, slot=int(moment // window))


def do_prune_attempts(*, moment: float) -> int:
    """Delete the counters of every window that ended by `moment`; return how many were deleted."""
    return delete_counters(expired_at=moment)
