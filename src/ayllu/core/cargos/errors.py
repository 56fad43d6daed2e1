"""Stable codes for the rules of cargos, mandates, recall and draws (issue 4).

All are `RuleError`s: replay rejects the entry and the write path refuses the act. `detail` carries the
entry's `seq` and the offending value. Web and API give them words (see docs/cargos.md for the list).
"""

from ayllu.core.errors import RuleError


# --- cargos and powers -----------------------------------------------------------------------------
class UnknownPower(RuleError):
    code = "unknown_power"


class ForbiddenPower(RuleError):
    """A power that would let one person change the record, the charter or membership on their own."""

    code = "forbidden_power"


class CargoExists(RuleError):
    code = "cargo_exists"


class UnknownCargoName(RuleError):
    code = "unknown_cargo_name"
    status = 404


class LacksPower(RuleError):
    """The author holds no current cargo with the power this act needs."""

    code = "lacks_power"


class NotHouseholdsTurn(RuleError):
    """Only a member of a household now serving the cargo may take its seat."""

    code = "not_households_turn"


class MayNotServe(RuleError):
    """The member is exempt, or already holds as many cargos as the charter allows."""

    code = "may_not_serve"


class UnknownSwap(RuleError):
    code = "unknown_swap"
    status = 404


class NotSwapPartner(RuleError):
    """Only a member of the other household may accept a swap; a household cannot swap with itself."""

    code = "not_swap_partner"


class InvalidExemption(RuleError):
    code = "invalid_exemption"


# --- mandates and delegates ------------------------------------------------------------------------
class NotDelegate(RuleError):
    """The author holds no current cargo with the power to represent the assembly in that body."""

    code = "not_delegate"


class ContraryToMandate(RuleError):
    code = "contrary_to_mandate"


class NoMandate(RuleError):
    """On a question without a mandate the delegate may only abstain (or ask for one)."""

    code = "no_mandate"


class UnknownSession(RuleError):
    code = "unknown_session"
    status = 404


class ReportAlreadyFiled(RuleError):
    code = "report_already_filed"


# --- recall ----------------------------------------------------------------------------------------
class NotAHolder(RuleError):
    """The recall petition names someone who does not hold that cargo now."""

    code = "not_a_holder"


class UnknownRecallPetition(RuleError):
    code = "unknown_recall_petition"
    status = 404


class RecallAlreadyOpen(RuleError):
    code = "recall_already_open"


# --- draws -----------------------------------------------------------------------------------------
class UnknownDraw(RuleError):
    code = "unknown_draw"
    status = 404


class DrawPhase(RuleError):
    """The act comes at the wrong time for the draw (commit after the deadline, reveal too early, ...)."""

    code = "draw_wrong_phase"


class BadDrawEvidence(RuleError):
    """The draw's recorded evidence does not recompute: lottery hash, panel, index, pool or reveal."""

    code = "draw_bad_evidence"


class DrawQuotasInfeasible(RuleError):
    """A prepared draw's list breaks its quotas because no panel of its size can meet them: the detail is
    `sortition.InfeasibleQuotas`'s (the reason, and the quotas that clash), so the member learns which
    quotas to reconsider rather than that some panel of the list breaks one."""

    code = "draw_quotas_infeasible"
