"""Cargos by turn: who serves next, the year ahead, and a year's roster solved as one integer program."""

from ayllu.core.cargos.rotation.forecast import YEAR_MS, list_turn_order
from ayllu.core.cargos.rotation.model import (
    ASK_ASSEMBLY,
    BY_TURN,
    RELAX_REST_PERIOD,
    Cargo,
    Exemption,
    Household,
    RotationFacts,
    RotationRules,
    Service,
    Swap,
)
from ayllu.core.cargos.rotation.ranking import (
    AT_MAX_CARGOS,
    EXEMPT,
    HOLDS_THIS_CARGO,
    NO_MEMBER_AVAILABLE,
    RESTING,
    SERVED_PREVIOUS_TERM,
    Key,
    lot,
)
from ayllu.core.cargos.rotation.roster import PlannedTerm, Roster, plan_roster
from ayllu.core.cargos.rotation.turn import Holder, Standing, Turn, get_next_turn

__all__ = [
    "ASK_ASSEMBLY",
    "AT_MAX_CARGOS",
    "BY_TURN",
    "EXEMPT",
    "HOLDS_THIS_CARGO",
    "NO_MEMBER_AVAILABLE",
    "RELAX_REST_PERIOD",
    "RESTING",
    "SERVED_PREVIOUS_TERM",
    "YEAR_MS",
    "Cargo",
    "Exemption",
    "Holder",
    "Household",
    "Key",
    "PlannedTerm",
    "Roster",
    "RotationFacts",
    "RotationRules",
    "Service",
    "Standing",
    "Swap",
    "Turn",
    "get_next_turn",
    "list_turn_order",
    "lot",
    "plan_roster",
]
