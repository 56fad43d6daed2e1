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


class UnknownResolution(RuleError):
    """The federation adopted no resolution with that id (a proposal of matter `resolution` that passed)."""

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
