"""Errors of the rotation engine: facts it cannot compute a turn order from.

All are `RuleError`s, so an entry that would need such a turn order is rejected on replay.
"""

from ayllu.core.errors import RuleError


class RotationError(RuleError):
    code = "rotation_invalid"


class InvalidRotationFact(RotationError):
    """A household, cargo, term, exemption or charter setting outside what the engine accepts."""

    code = "invalid_rotation_fact"


class UnknownCargo(RotationError):
    code = "unknown_cargo"


class DuplicateId(RotationError):
    """Two households, or two cargos, with the same id; or one member in two households."""

    code = "duplicate_rotation_id"


class InvalidFallback(RotationError):
    """The charter's fallback when nobody is eligible is unknown or does not end with the assembly."""

    code = "invalid_rotation_fallback"


class OverlappingSwaps(RotationError):
    """One household in two swaps of the same cargo that are both still open."""

    code = "overlapping_swaps"


class RosterInfeasible(RotationError):
    """The roster solver found no answer, or did not prove one optimal; never a silent partial roster."""

    code = "roster_infeasible"
