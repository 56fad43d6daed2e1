"""Act kinds: one frozen class per kind of act, the single definition every layer derives from.

A class carries the act's record type, who may sign it, its fields (with the kind of value each holds,
whether it is prose or data the rules read, and a line of help), how a body is parsed into it and how
it is written back as canonical content. The catalogue, the API's schemas, the CLI's options, the list of
acts a non-member may sign and what the browser's forms need are all derived from these classes; a
rule (`events.rule`) decides what an act does.

Define one with `@act_kind` over a class deriving from `Act`:

    @act_kind
    class VoteCast(Act):
        type = "vote.cast"
        name = "vote"
        summary = "Vote on a question"

        question: int = act_field(INT_ID, help="the question's id")
        choice: Any = act_field(CHOICE)
        reason: str | None = act_field(TEXT, default=None)
"""

import builtins
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar, dataclass_transform

from ayllu.core.assembly.bodies import MAX_ID, MAX_TEXT, MAX_TITLE
from ayllu.core.assembly.rule_errors import TextTooLong
from ayllu.core.errors import CitationError, MalformedBody
from ayllu.core.ledger.canonical import is_count
from ayllu.core.ledger.citations import Citation, parse_citation
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.ledger.record import RULE_VIS, WORDS, Body, make_body, with_words, words_commitment


class Kind(StrEnum):
    """The kinds of value a field may hold; the API and the CLI type fields from these."""

    INT_ID = "id"  # the seq of the entry that created an object (>= 1)
    TIME = "time"  # milliseconds since the epoch
    TITLE = "title"  # a short text (MAX_TITLE characters)
    TEXT = "text"  # a long text (MAX_TEXT characters)
    NAME = "name"  # a household id or a short word (MAX_ID characters)
    KEY = "key"  # a hex public key (a member id)
    CHOICE = "choice"  # a ballot: a word, or a list of options
    OPTIONS = "options"  # a list of short texts
    OBJECT = "object"  # a JSON object (a proposal's effect)
    NUMBER = "number"  # a whole number (a burden, a count of days or seats)
    HEX = "hex"  # 32 bytes written as 64 hex digits (a commitment, a secret, a hash)
    LIST = "list"  # a JSON list (a draw's quotas, lottery, beacon chain)


INT_ID, TIME, TITLE, TEXT, NAME, KEY = Kind.INT_ID, Kind.TIME, Kind.TITLE, Kind.TEXT, Kind.NAME, Kind.KEY
CHOICE, OPTIONS, OBJECT, NUMBER, HEX, LIST = (
    Kind.CHOICE,
    Kind.OPTIONS,
    Kind.OBJECT,
    Kind.NUMBER,
    Kind.HEX,
    Kind.LIST,
)
# Prose: what people wrote, as opposed to the data the rules read.
PROSE_KINDS = frozenset({TITLE, TEXT})
# The most citations one act may carry (each is a header, a checkpoint and an audit path: about 2 KB).
MAX_CITATIONS = 16
_LIMITS = {TITLE: MAX_TITLE, TEXT: MAX_TEXT, NAME: MAX_ID}


class Signer(StrEnum):
    """Who signs an act: a member with their current key, or a key that is not (yet) a member's.

    A founder signs the founding before the record has any member; the rule checks the key is one of
    the founders the body names.
    """

    MEMBER = "member"
    NON_MEMBER = "non_member"
    FOUNDER = "founder"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of an act's body as every layer sees it."""

    name: str
    kind: Kind
    required: bool
    help: str
    prose: bool
    low: int
    limit: int
    empty: bool
    # Optional to whoever fills the act in, but always written in its body (a body without it is
    # malformed): a field with a `default_factory`.
    written: bool = False
    # The attribute holding the field on the act, when it is not `name` (a body field named like one
    # of the class's own attributes, such as the founding's `name`).
    attr: str = ""

    @property
    def attribute(self) -> str:
        """The act's attribute that holds this field."""
        return self.attr or self.name


_SPEC = "ayllu_field"


