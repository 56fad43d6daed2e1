"""Members, households and keys: admission, leaving, suspension, lost devices.

Acts (body fields in braces; the author is the signer):
- member.applied {household, household_name?}: a newcomer's own key asks to join, naming their household
  by its id (rule data, public in format 2: an opaque "h-…" id) and, for a new household, its name (words,
  under the act's visibility).
- member.sponsored {applicant}: a member sponsors an applicant; with the charter's N sponsors (when
  admission is by sponsorship) replay admits the applicant. Admission by decision is a proposal of
  matter "admission".
- member.left {}: the member leaves; their key stops counting and their cargos are vacated.
- member.key_rotated {new_key}: a member moves to a new key while holding the old one.
- member.key_claimed {member}: signed by a NEW key that claims to be a member's (lost device).
- member.key_vouched {key}: a member vouches for a claim; with the charter's N vouchers (when key
  replacement is by vouching) the key is replaced. Otherwise it is a proposal of matter "key_replacement".
- household.registered {household, household_name?}: the member moves into a new household of their own
  (a fresh id; its name is words).
- member.named {name?}: the member chooses the name pages call them by (words), or clears it (no name).
From the entry that replaces a key on, acts signed with the old key are rejected (`key_replaced`).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import KEY, NAME, WORDS_NOT_HELD, Act, Signer, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadyApplied,
    AlreadyMember,
    AlreadySigned,
    HouseholdExists,
    KeyInUse,
    UnknownApplicant,
    UnknownClaim,
    UnknownMember,
    WrongRoute,
)
from ayllu.core.assembly.state import Applicant, AssemblyState, KeyClaim, Member
from ayllu.core.cargos.terms import vacate


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


def name_household(state: AssemblyState, household: str, name: str | None, *, seq: int) -> None:
    """Remember the name the words of act `seq` gave a new household: an existing household keeps its
    name (an applicant joining it cannot rename it), and a name this node does not hold is no name."""
    if name and name != WORDS_NOT_HELD and name != household and household not in state.households:
        state.household_names.setdefault(household, (name, seq))


def household_label(state: AssemblyState, household: str, hidden: frozenset[int] = frozenset()) -> str:
    """What people call a household: its name where this node holds it and the reader may read the act
    that gave it (not in `hidden`), else its id (format 1: the id is the name people chose)."""
    name, seq = state.household_names.get(household, (household, 0))
    return household if seq in hidden else name


def member_name(state: AssemblyState, member: str, hidden: frozenset[int] = frozenset()) -> str:
    """The name a member chose, where this node holds it and the reader may read the act that gave it
    (not in `hidden`); "" when they chose none (pages then show their household and key)."""
    name, seq = state.member_names.get(member, ("", 0))
    return "" if seq in hidden or name == WORDS_NOT_HELD else name


def household_names(state: AssemblyState, hidden: frozenset[int] = frozenset()) -> dict[str, str]:
    """Every household's name a reader from whom the acts `hidden` are hidden may read, by id."""
    return {h: name for h, (name, seq) in state.household_names.items() if seq not in hidden}


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


def admit_applicant(state: AssemblyState, key: str, *, seq: int) -> None:
    """Admit a pending applicant as a member of the household they named."""
    applicant = state.applicants.pop(key)
    add_member(state, key=key, household=applicant.household, seq=seq)


# --- acts -----------------------------------------------------------------------------------------


@act_kind
class MemberApplied(Act):
    type = "member.applied"
    name = "apply"
    summary = "Apply to join (signed by the applicant's new key)"
    signer = Signer.NON_MEMBER
    # Waits on the node that received it until a member sponsors the applicant or tables their admission.
    waits_outside = True

    household: str = act_field(NAME, help="the household joined (its id)")
    household_name: str | None = act_field(NAME, prose=True, default=None, help="the name of a new household")


@act_kind
class MemberSponsored(Act):
    type = "member.sponsored"
    name = "sponsor"
    summary = "Sponsor an applicant"
    takes_in = "applicant"

    applicant: str = act_field(KEY, help="the applicant's key")


@act_kind
class MemberLeft(Act):
    type = "member.left"
    name = "leave"
    summary = "Leave the assembly"
    while_suspended = True


@act_kind
class MemberKeyRotated(Act):
    type = "member.key_rotated"
    name = "rotate-key"
    summary = "Move to a new key while holding the old one"

    new_key: str = act_field(KEY)


