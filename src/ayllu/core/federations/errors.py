"""Stable codes for the rules of federations (docs/federation-bodies.md).

All are `RuleError`s: replay refuses the entry and the write path the act. `detail` carries the entry's
`seq` and the offending value; web, API and CLI give each code its words (messages.py).
"""

from ayllu.core.errors import RuleError


class NotAFederation(RuleError):
    """A federation's act, or read, on a record whose charter is an assembly's: there is no federation."""

    code = "not_a_federation"
    status = 404


class NotAnAssemblyId(RuleError):
    """A federation's member must be named by an assembly's log id (64 hex)."""

    code = "not_an_assembly_id"


class NotAMemberAssembly(RuleError):
    """The assembly is not a member of the federation, and the charter does not let it join by a seat."""

    code = "not_a_member_assembly"


class CredentialOtherAssembly(RuleError):
    """The cited credential is an entry of another record than the delegate's assembly."""

    code = "credential_other_assembly"


class NotACredential(RuleError):
    """The cited entry is not a delegate's credential (`delegate.accredited`), or its body is not the
    one the cited header signs."""

    code = "not_a_credential"


class CredentialOtherFederation(RuleError):
    """The cited credential names another federation."""

    code = "credential_other_federation"


class NotYourCredential(RuleError):
    """The seat is signed by another key than the one that signed the cited credential."""

    code = "not_your_credential"


class CredentialExpired(RuleError):
    """The credential's standing ended before this act."""

    code = "credential_expired"


class CredentialUsed(RuleError):
    """The cited credential already seated a delegate."""

    code = "credential_used"


class DelegationFull(RuleError):
    """The assembly already has as many delegates seated as the charter allows: name whom this seat
    replaces."""

    code = "delegation_full"


class UnknownSeat(RuleError):
    """The seat to be replaced is not a current seat of the same assembly."""

    code = "unknown_seat"


class NoFederationCargo(RuleError):
    """A credential needs a cargo with the power to represent the assembly in that federation, held
    now and at least until the credential's end."""

    code = "no_federation_cargo"


# --- offices by turn and overflow petitions (offices.py, petitions.py) --------------------------------


class UnknownOffice(RuleError):
    """The federation's charter has no office by that name."""

    code = "unknown_office"


class NotAnOfficeCredential(RuleError):
    """The cited entry is not an office credential (`office.accredited`), or its body is not the one the
    cited header signs."""

    code = "not_an_office_credential"


class CredentialOtherOffice(RuleError):
    """The cited office credential is for another office than the one named."""

    code = "credential_other_office"


class NotAssemblysTurn(RuleError):
    """The office's current term is not this assembly's turn."""

    code = "not_assemblys_turn"


class NoOfficeCargo(RuleError):
    """An office credential needs a cargo with the power to serve that office of that federation, held
    now and at least until the credential's end."""

    code = "no_office_cargo"


class NoPetitionDecision(RuleError):
    """The assembly has not decided to back this petition: no mandate on the petition's question for the
    federation with the position "yes"."""

    code = "no_petition_decision"


class NotAPetitionDecision(RuleError):
    """The cited entry is not an assembly's backing of a petition (`petition.backed`), or its body is
    not the one the cited header signs."""

    code = "not_a_petition_decision"


class CitedOtherAssembly(RuleError):
    """The cited entry belongs to another record than the assembly named."""

    code = "cited_other_assembly"


class PetitionOtherFederation(RuleError):
    """The cited backing is of a petition to another federation."""

    code = "petition_other_federation"


class PetitionAlreadyBacked(RuleError):
    """This assembly's decision is already cited in this petition: each assembly counts once."""

    code = "petition_already_backed"


class PetitionComplete(RuleError):
    """The petition already has the member assemblies it needs and has taken effect."""

    code = "petition_complete"


class NotAnOfficeHolder(RuleError):
    """The person a suspension petition names does not hold that office now."""

    code = "not_an_office_holder"


class VotedByDelegates(RuleError):
    """A federation's questions are voted by the seated delegates of its member assemblies
    (`federation.voted`), never by a `vote.cast` of the record's founders."""

    code = "voted_by_delegates"


class NotSeated(RuleError):
    """The signer has no seat standing now on the credential the act cites."""

    code = "not_seated"


class NotAMandate(RuleError):
    """The cited entry is not the delegate's assembly's `delegate.mandated` for this federation and
    question, or its body is not the one the cited header signs."""

    code = "not_a_mandate"


class StaleMandate(RuleError):
    """The act cites an older mandate (or none) than one already cited for the same assembly and
    question: the later mandate replaces the earlier."""

    code = "stale_mandate"


class NotMandated(RuleError):
    """The home record states a mandate only as the assembly decided it: the mandate in force on that
    federation's question holds another position, or there is none."""

    code = "not_mandated"


class NotWithdrawn(RuleError):
    """The home record states a delegate's withdrawal only as its rules decided it: the credential is for
    that federation, and its holder's term in the cargo representing the assembly there was ended by a
    recall at `at`."""

    code = "not_withdrawn"


class NotAWithdrawal(RuleError):
    """The cited entry is not a home assembly's `delegate.withdrawn` for this federation, or its body is
    not the one the cited header signs."""

    code = "not_a_withdrawal"


class RecallAlreadyCited(RuleError):
    """That withdrawal was already cited into the federation."""

    code = "recall_already_cited"


