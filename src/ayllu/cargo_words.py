"""Words for the codes the cargo pages show: powers, how a term began, rules that bar a household,
what happens when nobody may serve, mandate flags, draw phases and concentration measures.

Like `assembly_words`, the core names these with stable codes; an unknown code shows as itself.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ayllu.assembly_words import CARGOS

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
# any other choice is a mandate's position, in the assembly's own words.
CHOICES: dict[str, Promise] = {"abstain": _("abstention")}

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


def cargo_word(table: str, code: str) -> str:
    """The word for `code` in one of the tables above, in the active language; the code if unknown."""
    if table == "power" and code.startswith(REPRESENT_IN):
        body = code.removeprefix(REPRESENT_IN)
        return str(_("represent the assembly in %(body)s")) % {"body": body}
    if table == "power" and code.startswith(OFFICE_IN):
        federation, _sep, office = code.removeprefix(OFFICE_IN).partition(":")
        return str(_("serve the office %(office)s of the federation %(federation)s")) % {
            "office": office,
            "federation": federation,
        }
    found = TABLES[table].get(code)
    return code if found is None else str(found)
