"""The logged-in member's notification settings, contact and outbox (docs/notifications.md).

Only the member logged in to the assembly from their device (the web's session, `request.ayllu_login`)
reads or changes their own; anyone else gets 403. Writes with the session's cookie must carry its CSRF
token (the `X-CSRFToken` header), as the pages' forms do. A refused setting answers 400 with the
reason in the request's language and writes nothing. The e-mail address is answered to its owner only;
it is never in the record, in an export or in replication (decision 0014).
"""

from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Body, Path, Query, Schema, Status
from ninja.utils import check_csrf
from pydantic import Field

from ayllu.actions.notifications import (
    do_add_push_subscription,
    do_remove_contact,
    do_remove_push_subscription,
    do_set_notification_settings,
)
from ayllu.core.errors import DomainError
from ayllu.messages import delivery_failure, reminder_kind_words
from ayllu.queries.notifications import (
    OutboxShown,
    get_notification_prefs,
    get_push_public_key,
    list_outbox,
    list_push_devices,
)
from ayllu.queries.pages import get_member_id
from ayllu.storage.member_settings import MemberSettings

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import Log
from .visibility import logged_in_key

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
A = "/assemblies/{log}/me"
TAGS = ["notifications"]


class MemberLoginRequired(DomainError):
    """Only the member logged in to this assembly reads or changes their own settings."""

    code = "member_login_required"
    status = 403


class CsrfRefused(DomainError):
    """A write with the session's cookie came without the CSRF token of that cookie."""

    code = "csrf_refused"
    status = 403


@dataclass(frozen=True, slots=True)
class OutboxAnswer(OutboxShown):
    """A message of the member's outbox as the API answers it: what went wrong, in their words."""

    failure_message: str  # "" unless a delivery failed (messages.delivery_failure)
    reminder_message: str  # what the message was about, in the asker's words (messages.reminder_kind_words)


def _member(request: HttpRequest, log: str, *, write: bool = False) -> str:
    key = logged_in_key(request, log)
    if key is None:
        raise MemberLoginRequired(log=log)
    if write and check_csrf(request) is not None:
        raise CsrfRefused()
    member = get_member_id(log, key=key)
    if not member:
        raise MemberLoginRequired(log=log)
    return member


def _settings(log: str, member: str) -> MemberSettings:
    return MemberSettings(**get_notification_prefs(log, member=member).columns())


@router.get(f"{A}/notifications", response={200: MemberSettings, **ERRORS}, tags=TAGS)
def get_notification_settings(request: HttpRequest, log: Path[Log]) -> MemberSettings:
    """The logged-in member's notification settings and e-mail address (defaults when none saved)."""
    return _settings(log, _member(request, log))


@router.put(f"{A}/notifications", response={200: MemberSettings, **ERRORS}, tags=TAGS)
def put_notification_settings(
    request: HttpRequest, log: Path[Log], payload: Body[MemberSettings]
) -> MemberSettings:
    """Replace the logged-in member's settings (a field left out takes its default); a refused value (400)
    changes nothing."""
    member = _member(request, log, write=True)
    do_set_notification_settings(log, member=member, change=payload)
    return _settings(log, member)


@router.delete(f"{A}/notifications/contact", response={204: None, **ERRORS}, tags=TAGS)
def delete_contact(request: HttpRequest, log: Path[Log]) -> Status[None]:
    """Delete the logged-in member's e-mail address from this node; nothing more is sent there."""
    do_remove_contact(log, member=_member(request, log, write=True))
    return Status(204, None)


@router.get(f"{A}/outbox", response={200: list[OutboxAnswer], **ERRORS}, tags=TAGS)
def get_outbox(
    request: HttpRequest,
    log: Path[Log],
    status: Query[Literal["pending", "sent", "dead", "dropped"] | None] = None,
) -> list[OutboxAnswer]:
    """The logged-in member's latest messages (newest first); `status=dead` lists their dead letters."""
    member = _member(request, log)
    found = list_outbox(log, member=member, statuses=[status] if status else [])
    return [
        OutboxAnswer(
            **{f.name: getattr(m, f.name) for f in fields(OutboxShown)},
            failure_message=delivery_failure(m.failure) if m.failure or m.status == "dead" else "",
            reminder_message=reminder_kind_words(m.reminder),
        )
        for m in found
    ]


# --- Web Push (decision 0017) ------------------------------------------------------------------------
class PushKeysIn(Schema):
    p256dh: Annotated[str, Field(max_length=128)]
    auth: Annotated[str, Field(max_length=64)]


class PushSubscriptionIn(Schema):
    """A browser's `PushSubscription.toJSON()`, as the page's script sends it."""

    endpoint: Annotated[str, Field(max_length=1024)]
    keys: PushKeysIn


class PushDeviceOut(Schema):
    endpoint: str


class PushKeyOut(Schema):
    key: str


@router.get("/push/key", response={200: PushKeyOut}, tags=TAGS)
def get_push_key(request: HttpRequest) -> dict[str, str]:
    """The node's VAPID public key (base64url): browsers subscribe with it as `applicationServerKey`."""
    return {"key": get_push_public_key()}


@router.get(f"{A}/push", response={200: list[PushDeviceOut], **ERRORS}, tags=TAGS)
def get_push_devices(request: HttpRequest, log: Path[Log]) -> list[dict[str, str]]:
    """The devices the logged-in member subscribed to Web Push (their endpoints only)."""
    return [{"endpoint": d.endpoint} for d in list_push_devices(log, member=_member(request, log))]


@router.post(f"{A}/push", response={201: PushDeviceOut, **ERRORS}, tags=TAGS)
def post_push_subscription(
    request: HttpRequest, log: Path[Log], payload: PushSubscriptionIn
) -> Status[dict[str, str]]:
    """Keep a device's push subscription for the logged-in member (a contact of this node only); a
    subscription no browser would give answers 400 and writes nothing."""
    member = _member(request, log, write=True)
    do_add_push_subscription(
        log, member=member, endpoint=payload.endpoint, p256dh=payload.keys.p256dh, auth=payload.keys.auth
    )
    return Status(201, {"endpoint": payload.endpoint})


@router.delete(f"{A}/push", response={204: None, **ERRORS}, tags=TAGS)
def delete_push_subscription(request: HttpRequest, log: Path[Log], endpoint: Query[str] = "") -> Status[None]:
    """Forget one device of the logged-in member (`endpoint`), or all of them when none is named."""
    do_remove_push_subscription(log, member=_member(request, log, write=True), endpoint=endpoint)
    return Status(204, None)
