"""Households' names in the cargo reads, as a reader may read them (docs/access-policy.md).

The words of the cargo reads (a mandate's question and position, a delegate's request, session, vote
and report, a recall's or an exemption's reason, a draw's purpose, quotas and attributes) are wrapped
in `core.words.Said` by the reads themselves and shown through `core.words.shown_to`. A household's
name follows another rule: it may be read when *any* of its members had it written in a body the
reader may read, so it is hidden here, by name: pages and the API pass the households the reader may
not read (`secret_households`) to `hide_households`, which returns a copy with each of them replaced by
`withheld` (None for the API, the translated "(members only)" mark for pages).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ayllu.core.assembly.words import ReadModel

if TYPE_CHECKING:
    from .cargos import HouseholdRead

T = TypeVar("T")


# Households: a household's name is the words of the act that first wrote it (an application, a
# founding). A reader who may not read that act for any of its members may not read the name either:
# the cargo reads name households everywhere (holdings, turn order, standings, roster, swaps,
# exemptions, concentration per household), so the name is replaced wherever it appears.
HOUSEHOLD_KEYS = frozenset({"household", "stands_for", "other"})


def secret_households(households: Iterable["HouseholdRead"], hidden_members: Iterable[str]) -> frozenset[str]:
    """The households whose name the reader may not read: each of its members had it written in an act
    hidden from the reader (`hidden_members`, member ids)."""
    hidden = frozenset(hidden_members)
    return frozenset(h.household for h in households if (found := set(h.members)) and found <= hidden)


def hide_households(data: T, secret: frozenset[str], *, withheld: Any = None) -> T:
    """`data` (a cargo read) with every secret household name replaced by `withheld`: under the keys
    "household", "stands_for" and "other", and as the `id` of a concentration share per household."""
    return data if not secret else cast(T, _hide_households(data, secret, withheld))


def name_households(data: T, names: Mapping[str, str]) -> T:
    """`data` (a cargo read, after `hide_households`) with every household id that has a name in `names`
    replaced by that name, for people to read (format 2: the rules compare ids, people read names)."""
    return data if not names else cast(T, _replace_households(data, lambda h: names.get(h, h)))


def _hide_households(data: Any, secret: frozenset[str], withheld: Any) -> Any:
    return _replace_households(data, lambda h: withheld if h in secret else h)


def _replace_households(data: Any, replace: Any) -> Any:
    if isinstance(data, list):
        return [_replace_households(item, replace) for item in data]
    if isinstance(data, tuple):
        return tuple(_replace_households(item, replace) for item in data)
    if isinstance(data, ReadModel):
        found = cast(Any, data)
        values = {f.name: getattr(found, f.name) for f in fields(found)}
        return dataclasses.replace(found, **_replace_households(values, replace))
    if not isinstance(data, dict):
        return data
    shown = {}
    for key, value in data.items():
        if key in HOUSEHOLD_KEYS and isinstance(value, str):
            shown[key] = replace(value)
        else:
            shown[key] = _replace_households(value, replace)
    if data.get("unit") == "household" and isinstance(data.get("shares"), list | tuple):
        shares = shown["shares"]
        shown["shares"] = type(shares)(_share_named(s, replace) for s in shares)
    return shown


def _share_named(share: Any, replace: Any) -> Any:
    """A concentration share per household with its household (`id`) replaced."""
    if isinstance(share, ReadModel):
        found = cast(Any, share)
        return dataclasses.replace(found, id=replace(found.id)) if isinstance(found.id, str) else share
    return {**share, "id": replace(share["id"])} if isinstance(share.get("id"), str) else share
