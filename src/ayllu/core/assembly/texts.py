"""The text policy: which characters the words of a new act may hold (docs/charter.md, "Texts and names").

Every string of a new act's body, and a founding draft's name and households, is checked here at the
boundary of every write (`actions.record` and the founding drafts), before anything is stored:

- no control character but newline and tab: NUL and its kin cannot be stored in PostgreSQL text, and
  the others only hide or move what a reader sees;
- no bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069), which can make a
  text read differently from what was signed.

Replay does not run this check: a record written before the policy replays to the same state on every
node, so the check belongs to the write path and not to the rules (see docs/charter.md).
"""

import unicodedata
from collections.abc import Iterator
from typing import Any

from ayllu.core.errors import MalformedBody

_ALLOWED_CONTROLS = frozenset("\n\t")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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
