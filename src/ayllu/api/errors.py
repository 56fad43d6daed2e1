"""API errors: one JSON shape, `{"code", "message", "detail"}`, and one HTTP status per kind of refusal.

The message is the code's sentence in the request's language (Accept-Language; Spanish by default),
from `ayllu.messages`, which pages and the CLI share.
"""

from collections.abc import Mapping
from typing import Any

from ninja import Schema

from ayllu.core.errors import DomainError
from ayllu.messages import message_for

# Every status an operation may answer with an error, for the OpenAPI document.
ERROR_STATUSES = (400, 403, 404, 409, 413, 422, 429, 503)


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict[str, Any]


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error: the one its class carries, shared with the pages."""
    return error.status


def error_body(code: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """The error shape, with the message in the active language and the detail made JSON-safe."""
    return {"code": code, "message": message_for(code, detail), "detail": _json_safe(detail)}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