class UnknownResolution(RuleError):
    """The federation adopted no resolution with that id (a proposal of matter `resolution` that passed), or
    a petition would withdraw a decision its record does not have."""

    code = "unknown_resolution"
    status = 404


class ResolutionRuleNotCharters(RuleError):
    """A resolution must ask ratification by the weighting the federation's charter chooses."""

    code = "resolution_rule_not_charters"


class ResolutionShareBelowCharter(RuleError):
    """A resolution may ask a larger share than the charter's, never a smaller one."""

    code = "resolution_share_below_charter"


class NotARatification(RuleError):
    """The cited entry is not a home assembly's recorded ratification decision
    (`ratification.recorded`), or its body is not the one the cited header signs."""

    code = "not_a_ratification"


class RatificationOtherFederation(RuleError):
    """The cited ratification answers another federation."""

    code = "ratification_other_federation"


class RatificationOtherResolution(RuleError):
    """The cited ratification answers another resolution than the one named."""

    code = "ratification_other_resolution"


class NotARatifyingAssembly(RuleError):
    """The assembly was not a member of the federation when the resolution was adopted: its answer
    does not count."""

    code = "not_a_ratifying_assembly"


class RatificationTooLate(RuleError):
    """The resolution's deadline for ratification has passed."""

    code = "ratification_too_late"


class RatificationDuplicate(RuleError):
    """This assembly's answer to the resolution is already counted."""

    code = "ratification_duplicate"


class RatificationContradicts(RuleError):
    """This assembly already answered the resolution the other way: one answer per assembly counts."""

    code = "ratification_contradicts"


class NotARatificationDecision(RuleError):
    """The proposal named is not this assembly's decision on ratifying that federation's resolution."""

    code = "not_a_ratification_decision"


class RatificationNotDecided(RuleError):
    """The ratification decision has not closed the way the entry states (or with those households)."""

    code = "ratification_not_decided"


class RatificationAlreadyRecorded(RuleError):
    """This ratification decision is already recorded."""

    code = "ratification_already_recorded"


class NotASeatedDelegate(RuleError):
    """A member's act in a federation signed by a key that, at the act's time, has no seat standing and
    holds none of its offices: founders included, once the founding is done (decision 0029)."""

    code = "not_a_seated_delegate"


class NoMembershipDecision(RuleError):
    """The home assembly has no "yes" mandate on joining (or leaving) this federation to state."""

    code = "no_membership_decision"


class NotAMembershipDecision(RuleError):
    """The cited entry is not a `membership.decided`, or its body is not the one the cited header signs."""

    code = "not_a_membership_decision"


class MembershipOtherFederation(RuleError):
    """The cited decision to join or leave is about another federation."""

    code = "membership_other_federation"


class AlreadyAMemberAssembly(RuleError):
    """The assembly whose decision to join is cited is a member already."""

    code = "already_a_member_assembly"


class NoFederationDecision(RuleError):
    """The federation has not decided (a "yes" mandate on `membership:join` naming the assembly, not used
    by an earlier joining) to admit the assembly."""

    code = "no_federation_decision"


class StaleMembershipDecision(RuleError):
    """The cited decision to join or leave is no newer than the last one cited for that assembly."""

    code = "stale_membership_decision"


class NotAPlenary(RuleError):
    """The meeting is not a plenary the federation's member assemblies convened."""

    code = "not_a_plenary"


class PlenaryClosed(RuleError):
    """The plenary's meeting is closed."""

    code = "plenary_closed"


class PlenaryAlreadyOpen(RuleError):
    """The plenary's sitting already opened with quorum."""

    code = "plenary_already_open"


class PlenaryNoQuorumYet(RuleError):
    """Too few member assemblies are present for the plenary to open, and the charter's wait is not
    over: the delegates wait (it is postponed only after the wait)."""

    code = "plenary_no_quorum_yet"


class PlenaryTooSoon(RuleError):
    """The plenary would start sooner than the charter's notice allows."""

    code = "plenary_too_soon"


class PlenaryTooFar(RuleError):
    """The plenary would start later than the charter allows a convened plenary to wait."""

    code = "plenary_too_far"


class PetitionBackingLapsed(RuleError):
    """The cited backing is older than the charter's `petition_days`: it no longer counts."""

    code = "petition_backing_lapsed"


class NotARecallVote(RuleError):
    """No recall vote of that id: a recall vote's id is the entry that suspended the office holder."""

    code = "not_a_recall_vote"


class RecallVoteClosed(RuleError):
    """The recall vote is closed: the suspension was confirmed or lifted."""

    code = "recall_vote_closed"


class CargoHolderNotSeated(RuleError):
    """A federation's cargo is given by decision only to a delegate whose seat stands at the decision's
    time (decision 0029: its founders are not its members once the founding is done)."""

    code = "cargo_holder_not_seated"


class NoTurnsInFederation(RuleError):
    """A cargo filled by turn among households (`cargo_creation`), or an exemption from those turns, in a
    federation: its members are assemblies, and its rotation is its charter's offices, passed by turn
    among member assemblies (`federation.offices`; decision 0033)."""

    code = "no_turns_in_federation"


class PlenaryNotOpen(RuleError):
    """The plenary's sitting has not opened with quorum: nobody takes its chair yet."""

    code = "plenary_not_open"


class PlenaryAlreadyChaired(RuleError):
    """A delegate whose seat still stands already took the plenary's chair (first come)."""

    code = "plenary_already_chaired"
