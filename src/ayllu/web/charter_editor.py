"""The charter editor: the settings a member may change, read from a form into amended charter data.

A charter amendment carries the whole new charter (docs/charter.md). The editor shows every setting of
the charter in force as form fields, reads the fields back over a copy of it (settings it does not show,
such as the cargo rules, stay as they are), and lets the core validate the result. The changes are shown
as plain-language sentences before and after, from `render_charter`, so the member sees in words what
the amendment does before signing it.
"""

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    for name, (_, count_key) in ROUTES.items():
        values[f"{name}.by"] = data[name]["by"]
        values[f"{name}.count"] = str(data[name].get(count_key, 1))
    values["sortition.panels"] = str(data.get("sortition", {}).get("panels", DRAW_PANELS_DEFAULT))
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

    The result is not validated here: `parse_charter` does that, as replay will.
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