def act_field(
    kind: Kind,
    *,
    help: str = "",
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
    low: int | None = None,
    limit: int | None = None,
    empty: bool = False,
    prose: bool | None = None,
    key: str | None = None,
) -> Any:
    """A field of an act; `default=None` makes it optional (left out of the body when unset).

    `default_factory` makes it optional to whoever fills the act in, yet always written in the body.

    `low` is the least whole number an id, time or number may be (ids: 1, others: 0); `limit` the most
    characters a text may have; `empty` lets a text be blank; `prose` marks words people wrote (titles
    and texts are prose unless told otherwise); `key` names the field in the body when the attribute
    cannot (`name`, `type` and `summary` are the class's own).
    """
    meta = {
        "key": key,
        "kind": kind,
        "help": help,
        "low": low if low is not None else (1 if kind is INT_ID else 0),
        "limit": limit if limit is not None else _LIMITS.get(kind, 0),
        "empty": empty,
        "prose": prose if prose is not None else kind in PROSE_KINDS,
    }
    return dataclasses.field(default=default, default_factory=default_factory, metadata={_SPEC: meta})


# The citations of the act read last: `parse` checks them (three signatures each) and the act's rule
# reads them again right after, on the same act; kept once, not checked twice. One slot: an act is
# immutable, so its citations are what they were.
_LAST_CITATIONS: "tuple[Act, tuple[Citation, ...]] | None" = None


def _remember_citations(act: "Act", citations: "tuple[Citation, ...]") -> None:
    global _LAST_CITATIONS
    _LAST_CITATIONS = (act, citations)


class Act:
    """Base of every act kind. Subclasses are frozen dataclasses made with `@act_kind`."""

    __slots__ = ()

    type: ClassVar[str]
    name: ClassVar[str]  # the act's name for people and tools (the CLI's verb, the API's `kind`)
    summary: ClassVar[str]
    signer: ClassVar[Signer] = Signer.MEMBER
    # A suspended member may still do this act (leaving).
    while_suspended: ClassVar[bool] = False
    # False for acts whose rules read nothing of the body, so a replica that may not read the body
    # still replays them.
    rules_read_body: ClassVar[bool] = True
    # Other ways into the same act for people and tools (one record type, several forms).
    forms: ClassVar[tuple["ActForm", ...]] = ()
    # False for an act written only by its own route, never as a plain act on a record (the founding,
    # which names the record): the catalogue, and so the API's act routes and `ayllu act`, leave it out.
    catalogued: ClassVar[bool] = True
    # True for an act a non-member signs that waits outside the record, on the node that received it,
    # until a member's act takes it in (docs/decisions/0011-strangers-wait-outside.md).
    waits_outside: ClassVar[bool] = False
    # The field of a member's act naming the key of a stranger whose waiting act it takes in.
    takes_in: ClassVar[str] = ""
    # The LIST field holding citations of other records' entries (docs/record-format.md 14). Reading
    # the act checks each by its proof, the same on every replica; what a replica holds of the cited
    # records is checked by the node that appends or follows the record (actions/citations.py).
    cites_in: ClassVar[str] = ""
    # True for an act another record's act cites (a federation's seat cites the home's credential): the
    # node sealing the record signs a checkpoint covering it as it appends it (actions/record/append.py),
    # so the citing form can be offered at once, and no page signs one when it is read.
    cited_elsewhere: ClassVar[bool] = False

    @classmethod
    def fields(cls) -> tuple[FieldSpec, ...]:
        """The act's fields in declaration order."""
        return _fields_of(cls)

    @classmethod
    def parse(cls: "builtins.type[A]", content: Mapping[str, Any], *, seq: int = 0) -> "A":
        """The act a body's content states; raise `MalformedBody` naming the first field that is wrong.

        A field that is always written (one with a default factory, like a proposal's `effect`) must be
        in the body even though the class can make it when an act is built from a form's values.
        """
        specs = _fields_of(cls)
        extra = content.keys() - _names_of(cls)
        if extra:
            raise MalformedBody(seq=seq, field="fields", extra=sorted(extra))
        values: dict[str, Any] = {}
        for spec in specs:
            if spec.name in content:
                values[spec.attribute] = read_value(spec, content[spec.name], seq=seq)
            elif spec.required or spec.written:
                raise MalformedBody(seq=seq, field=spec.name)
        act = cls(**values)
        act.citations(seq=seq)
        act.check(seq=seq)
        return act

    def citations(self, *, seq: int = 0) -> tuple[Citation, ...]:
        """The act's citations, each read and checked by its proof (steps 1 to 4 of record-format.md 14.2);
        raise MalformedBody for a field that is not a list of at most MAX_CITATIONS, or the citation code."""
        if not self.cites_in:
            return ()
        last = _LAST_CITATIONS
        if last is not None and last[0] is self:
            return last[1]
        value = getattr(self, self.cites_in)
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_CITATIONS:
            raise MalformedBody(seq=seq, field=self.cites_in)
        found = []
        for index, item in enumerate(value):
            try:
                found.append(parse_citation(item))
            except CitationError as exc:
                raise type(exc)(**{**exc.detail, "seq": seq, "citation": index}) from None
        _remember_citations(self, tuple(found))
        return tuple(found)

    def check(self, *, seq: int) -> None:
        """Checks across fields that parsing field by field cannot make (override where needed)."""

    def keys_taken_in(self) -> tuple[str, ...]:
        """The keys of strangers whose waiting acts enter the record just before this act."""
        value = getattr(self, self.takes_in, None) if self.takes_in else None
        return (value,) if isinstance(value, str) else ()

    def content(self) -> dict[str, Any]:
        """The body's content: every set field, unset optional fields left out, tuples as lists."""
        out: dict[str, Any] = {}
        for spec in self.fields():
            value = getattr(self, spec.attribute)
            if value is not None:
                out[spec.name] = _to_json(value)
        return out


