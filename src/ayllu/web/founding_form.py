"""The found page's federation part: the charter's `federation` block and each founder's assembly.

A federation's founders are named by their assemblies' log ids (docs/federation-bodies.md, "Founding").
On the page each founder's row offers the assemblies this node holds, by name, and a field to paste the
record id of an assembly held elsewhere. `read_federation` turns the posted form into the block and the
founders' log ids, or into the sentences saying what to fix: nothing is opened before it says nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex

# How many founder rows the page shows at first, and at most (a draft has at most 20 founders).
FIRST_ROWS = 2
MOST_ROWS = 20
MOST_GRACE_HOURS = 720
MOST_WEIGHT = 100_000
SHARES = ("1/2", "2/3", "3/4", "1/1")
RULES = ("assemblies", "households_capped", "double_majority")
DEFAULTS = {
    "delegates": "2",
    "joining": "closed",
    "grace": "48",
    "rule": "assemblies",
    "share": "1/2",
    "cap": "100",
    "households_share": "1/2",
    "blocking": "2",
}


@dataclass
class FederationForm:
    """What the page shows again: the values given, one (held, pasted) pair per founder row, and the
    sentences saying what to fix (empty when the block and the founders may open a draft)."""

    values: dict[str, str]
    rows: list[tuple[str, str]]
    problems: list[str] = field(default_factory=list)
    block: dict[str, Any] = field(default_factory=dict)
    assemblies: list[str] = field(default_factory=list)


def empty_form() -> FederationForm:
    return FederationForm(values=dict(DEFAULTS), rows=[("", "")] * FIRST_ROWS)


def share_words() -> dict[str, str]:
    """Each share the page offers, in words."""
    return {
        "1/2": _("at least half"),
        "2/3": _("at least two thirds"),
        "3/4": _("at least three quarters"),
        "1/1": _("all of them"),
    }


def whole(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 7:
        return None
    number = int(text)
    return number if low <= number <= high else None


def read_federation(post: QueryDict, held: Mapping[str, str], *, add_row: bool = False) -> FederationForm:
    """The federation part of the posted found form; `held` maps the node's records' log ids to names."""
    values = {name: post.get(name, default).strip()[:32] for name, default in DEFAULTS.items()}
    pairs = list(zip(post.getlist("held"), post.getlist("pasted"), strict=False))[:MOST_ROWS]
    rows = [(h.strip()[:64], p.strip()[:200]) for h, p in pairs] or [("", "")] * FIRST_ROWS
    if add_row and len(rows) < MOST_ROWS:
        rows.append(("", ""))
    form = FederationForm(values=values, rows=rows)
    problems = form.problems
    for number, (chosen, pasted) in enumerate(rows, start=1):
        pasted_id = pasted.lower()
        if chosen and chosen not in held:
            problems.append(
                _("Founder %(n)s: that assembly is not on this node. Choose it again from the list.")
                % {"n": number}
            )
        elif chosen and pasted and pasted_id != chosen:
            problems.append(
                _("Founder %(n)s: choose the assembly from the list or paste its record id, not both.")
                % {"n": number}
            )
        elif pasted and not is_hex(pasted_id, HEX_KEY_LENGTH):
            problems.append(
                _(
                    "Founder %(n)s: a record id has 64 characters, digits and the letters a to f. Copy it "
                    "from the address of the assembly's page, after “assembly/”."
                )
                % {"n": number}
            )
        elif chosen or pasted:
            form.assemblies.append(chosen or pasted_id)
    if not form.assemblies and not problems:
        problems.append(_("Name the assembly of each founder, yours first."))
    block = rules_block(values, problems)
    if not problems and block is not None:
        form.block = block
    return form


def rules_block(
    values: dict[str, str], problems: list[str], *, shares: tuple[str, ...] = SHARES
) -> dict[str, Any] | None:
    """The block's founding keys (delegates, joining, recall grace, ratification) from the form's
    `values` by unprefixed name, or None with the sentences saying what to fix added to `problems`.
    A federation's charter editor reads them the same way (charter_editor.py), with the shares its
    charter already names among `shares`."""
    found = len(problems)
    delegates = whole(values["delegates"], 1, 50)
    if delegates is None:
        problems.append(_("Delegates per assembly: a whole number from 1 to 50."))
    if values["joining"] not in ("open", "closed"):
        values["joining"] = DEFAULTS["joining"]
    grace = whole(values["grace"], 0, MOST_GRACE_HOURS)
    if grace is None:
        problems.append(
            _("Hours to cite recalls: a whole number from 0 to %(most)s.") % {"most": MOST_GRACE_HOURS}
        )
    ratification = _ratification(values, problems, shares)
    if len(problems) > found or delegates is None or grace is None:
        return None
    return {
        "delegates_per_assembly": delegates,
        "joining": values["joining"],
        "recall_grace_hours": grace,
        "ratification": ratification,
    }


def _ratification(values: dict[str, str], problems: list[str], shares: tuple[str, ...]) -> dict[str, Any]:
    rule = values["rule"] if values["rule"] in RULES else DEFAULTS["rule"]
    values["rule"] = rule
    for name in ("share", "households_share"):
        if values[name] not in shares:
            values[name] = DEFAULTS[name]
    ratification: dict[str, Any] = {"rule": rule, "share": values["share"]}
    if rule == "households_capped":
        cap = whole(values["cap"], 1, MOST_WEIGHT)
        if cap is None:
            problems.append(_("Most households one assembly counts: a whole number from 1 to 100000."))
        ratification["cap"] = cap
    elif rule == "double_majority":
        blocking = whole(values["blocking"], 1, MOST_WEIGHT)
        if blocking is None:
            problems.append(_("Assemblies that can block: a whole number from 1 to 100000."))
        ratification |= {"households_share": values["households_share"], "blocking": blocking}
    return ratification
