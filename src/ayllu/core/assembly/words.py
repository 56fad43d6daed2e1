"""Words with their source: every text or choice a read shows carries the seqs of the acts that said it.

Reads build their answers from the replayed state, which on a node holds members-only (and confidential)
bodies. Who may read a word depends on the visibility of the act that *wrote* it, which is not always
the act that made the object it sits in: an objection's answer is written by `objection.answered`, a
point's ruling by `point_of_order.ruled`, a proposal's words by the amendment it accepted, a ballot's
choice by `vote.cast`. So the replayed state keeps the source seq next to each copied text, the reads
wrap every word in `Said(value, seqs)`, and one function, `shown_to`, turns a read into what one reader
may see: the value, or `withheld` when any of its seqs is hidden from that reader.

A `Said` cannot be printed or formatted (it raises): a read that forgot to pass through `shown_to`
fails loudly instead of leaking. A dict that carries a `"members_only"` key (or a `ReadModel` with such a
field) is an object whose words may be withheld: `shown_to` sets it to True when any word inside it (not
inside a nested such object) was.
"""

from dataclasses import Field, dataclass, fields, replace
from typing import Any, ClassVar, cast

MEMBERS_ONLY = "members_only"


class ReadModel:
    """A frozen dataclass a read answers with: `shown_to` walks its fields as it walks a dict's values and
    answers a copy; a field named `members_only` says whether a word inside was withheld."""

    __slots__ = ()
    # Every subclass is a dataclass: this lets `dataclasses.fields` take a `ReadModel` without a cast.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


def fields_of(read: ReadModel, kind: type[ReadModel] | None = None) -> dict[str, Any]:
    """`read`'s fields by name (only those of `kind`, a class it extends, when given), not deep: nested
    reads stay as they are. A read that extends another is built as `Wider(**fields_of(read), more=...)`."""
    return {f.name: getattr(read, f.name) for f in fields(kind or read)}


@dataclass(frozen=True, slots=True)
class Said:
    """A value (text, a ballot's choice, a tally) and the seqs of the acts it comes from."""

    value: Any
    seqs: tuple[int, ...]

    def __str__(self) -> str:
        raise TypeError("words read from the record must go through shown_to() before they are shown")

    def __format__(self, spec: str) -> str:
        raise TypeError("words read from the record must go through shown_to() before they are shown")


def said(value: Any, *seqs: int) -> Said:
    """`value` as said by the acts `seqs` (a seq of 0 is no act and hides nothing)."""
    return Said(value, tuple(s for s in seqs if s))


def shown_to(data: Any, hidden: frozenset[int], *, withheld: Any = None) -> Any:
    """`data` as a reader from whom the acts `hidden` are hidden may see it: every `Said` whose acts are
    all readable becomes its value, any other becomes `withheld`; objects (dicts with a "members_only"
    key) that lost a word say so. Returns new containers; `data` is not changed."""
    return _shown(data, hidden, withheld)[0]


def _shown(data: Any, hidden: frozenset[int], withheld: Any) -> tuple[Any, bool]:
    if isinstance(data, Said):
        if hidden and not hidden.isdisjoint(data.seqs):
            return withheld, True
        return _shown(data.value, hidden, withheld)
    if isinstance(data, ReadModel):
        values: dict[str, Any] = {}
        lost = False
        for field in fields(cast(Any, data)):
            values[field.name], lost_here = _shown(getattr(data, field.name), hidden, withheld)
            lost = lost or lost_here
        if MEMBERS_ONLY in values:
            values[MEMBERS_ONLY] = bool(values[MEMBERS_ONLY]) or lost
            lost = False
        return replace(cast(Any, data), **values), lost
    if isinstance(data, dict):
        out: dict[Any, Any] = {}
        lost = False
        for key, value in data.items():
            out[key], lost_here = _shown(value, hidden, withheld)
            lost = lost or lost_here
        if MEMBERS_ONLY in out:
            out[MEMBERS_ONLY] = bool(out[MEMBERS_ONLY]) or lost
            return out, False
        return out, lost
    if isinstance(data, list | tuple):
        items = [_shown(item, hidden, withheld) for item in data]
        shown = [item for item, _ in items]
        return (shown if isinstance(data, list) else tuple(shown)), any(lost for _, lost in items)
    return data, False