A = TypeVar("A", bound=Act)


@dataclass(frozen=True, slots=True)
class ActForm:
    """Another way into an act kind: its own name and fields, and a function from them to the act."""

    name: str
    summary: str
    fields: tuple[FieldSpec, ...]
    build: Callable[..., Act]


def form_field(name: str, kind: Kind, *, required: bool = True, help: str = "") -> FieldSpec:
    """A field of an `ActForm` (a form's fields need not be the act's)."""
    return FieldSpec(
        name=name,
        kind=kind,
        required=required,
        help=help,
        prose=kind in PROSE_KINDS,
        low=1 if kind is INT_ID else 0,
        limit=_LIMITS.get(kind, 0),
        empty=False,
    )


# Every act kind, by record type, in the order the subjects define them.
ACT_KINDS: dict[str, type[Act]] = {}


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(act_field,))
def act_kind(cls: type[A]) -> type[A]:
    """Make `cls` a frozen act class and register it under its record type."""
    made = dataclass(frozen=True, slots=True, kw_only=True)(cls)
    for attribute in ("type", "name", "summary"):
        if not isinstance(getattr(made, attribute, None), str):
            raise TypeError(f"{cls.__name__} must set {attribute}")
    if made.type in ACT_KINDS:
        raise TypeError(f"two act kinds for {made.type}: {ACT_KINDS[made.type].__name__}, {cls.__name__}")
    for f in dataclasses.fields(made):  # type: ignore[arg-type]
        if _SPEC not in f.metadata:
            raise TypeError(f"{cls.__name__}.{f.name} must be an act_field")
        if (f.metadata[_SPEC]["key"] or f.name) == WORDS:
            raise TypeError(f"{cls.__name__}.{f.name}: {WORDS!r} names the rule body's commitment")
    ACT_KINDS[made.type] = made
    return made


def read_value(spec: FieldSpec, value: Any, *, seq: int) -> Any:
    """One field's value as the act holds it; raise `MalformedBody` (or `TextTooLong`) naming it."""
    kind = spec.kind
    if kind in (INT_ID, TIME, NUMBER):
        if not is_count(value, minimum=spec.low):
            raise MalformedBody(seq=seq, field=spec.name)
        return value
    if kind in (TITLE, TEXT, NAME):
        if not isinstance(value, str):
            raise MalformedBody(seq=seq, field=spec.name)
        if not spec.empty and not value.strip():
            raise MalformedBody(seq=seq, field=spec.name, reason="blank")
        if len(value) > spec.limit:
            raise TextTooLong(seq=seq, field=spec.name, length=len(value), limit=spec.limit)
        return value
    if kind is KEY or kind is HEX:
        if not is_hex(value, HEX_KEY_LENGTH):
            raise MalformedBody(seq=seq, field=spec.name)
        return value
    if kind is OPTIONS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise MalformedBody(seq=seq, field=spec.name)
        return tuple(value)
    if kind is OBJECT:
        if not isinstance(value, dict):
            raise MalformedBody(seq=seq, field=spec.name)
        return value
    if kind is LIST:
        if not isinstance(value, list):
            raise MalformedBody(seq=seq, field=spec.name)
        return value
    return value  # CHOICE: the rule checks it against the question's method


