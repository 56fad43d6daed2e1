"""The text policy: which characters the words of a new act may hold (docs/charter.md, "Texts and names").

Every string of a new act's body, and a founding draft's name and households, is checked here at the
boundary of every write (`actions.record` and the founding drafts), before anything is stored:

- no control character but newline and tab: NUL and its kin cannot be stored in PostgreSQL text, and
  the others only hide or move what a reader sees;
- no bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069), which can make a
  text read differently from what was signed;
- names (the assembly's, households', members', every `NAME` field) are also NFC, on one line, trimmed,
  free of invisible format characters (zero-width space, joiners) and not empty-looking; a new household
  may not look like an existing one, and a member's chosen name may not look like (or be) another
  member's: names are compared by their `skeleton` (NFKC, case folded, invisible characters dropped,
  spaces collapsed, then Unicode TR 39's confusable skeleton, through ICU).

Replay does not run this check: a record written before the policy replays to the same state on every
node, so the check belongs to the write path and not to the rules (see docs/charter.md).
"""

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import icu

from ayllu.core.assembly.acts import ACT_KINDS, Kind
from ayllu.core.errors import MalformedBody

FOUNDED = "assembly.founded"  # core.charter.founding.FOUNDED, which imports this package
MEMBER_NAMED = "member.named"  # core.charter.members.MemberNamed, which imports this package

_ALLOWED_CONTROLS = frozenset("\n\t")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class NameLooksAlike(MalformedBody):
    """A new name reads like an existing one it is not (detail: field, name, existing)."""

    code = "name_looks_alike"
    status = 409


class MemberNameLooksAlike(NameLooksAlike):
    """A member's chosen name is, or reads like, another member's name (detail: field, name, existing)."""

    code = "member_name_looks_alike"


class TextNotAllowed(MalformedBody):
    """A text holds a character the text policy refuses (detail: field, char as U+XXXX, reason)."""

    code = "text_not_allowed"


def text_problem(value: str) -> tuple[str, str] | None:
    """The first character `value` may not hold and why (`control`, `bidi_control`), or None."""
    for char in value:
        if char in _BIDI_CONTROLS:
            return char, "bidi_control"
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            return char, "control"
    return None


def check_texts(content: Any, *, field: str = "") -> None:
    """Raise `TextNotAllowed` for the first string in `content` (keys included) the policy refuses."""
    for where, value in _strings(content, field):
        problem = text_problem(value)
        if problem is not None:
            char, reason = problem
            raise TextNotAllowed(field=where, char=f"U+{ord(char):04X}", reason=reason)


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            yield inner, str(key)
            yield from _strings(item, inner)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def check_storable(value: str, *, field: str) -> str:
    """Return `value`, or raise `TextNotAllowed` if it holds NUL, which PostgreSQL text cannot store.

    For words of records written elsewhere (import, follow) that a node keeps in a text column: the
    record itself is kept as bytes and may hold anything its rules allowed when it was written.
    """
    if "\x00" in value:
        raise TextNotAllowed(field=field, char="U+0000", reason="control")
    return value


# Unicode TR 39's confusables, through ICU (PyICU; decision 0019): its SpoofChecker maps every character
# of the full confusables data (Cyrillic, Greek, Armenian, Cherokee, mathematical letters, digits that
# look like letters, "rn" for "m" ...) to its prototype, and its sets name the default-ignorable code
# points (zero-width characters, fillers such as U+3164) a reader cannot see.
_SPOOF = icu.SpoofChecker()
_IGNORABLE = frozenset(str(c) for c in icu.UnicodeSet("[:Default_Ignorable_Code_Point:]"))


def _visible(text: str) -> str:
    return "".join(c for c in text if c not in _IGNORABLE and unicodedata.category(c) not in ("Cf", "Cc"))


