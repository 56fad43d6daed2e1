"""Who is a member of an assembly right now, as replaying its record says: the only source of authority.

Login and every authorisation check ask here. The answer is computed by replaying the stored record
(`core.replay`), never from a table a node could edit: the replayed state every read shares
(`queries.replayed`), so asking costs one indexed query when nothing was appended.
"""

from dataclasses import dataclass
from enum import StrEnum
from itertools import count

from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.charter.members import (
    HouseholdRegistered,
    MemberKeyRotated,
    MemberKeyVouched,
    MemberLeft,
    MemberNamed,
    MemberSponsored,
)

from .allowed import acts_allowed
from .replayed import forget_replayed_reads, read_state
from .waiting import read_state_with_waiting

__all__ = [
    "KeyStanding",
    "MembersActs",
    "get_key_standing",
    "get_members_acts",
    "is_current_member",
    "list_current_member_keys",
    "list_founding_keys",
]

# The founding is the record's first entry.
FOUNDING_SEQ = 1


class KeyStanding(StrEnum):
    """What a key is to an assembly at the head of its record."""

    MEMBER = "member"  # the current key of an active member
    SUSPENDED = "suspended"  # the current key of a suspended member
    REPLACED = "replaced"  # a key its member replaced (lost device, rotation): refused from then on
    FORMER = "former"  # the key of someone who left
    UNKNOWN = "unknown"  # never a member's key in this assembly


def get_key_standing(log: str, *, key: str) -> KeyStanding:
    """What `key` is to the assembly of `log` now (raise RecordNotFound for an unknown record)."""

    def read(state: AssemblyState) -> KeyStanding:
        member = state.key_owner.get(key)
        if member is not None:
            return KeyStanding.SUSPENDED if state.members[member].suspended else KeyStanding.MEMBER
        if key in state.replaced_keys:
            return KeyStanding.REPLACED
        if key in state.former_members:
            return KeyStanding.FORMER
        return KeyStanding.UNKNOWN

    return read_state(log, read)


def is_current_member(log: str, *, key: str) -> bool:
    """True when `key` is the current key of a member (active or suspended) of the assembly."""
    return get_key_standing(log, key=key) in (KeyStanding.MEMBER, KeyStanding.SUSPENDED)


def list_current_member_keys(log: str) -> frozenset[str]:
    """The current keys of every member (active or suspended) of the assembly."""
    return read_state(log, lambda state: frozenset(state.key_owner))


def forget_member_states() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    forget_replayed_reads()


@dataclass(frozen=True, slots=True)
class MembersActs:
    """The acts one reader may do now on the members page: the applicants they may sponsor and the
    claiming keys they may vouch for (the core's answer, core/assembly/allowed.py)."""

    sponsor: frozenset[str] = frozenset()
    vouch: frozenset[str] = frozenset()
    # The reader's own membership: leave the assembly, move into a household not yet registered.
    leave: bool = False
    register_household: bool = False
    rotate_key: bool = False  # move to another device's key while holding this one
    name_self: bool = False  # choose (or clear) the name pages call the reader by


def _unused_household(state: AssemblyState) -> str:
    """A household name not registered yet, to ask whether the reader may register a new one."""
    return next(name for name in (f"new-{i}" for i in count()) if name not in state.households)


def _unused_key(state: AssemblyState) -> str:
    """A key no member holds or held, to ask whether the reader may move to a new one."""
    return next(key for key in (f"{i:064x}" for i in count(1)) if key not in state.key_owner)


def get_members_acts(log: str, *, key: str, now: int) -> MembersActs:
    """What the reader with `key` may do now about applicants and key claims ("" key: nothing)."""
    if not key:
        return MembersActs()

    def read(state: AssemblyState) -> MembersActs:
        allows = acts_allowed(state, key=key, now=now)
        return MembersActs(
            sponsor=frozenset(a for a in state.applicants if allows(MemberSponsored(applicant=a))),
            vouch=frozenset(c for c in state.key_claims if allows(MemberKeyVouched(key=c))),
            leave=allows(MemberLeft()),
            rotate_key=allows(MemberKeyRotated(new_key=_unused_key(state))),
            register_household=allows(HouseholdRegistered(household=_unused_household(state))),
            name_self=allows(MemberNamed(chosen="x")),
        )

    return read_state_with_waiting(log, read)


def list_founding_keys(log: str) -> list[str]:
    """The founders' keys made for the founding that are still their current keys, in founding order.

    A founder's device keeps the key it endorsed with under the founding draft's name until it is filed
    under the record's id; the login and device pages give these keys to the browser so it files such a
    key itself, whichever page the founder opens first.
    """

    def read(state: AssemblyState) -> list[str]:
        return [m.key for m in state.members.values() if m.since == FOUNDING_SEQ and m.key == m.id]

    return read_state(log, read)
