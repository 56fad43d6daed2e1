"""Writes for notifications: a member's own settings and contact, and the outbox of delivery.

Settings and contact are set and deleted only by the member themselves (the caller checks the login);
they are rows of this node only, never in the record (decision 0014). The outbox holds one row per
(record, member, reminder, channel): enqueueing inserts or ignores, so asking again sends nothing twice.
A message is marked sent in its own transaction right after it was handed to its channel.
"""

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ayllu.core.errors import DomainError
from ayllu.storage import clock, models, reads
from ayllu.storage.member_settings import MemberSettings

LANGUAGES = ("es", "en")
# Offsets from UTC people live at, in minutes (UTC-12:00 to UTC+14:00).
MIN_OFFSET, MAX_OFFSET = -12 * 60, 14 * 60
# A failed message is tried again after 1, 2, 4, ... minutes, at most a day apart; after MAX_ATTEMPTS
# failures it is dead (the member sees it in their dead letters).
BACKOFF_MS = 60 * 1000
MAX_BACKOFF_MS = 24 * 3600 * 1000
MAX_ATTEMPTS = 8


class NotificationSettingsInvalid(DomainError):
    """A setting the node cannot keep: detail `reason` names the field (email, language, quiet_hours,
    utc_offset, push_subscription), and `value` where it is not private."""

    code = "notification_settings_invalid"


# What a member asks to keep is the settings themselves: every field, as the page and the API send them.
SettingsChange = MemberSettings


