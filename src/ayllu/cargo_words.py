"""Words for the codes the cargo pages show: powers, how a term began, rules that bar a household,
what happens when nobody may serve, mandate flags, draw phases and concentration measures.

Like `assembly_words`, the core names these with stable codes; an unknown code shows as itself.
"""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ayllu.assembly_words import CARGOS, MANDATE_POSITIONS
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.words import office_name, table_word

__all__ = ["cargo_word", "office_name", "power_federation", "record_shown"]

POWERS: dict[str, Promise] = {
    "convene_meetings": _("convene meetings"),
    "keep_minutes": _("keep the minutes"),
    "publish_announcements": _("publish announcements in the assembly's name"),
    "keep_accounts": _("keep the accounts"),
    "coordinate_work": _("coordinate communal work"),
    "keep_archive": _("keep the archive"),
}

HOW: dict[str, Promise] = {
    "founding": _("named at the founding"),
    "decision": _("named by a decision"),
    "by_turn": _("by turn"),
    "turn": _("by turn"),
    "relax_rest_period": _("by turn, with the rest period shortened"),
    "turn_taken": _("took the household's seat"),
    "ask_assembly": _("the assembly must decide"),
}

BARRED: dict[str, Promise] = {
    "exempt": _("exempt by decision"),
    "holds_this_cargo": _("already holds this cargo"),
    "served_previous_term": _("served the previous term"),
    "resting": _("resting after serving"),
    "at_max_cargos": _("already holds as many cargos as allowed"),
    "no_member_available": _("no member free to serve"),
}

FLAGS: dict[str, Promise] = {
    "contrary_to_mandate": _("against the mandate"),
    "without_mandate": _("without a mandate"),
}

# A delegate's vote elsewhere: the code the vote forms record for abstaining (core.mandates.acts.ABSTAIN);
# any other choice is a mandate's position: a ballot code in a federation, else the assembly's own words.
CHOICES: dict[str, Promise] = {**MANDATE_POSITIONS, "abstain": _("abstention")}

DRAW_PHASES: dict[str, Promise] = {
    "committing": _("collecting commitments"),
    "revealing": _("collecting reveals"),
    "waiting": _("waiting for the public beacon"),
    "completed": _("drawn"),
}

KINDS: dict[str, Promise] = {
    "role_term": _("Cargo terms served"),
    "proposal_tabled": _("Proposals tabled"),
    "speaking_turn": _("Speaking turns"),
    "mandate_carried": _("Mandates carried"),
}

UNITS: dict[str, Promise] = {"person": _("per person"), "household": _("per household")}

ALERTS: dict[str, Promise] = {
    "gini_above_threshold": _("The Gini coefficient is above the charter's limit."),
    "top_decile_share_above_threshold": _("The top tenth holds more than the charter allows."),
    "single_share_above_threshold": _("One holds a larger share than the charter allows."),
    "breadth_below_threshold": _("Too few took part, by the charter's measure."),
}

TABLES = {
    "power": POWERS,
    "how": HOW,
    "barred": BARRED,
    "flag": FLAGS,
    "choice": CHOICES,
    "phase": DRAW_PHASES,
    "kind": KINDS,
    "unit": UNITS,
    "alert": ALERTS,
    "cargo": CARGOS,
}
REPRESENT_IN = "represent_in:"
OFFICE_IN = "office_in:"


# A federation this node does not hold is shown by the start of its log id.
SHORT_ID = 12


def power_federation(code: str) -> str:
    """The federation a power names (`represent_in:<log>`, `office_in:<log>:<office>`); "" for others."""
    if code.startswith(REPRESENT_IN):
        return code.removeprefix(REPRESENT_IN)
    if code.startswith(OFFICE_IN):
        return code.removeprefix(OFFICE_IN).partition(":")[0]
    return ""


def record_shown(log: str, names: Mapping[str, str]) -> str:
    """A record named in a code (a federation) by the name this node holds for it, else a short id."""
    return names.get(log) or (log[:SHORT_ID] if is_hex(log, HEX_KEY_LENGTH) else log)


def cargo_word(table: str, code: str, *, names: Mapping[str, str] | None = None) -> str:
    """The word for `code` in one of the tables above, in the active language; the code if unknown.
    A power in a federation names it by `names` (log id to name, where this node holds its record)."""
    federation = power_federation(code) if table == "power" else ""
    if federation and code.startswith(REPRESENT_IN):
        return str(_("represent the assembly in %(body)s")) % {"body": record_shown(federation, names or {})}
    if federation:
        office = code.removeprefix(OFFICE_IN).partition(":")[2]
        return str(_("serve the office %(office)s of the federation %(federation)s")) % {
            "office": office_name(office),
            "federation": record_shown(federation, names or {}),
        }
    return table_word(TABLES, table, code)
