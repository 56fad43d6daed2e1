"""The charter editor: the settings a member may change, read from a form into amended charter data.

A charter amendment carries the whole new charter (docs/charter.md). The editor shows every setting of
the charter in force as form fields, reads the fields back over a copy of it (settings it does not show,
such as the cargo rules, stay as they are), and lets the core validate the result. The changes are shown
as plain-language sentences before and after, from `render_charter`, so the member sees in words what
the amendment does before signing it.
"""

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ayllu.cargo_words import office_name
from ayllu.core.charter.rules import (
    BASES,
    BINARY_METHODS,
    CHOICE_METHODS,
    COMPARISONS,
    DRAW_PANELS_DEFAULT,
    MATTERS,
    OPTIONAL_MATTERS,
    SCALED_SHARES,
    parse_charter,
)
from ayllu.queries.assembly import CharterMessage
from ayllu.queries.assembly import charter_messages as messages_of

from . import founding_form

MINUTE_MS = 60_000
# Each time of deliberation is edited as days, hours and minutes, the way people say it.
TIME_PARTS = (("days", 24 * 60), ("hours", 60), ("minutes", 1))
ROUTES = {
    "tabling": (("any_member", "cosigned"), "cosigners"),
    "admission": (("decision", "sponsorship"), "sponsors"),
    "key_replacement": (("decision", "vouching"), "vouchers"),
}
COUNTS = (("rounds", "consent"), ("rounds", "consensus"), ("petition", "signatures"), ("speaking", "limit_s"))
DELIBERATION = ("async_ms", "meeting_ms", "voting_ms")
# Messages that name one setting among variants (charter.tabling.any_member / .cosigned, ...): a change
# of variant is a change of the same setting, not one removed and one added.
VARIANT_FAMILIES = (
    "charter.tabling.",
    "charter.admission.",
    "charter.key_replacement.",
    "charter.speaking.",
    "charter.cargos.consecutive.",
    "charter.cargos.nobody_eligible.",
)


class FieldError(ValueError):
    """A field of the editor that is not a whole number where one is needed."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _share(share: str) -> tuple[str, str]:
    num, _, den = share.partition("/")
    return num, den


def editor_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The editor's field values (name -> text) for the charter data `data`."""
    values: dict[str, str] = {}
    for name in ("quorum", "participation"):
        values[f"{name}.basis"] = data[name]["basis"]
        values[f"{name}.num"], values[f"{name}.den"] = _share(data[name]["share"])
    for matter in MATTERS:
        spec = data["methods"][matter]
        values[f"methods.{matter}.method"] = spec["method"]
        majority = spec if spec["method"] == "majority" else data["fallback"]
        values[f"methods.{matter}.num"], values[f"methods.{matter}.den"] = _share(majority["threshold"])
        values[f"methods.{matter}.base"] = majority["base"]
        values[f"methods.{matter}.comparison"] = majority["comparison"]
    for matter in OPTIONAL_MATTERS:
        # Empty: the charter does not name it, and it is decided as the matter it defaults to.
        spec = data["methods"].get(matter, {"method": ""})
        values[f"methods.{matter}.method"] = spec["method"]
        majority = spec if spec["method"] == "majority" else data["fallback"]
        values[f"methods.{matter}.num"], values[f"methods.{matter}.den"] = _share(majority["threshold"])
        values[f"methods.{matter}.base"] = majority["base"]
        values[f"methods.{matter}.comparison"] = majority["comparison"]
    values["fallback.num"], values["fallback.den"] = _share(data["fallback"]["threshold"])
    values["fallback.base"] = data["fallback"]["base"]
    values["fallback.comparison"] = data["fallback"]["comparison"]
    for group, key in COUNTS:
        values[f"{group}.{key}"] = str(data[group][key])
    values["consensus_blocks"] = str(data["consensus_blocks"])
    for key in DELIBERATION:
        left = data["deliberation"][key] // MINUTE_MS
        for part, minutes in TIME_PARTS:
            amount, left = divmod(left, minutes)
            values[f"deliberation.{key}.{part}"] = str(amount)
    for name, (_routes, count_key) in ROUTES.items():
        values[f"{name}.by"] = data[name]["by"]
        values[f"{name}.count"] = str(data[name].get(count_key, 1))
    values["sortition.panels"] = str(data.get("sortition", {}).get("panels", DRAW_PANELS_DEFAULT))
    if "federation" in data:  # a federation's own rules: only its charter has them
        values |= federation_values(data["federation"])
    return values