@functools.lru_cache(maxsize=4096)  # pages compare the same names again and again
def skeleton(name: str) -> str:
    """What `name` looks like: two names with one skeleton are look-alikes.

    NFKC (fullwidth and other compatibility forms), case folded, invisible characters dropped, spaces
    collapsed, then TR 39's skeleton, case folded again until it no longer changes (a prototype may be
    a capital: "0" reads as "O", which must meet the "o" of a folded name).
    """
    text = " ".join(_visible(unicodedata.normalize("NFKC", name).casefold()).split())
    for _ in range(4):
        folded = " ".join(_visible(str(_SPOOF.getSkeleton(0, text)).casefold()).split())
        if folded == text:
            break
        text = folded
    return text


def search_key(text: str) -> str:
    """`text` as a search compares it: its skeleton without accents ("Peñas" is found as "penas")."""
    decomposed = unicodedata.normalize("NFKD", skeleton(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_problem(value: str) -> tuple[str, str] | None:
    """Why `value` may not be a name (`control`, `bidi_control`, `format`, `not_nfc`, `untrimmed`,
    `empty_looking`) and the offending character, or None."""
    found = text_problem(value)
    if found is not None:
        return found
    for char in value:
        if char in _ALLOWED_CONTROLS:
            return char, "control"
        if unicodedata.category(char) == "Cf":
            return char, "format"
    if unicodedata.normalize("NFC", value) != value:
        return "", "not_nfc"
    if value != value.strip():
        return "", "untrimmed"
    if not skeleton(value):
        return "", "empty_looking"
    return None


def check_names(names: Iterable[tuple[str, str]]) -> None:
    """Raise `TextNotAllowed` for the first (field, name) that breaks the rule for names."""
    for field, value in names:
        problem = name_problem(value)
        if problem is not None:
            char, reason = problem
            shown = {"char": f"U+{ord(char):04X}"} if char else {}
            raise TextNotAllowed(field=field, reason=reason, **shown)


def check_not_look_alike(names: Iterable[tuple[str, str]], *, existing: Iterable[str]) -> None:
    """Raise `NameLooksAlike` for a (field, name) that is not in `existing` but looks like one in it,
    or like a name given before it in `names`."""
    seen = {skeleton(name): name for name in existing}
    for field, value in names:
        twin = seen.get(skeleton(value))
        if twin is not None and twin != value:
            raise NameLooksAlike(field=field, name=value, existing=twin)
        seen.setdefault(skeleton(value), value)


def names_in(type: str, content: Any) -> list[tuple[str, str]]:
    """The (field, name) pairs of an act's body that the rule for names covers."""
    if not isinstance(content, dict):
        return []
    if type == FOUNDED:
        name = content.get("name")
        founders = content.get("founders")
        pairs = [("name", name)] if isinstance(name, str) else []
        if isinstance(founders, list):
            pairs += [
                (f"founders[{i}].household", f["household"])
                for i, f in enumerate(founders)
                if isinstance(f, dict) and isinstance(f.get("household"), str)
            ]
        return pairs
    kind = ACT_KINDS.get(type)
    if kind is None:
        return []
    return [
        (spec.name, content[spec.name])
        for spec in kind.fields()
        if spec.kind is Kind.NAME and isinstance(content.get(spec.name), str)
    ]


def households_in(type: str, content: Any) -> list[tuple[str, str]]:
    """The (field, household) pairs of an act's body (its rule body or its words): the ids and names a
    look-alike check compares."""
    fields = ("household", "household_name")
    return [(f, v) for f, v in names_in(type, content) if f in fields or f.endswith(".household")]


def chosen_name_in(type: str, content: Any) -> str | None:
    """The name a `member.named` act's body (its rule body or its words) gives, or None."""
    if type != MEMBER_NAMED or not isinstance(content, dict):
        return None
    name = content.get("name")
    return name if isinstance(name, str) else None


def check_member_name_unlike(name: str, *, others: Iterable[str]) -> None:
    """Raise `MemberNameLooksAlike` when a member's chosen `name` is, or looks like, another member's
    name: unlike households, two members may not share a name, or a page could not tell them apart."""
    for other in others:
        if skeleton(other) == skeleton(name):
            raise MemberNameLooksAlike(field="name", name=name, existing=other)
