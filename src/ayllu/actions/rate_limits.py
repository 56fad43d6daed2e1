"""Counting attempts (logins, challenges, anonymous writes) per fixed window, shared by every worker.

The counts live in the database (storage.counters), not in one process's memory, so a node served by
several processes allows the same number of attempts as one process would (decision 0004).
Anonymous writes (what a non-member may sign, foundings, founding drafts) are counted the same way,
per client address; the interfaces pass the address and answer a refusal with HTTP 429. A resend of an
act the node already holds is not counted (`check_anonymous_act`).
"""

from enum import StrEnum

from django.conf import settings

from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import Act
from ayllu.storage import clock
from ayllu.storage.counters import bump_counter, delete_counters, read_counter
from ayllu.storage.waiting import act_held


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


# The setting holding the limit for the whole node (every address together), where there is one: a
# founding makes a new record, a draft rows in the database, whoever asks (decision 0011). Acts a
# non-member signs are bounded on the whole node by the waiting room (actions/waiting_room.py).
_NODE_LIMIT_SETTINGS = {
    AnonymousWrite.FOUNDING: "AYLLU_FOUNDINGS_PER_WINDOW",
    AnonymousWrite.FOUNDING_DRAFT: "AYLLU_FOUNDING_DRAFTS_PER_WINDOW",
}


class WritesRateLimited(DomainError):
    """An address made more anonymous writes of one kind than its limit; detail: kind, seconds."""

    code = "writes_rate_limited"
    status = 429


class NodeWritesRateLimited(WritesRateLimited):
    """Every address together made as many anonymous writes of one kind as the node takes in a window."""

    code = "node_writes_rate_limited"


def check_anonymous_write(kind: AnonymousWrite, *, address: str, moment: float | None = None) -> None:
    """Count one anonymous write of `kind` from `address`; raise WritesRateLimited once it is over its limit.

    Every attempt counts, whether or not it is then written: each one takes the record's write lock.
    """
    window = int(settings.AYLLU_ANONYMOUS_WINDOW_SECONDS)
    at = clock.now_s() if moment is None else moment
    count = do_count_attempt(f"write-{kind.value}:{address}", moment=at, window=window)
    if count > int(getattr(settings, _LIMIT_SETTINGS[kind])):
        raise WritesRateLimited(kind=kind.value, seconds=window)
    node_setting = _NODE_LIMIT_SETTINGS.get(kind)
    if node_setting is not None:
        # A bucket no address can be: addresses never hold a space.
        node_count = do_count_attempt(f"write-{kind.value} node", moment=at, window=window)
        if node_count > int(getattr(settings, node_setting)):
            raise NodeWritesRateLimited(kind=kind.value, seconds=window)


def check_anonymous_act(kind: AnonymousWrite, *, act: Act, address: str, moment: float | None = None) -> None:
    """Count a signed act anyone may make (a stranger's act, a founding) from `address`, as
    `check_anonymous_write` does, unless the node already holds this very act.

    A client that lost the node's answer sends the same signed act again, and is answered as the first
    time (decision 0012); counting the resend would lock an honest client on a bad link out with 429
    while its act is already in. The act is looked up by its id (a hash of the bytes its author signs,
    in the record or in the waiting room) before anything is counted: no signature check, no lock. The
    resend is then checked like any act (form, body, signature) and answered without the write lock
    (`check_wait_act`, `do_found_assembly`). A new act still counts, before the write lock is taken:
    each attempt takes the record's write lock.
    """
    if act_held(act.log, act.id()):
        return
    check_anonymous_write(kind, address=address, moment=moment)