def _int(values: Mapping[str, str], name: str) -> int:
    text = values.get(name, "").strip()
    if not text.isdigit() or len(text) > 13:
        raise FieldError(name)
    return int(text)


def _share_of(values: Mapping[str, str], name: str) -> str:
    return f"{_int(values, f'{name}.num')}/{_int(values, f'{name}.den')}"


def _majority(values: Mapping[str, str], name: str) -> dict[str, str]:
    return {
        "method": "majority",
        "threshold": _share_of(values, name),
        "base": values.get(f"{name}.base", ""),
        "comparison": values.get(f"{name}.comparison", ""),
    }


def amended_charter(current: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The charter `current` with the editor's `values` over it (raise FieldError for a bad number).

    The result is not validated here: `parse_charter` does that, as replay will (a federation's rules
    are read first, and FederationProblems says what to fix in them).
    """
    data: dict[str, Any] = copy.deepcopy(dict(current))
    for name in ("quorum", "participation"):
        data[name] = {"basis": values.get(f"{name}.basis", ""), "share": _share_of(values, name)}
    for matter in MATTERS:
        method = values.get(f"methods.{matter}.method", "")
        name = f"methods.{matter}"
        data["methods"][matter] = _majority(values, name) if method == "majority" else {"method": method}
    for matter in OPTIONAL_MATTERS:
        name = f"methods.{matter}"
        if f"{name}.method" not in values:
            continue  # a form of before, that did not show it: left as the charter says
        optional = values[f"{name}.method"]
        if not optional:  # decided as the matter it defaults to: the charter does not name it
            data["methods"].pop(matter, None)
            continue
        data["methods"][matter] = _majority(values, name) if optional == "majority" else {"method": optional}
    data["fallback"] = _majority(values, "fallback")
    for group, key in COUNTS:
        data[group] = {**data[group], key: _int(values, f"{group}.{key}")}
    data["consensus_blocks"] = _int(values, "consensus_blocks")
    deliberation = dict(data["deliberation"])
    for key in DELIBERATION:
        minutes = sum(_int(values, f"deliberation.{key}.{part}") * size for part, size in TIME_PARTS)
        # A time the founders set to the millisecond stays exact unless its minutes were changed.
        if minutes != deliberation[key] // MINUTE_MS:
            deliberation[key] = minutes * MINUTE_MS
    data["deliberation"] = deliberation
    for name, (routes, count_key) in ROUTES.items():
        by = values.get(f"{name}.by", "")
        data[name] = {"by": by, count_key: _int(values, f"{name}.count")} if by == routes[1] else {"by": by}
    if "sortition.panels" in values:
        panels = _int(values, "sortition.panels")
        # Left unstated while it is the default, so an amendment of something else changes nothing here.
        if "sortition" in data or panels != DRAW_PANELS_DEFAULT:
            data["sortition"] = {"panels": panels}
    # A charter from before counts scaled gets them with its first amendment made here, so the numbers
    # it writes become ceilings a small assembly can always reach (decision 0008); the diff shows it.
    data.setdefault("scaled", dict(SCALED_SHARES))
    if "federation" in data and "federation.delegates" in values:
        data["federation"] = amended_federation(data["federation"], values)
    return data


def choices() -> dict[str, tuple[Any, ...]]:
    """The fixed choices the editor's selects offer."""
    return {
        "bases": BASES,
        "comparisons": COMPARISONS,
        "binary_methods": BINARY_METHODS,
        "choice_methods": CHOICE_METHODS,
        "matters": MATTERS,
        # (matter, the matter it is decided as when the charter does not name it)
        "optional_matters": tuple(OPTIONAL_MATTERS.items()),
    }


def _setting(message: CharterMessage) -> str:
    """Which setting a plain-language message describes (the same across a change of its variant)."""
    matter = message.params.get("matter")
    if matter:
        return f"method:{matter}"
    for family in VARIANT_FAMILIES:
        if message.id.startswith(family):
            return family
    return message.id


@dataclass(frozen=True, slots=True)
class CharterChange:
    """One setting an amendment changes: its sentence before and after (None where it did not exist)."""

    before: CharterMessage | None
    after: CharterMessage | None


def charter_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[CharterChange]:
    """What an amendment changes, setting by setting: the sentence before and after (None where the
    setting did not exist), in the charter's reading order. Both charters must be valid."""
    old = {_setting(m): m for m in charter_messages(before)}
    changes = []
    seen = set()
    for message in charter_messages(after):
        key = _setting(message)
        seen.add(key)
        previous = old.get(key)
        if previous != message:
            changes.append(CharterChange(before=previous, after=message))
    changes += [CharterChange(before=m, after=None) for key, m in old.items() if key not in seen]
    return changes


def charter_messages(data: Mapping[str, Any]) -> tuple[CharterMessage, ...]:
    """The plain-language messages of valid charter data, in reading order."""
    return messages_of(parse_charter(dict(data)))


def matter_rule(data: Mapping[str, Any], matter: str, *, tabling: bool = True) -> list[CharterMessage]:
    """The sentences of the charter that govern deciding `matter` (and tabling it, unless told not to)."""
    # A route's count may shrink while the assembly is small: its sentence says so, beside the count.
    routes = {
        "admission": ("charter.admission.", "charter.scaled.sponsors"),
        "key_replacement": ("charter.key_replacement.", "charter.scaled.vouchers"),
    }
    families = ("charter.tabling." if tabling else "-", *routes.get(matter, ("-",)))
    return [
        m for m in charter_messages(data) if m.params.get("matter") == matter or m.id.startswith(families)
    ]


# --- a federation's own rules (docs/federation-bodies.md): only in a federation's charter editor ---------

# The rows of offices the editor shows beyond the charter's own: a new office is written in an empty one.
NEW_OFFICE_ROWS = 2
# The quorum shares a plenary's rules offer ("0": no quorum), besides the one the charter names.
QUORUM_SHARES = ("0", "1/3", "1/2", "2/3", "3/4")
# Each optional key's value when the charter does not name it: left unnamed while it stays so.
FEDERATION_DEFAULTS: dict[str, Any] = {
    "offices": [],
    "offices_per_assembly": 1,
    "petition_assemblies": 0,
    "recall_grace_hours": 48,
    "ratification": {"rule": "assemblies", "share": "1/2"},
    "petition_days": 0,
    "recall_vote_days": 0,
}
PLENARY_DEFAULTS = {
    "quorum": "0",
    "second_quorum": "0",
    "wait_minutes": 60,
    "postpone_days": 30,
    "min_notice_days": 0,
    "max_notice_days": 0,
}
# (key, least, most) of the whole numbers the editor asks; 0 where allowed means "not set".
FEDERATION_COUNTS = (
    ("offices_per_assembly", 1, 12),
    ("petition_assemblies", 0, 100_000),
    ("petition_days", 0, 3650),
    ("recall_vote_days", 0, 3650),
)
PLENARY_COUNTS = (
    ("wait_minutes", 0, 24 * 60),
    ("postpone_days", 1, 365),
    ("min_notice_days", 0, 365),
    ("max_notice_days", 0, 365),
)
MOST_TERM_DAYS = 3650
MOST_BURDEN = 1000
_OFFICE_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


class FederationProblems(ValueError):
    """What to fix in a federation's rules before the charter is even built (translated sentences)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def federation_values(block: Mapping[str, Any]) -> dict[str, str]:
    """The editor's fields (name -> text, each prefixed "federation.") for a federation's block."""
    ratification = block.get("ratification", FEDERATION_DEFAULTS["ratification"])
    values = {
        "delegates": str(block["delegates_per_assembly"]),
        "joining": str(block["joining"]),
        "grace": str(block.get("recall_grace_hours", 48)),
        "rule": str(ratification["rule"]),
        "share": str(ratification["share"]),
        "cap": str(ratification.get("cap", founding_form.DEFAULTS["cap"])),
        "households_share": str(
            ratification.get("households_share", founding_form.DEFAULTS["households_share"])
        ),
        "blocking": str(ratification.get("blocking", founding_form.DEFAULTS["blocking"])),
    }
    for key, _least, _most in FEDERATION_COUNTS:
        values[key] = str(block.get(key, FEDERATION_DEFAULTS[key]))
    plenary = {**PLENARY_DEFAULTS, **block.get("plenary", {})}
    for key in PLENARY_DEFAULTS:
        values[f"plenary.{key}"] = str(plenary[key])
    offices = list(block.get("offices", []))
    for row in range(len(offices) + NEW_OFFICE_ROWS):
        office = offices[row] if row < len(offices) else {"office": "", "term_days": "", "burden": ""}
        for key in ("office", "term_days", "burden"):
            values[f"offices.{row}.{key}"] = str(office[key])
    return {f"federation.{name}": value for name, value in values.items()}


def office_rows(values: Mapping[str, str]) -> list[dict[str, Any]]:
    """The editor's rows of offices, each with its fields' names and values, in order."""
    rows: list[dict[str, Any]] = []
    row = 0
    while f"federation.offices.{row}.office" in values:
        names = {key: f"federation.offices.{row}.{key}" for key in ("office", "term_days", "burden")}
        rows.append({"number": str(row + 1), "names": names, **{k: values[n] for k, n in names.items()}})
        row += 1
    return rows


def _count(
    values: Mapping[str, str], key: str, least: int, most: int, problems: list[str], label: str
) -> int:
    number = founding_form.whole(values.get(key, ""), least, most)
    if number is None:
        problems.append(
            _("%(setting)s: a whole number from %(least)s to %(most)s.")
            % {"setting": label, "least": least, "most": most}
        )
        return least
    return number


def amended_federation(block: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The federation block `block` with the editor's `values` over it (raise FederationProblems).

    Keys the charter does not name stay unnamed while their value is the default, so an amendment of
    something else changes nothing here; the core's own checks (parse_charter) still judge the result.
    """
    fields = {
        k.removeprefix("federation."): v.strip()[:64]
        for k, v in values.items()
        if k.startswith("federation.")
    }
    problems: list[str] = []
    ratification = block.get("ratification", FEDERATION_DEFAULTS["ratification"])
    shares = tuple(
        dict.fromkeys(
            (*founding_form.SHARES, ratification["share"], ratification.get("households_share", "1/2"))
        )
    )
    rules = dict(founding_form.DEFAULTS) | {k: fields[k] for k in founding_form.DEFAULTS if k in fields}
    founding = founding_form.rules_block(rules, problems, shares=shares)
    labels = federation_labels()
    amended: dict[str, Any] = {
        k: v for k, v in block.items() if k not in FEDERATION_DEFAULTS and k != "plenary"
    }
    if founding is not None:
        amended |= founding
    for key, least, most in FEDERATION_COUNTS:
        amended[key] = _count(fields, key, least, most, problems, labels[key])
    amended["offices"] = _offices(block, fields, problems)
    plenary = _plenary(block.get("plenary", {}), fields, problems)
    if problems:
        raise FederationProblems(problems)
    for key, default in FEDERATION_DEFAULTS.items():
        zero = key in ("petition_assemblies", "petition_days", "recall_vote_days") and amended.get(key) == 0
        if zero or (key not in block and amended.get(key) == default):
            amended.pop(key, None)
    if plenary or "plenary" in block:
        amended["plenary"] = plenary
    return amended


def _offices(
    block: Mapping[str, Any], fields: Mapping[str, str], problems: list[str]
) -> list[dict[str, Any]]:
    """The offices the rows name (a row with no name is none: emptying a name removes that office)."""
    before = {o["office"]: o for o in block.get("offices", [])}
    offices: list[dict[str, Any]] = []
    for row in office_rows({f"federation.{k}": v for k, v in fields.items()}):
        name = row["office"].lower()
        if not name:
            continue
        if not _OFFICE_NAME.fullmatch(name) or any(o["office"] == name for o in offices):
            problems.append(
                _(
                    "Office %(n)s: a short name in small letters without spaces or accents (letters, digits "
                    "and _), starting with a letter, and not used by another office."
                )
                % {"n": row["number"]}
            )
            continue
        number = {"n": row["number"]}
        days_label = _("Office %(n)s, days of each turn") % number
        burden_label = _("Office %(n)s, burden") % number
        office = {
            "office": name,
            "term_days": _count(row, "term_days", 1, MOST_TERM_DAYS, problems, days_label),
            "burden": _count(row, "burden", 1, MOST_BURDEN, problems, burden_label),
        }
        if before.get(name, {}).get("represents"):
            office["represents"] = before[name]["represents"]
        offices.append(office)
    return offices


def _plenary(before: Mapping[str, Any], fields: Mapping[str, str], problems: list[str]) -> dict[str, Any]:
    """The plenary's rules, each named where the charter named it or it is not the default."""
    labels = federation_labels()
    plenary: dict[str, Any] = {}
    for key in ("quorum", "second_quorum"):
        share = fields.get(f"plenary.{key}", "0")
        if share not in QUORUM_SHARES and share != before.get(key):
            problems.append(_("%(setting)s: choose one of the shares offered.") % {"setting": labels[key]})
        elif share != "0" or key in before:
            plenary[key] = share
    for key, least, most in PLENARY_COUNTS:
        number = _count(fields, f"plenary.{key}", least, most, problems, labels[key])
        if key in before or number != PLENARY_DEFAULTS[key]:
            plenary[key] = number
    return plenary


def quorum_choices(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """The shares a plenary's quorum selects offer, in words, with any other the charter names."""
    words = founding_form.share_words() | {"0": _("no quorum"), "1/3": _("at least a third")}
    named = [values.get(f"federation.plenary.{k}", "0") for k in ("quorum", "second_quorum")]
    return [(share, words.get(share, share)) for share in dict.fromkeys((*QUORUM_SHARES, *named))]


def federation_labels() -> dict[str, str]:
    """Words for each federation setting the editor asks (the labels its errors name)."""
    return {
        "offices_per_assembly": _("Offices one assembly may hold at once"),
        "petition_assemblies": _("Assemblies whose decisions make a petition (0: more than half)"),
        "petition_days": _("Days an assembly's backing of a petition counts (0: it does not lapse)"),
        "recall_vote_days": _("Days of the recall vote after a suspension by petition (0: no vote)"),
        "quorum": _("Quorum of a plenary"),
        "second_quorum": _("Quorum of a postponed plenary (second call)"),
        "wait_minutes": _("Minutes to wait for the quorum"),
        "postpone_days": _("Days a plenary without quorum is postponed"),
        "min_notice_days": _("Least days' notice of a plenary convened by petition"),
        "max_notice_days": _("Most days' notice of a plenary convened by petition (0: no limit)"),
    }


def federation_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, str]]:
    """The federation settings an amendment changes: its words, the value before and after."""
    old, new = _federation_words(before), _federation_words(after)
    return [
        {"setting": setting, "before": old.get(setting, ""), "after": value}
        for setting, value in new.items()
        if old.get(setting) != value
    ] + [{"setting": s, "before": v, "after": ""} for s, v in old.items() if s not in new]


