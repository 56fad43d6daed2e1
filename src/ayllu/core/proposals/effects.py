"""What a proposal changes when it passes, by matter; checked when tabled and again when it passes.

Effects (the proposal body's "effect" object):
- ordinary, choice: {} (the outcome itself is the decision)
- admission {applicant}: the applicant becomes a member (charter admission "by decision")
- charter_amendment {charter}: a new charter version takes force
- suspension {member} / reinstatement {member}
- key_replacement {key}: the pending claim of `key` replaces its member's key (charter "by decision")
- cargo_assignment {cargo, member, until}: the member holds the cargo until `until` (ms)
- recall {cargo, member}: the member no longer holds the cargo
- amendment {proposal, amendment}: a contested amendment is applied to the proposal it amends
- cargo_creation, exemption, mandate: see cargos/decisions.py and mandates.py (issue 4)
A decision whose effect is no longer possible when it passes (the applicant was admitted meanwhile, the
member left) is recorded with its outcome but changes nothing.
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, get_int, get_key, get_str, only_fields
from ayllu.core.assembly.rule_errors import InvalidEffect, UnknownAmendment, WrongRoute
from ayllu.core.assembly.state import AssemblyState, Proposal
from ayllu.core.cargos import decisions as cargo_decisions
from ayllu.core.charter.members import admit_applicant, replace_key, set_suspended
from ayllu.core.charter.rules import parse_charter
from ayllu.core.errors import DomainError
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
}


def subject_of(matter: str, effect: dict[str, Any]) -> str:
    """The member a decision is about, who may not vote on it (empty when none)."""
    if matter in ("suspension", "reinstatement", "recall"):
        return str(effect["member"])
    return ""


def check_effect(
    state: AssemblyState, matter: str, effect: dict[str, Any], *, seq: int, route: bool = True
) -> None:
    """Raise InvalidEffect (or WrongRoute, when `route`) unless the effect is possible now."""
    only_fields(effect, EFFECT_FIELDS[matter], seq=seq)
    if matter == "admission":
        if route and state.rules.admission_sponsors:
            raise WrongRoute(seq=seq, matter=matter, route="sponsorship")
        if get_key(effect, "applicant", seq=seq) not in state.applicants:
            raise InvalidEffect(seq=seq, matter=matter, applicant=effect["applicant"])
    elif matter == "charter_amendment":
        parse_charter(effect.get("charter"))
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
        if not state.is_active(get_key(effect, "member", seq=seq)):
            raise InvalidEffect(seq=seq, matter=matter, member=effect["member"])
    elif matter == "recall":
        cargo = state.cargos.get(get_str(effect, "cargo", seq=seq, limit=MAX_ID))
        if cargo is None or not cargo.held_by(get_key(effect, "member", seq=seq), now=state.now):
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


def apply_amendment(target: Proposal, amendment_id: int) -> None:
    amendment = target.amendments[amendment_id]
    amendment.status = "accepted"
    target.title, target.text = amendment.title, amendment.text
    target.words_seq = amendment.id


def apply_effect(state: AssemblyState, proposal: Proposal, *, seq: int) -> bool:
    """Carry out a passed proposal's effect; return False when it is no longer possible."""
    # The route is not checked again: if the charter changed it meanwhile, the assembly still decided.
    try:
        check_effect(state, proposal.matter, proposal.effect, seq=seq, route=False)
    except DomainError:
        return False
    effect = proposal.effect
    if proposal.matter == "admission":
        admit_applicant(state, effect["applicant"], seq=seq)
    elif proposal.matter == "charter_amendment":
        state.charter = parse_charter(effect["charter"])
        state.charters.append((seq, state.charter))
    elif proposal.matter in ("suspension", "reinstatement"):
        set_suspended(state, effect["member"], suspended=proposal.matter == "suspension")
    elif proposal.matter == "key_replacement":
        replace_key(state, state.key_claims[effect["key"]].member, new_key=effect["key"])
    elif proposal.matter == "cargo_assignment":
        cargo_decisions.assign_by_decision(
            state,
            name=effect["cargo"],
            member=effect["member"],
            until=effect["until"],
            seq=seq,
            now=state.now,
        )
    elif proposal.matter == "recall":
        cargo_decisions.recall_holder(
            state, name=effect["cargo"], member=effect["member"], seq=seq, now=state.now
        )
    elif proposal.matter == "amendment":
        apply_amendment(state.proposals[effect["proposal"]], effect["amendment"])
    elif proposal.matter == "cargo_creation":
        cargo_decisions.apply_cargo_creation(state, effect, seq=seq, now=state.now)
    elif proposal.matter == "exemption":
        cargo_decisions.apply_exemption(state, effect, seq=seq)
    elif proposal.matter == "mandate":
        mandates.apply_mandate(state, proposal, seq=seq)
    return True
