"""Canonical JSON (RFC 8785, JCS) for everything that is hashed or signed.

Signed data holds only objects, arrays, strings, booleans, null and integers in the IEEE-754 safe range:
no floats, ever, so every implementation produces the same bytes.
"""

import json
import re
from typing import Any

import rfc8785

from ayllu.core.errors import ForbiddenValue, NonCanonical, NotJson

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32

_ASTRAL_LEAD = re.compile(rb"[\xf0-\xf4]")

Json = dict[str, Any] | list[Any] | str | int | bool | None


def _check(value: object, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ForbiddenValue(reason="too_deep")
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
    _check(value, 0)
    return _dumps(value)


def _no_float(text: str) -> int:
    raise ForbiddenValue(reason="float", value=text)


def _no_constant(text: str) -> int:
    raise ForbiddenValue(reason="constant", value=text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ForbiddenValue(reason="duplicate_key")
    return obj


_DECODER = json.JSONDecoder(
    parse_float=_no_float, parse_constant=_no_constant, object_pairs_hook=_unique_keys
)


def parse_canonical(data: bytes) -> Any:
    """Parse bytes that must be canonical JSON; raise unless re-encoding gives the very same bytes."""
    try:
        text = data.decode("utf-8", errors="strict")
        value = _DECODER.decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise NotJson(reason=type(exc).__name__) from None
    except ValueError:  # an integer past Python's int-string limit (thousands of digits)
        raise NotJson(reason="too_many_digits") from None
    again = canonical_bytes(value)
    if again != data:
        raise NonCanonical()
    return value
