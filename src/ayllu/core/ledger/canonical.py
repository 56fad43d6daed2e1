"""Canonical JSON (RFC 8785, JCS) for everything that is hashed or signed.

Signed data holds only objects, arrays, strings, booleans, null and integers in the IEEE-754 safe range:
no floats, ever, so every implementation produces the same bytes. Reading bytes names one code, the first
of these that applies (docs/record-format.md, section 2): `not_json` (not strict UTF-8, not one JSON
text, or arrays and objects nested deeper than 32), `forbidden_value` (a float, an integer out of range,
a key twice, a lone surrogate), `non_canonical` (re-encoding gives other bytes).
"""

import json
import re
from typing import Any, TypeGuard

import rfc8785

from ayllu.core.errors import DomainError, ForbiddenValue, NonCanonical, NotJson

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32

_ASTRAL_LEAD = re.compile(rb"[\xf0-\xf4]")

Json = dict[str, Any] | list[Any] | str | int | bool | None


def is_count(value: object, *, minimum: int = 0) -> TypeGuard[int]:
    """True for a JSON integer (never a boolean, which Python counts as an int) of at least `minimum`."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


class _TooDeep(Exception):
    """Arrays and objects nested deeper than MAX_DEPTH: refused to encode, and not JSON when read."""


def _check(value: object, depth: int) -> None:
    """Raise ForbiddenValue for what signed data may not hold; `depth` counts the enclosing containers."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            # A value of thousands of digits could not even be printed in the error (int-string limit).
            shown = value if abs(value) < 10**30 else "too_many_digits"
            raise ForbiddenValue(reason="integer_out_of_range", value=shown)
        return
    if isinstance(value, float):
        raise ForbiddenValue(reason="float", value=value)
    if isinstance(value, dict | list | tuple) and depth >= MAX_DEPTH:
        raise _TooDeep()
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ForbiddenValue(reason="non_string_key", value=repr(key))
            _check(item, depth + 1)
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check(item, depth + 1)
        return
    raise ForbiddenValue(reason="type", value=type(value).__name__)


# Built once: json.dumps and json.loads with options build a new encoder or decoder on every call,
# which cost more than the encoding itself for the small objects of a record.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _dumps(value: object) -> bytes:
    try:
        fast = _ENCODER.encode(value).encode()
    except UnicodeEncodeError:
        raise ForbiddenValue(reason="lone_surrogate") from None
    # Python sorts keys by code point, JCS by UTF-16 code unit: they differ only beyond the BMP, whose
    # characters are the only ones encoded with a 0xF0-0xF4 lead byte. Those rare cases take the slow path.
    if not fast.isascii() and _ASTRAL_LEAD.search(fast):
        return bytes(rfc8785.dumps(value))  # type: ignore[arg-type]  # checked by _check above
    return fast


def canonical_bytes(value: object) -> bytes:
    """Encode `value` as RFC 8785 canonical JSON, refusing anything signed data may not hold."""
    try:
        _check(value, 0)
    except _TooDeep:
        raise ForbiddenValue(reason="too_deep") from None
    return _dumps(value)


def _no_float(text: str) -> int:
    raise ForbiddenValue(reason="float", value=text)


def _no_constant(text: str) -> int:
    raise NotJson(reason="constant", value=text)  # NaN and Infinity are not JSON (RFC 8259)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ForbiddenValue(reason="duplicate_key")
    return obj


_DECODER = json.JSONDecoder(
    parse_float=_no_float, parse_constant=_no_constant, object_pairs_hook=_unique_keys
)
# Reads any JSON text, keeping nothing of its numbers: used only to tell JSON with a forbidden value from
# text that is not JSON at all, which wins wherever each stands.
_LENIENT = json.JSONDecoder(parse_float=lambda _: 0, parse_int=lambda _: 0, parse_constant=_no_constant)


def _depth_ok(value: object, depth: int = 0) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return depth < MAX_DEPTH and all(_depth_ok(item, depth + 1) for item in value)
    return True


def _unless_not_json(text: str, error: ForbiddenValue) -> DomainError:
    try:
        value = _LENIENT.decode(text)
    except json.JSONDecodeError as exc:
        return NotJson(reason=type(exc).__name__)
    except RecursionError:
        return NotJson(reason="too_deep")
    return error if _depth_ok(value) else NotJson(reason="too_deep")


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise ForbiddenValue(reason="integer_out_of_range")
    return value


# Decodes without calling back into Python for every object: the check for a key given twice is left to
# the comparison of the bytes (`_canonical_at_once`). Floats, constants and integers out of the safe
# range raise as they are read.
_PLAIN = json.JSONDecoder(parse_float=_no_float, parse_constant=_no_constant, parse_int=_safe_int)


_UNDECIDED = object()


def _canonical_at_once(data: bytes, text: str) -> Any:
    """The value of `data` when it is canonical JSON signed data may hold, found without the checks'
    Python walk over the value; `_UNDECIDED` when the full check must decide (`parse_canonical`).

    Exact: the text decodes (no float, no constant), re-encodes to the very same bytes (so no key came
    twice: a dropped member would make the bytes shorter; no lone surrogate: it cannot be encoded; the
    keys sort the same by code point and by UTF-16 unit, as no character lies beyond the BMP), every
    integer in the safe range, and nests at most MAX_DEPTH deep (fewer opening brackets than that in
    the whole text, else counted).
    """
    if not data.isascii() and _ASTRAL_LEAD.search(data):
        return _UNDECIDED
    try:
        value = _PLAIN.decode(text)
        again = _ENCODER.encode(value).encode()
    except (DomainError, RecursionError, ValueError):  # a JSONDecodeError or UnicodeEncodeError too
        return _UNDECIDED
    if again != data:
        return _UNDECIDED
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH and not _depth_ok(value):
        return _UNDECIDED
    return value


def parse_canonical(data: bytes) -> Any:
    """Parse bytes that must be canonical JSON; raise unless re-encoding gives the very same bytes.

    The code is the first that applies: NotJson, then ForbiddenValue, then NonCanonical.
    """
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise NotJson(reason="utf8") from None
    found = _canonical_at_once(data, text)
    return _parse_in_full(data, text) if found is _UNDECIDED else found


def _parse_in_full(data: bytes, text: str) -> Any:
    """`parse_canonical` of `data` (whose UTF-8 text is `text`), every check made on its own."""
    try:
        value = _DECODER.decode(text)
        _check(value, 0)
    except json.JSONDecodeError as exc:
        raise NotJson(reason=type(exc).__name__) from None
    except (RecursionError, _TooDeep):
        raise NotJson(reason="too_deep") from None
    except ForbiddenValue as exc:
        raise _unless_not_json(text, exc) from None
    except ValueError:  # an integer past Python's int-string limit (thousands of digits)
        raise _unless_not_json(text, ForbiddenValue(reason="integer_out_of_range")) from None
    again = _dumps(value)
    if again != data:
        raise NonCanonical()
    return value