def _federation_words(block: Mapping[str, Any]) -> dict[str, str]:
    """Each federation setting's words and its value in words, defaults included."""
    shares = dict(quorum_choices({}))
    ratification = block.get("ratification", FEDERATION_DEFAULTS["ratification"])
    rules = {
        "assemblies": _("One assembly, one vote"),
        "households_capped": _("By households, up to a limit each"),
        "double_majority": _("Double majority"),
    }
    rule = rules.get(ratification["rule"], ratification["rule"])
    if "cap" in ratification:
        rule += " · " + _("at most %(n)s households each") % {"n": ratification["cap"]}
    if "blocking" in ratification:
        rule += " · " + _("%(share)s of the households; %(n)s assemblies refusing block it") % {
            "share": shares.get(ratification["households_share"], ratification["households_share"]),
            "n": ratification["blocking"],
        }
    words = {
        _("Delegates per assembly"): str(block["delegates_per_assembly"]),
        _("Joining"): pgettext("joining", "Open")
        if block["joining"] == "open"
        else pgettext("joining", "Closed"),
        _("Hours a vote waits after its deadline"): str(block.get("recall_grace_hours", 48)),
        _("How answers are counted"): rule,
        _("Share of the assemblies (or of the households) that must ratify, at least"): shares.get(
            ratification["share"], ratification["share"]
        ),
    }
    labels = federation_labels()
    for key, _least, _most in FEDERATION_COUNTS:
        words[labels[key]] = str(block.get(key, FEDERATION_DEFAULTS[key]))
    plenary = {**PLENARY_DEFAULTS, **block.get("plenary", {})}
    for key, value in plenary.items():
        words[labels[key]] = shares.get(str(value), str(value))
    for office in block.get("offices", []):
        words[_("Office “%(office)s”") % {"office": office_name(office["office"])}] = _(
            "%(days)s days each turn, burden %(burden)s"
        ) % {"days": office["term_days"], "burden": office["burden"]}
    return words
