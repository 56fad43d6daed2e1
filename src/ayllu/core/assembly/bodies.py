"""Reading the fields of an act's body; a missing or mistyped field is a `MalformedBody` naming it."""

from typing import Any

from ayllu.core.assembly.rule_errors import TextTooLong
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.canonical import is_count
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_ID = 64


def get_str(
    content: dict[str, Any], key: str, *, seq: int, limit: int = MAX_TEXT, empty: bool = False
) -> str:
    """A string field of at most `limit` characters (non-empty unless `empty`)."""
    value = content.get(key)
    if not isinstance(value, str):
        raise MalformedBody(seq=seq, field=key)
    if not empty and not value.strip():
        raise MalformedBody(seq=seq, field=key, reason="blank")
    if len(value) > limit:
        raise TextTooLong(seq=seq, field=key, length=len(value), limit=limit)
    return value


def get_int(content: dict[str, Any], key: str, *, seq: int, low: int = 0) -> int:
    value = content.get(key)
    if not is_count(value, minimum=low):
        raise MalformedBody(seq=seq, field=key)
    return value


def get_opt_int(content: dict[str, Any], key: str, *, seq: int) -> int:
    """An optional id field: 0 when absent."""
    return get_int(content, key, seq=seq, low=1) if key in content else 0


def get_key(content: dict[str, Any], key: str, *, seq: int) -> str:
    value = content.get(key)
    if not is_hex(value, HEX_KEY_LENGTH):
        raise MalformedBody(seq=seq, field=key)
    assert isinstance(value, str)
    return value


def get_dict(content: dict[str, Any], key: str, *, seq: int) -> dict[str, Any]:
    value = content.get(key)
    if not isinstance(value, dict):
        raise MalformedBody(seq=seq, field=key)
    return value


def only_fields(content: dict[str, Any], allowed: set[str], *, seq: int) -> None:
    """Refuse unknown fields, so that a body means exactly one thing to every replica."""
    extra = set(content) - allowed
    if extra:
        raise MalformedBody(seq=seq, field="fields", extra=sorted(extra))
