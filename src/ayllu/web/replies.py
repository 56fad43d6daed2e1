"""JSON answers of the scripted routes: one shape for every error, `{"code", "message", "detail"}`.

Login and signed-act codes get their sentences here; every other code is looked up in `errors`.
"""

from collections.abc import Mapping
from typing import Any

from django.http import JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ayllu.core.errors import DomainError

from .errors import message_for

MESSAGES: dict[str, Promise] = {
    "login_error": _("Logging in did not work."),
    "login_malformed": _("The login request is incomplete. Reload the page and try again."),
    "login_challenge_unknown": _("This login code is not valid any more. Reload the page and try again."),
    "login_challenge_expired": _("The login code expired. Try again: it only lasts a short while."),
    "login_bad_signature": _("The signature does not match this device's key for this node and assembly."),
    "login_not_a_member": _("This device's key does not belong to a current member of the assembly."),
    "login_rate_limited": _("Too many attempts to log in. Wait a few minutes and try again."),
    "login_required": _("Log in with this device to act in this assembly."),
    "act_not_yours": _("You can only sign acts with your own key: the act names another member."),
    "act_malformed": _("The act sent is incomplete or not in the record's format."),
}

# The HTTP status of the refusals of login and the act route that are not domain errors (those carry
# their own, shared with the API); anything else is a 400.
STATUS = {"act_not_yours": 403}


def reply_message(code: str, detail: Mapping[str, Any]) -> str:
    """The translated sentence for `code`, from this module's list or the shared one."""
    own = MESSAGES.get(code)
    return message_for(code, detail) if own is None else str(own)


def json_error(
    code: str, detail: Mapping[str, Any] | None = None, *, status: int | None = None
) -> JsonResponse:
    """An error answer: stable code, translated message, and the detail naming offending values."""
    detail = dict(detail or {})
    body = {"code": code, "message": reply_message(code, detail), "detail": detail}
    return JsonResponse(body, status=status or STATUS.get(code, 400), json_dumps_params={"default": str})


def json_domain_error(error: DomainError) -> JsonResponse:
    """The error answer for a DomainError, with the status its class carries (the API's too)."""
    return json_error(error.code, error.detail, status=error.status)
