"""Retries that respect the far end: a push refused by one of a member's devices is tried again on that
device alone (the others took it: they show it once); a push service's Retry-After and an SMTP server's
temporary (4xx) and permanent (5xx) answers decide when, and whether, the outbox tries again."""

from ayllu.actions.notifications import BACKOFF_MS, MAX_BACKOFF_MS
from ayllu.notify.channels import EmailChannel, PushChannel, device_key
from ayllu.notify.delivery import deliver_once
from ayllu.notify.webpush import retry_after_seconds
from ayllu.queries.notifications import EMAIL, PUSH, list_outbox
from ayllu.storage.models import OutboxMessage

from .conftest import ADDRESSES, Council
from .pushservice import PushService, push_service, subscribe
from .smtp import Inbox

__all__ = ["push_service"]


def test_a_push_retry_goes_only_to_the_devices_that_refused_it(
    council: Council, push_service: PushService
) -> None:
    # given member 0's phone and laptop; the laptop's push service answers 503 to the first six
    subscribe(council, push_service, 0, "phone-0")
    subscribe(council, push_service, 0, "laptop-0")
    push_service.answers["laptop-0"] = [503] * 6
    # when the deliverer runs, then again after the backoff
    first = deliver_once(now=council.now, channels=[PushChannel()])
    rows = OutboxMessage.objects.filter(member=council.members[0], channel=PUSH)
    kept = {r.taken_by for r in rows}
    again = deliver_once(now=council.now + BACKOFF_MS, channels=[PushChannel()])
    # then the phone took each message once and the laptop each once, on the retry
    assert (first.sent, first.failed) == (0, 6) and again.sent == 6
    assert kept == {device_key(push_service.endpoint("phone-0"))}
    assert len(push_service.to("phone-0")) == 6
    assert len(push_service.to("laptop-0")) == 6
    assert sorted(p["title"] for p in push_service.to("phone-0")) == sorted(
        p["title"] for p in push_service.to("laptop-0")
    )
    assert {(r.status, r.attempts) for r in rows.all()} == {("sent", 1)}


def test_a_push_services_retry_after_is_honoured(council: Council, push_service: PushService) -> None:
    # given member 2's phone, whose service answers 429 asking to wait ten minutes
    subscribe(council, push_service, 2, "phone-2")
    push_service.answers["phone-2"] = [429] * 6
    push_service.retry_after = "600"
    # when the deliverer runs, after the outbox's own backoff (one minute), then after ten minutes
    deliver_once(now=council.now, channels=[PushChannel()])
    waiting = {r.next_attempt for r in OutboxMessage.objects.filter(member=council.members[2])}
    early = deliver_once(now=council.now + BACKOFF_MS, channels=[PushChannel()])
    later = deliver_once(now=council.now + 600_000, channels=[PushChannel()])
    # then nothing was tried before the ten minutes the service asked for; then all went
    assert waiting == {council.now + 600_000}
    assert (early.sent, early.failed) == (0, 0)
    assert later.sent == 6 and len(push_service.to("phone-2")) == 6


def test_a_push_refused_for_good_is_a_dead_letter_at_once(
    council: Council, push_service: PushService
) -> None:
    # given member 2's phone, whose service refuses the node's messages (403: a key it does not accept)
    subscribe(council, push_service, 2, "phone-2")
    push_service.answers["phone-2"] = [403] * 6
    # when the deliverer runs
    deliver_once(now=council.now, channels=[PushChannel()])
    # then the member sees them among their dead letters with the service's answer, not tried again
    dead = list_outbox(council.log, member=council.members[2], statuses=[OutboxMessage.DEAD])
    assert len(dead) == 6 and {(m.attempts, m.last_error) for m in dead} == {
        (1, "PushRefused: push service answered 403")
    }


def test_an_smtp_temporary_failure_waits_and_a_permanent_one_is_a_dead_letter(
    council: Council, smtp: Inbox
) -> None:
    # given member 0's server greylists (451) their first messages; member 1's does not know them (550)
    smtp.refuse[ADDRESSES[0]] = ["451 4.7.1 Greylisted, try again later"] * 6
    smtp.refuse[ADDRESSES[1]] = ["550 5.1.1 No such user"] * 6
    # when the deliverer runs by e-mail, then after the backoff
    first = deliver_once(now=council.now, channels=[EmailChannel()])
    rows = OutboxMessage.objects.filter(channel=EMAIL)
    temporary = {(r.status, r.attempts, r.next_attempt) for r in rows.filter(member=council.members[0])}
    again = deliver_once(now=council.now + BACKOFF_MS, channels=[EmailChannel()])
    # then member 0's wait one backoff and then reach them
    assert first.failed >= 6 and temporary == {(OutboxMessage.PENDING, 1, council.now + BACKOFF_MS)}
    assert len(smtp.to(ADDRESSES[0])) == rows.filter(member=council.members[0]).count()
    assert again.sent >= len(smtp.to(ADDRESSES[0]))
    # and member 1's are dead letters at once, the server's answer shown to them
    dead = list_outbox(council.log, member=council.members[1], statuses=[OutboxMessage.DEAD])
    assert dead and {(m.attempts, m.last_error) for m in dead} == {
        (1, "EmailRefused: mail server answered 550 5.1.1 No such user")
    }
    assert smtp.to(ADDRESSES[1]) == []


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    # when Retry-After values are read at a fixed moment
    now = 1_767_268_800.0  # Thu, 01 Jan 2026 12:00:00 GMT
    # then seconds and HTTP dates are read, anything else is no wait
    assert retry_after_seconds("120", now=now) == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 12:05:00 GMT", now=now) == 300
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0
    assert retry_after_seconds("soon", now=now) == 0 and retry_after_seconds("", now=now) == 0


def test_a_retry_after_longer_than_a_day_waits_a_day(council: Council, push_service: PushService) -> None:
    # given a service that asks for a week
    subscribe(council, push_service, 2, "phone-2")
    push_service.answers["phone-2"] = [429] * 6
    push_service.retry_after = str(7 * 24 * 3600)
    # when refused once
    deliver_once(now=council.now, channels=[PushChannel()])
    # then the next attempt is a day away, the longest the outbox waits
    rows = OutboxMessage.objects.filter(member=council.members[2], channel=PUSH)
    assert {r.next_attempt for r in rows} == {council.now + MAX_BACKOFF_MS}