@act_kind
class MemberKeyClaimed(Act):
    type = "member.key_claimed"
    name = "claim-key"
    summary = "Claim a member's identity with a new key (lost device)"
    signer = Signer.NON_MEMBER
    # Waits on the node that received it until a member vouches for the key or tables its replacement.
    waits_outside = True

    member: str = act_field(KEY, help="the member id the new key claims")


@act_kind
class MemberKeyVouched(Act):
    type = "member.key_vouched"
    name = "vouch-key"
    summary = "Vouch for a new key claiming a member's identity"
    takes_in = "key"

    key: str = act_field(KEY, help="the claiming key")


@act_kind
class HouseholdRegistered(Act):
    type = "household.registered"
    name = "register-household"
    summary = "Register a new household and move into it"

    household: str = act_field(NAME, help="the new household's id")
    household_name: str | None = act_field(NAME, prose=True, default=None, help="the new household's name")


@act_kind
class MemberNamed(Act):
    type = "member.named"
    name = "set-name"
    summary = "Choose the name you are called by (leave it out to clear it)"
    while_suspended = True

    chosen: str | None = act_field(NAME, prose=True, default=None, key="name", help="the name, in words")


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicationFiled(Event):
    key: str
    household: str
    seq: int
    household_name: str | None = None


@dataclass(frozen=True, slots=True)
class ApplicantSponsored(Event):
    applicant: str
    sponsor: str


@dataclass(frozen=True, slots=True)
class ApplicantAdmitted(Event):
    applicant: str
    seq: int


@dataclass(frozen=True, slots=True)
class MembershipEnded(Event):
    member: str
    time: int
    seq: int


@dataclass(frozen=True, slots=True)
class KeyChanged(Event):
    member: str
    new_key: str


@dataclass(frozen=True, slots=True)
class KeyClaimFiled(Event):
    key: str
    member: str
    seq: int


@dataclass(frozen=True, slots=True)
class ClaimVouched(Event):
    key: str
    voucher: str


@dataclass(frozen=True, slots=True)
class HouseholdOpened(Event):
    member: str
    household: str
    household_name: str | None = None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class MemberRenamed(Event):
    member: str
    name: str | None
    seq: int


# --- rules ----------------------------------------------------------------------------------------


@rule(MemberApplied)
def decide_apply(state: AssemblyState, act: MemberApplied, ctx: Context) -> list[Event]:
    if ctx.key in state.key_owner or ctx.key in state.replaced_keys:
        raise AlreadyMember(seq=ctx.seq, key=ctx.key)
    if ctx.key in state.applicants or ctx.key in state.key_claims:
        raise AlreadyApplied(seq=ctx.seq, key=ctx.key)
    name = act.household_name
    return [ApplicationFiled(key=ctx.key, household=act.household, seq=ctx.seq, household_name=name)]


@rule(MemberSponsored)
def decide_sponsor(state: AssemblyState, act: MemberSponsored, ctx: Context) -> list[Event]:
    needed = state.rules.needed("sponsors", members=state.active_count)
    if needed == 0:
        raise WrongRoute(seq=ctx.seq, matter="admission", route="decision")
    applicant = state.applicants.get(act.applicant)
    if applicant is None:
        raise UnknownApplicant(seq=ctx.seq, applicant=act.applicant)
    if ctx.author in applicant.sponsors:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author)
    events: list[Event] = [ApplicantSponsored(applicant=act.applicant, sponsor=ctx.author)]
    if len(applicant.sponsors) + 1 >= needed:
        events.append(ApplicantAdmitted(applicant=act.applicant, seq=ctx.seq))
    return events


@rule(MemberLeft)
def decide_leave(state: AssemblyState, act: MemberLeft, ctx: Context) -> list[Event]:
    return [MembershipEnded(member=ctx.author, time=ctx.time, seq=ctx.seq)]


@rule(MemberKeyRotated)
def decide_rotate_key(state: AssemblyState, act: MemberKeyRotated, ctx: Context) -> list[Event]:
    if key_known(state, act.new_key):
        raise KeyInUse(seq=ctx.seq, key=act.new_key)
    return [KeyChanged(member=ctx.author, new_key=act.new_key)]