# An act class is made once (`act_kind`) and never changes: its fields are described once.
_FIELDS: dict[builtins.type[Act], tuple[FieldSpec, ...]] = {}
_NAMES: dict[builtins.type[Act], frozenset[str]] = {}
_PROSE: dict[builtins.type[Act], frozenset[str]] = {}


def _fields_of(cls: builtins.type[Act]) -> tuple[FieldSpec, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(_spec(f) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return found


def _names_of(cls: builtins.type[Act]) -> frozenset[str]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = frozenset(spec.name for spec in _fields_of(cls))
    return found


def _spec(f: "dataclasses.Field[Any]") -> FieldSpec:
    meta = f.metadata[_SPEC]
    required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    return FieldSpec(
        name=meta["key"] or f.name,
        kind=meta["kind"],
        required=required,
        help=meta["help"],
        prose=meta["prose"],
        low=meta["low"],
        limit=meta["limit"],
        empty=meta["empty"],
        written=f.default_factory is not dataclasses.MISSING,
        attr=f.name if meta["key"] else "",
    )


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def non_member_types() -> frozenset[str]:
    """The record types a key that is not a member's may sign."""
    return frozenset(t for t, cls in ACT_KINDS.items() if cls.signer is Signer.NON_MEMBER)


def waiting_types() -> frozenset[str]:
    """The record types that wait outside the record until a member's act takes them in."""
    return frozenset(t for t, cls in ACT_KINDS.items() if cls.waits_outside)


def taking_in_types() -> frozenset[str]:
    """The record types of members' acts that may take a stranger's waiting act into the record."""
    return frozenset(
        t for t, cls in ACT_KINDS.items() if cls.takes_in or cls.keys_taken_in is not Act.keys_taken_in
    )


# --- rule data and words (format 2, docs/record-format.md section 13) ---------------------------------
# What a replica that does not hold an act's words puts in their place: the rules never read words, so
# the state it replays differs from a member's only in texts, which its reads mark as not held.
WORDS_NOT_HELD = "\u2026"


def prose_fields(kind: builtins.type[Act]) -> frozenset[str]:
    """The body fields of `kind` that are words people wrote, not data a rule reads."""
    found = _PROSE.get(kind)
    if found is None:
        found = _PROSE[kind] = frozenset(spec.name for spec in _fields_of(kind) if spec.prose)
    return found


def split_body(kind: builtins.type[Act], content: Mapping[str, Any], *, vis: str) -> Body:
    """An act's content as a format-2 body: the public rule data, carrying the words under `vis`."""
    prose = prose_fields(kind)
    words = {name: value for name, value in content.items() if name in prose}
    words_body = make_body(words, vis=vis, type=kind.type)
    rule = {name: value for name, value in content.items() if name not in prose}
    rule[WORDS] = {"hash": words_body.hash, "fields": sorted(words)}
    return with_words(make_body(rule, vis=RULE_VIS, type=kind.type), words_body)


def split_content(kind: builtins.type[Act], body: Body, *, seq: int) -> dict[str, Any]:
    """The content a format-2 act states: its rule data, and its words or a mark where they are not held.

    Raise `MalformedBody` when the rule body carries words, names fields that are not words, or when the
    words body holds other fields than the ones the rule body names.
    """
    rule = dict(body.content())
    commitment = words_commitment(rule)
    if commitment is None:
        raise MalformedBody(seq=seq, field=WORDS)
    del rule[WORDS]
    _, fields = commitment
    prose = prose_fields(kind)
    in_rule = sorted(prose & set(rule))
    if in_rule:
        raise MalformedBody(seq=seq, field=in_rule[0], reason="words_in_rule_data")
    not_words = sorted(set(fields) - prose)
    if not_words:
        raise MalformedBody(seq=seq, field=not_words[0], reason="rule_data_in_words")
    if body.words is None:
        return {**rule, **dict.fromkeys(fields, WORDS_NOT_HELD)}
    words = body.words.content()
    if sorted(words) != list(fields):
        raise MalformedBody(seq=seq, field=WORDS, reason="words_fields")
    return {**rule, **words}