def check_settings_change(change: SettingsChange) -> SettingsChange:
    """The change with its e-mail address trimmed; raise NotificationSettingsInvalid naming it."""
    email = change.email.strip()
    if len(email) > 254:
        raise NotificationSettingsInvalid(reason="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise NotificationSettingsInvalid(reason="email") from None
    if change.language not in LANGUAGES:
        raise NotificationSettingsInvalid(reason="language", value=change.language)
    if (change.quiet_start is None) != (change.quiet_end is None):
        raise NotificationSettingsInvalid(reason="quiet_hours")
    for hour in (change.quiet_start, change.quiet_end):
        if hour is not None and not 0 <= hour <= 23:
            raise NotificationSettingsInvalid(reason="quiet_hours", value=hour)
    if not MIN_OFFSET <= change.utc_offset <= MAX_OFFSET:
        raise NotificationSettingsInvalid(reason="utc_offset", value=change.utc_offset)
    return replace(change, email=email)


def do_set_notification_settings(log: str, *, member: str, change: SettingsChange) -> None:
    """Keep `member`'s settings for `log` after checking them; nothing is written when a check fails."""
    checked = check_settings_change(change)
    record = reads.get_record(log)
    models.NotificationSettings.objects.update_or_create(
        record=record,
        member=member,
        defaults={**checked.columns(), "updated": clock.now_datetime()},
    )


def do_remove_contact(log: str, *, member: str) -> None:
    """Delete `member`'s e-mail address for `log` (their other settings stay); nothing more is sent there."""
    models.NotificationSettings.objects.filter(record__log=log, member=member).update(
        email="", updated=clock.now_datetime()
    )


# --- Web Push subscriptions (decision 0017) -----------------------------------------------------------
def _b64(value: str, *, size: int) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise NotificationSettingsInvalid(reason="push_subscription") from None
    if len(raw) != size:
        raise NotificationSettingsInvalid(reason="push_subscription")
    return raw


def check_push_subscription(endpoint: str, *, p256dh: str, auth: str) -> None:
    """Refuse a subscription a browser would not give: the endpoint an https URL (http only to the hosts
    of AYLLU_PUSH_HTTP_HOSTS, for tests), the keys a P-256 point and a 16-byte secret."""
    url = urlsplit(endpoint)
    allowed_http = url.scheme == "http" and url.hostname in settings.AYLLU_PUSH_HTTP_HOSTS
    if len(endpoint) > 1024 or not url.hostname or not (url.scheme == "https" or allowed_http):
        raise NotificationSettingsInvalid(reason="push_subscription")
    if _b64(p256dh, size=65)[0] != 4:
        raise NotificationSettingsInvalid(reason="push_subscription")
    _b64(auth, size=16)


def do_add_push_subscription(log: str, *, member: str, endpoint: str, p256dh: str, auth: str) -> None:
    """Keep a device `member` subscribed to Web Push (again: its keys are replaced)."""
    check_push_subscription(endpoint, p256dh=p256dh, auth=auth)
    models.PushSubscription.objects.update_or_create(
        record=reads.get_record(log),
        member=member,
        endpoint=endpoint,
        defaults={"p256dh": p256dh, "auth": auth, "created": clock.now_datetime()},
    )


def do_remove_push_subscription(log: str, *, member: str, endpoint: str = "") -> int:
    """Delete `member`'s subscription of `endpoint` (every one of theirs when ""); return how many went."""
    rows = models.PushSubscription.objects.filter(record__log=log, member=member)
    if endpoint:
        rows = rows.filter(endpoint=endpoint)
    return int(rows.delete()[0])


def do_forget_push_endpoint(endpoint: str) -> None:
    """The push service said `endpoint` is gone (404/410): delete every subscription with it."""
    models.PushSubscription.objects.filter(endpoint=endpoint).delete()


# --- the outbox ------------------------------------------------------------------------------------
def do_enqueue(log: str, *, member: str, reminders: Iterable[str], channel: str, now: int) -> int:
    """Queue one message per reminder for `member` through `channel`, ignoring those already queued;
    return how many were new."""
    record = reads.get_record(log)
    wanted = set(reminders)
    if not wanted:
        return 0
    rows = models.OutboxMessage.objects.filter(record=record, member=member, channel=channel)
    known = set(rows.filter(reminder__in=wanted).values_list("reminder", flat=True))
    new = [
        models.OutboxMessage(
            record=record, member=member, reminder=r, channel=channel, next_attempt=now, created=now
        )
        for r in sorted(wanted - known)
    ]
    # Insert or ignore: another deliverer may have queued the same rows since the read above.
    models.OutboxMessage.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def do_enqueue_many(log: str, *, wanted: Mapping[str, Iterable[str]], channel: str, now: int) -> int:
    """`do_enqueue` for many members of `log` at once (member -> reminder ids): one read of what is
    already queued and one insert, in one transaction; return how many rows were new."""
    record = reads.get_record(log)
    asked = {member: set(ids) for member, ids in wanted.items() if ids}
    if not asked:
        return 0
    reminders = set().union(*asked.values())
    known = set(
        models.OutboxMessage.objects.filter(
            record=record, channel=channel, reminder__in=reminders
        ).values_list("member", "reminder")
    )
    new = [
        models.OutboxMessage(
            record=record, member=member, reminder=r, channel=channel, next_attempt=now, created=now
        )
        for member in sorted(asked)
        for r in sorted(asked[member])
        if (member, r) not in known
    ]
    with transaction.atomic():
        # Insert or ignore: another deliverer may have queued the same rows since the read above.
        models.OutboxMessage.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def do_mark_sent(ids: Sequence[int], *, now: int) -> None:
    """Mark messages sent, in one transaction of their own (a digest's rows together)."""
    with transaction.atomic():
        models.OutboxMessage.objects.filter(pk__in=list(ids), status=models.OutboxMessage.PENDING).update(
            status=models.OutboxMessage.SENT, sent=now, last_error="", failure=""
        )


def do_mark_digest_sent(log: str, *, member: str, ids: Sequence[int], now: int) -> None:
    """Mark a digest's messages sent and remember when, in one transaction."""
    with transaction.atomic():
        do_mark_sent(ids, now=now)
        models.NotificationSettings.objects.filter(record__log=log, member=member).update(last_digest=now)


def do_mark_failed(
    message: int,
    *,
    now: int,
    error: str,
    failure: str = "unknown",
    retry_after_ms: int = 0,
    permanent: bool = False,
    taken_by: Iterable[str] = (),
) -> str:
    """Count a failed attempt and return the status: dead at once when the far end said trying again
    cannot help (`permanent`) or after MAX_ATTEMPTS, else tried again after the backoff, or after
    `retry_after_ms` when the far end asked for a longer wait (at most MAX_BACKOFF_MS). `taken_by` are
    the parts of the address that took it this time (devices): kept, so a retry skips them. `failure` is
    the failure's class (what the member is told), `error` its technical text (for operators)."""
    with transaction.atomic():
        row = models.OutboxMessage.objects.select_for_update().get(pk=message)
        row.attempts += 1
        row.last_error = error[:1000]
        row.failure = failure[:32]
        row.taken_by = " ".join(sorted(set(row.taken_by.split()) | set(taken_by)))
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = models.OutboxMessage.DEAD
        else:
            wait = max(BACKOFF_MS * 2 ** (row.attempts - 1), retry_after_ms)
            row.next_attempt = now + min(wait, MAX_BACKOFF_MS)
        row.save(update_fields=["attempts", "last_error", "failure", "status", "next_attempt", "taken_by"])
        return row.status


def do_drop(ids: Sequence[int]) -> None:
    """Drop pending messages whose reminder no longer concerns their member (voted, met, left)."""
    models.OutboxMessage.objects.filter(pk__in=list(ids), status=models.OutboxMessage.PENDING).update(
        status=models.OutboxMessage.DROPPED
    )


def do_postpone(ids: Sequence[int], *, until: int) -> None:
    """Hold pending messages until `until` (quiet hours, the next digest)."""
    models.OutboxMessage.objects.filter(pk__in=list(ids), status=models.OutboxMessage.PENDING).update(
        next_attempt=until
    )


def do_claim(message: int, *, seen: int, until: int) -> bool:
    """Take a pending message for sending: move its next attempt from `seen` to `until`, only if no other
    deliverer moved it first. A deliverer that dies after claiming leaves it due again at `until`."""
    claimed = models.OutboxMessage.objects.filter(
        pk=message, status=models.OutboxMessage.PENDING, next_attempt=seen
    ).update(next_attempt=until)
    return claimed == 1