@rule(MemberKeyClaimed)
def decide_claim_key(state: AssemblyState, act: MemberKeyClaimed, ctx: Context) -> list[Event]:
    if key_known(state, ctx.key):
        raise KeyInUse(seq=ctx.seq, key=ctx.key)
    if act.member not in state.members:
        raise UnknownMember(seq=ctx.seq, member=act.member)
    return [KeyClaimFiled(key=ctx.key, member=act.member, seq=ctx.seq)]


@rule(MemberKeyVouched)
def decide_vouch_key(state: AssemblyState, act: MemberKeyVouched, ctx: Context) -> list[Event]:
    needed = state.rules.needed("vouchers", members=state.active_count)
    if needed == 0:
        raise WrongRoute(seq=ctx.seq, matter="key_replacement", route="decision")
    claim = state.key_claims.get(act.key)
    if claim is None or claim.member not in state.members:
        raise UnknownClaim(seq=ctx.seq, key=act.key)
    if ctx.author == claim.member:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author, reason="own_claim")
    if ctx.author in claim.vouchers:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author)
    events: list[Event] = [ClaimVouched(key=act.key, voucher=ctx.author)]
    if len(claim.vouchers) + 1 >= needed:
        events.append(KeyChanged(member=claim.member, new_key=act.key))
    return events


@rule(HouseholdRegistered)
def decide_register_household(state: AssemblyState, act: HouseholdRegistered, ctx: Context) -> list[Event]:
    if act.household in state.households:
        raise HouseholdExists(seq=ctx.seq, household=act.household)
    name = act.household_name
    return [HouseholdOpened(member=ctx.author, household=act.household, household_name=name, seq=ctx.seq)]


@rule(MemberNamed)
def decide_name(state: AssemblyState, act: MemberNamed, ctx: Context) -> list[Event]:
    return [MemberRenamed(member=ctx.author, name=act.chosen, seq=ctx.seq)]


# --- appliers -------------------------------------------------------------------------------------


@applies(ApplicationFiled)
def apply_application(state: AssemblyState, event: ApplicationFiled) -> None:
    state.applicants[event.key] = Applicant(key=event.key, household=event.household, seq=event.seq)
    name_household(state, event.household, event.household_name, seq=event.seq)


@applies(ApplicantSponsored)
def apply_sponsorship(state: AssemblyState, event: ApplicantSponsored) -> None:
    state.applicants[event.applicant].sponsors.add(event.sponsor)


@applies(ApplicantAdmitted)
def apply_admission(state: AssemblyState, event: ApplicantAdmitted) -> None:
    admit_applicant(state, event.applicant, seq=event.seq)


@applies(MembershipEnded)
def apply_leaving(state: AssemblyState, event: MembershipEnded) -> None:
    member = event.member
    # Leaving first drops the member from the active counts and from any meeting's presence.
    set_suspended(state, member, suspended=True)
    record = state.members.pop(member)
    state.former_members[member] = record
    # The key simply stops being a member's: the person may apply again with it later.
    del state.key_owner[record.key]
    state.households[record.household].discard(member)
    for cargo in list(state.cargos.values()):
        if member in cargo.holders:
            vacate(state, cargo, member, at=event.time, why="left", seq=event.seq)


@applies(KeyChanged)
def apply_key_change(state: AssemblyState, event: KeyChanged) -> None:
    replace_key(state, event.member, new_key=event.new_key)


@applies(KeyClaimFiled)
def apply_key_claim(state: AssemblyState, event: KeyClaimFiled) -> None:
    state.key_claims[event.key] = KeyClaim(key=event.key, member=event.member, seq=event.seq)


@applies(ClaimVouched)
def apply_vouch(state: AssemblyState, event: ClaimVouched) -> None:
    state.key_claims[event.key].vouchers.add(event.voucher)


@applies(HouseholdOpened)
def apply_new_household(state: AssemblyState, event: HouseholdOpened) -> None:
    record = state.members[event.member]
    state.households[record.household].discard(event.member)
    _count_household(state, record.household, -1)
    record.household = event.household
    name_household(state, event.household, event.household_name, seq=event.seq)
    state.households[event.household] = {event.member}
    _count_household(state, event.household, +1)


@applies(MemberRenamed)
def apply_rename(state: AssemblyState, event: MemberRenamed) -> None:
    if event.name is None:
        state.member_names.pop(event.member, None)
    else:
        state.member_names[event.member] = (event.name, event.seq)
