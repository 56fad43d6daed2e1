"""API errors: one JSON shape, `{"code", "message", "detail"}`, and one HTTP status per kind of refusal.

The message is the code's sentence in the request's language (Accept-Language; Spanish by default),
from `ayllu.messages`, which pages and the CLI share.
"""

from collections.abc import Mapping
from typing import Any

from ninja import Schema

from ayllu.core.errors import DomainError, EncodingError, RuleError, SignatureError
from ayllu.messages import message_for
from ayllu.storage.errors import StorageError

FORBIDDEN = frozenset(
    {"not_a_member", "key_replaced", "member_suspended", "not_a_founder", "bad_endorsement"}
)
NOT_FOUND = frozenset(
    {
        "not_found",
        "record_not_found",
        "unknown_meeting",
        "unknown_proposal",
        "unknown_question",
        "unknown_member",
        "unknown_applicant",
        "unknown_claim",
        "unknown_point",
        "unknown_petition",
        "unknown_amendment",
        "unknown_objection",
        "unknown_cargo_name",
        "unknown_swap",
        "unknown_session",
        "unknown_recall_petition",
        "unknown_draw",
    }
)
CONFLICT = frozenset({"duplicate_act", "record_exists"})
TOO_LARGE = frozenset({"text_too_long", "request_too_large"})
UNAVAILABLE = frozenset({"storage_full", "storage_read_only", "storage_busy", "storage_error"})

# Every status an operation may answer with an error, for the OpenAPI document.
ERROR_STATUSES = (400, 403, 404, 409, 413, 422, 503)


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict[str, Any]


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error: 403 authority, 404 unknown, 409 rule, 413 size, 503 storage."""
    code = error.code
    if code in TOO_LARGE or (code == "malformed_body" and error.detail.get("reason") == "too_large"):
        return 413
    if code in NOT_FOUND:
        return 404
    if code in FORBIDDEN or isinstance(error, SignatureError):
        return 403
    if code in CONFLICT or isinstance(error, RuleError):
        return 409
    if code in UNAVAILABLE or isinstance(error, StorageError):
        return 503
    if isinstance(error, EncodingError):
        return 400
    return 400


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
