"""Members, households and keys: admission, leaving, suspension, lost devices.

Acts (body fields in braces; the author is the signer):
- member.applied {household}: a newcomer's own key asks to join, naming their household.
- member.sponsored {applicant}: a member sponsors an applicant; with the charter's N sponsors (when
  admission is by sponsorship) replay admits the applicant. Admission by decision is a proposal of
  matter "admission".
- member.left {}: the member leaves; their key stops counting and their cargos are vacated.
- member.key_rotated {new_key}: a member moves to a new key while holding the old one.
- member.key_claimed {member}: signed by a NEW key that claims to be a member's (lost device).
- member.key_vouched {key}: a member vouches for a claim; with the charter's N vouchers (when key
  replacement is by vouching) the key is replaced. Otherwise it is a proposal of matter "key_replacement".
- household.registered {household}: the member moves into a new household of their own.
From the entry that replaces a key on, acts signed with the old key are rejected (`key_replaced`).
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, get_key, get_str, only_fields
from ayllu.core.assembly.rule_errors import (
    AlreadyApplied,
    AlreadyMember,
    AlreadySigned,
    HouseholdExists,
    KeyInUse,
    MemberSuspended,
    UnknownApplicant,
    UnknownClaim,
    UnknownMember,
    WrongRoute,
)
from ayllu.core.assembly.state import Applicant, AssemblyState, KeyClaim, Member
from ayllu.core.cargos.terms import vacate
from ayllu.core.ledger.record import Entry

NON_MEMBER_ACTS = frozenset({"member.applied", "member.key_claimed"})


def key_known(state: AssemblyState, key: str) -> bool:
    """True when the key is, or was, a member's key or is a pending applicant's or claim's."""
    return (
        key in state.key_owner
        or key in state.replaced_keys
        or key in state.applicants
        or key in state.key_claims
    )


def add_member(state: AssemblyState, *, key: str, household: str, seq: int) -> None:
    """Admit `key` as a member of `household` (created when new)."""
    state.former_members.pop(key, None)
    state.members[key] = Member(id=key, key=key, household=household, since=seq)
    state.key_owner[key] = key
    state.households.setdefault(household, set()).add(key)
    state.active_count += 1
    _count_household(state, household, +1)


def _count_household(state: AssemblyState, household: str, delta: int) -> None:
    before = state.household_active.get(household, 0)
    after = before + delta
    state.household_active[household] = after
    if before == 0 and after > 0:
        state.active_households += 1
    elif before > 0 and after == 0:
        state.active_households -= 1


def set_suspended(state: AssemblyState, member: str, *, suspended: bool) -> None:
    """Suspend or reinstate a member (only ever the effect of a decision)."""
    record = state.members[member]
    if record.suspended == suspended:
        return
    record.suspended = suspended
    state.active_count += -1 if suspended else 1
    _count_household(state, record.household, -1 if suspended else 1)
    for meeting_id in state.open_meetings:
        meeting = state.meetings[meeting_id]
        meeting.present.discard(member)
        meeting.queue.pop(member, None)


def replace_key(state: AssemblyState, member: str, *, new_key: str) -> None:
    """Make `new_key` the member's key; the old key is refused from here on."""
    record = state.members[member]
    del state.key_owner[record.key]
    state.replaced_keys[record.key] = member
    record.key = new_key
    state.key_owner[new_key] = member
    state.key_claims.pop(new_key, None)


def do_applied(state: AssemblyState, entry: Entry, content: dict[str, Any]) -> None:
    only_fields(content, {"household"}, seq=entry.seq)
    household = get_str(content, "household", seq=entry.seq, limit=MAX_ID)
    if entry.author in state.key_owner or entry.author in state.replaced_keys:
        raise AlreadyMember(seq=entry.seq, key=entry.author)
    if entry.author in state.applicants or entry.author in state.key_claims:
        raise AlreadyApplied(seq=entry.seq, key=entry.author)
    state.applicants[entry.author] = Applicant(key=entry.author, household=household, seq=entry.seq)


def do_sponsored(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"applicant"}, seq=entry.seq)
    key = get_key(content, "applicant", seq=entry.seq)
    needed = state.rules.admission_sponsors
    if needed == 0:
        raise WrongRoute(seq=entry.seq, matter="admission", route="decision")
    applicant = state.applicants.get(key)
    if applicant is None:
        raise UnknownApplicant(seq=entry.seq, applicant=key)
    if author in applicant.sponsors:
        raise AlreadySigned(seq=entry.seq, member=author)
    applicant.sponsors.add(author)
    if len(applicant.sponsors) >= needed:
        admit_applicant(state, key, seq=entry.seq)


def admit_applicant(state: AssemblyState, key: str, *, seq: int) -> None:
    applicant = state.applicants.pop(key)
    add_member(state, key=key, household=applicant.household, seq=seq)


def do_left(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, set(), seq=entry.seq)
    # Leaving first drops the member from the active counts and from any meeting's presence.
    set_suspended(state, author, suspended=True)
    record = state.members.pop(author)
    state.former_members[author] = record
    # The key simply stops being a member's: the person may apply again with it later.
    del state.key_owner[record.key]
    state.households[record.household].discard(author)
    for cargo in list(state.cargos.values()):
        if author in cargo.holders:
            vacate(state, cargo, author, at=entry.time, why="left", seq=entry.seq)


def do_key_rotated(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"new_key"}, seq=entry.seq)
    new_key = get_key(content, "new_key", seq=entry.seq)
    if key_known(state, new_key):
        raise KeyInUse(seq=entry.seq, key=new_key)
    replace_key(state, author, new_key=new_key)


def do_key_claimed(state: AssemblyState, entry: Entry, content: dict[str, Any]) -> None:
    only_fields(content, {"member"}, seq=entry.seq)
    member = get_key(content, "member", seq=entry.seq)
    if key_known(state, entry.author):
        raise KeyInUse(seq=entry.seq, key=entry.author)
    if member not in state.members:
        raise UnknownMember(seq=entry.seq, member=member)
    state.key_claims[entry.author] = KeyClaim(key=entry.author, member=member, seq=entry.seq)


def do_key_vouched(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"key"}, seq=entry.seq)
    key = get_key(content, "key", seq=entry.seq)
    needed = state.rules.key_vouchers
    if needed == 0:
        raise WrongRoute(seq=entry.seq, matter="key_replacement", route="decision")
    claim = state.key_claims.get(key)
    if claim is None or claim.member not in state.members:
        raise UnknownClaim(seq=entry.seq, key=key)
    if author == claim.member:
        raise AlreadySigned(seq=entry.seq, member=author, reason="own_claim")
    if author in claim.vouchers:
        raise AlreadySigned(seq=entry.seq, member=author)
    claim.vouchers.add(author)
    if len(claim.vouchers) >= needed:
        replace_key(state, claim.member, new_key=key)


def do_household_registered(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"household"}, seq=entry.seq)
    household = get_str(content, "household", seq=entry.seq, limit=MAX_ID)
    if household in state.households:
        raise HouseholdExists(seq=entry.seq, household=household)
    record = state.members[author]
    if record.suspended:
        raise MemberSuspended(seq=entry.seq, member=author)
    state.households[record.household].discard(author)
    _count_household(state, record.household, -1)
    record.household = household
    state.households[household] = {author}
    _count_household(state, household, +1)
