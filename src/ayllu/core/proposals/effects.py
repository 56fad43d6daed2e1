"""What a proposal changes when it passes, by matter; checked when tabled and again when it passes.

Effects (the proposal body's "effect" object):
- ordinary, choice: {} (the outcome itself is the decision)
- admission {applicant}: the applicant becomes a member (charter admission "by decision")
- charter_amendment {charter}: a new charter version takes force
- suspension {member} / reinstatement {member}
- key_replacement {key}: the pending claim of `key` replaces its member's key (charter "by decision")
- cargo_assignment {cargo, member, until}: the member holds the cargo until `until` (ms); in a federation
  `member` is the key of a delegate whose seat stands when it is tabled and when it passes
  (`cargo_holder_not_seated`)
- recall {cargo, member}: the member no longer holds the cargo
- amendment {proposal, amendment}: a contested amendment is applied to the proposal it amends
- cargo_creation, exemption, mandate: see cargos/decisions.py and mandates.py (issue 4); a federation
  has no turns among households, so it refuses cargo_creation and exemption (`no_turns_in_federation`:
  its offices pass by turn among member assemblies, federations/offices.py; decision 0033)
- erasure {entry}: the words of entry `entry` are erased, as its author may erase them (erasure.py):
  only words no rule reads, so no replay ever needs them again
- resolution {rule, share, deadline} (a federation's), ratification {federation, resolution} (a member
  assembly's answer to it): see federations/ratification.py
A decision whose effect is no longer possible when it passes (the applicant was admitted meanwhile, the
member left) is recorded with its outcome but changes nothing.

Closing a question decides what the effect does (`effect_events`, pure, at the closing entry's time);
the events' appliers below carry it out and cannot fail.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, get_int, get_key, get_str, only_fields
from ayllu.core.assembly.erasure import WordsTaken
from ayllu.core.assembly.events import Event, applies
from ayllu.core.assembly.rule_errors import (
    InvalidEffect,
    NoWordsToErase,
    UnknownAmendment,
    WordsAlreadyErased,
    WrongRoute,
)
from ayllu.core.assembly.state import AssemblyState, Proposal
from ayllu.core.cargos import decisions as cargo_decisions
from ayllu.core.charter.members import admit_applicant, replace_key, set_suspended
from ayllu.core.charter.rules import Charter, check_within_reach, parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.federations import ratification
from ayllu.core.federations.errors import CargoHolderNotSeated, NoTurnsInFederation
from ayllu.core.federations.seats import seated_delegate
from ayllu.core.federations.standing import member_base
from ayllu.core.mandates import acts as mandates

EFFECT_FIELDS: dict[str, set[str]] = {
    "ordinary": set(),
    "choice": set(),
    "admission": {"applicant"},
    "charter_amendment": {"charter"},
    "suspension": {"member"},
    "reinstatement": {"member"},
    "key_replacement": {"key"},
    "cargo_assignment": {"cargo", "member", "until"},
    "recall": {"cargo", "member"},
    "amendment": {"proposal", "amendment"},
    "cargo_creation": cargo_decisions.CREATION_FIELDS,
    "exemption": cargo_decisions.EXEMPTION_FIELDS,
    "mandate": mandates.MANDATE_FIELDS,
    "erasure": {"entry"},
    "resolution": ratification.RESOLUTION_FIELDS,
    "ratification": ratification.RATIFICATION_FIELDS,
}


def subject_of(matter: str, effect: dict[str, Any]) -> str:
    """The member a decision is about, who may not vote on it (empty when none)."""
    if matter in ("suspension", "reinstatement", "recall"):
        return str(effect["member"])
    return ""


def check_effect(
    state: AssemblyState, matter: str, effect: dict[str, Any], *, seq: int, now: int, route: bool = True
) -> None:
    """Raise InvalidEffect (or WrongRoute, when `route`) unless the effect is possible at `now` (ms)."""
    only_fields(effect, EFFECT_FIELDS[matter], seq=seq)
    if matter in ("cargo_creation", "exemption") and state.rules.federation is not None:
        # Turns among households are an assembly's; a federation's turn passes among its member
        # assemblies, by the offices its charter names (decision 0033).
        raise NoTurnsInFederation(seq=seq, matter=matter)
    if matter == "admission":
        if route and state.rules.admission_sponsors:
            raise WrongRoute(seq=seq, matter=matter, route="sponsorship")
        if get_key(effect, "applicant", seq=seq) not in state.applicants:
            raise InvalidEffect(seq=seq, matter=matter, applicant=effect["applicant"])
    elif matter == "charter_amendment":
        amended = parse_charter(effect.get("charter"))
        check_within_reach(amended, members=member_base(state), before=state.rules)
        if (amended.federation is None) != (state.rules.federation is None):
            # Whether a record's members are households or assemblies is fixed at its founding.
            raise InvalidEffect(seq=seq, matter=matter, reason="federation_changed")
    elif matter in ("suspension", "reinstatement"):
        member = state.members.get(get_key(effect, "member", seq=seq))
        if member is None or member.suspended != (matter == "reinstatement"):
            raise InvalidEffect(seq=seq, matter=matter, member=effect["member"])
    elif matter == "key_replacement":
        if route and state.rules.key_vouchers:
            raise WrongRoute(seq=seq, matter=matter, route="vouching")
        claim = state.key_claims.get(get_key(effect, "key", seq=seq))
        if claim is None or claim.member not in state.members:
            raise InvalidEffect(seq=seq, matter=matter, key=effect["key"])
    elif matter == "cargo_assignment":
        get_str(effect, "cargo", seq=seq, limit=MAX_ID)
        get_int(effect, "until", seq=seq)
        holder = get_key(effect, "member", seq=seq)
        if state.rules.federation is not None:
            # A federation's members are its seated delegates (decision 0029): its cargo goes to one
            # whose seat stands at the decision's time, named by their key.
            if seated_delegate(state, holder, now=now) is None:
                raise CargoHolderNotSeated(seq=seq, member=holder)
        elif not state.is_active(holder):
            raise InvalidEffect(seq=seq, matter=matter, member=effect["member"])
    elif matter == "recall":
        cargo = state.cargos.get(get_str(effect, "cargo", seq=seq, limit=MAX_ID))
        if cargo is None or not cargo.held_by(get_key(effect, "member", seq=seq), now=now):
            raise InvalidEffect(seq=seq, matter=matter, cargo=effect["cargo"], member=effect["member"])
    elif matter == "amendment":
        target = state.proposals.get(get_int(effect, "proposal", seq=seq, low=1))
        amendment = target.amendments.get(get_int(effect, "amendment", seq=seq, low=1)) if target else None
        if target is None or amendment is None or amendment.status != "proposed":
            raise UnknownAmendment(seq=seq, proposal=effect["proposal"], amendment=effect["amendment"])
        if target.status != "deliberation":
            raise InvalidEffect(seq=seq, matter=matter, proposal=target.id, status=target.status)
    elif matter == "cargo_creation":
        cargo_decisions.check_cargo_creation(state, effect, seq=seq)
    elif matter == "exemption":
        cargo_decisions.check_exemption(state, effect, seq=seq)
    elif matter == "mandate":
        mandates.check_mandate(state, effect, seq=seq)
    elif matter == "erasure":
        entry = get_int(effect, "entry", seq=seq, low=1)
        if entry not in state.words_by:
            raise NoWordsToErase(seq=seq, entry=entry)
        if entry in state.erased_words:
            raise WordsAlreadyErased(seq=seq, entry=entry)
    elif matter == "resolution":
        ratification.check_resolution(state, effect, seq=seq, now=now)
    elif matter == "ratification":
        ratification.check_ratification(state, effect, seq=seq)


@dataclass(frozen=True, slots=True)
class ApplicantAdmitted(Event):
    applicant: str
    seq: int


@dataclass(frozen=True, slots=True)
class CharterAmended(Event):
    charter: Charter
    seq: int


@dataclass(frozen=True, slots=True)
class SuspensionDecided(Event):
    member: str
    suspended: bool


@dataclass(frozen=True, slots=True)
class KeyReplacedByDecision(Event):
    member: str
    key: str


@dataclass(frozen=True, slots=True)
class CargoAssignedByDecision(Event):
    cargo: str
    member: str
    until: int
    seq: int
    time: int


@dataclass(frozen=True, slots=True)
class HolderRecalled(Event):
    cargo: str
    member: str
    seq: int
    time: int


@dataclass(frozen=True, slots=True)
class AmendmentApplied(Event):
    proposal: int
    amendment: int


@dataclass(frozen=True, slots=True)
class CargoCreated(Event):
    effect: dict[str, Any]
    seq: int
    time: int


@dataclass(frozen=True, slots=True)
class ExemptionGranted(Event):
    effect: dict[str, Any]
    seq: int


@dataclass(frozen=True, slots=True)
class MandateAdopted(Event):
    proposal: int
    seq: int


def effect_events(state: AssemblyState, proposal: Proposal, *, seq: int, time: int) -> list[Event] | None:
    """What a passed proposal's effect does at `time` (ms); None when it is no longer possible."""
    # The route is not checked again: if the charter changed it meanwhile, the assembly still decided.
    try:
        check_effect(state, proposal.matter, proposal.effect, seq=seq, now=time, route=False)
    except DomainError:
        return None
    effect, matter = proposal.effect, proposal.matter
    if matter == "admission":
        return [ApplicantAdmitted(applicant=effect["applicant"], seq=seq)]
    if matter == "charter_amendment":
        return [CharterAmended(charter=parse_charter(effect["charter"]), seq=seq)]
    if matter in ("suspension", "reinstatement"):
        return [SuspensionDecided(member=effect["member"], suspended=matter == "suspension")]
    if matter == "key_replacement":
        member = state.key_claims[effect["key"]].member
        return [KeyReplacedByDecision(member=member, key=effect["key"])]
    if matter == "cargo_assignment":
        cargo, member, until = effect["cargo"], effect["member"], effect["until"]
        return [CargoAssignedByDecision(cargo=cargo, member=member, until=until, seq=seq, time=time)]
    if matter == "recall":
        return [HolderRecalled(cargo=effect["cargo"], member=effect["member"], seq=seq, time=time)]
    if matter == "amendment":
        return [AmendmentApplied(proposal=effect["proposal"], amendment=effect["amendment"])]
    if matter == "cargo_creation":
        return [CargoCreated(effect=effect, seq=seq, time=time)]
    if matter == "exemption":
        return [ExemptionGranted(effect=effect, seq=seq)]
    if matter == "mandate":
        return [MandateAdopted(proposal=proposal.id, seq=seq)]
    if matter == "erasure":
        return [WordsTaken(effect["entry"])]
    if matter == "resolution":
        return ratification.resolution_events(state, proposal, seq=seq, time=time)
    return []  # ordinary, choice: the outcome itself is the decision


