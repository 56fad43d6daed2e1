"""Counting attempts (logins, challenges, anonymous writes) per fixed window, shared by every worker.

The counts live in the database (storage.counters), not in one process's memory, so a node served by
several processes allows the same number of attempts as one process would (decision 0004).
Anonymous writes (what a non-member may sign, foundings, founding drafts) are counted the same way,
per client address; the interfaces pass the address and answer a refusal with HTTP 429.
"""

from enum import StrEnum

from django.conf import settings

from ayllu.core.errors import DomainError
from ayllu.storage import clock
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


# --- anonymous writes ----------------------------------------------------------------------------
class AnonymousWrite(StrEnum):
    """What anyone may write without being a member, each limited per client address."""

    NON_MEMBER_ACT = "non-member-act"  # applying to join, claiming a lost key
    FOUNDING = "founding"
    FOUNDING_DRAFT = "founding-draft"


# The setting holding each kind's limit per address and window.
_LIMIT_SETTINGS = {
    AnonymousWrite.NON_MEMBER_ACT: "AYLLU_NON_MEMBER_ACTS_PER_ADDRESS",
    AnonymousWrite.FOUNDING: "AYLLU_FOUNDINGS_PER_ADDRESS",
    AnonymousWrite.FOUNDING_DRAFT: "AYLLU_FOUNDING_DRAFTS_PER_ADDRESS",
}


class WritesRateLimited(DomainError):
    """An address made more anonymous writes of one kind than its limit; detail: kind, seconds."""

    code = "writes_rate_limited"
    status = 429


def check_anonymous_write(kind: AnonymousWrite, *, address: str, moment: float | None = None) -> None:
    """Count one anonymous write of `kind` from `address`; raise WritesRateLimited once it is over its limit.

    Every attempt counts, whether or not it is then written: each one takes the record's write lock.
    """
    window = int(settings.AYLLU_ANONYMOUS_WINDOW_SECONDS)
    at = clock.now_s() if moment is None else moment
    count = do_count_attempt(f"write-{kind.value}:{address}", moment=at, window=window)
    if count > int(getattr(settings, _LIMIT_SETTINGS[kind])):
        raise WritesRateLimited(kind=kind.value, seconds=window)
