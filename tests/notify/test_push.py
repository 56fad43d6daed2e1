"""Web Push: each reminder reaches the member's devices encrypted for them alone, signed with the node's
VAPID key, with nothing members-only in it; a refused push waits and is tried again; an expired
subscription is forgotten (decision 0017)."""

import stat

from django.conf import settings

from ayllu.actions.notifications import BACKOFF_MS, do_add_push_subscription
from ayllu.notify.channels import EmailChannel, PushChannel
from ayllu.notify.delivery import deliver_once
from ayllu.notify.webpush import public_key, vapid_key
from ayllu.queries.notifications import PUSH, get_push_public_key, list_outbox, list_push_devices
from ayllu.storage.models import OutboxMessage

from .conftest import SECRET_MEETING, SECRET_PROPOSAL, Council, settings_for
from .pushservice import PushService, push_service, subscribe
from .smtp import Inbox

__all__ = ["push_service"]


def test_each_reminder_reaches_the_members_devices_decrypted_only_there(
    council: Council, push_service: PushService
) -> None:
    # given member 0 (Spanish, two devices) and member 2 (no e-mail address, one device)
    subscribe(council, push_service, 0, "phone-0")
    subscribe(council, push_service, 0, "laptop-0")
    subscribe(council, push_service, 2, "phone-2")
    # when the deliverer runs twice, by push only
    first = deliver_once(now=council.now, channels=[PushChannel()])
    second = deliver_once(now=council.now, channels=[PushChannel()])
    # then each of member 0's six reminders reached both devices, and member 2's six their phone, once
    assert first.sent == 12 and second.sent == 0 and second.queued == 0
    assert len(push_service.to("phone-0")) == len(push_service.to("laptop-0")) == 6
    assert len(push_service.to("phone-2")) == 6
    # signed with the node's VAPID key, decrypted by the service's own code with the browser's key
    assert {r.vapid_key for r in push_service.received} == {get_push_public_key()}
    # in the member's language, with the link to act on
    titles = {p["title"] for p in push_service.to("phone-0")}
    assert "Junta Vecinal Avisos: Votación abierta: Arreglar la cancha" in titles
    public = str(settings.AYLLU_PUBLIC_URL)
    assert all(p["url"].startswith(public + "/es/") for p in push_service.to("phone-0"))
    assert all(p["body"] for p in push_service.to("phone-2"))


def test_nothing_members_only_is_in_a_push_payload(council: Council, push_service: PushService) -> None:
    # given a members-only meeting and proposal, and member 1 (English) with a device
    subscribe(council, push_service, 1, "phone-1")
    # when every reminder is pushed
    deliver_once(now=council.now, channels=[PushChannel()])
    # then the decrypted payloads say "a meeting", "a proposal", never their words
    assert len(push_service.to("phone-1")) == 6
    for payload in push_service.to("phone-1"):
        text = " ".join(payload.values())
        assert SECRET_MEETING not in text and SECRET_PROPOSAL not in text and "deuda" not in text
    assert "Junta Vecinal Avisos: Voting closes soon on a proposal" in {
        p["title"] for p in push_service.to("phone-1")
    }


def test_a_push_the_service_refuses_waits_and_is_tried_again(
    council: Council, push_service: PushService
) -> None:
    # given member 2's phone, whose push service answers 503, then 429, then takes messages
    subscribe(council, push_service, 2, "phone-2")
    push_service.answers["phone-2"] = [503] * 6 + [429] * 6
    # when the deliverer runs, again at once, then after the backoff twice
    refused = deliver_once(now=council.now, channels=[PushChannel()])
    early = deliver_once(now=council.now + 1000, channels=[PushChannel()])
    throttled = deliver_once(now=council.now + BACKOFF_MS, channels=[PushChannel()])
    errors = {m.last_error for m in list_outbox(council.log, member=council.members[2])}
    taken = deliver_once(now=council.now + 3 * BACKOFF_MS, channels=[PushChannel()])
    # then nothing was sent until the service took them; each refusal counted and waited longer
    assert (refused.failed, refused.sent) == (6, 0)
    assert (early.failed, early.sent) == (0, 0)
    assert (throttled.failed, throttled.sent) == (6, 0)
    assert taken.sent == 6 and len(push_service.to("phone-2")) == 6
    rows = OutboxMessage.objects.filter(member=council.members[2], channel=PUSH)
    assert {(r.status, r.attempts) for r in rows} == {("sent", 2)}
    assert errors == {"PushRefused: push service answered 429 retry after 30s"}


def test_a_subscription_the_service_says_is_gone_is_forgotten(
    council: Council, push_service: PushService
) -> None:
    # given member 0 with a live phone and an old laptop whose subscription expired (410), and
    # member 2 whose only subscription is unknown to the service (404)
    subscribe(council, push_service, 0, "phone-0")
    subscribe(council, push_service, 0, "laptop-0")
    push_service.answers["laptop-0"] = [410]
    do_add_push_subscription(
        council.log,
        member=council.members[2],
        endpoint=push_service.endpoint("unknown"),
        p256dh=push_service.browser("spare").p256dh,
        auth=push_service.browser("spare").auth,
    )
    # when the deliverer runs, and runs again
    first = deliver_once(now=council.now, channels=[PushChannel()])
    second = deliver_once(now=council.now + BACKOFF_MS, channels=[PushChannel()])
    # then the expired subscriptions are deleted; the phone got everything; member 2's messages, with
    # nowhere left to go, are dropped rather than tried again
    assert [d.endpoint for d in list_push_devices(council.log, member=council.members[0])] == [
        push_service.endpoint("phone-0")
    ]
    assert list_push_devices(council.log, member=council.members[2]) == ()
    assert len(push_service.to("phone-0")) == 6 and push_service.to("laptop-0") == []
    assert first.failed == 6 and second.dropped == 6
    rows = OutboxMessage.objects.filter(member=council.members[2], channel=PUSH)
    assert {r.status for r in rows} == {"dropped"}


def test_the_node_keeps_one_vapid_key_that_only_it_reads() -> None:
    # when the node's push key is asked for twice
    first, again = public_key(), get_push_public_key()
    # then it is the same key, kept in the node's data dir with mode 0600
    path = settings.AYLLU_PUSH_KEY_FILE
    assert first == again and len(first) == 87
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert vapid_key().private_numbers().private_value.to_bytes(32, "big").hex() not in path.read_text()[:60]


def test_a_daily_digest_reaches_both_channels_once_a_day(
    council: Council, push_service: PushService, smtp: Inbox
) -> None:
    # given member 1, with an address and a phone, who asked for a daily digest
    settings_for(council.log, council.members[1], email="bob@example.org", language="en", digest=True)
    subscribe(council, push_service, 1, "phone-1")
    both = [EmailChannel(), PushChannel()]
    # when the deliverer runs, an hour later, and a day later
    first = deliver_once(now=council.now, channels=both)
    later = deliver_once(now=council.now + 3600 * 1000, channels=both)
    # then one digest went by e-mail and one to the phone in the first pass, nothing in the hour after
    assert len(smtp.to("bob@example.org")) == 1 and len(push_service.to("phone-1")) == 1
    assert first.sent == 2 + 6 + 5 and later.sent == 0  # the digest twice; members 0 and 3 one by one
    assert "6 things for you today" in push_service.to("phone-1")[0]["title"]