@applies(ApplicantAdmitted)
def apply_admission(state: AssemblyState, event: ApplicantAdmitted) -> None:
    admit_applicant(state, event.applicant, seq=event.seq)


@applies(CharterAmended)
def apply_charter(state: AssemblyState, event: CharterAmended) -> None:
    state.charter = event.charter
    state.charters.append((event.seq, event.charter))


@applies(SuspensionDecided)
def apply_suspension(state: AssemblyState, event: SuspensionDecided) -> None:
    set_suspended(state, event.member, suspended=event.suspended)


@applies(KeyReplacedByDecision)
def apply_key_replacement(state: AssemblyState, event: KeyReplacedByDecision) -> None:
    replace_key(state, event.member, new_key=event.key)


@applies(CargoAssignedByDecision)
def apply_cargo_assignment(state: AssemblyState, event: CargoAssignedByDecision) -> None:
    cargo_decisions.assign_by_decision(
        state, name=event.cargo, member=event.member, until=event.until, seq=event.seq, now=event.time
    )


@applies(HolderRecalled)
def apply_recall(state: AssemblyState, event: HolderRecalled) -> None:
    cargo_decisions.recall_holder(state, name=event.cargo, member=event.member, seq=event.seq, now=event.time)


@applies(AmendmentApplied)
def apply_amendment(state: AssemblyState, event: AmendmentApplied) -> None:
    target = state.proposals[event.proposal]
    amendment = target.amendments[event.amendment]
    amendment.status = "accepted"
    target.title, target.text = amendment.title, amendment.text
    target.words_seq = amendment.id


@applies(CargoCreated)
def apply_cargo_creation(state: AssemblyState, event: CargoCreated) -> None:
    cargo_decisions.apply_cargo_creation(state, event.effect, seq=event.seq, now=event.time)


@applies(ExemptionGranted)
def apply_exemption(state: AssemblyState, event: ExemptionGranted) -> None:
    cargo_decisions.apply_exemption(state, event.effect, seq=event.seq)


@applies(MandateAdopted)
def apply_mandate(state: AssemblyState, event: MandateAdopted) -> None:
    mandates.apply_mandate(state, state.proposals[event.proposal], seq=event.seq)
